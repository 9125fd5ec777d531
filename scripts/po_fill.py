"""Fill Korean translations from a small dict (a helper for maintainers; not used at run time).

    .venv/bin/python scripts/po_fill.py   # after editing TRANSLATIONS below; prints what is still missing
"""

import sys

import polib

TRANSLATIONS: dict[str, str] = {
    "They get an e-mail with a link to choose a password.": "비밀번호를 정하는 링크가 담긴 이메일이 발송됩니다.",
    "%(name)s was added to the network.": "%(name)s을(를) 네트워크에 추가했습니다.",
    "An account was made for you in the partner portal of %(organization)s.":
        "%(organization)s 파트너 포털에 회원님의 계정이 만들어졌습니다.",
    "You are invited to the %(organization)s partner portal": "%(organization)s 파트너 포털에 초대합니다",
    "Add a partner": "파트너 추가",
    "Authorised product lines": "승인 제품군",
    "Primary distributor (dealers)": "주 공급 대리점 (딜러만)",
    "First user's e-mail": "첫 사용자 이메일",
    "Only a dealer has a supplying distributor.": "공급 대리점은 딜러에만 지정할 수 있습니다.",
    "Open this link to choose your password and log in:": "아래 링크를 열어 비밀번호를 정하고 로그인하세요:",
    "Your login is this e-mail address.": "로그인 아이디는 이 이메일 주소입니다.",
    "Add": "추가",
    "Capabilities": "가능 업무",
    "This is not a phone number we can call. Write it like 010-1234-5678.":
        "연락 가능한 전화번호가 아닙니다. 010-1234-5678처럼 입력하세요.",
    "Enter a phone number or an e-mail address so the dealer can reach the customer.":
        "딜러가 고객에게 연락할 수 있도록 전화번호나 이메일 주소를 입력하세요.",
    "Only distributors and HQ upload dealer lists.": "딜러 목록은 대리점과 본사만 업로드할 수 있습니다.",
    "Name the distributor the list belongs to.": "이 목록이 속한 대리점을 지정하세요.",
    "the address names no 시/도 and 시/군/구 we know; the dealer can't receive customer orders until it is fixed":
        "주소에서 시/도와 시/군/구를 찾을 수 없음. 주소를 고치기 전까지 이 딜러는 고객 주문을 배정받을 수 없음",
    "belongs to an organisation that is not a dealer": "딜러가 아닌 조직의 사업자등록번호임",
    "waiting for HQ to approve the link": "본사의 거래 승인 대기 중",
    "This supply link was already approved.": "이미 승인된 거래 관계입니다.",
    "The link from %(distributor)s to %(dealer)s was refused.":
        "%(distributor)s와(과) %(dealer)s의 거래 관계를 거절했습니다.",
    "Offered %(when)s ago": "%(when)s 전 배정",
    "%(merged)s rows repeated a dealer listed again further down; the later row was kept.":
        "%(merged)s개 행은 아래쪽에 같은 딜러가 다시 나와 나중 행의 내용을 반영했습니다.",
    "Another distributor listed this dealer. Approve or refuse its supply link below.":
        "다른 대리점이 이 딜러를 목록에 올렸습니다. 아래에서 거래 관계를 승인하거나 거절하세요.",
    "Refuse": "거절",
    "Unknown product line code.": "알 수 없는 제품군 코드입니다.",
    "Choose a reason": "사유를 선택하세요",
    "Your role can't do this. Ask an administrator of your organisation.":
        "현재 역할로는 할 수 없는 작업입니다. 소속 조직의 관리자에게 문의하세요.",
    "Your account belongs to no organisation here.": "이 포털에 소속된 조직이 없는 계정입니다.",
    "Unknown product line code(s): %(codes)s.": "알 수 없는 제품군 코드: %(codes)s.",
    "No such distributor.": "해당 대리점이 없습니다.",
    "Needs HQ review": "본사 검토 필요",
    "approved by HQ": "본사 승인",
    "already supplied by another distributor; HQ will review the link":
        "다른 대리점과 거래 중인 딜러. 본사가 거래 관계를 검토함",
    "%(distributor)s now supplies %(dealer)s.": "이제 %(distributor)s이(가) %(dealer)s에 공급합니다.",
    "Your role can't do this.": "현재 역할로는 할 수 없는 작업입니다.",
    "Upload dealers": "딜러 업로드",
    "region unknown": "지역 미상",
    "%(rows)s dealer rows read.": "딜러 %(rows)s행을 읽었습니다.",
    "waiting for HQ": "본사 승인 대기",
    "Approve": "승인",
    "Dealers waiting for HQ approval": "본사 승인 대기 딜러",
    "Waiting for your answer": "답변 필요",
    "No company-name column was recognised, so every row was rejected for a missing name. Rename the column "
    "to 상호 or Company and upload the file again.":
        "상호 열을 찾지 못해 모든 행이 상호 누락으로 제외되었습니다. 열 이름을 상호 또는 Company로 바꾼 뒤 다시 "
        "업로드하세요.",
    "No business-registration-number column was recognised, so every row was rejected for a missing number. "
    "Rename the column to 사업자등록번호 or Business No and upload the file again.":
        "사업자등록번호 열을 찾지 못해 모든 행이 번호 누락으로 제외되었습니다. 열 이름을 사업자등록번호 또는 "
        "Business No로 바꾼 뒤 다시 업로드하세요.",
    "No address column was recognised: dealers can't be placed on the map or receive customer orders. If the "
    "file has addresses, rename that column to 주소 or Address and upload the file again.":
        "주소 열을 찾지 못했습니다. 딜러의 위치를 정할 수 없어 고객 주문을 배정받을 수 없습니다. 파일에 주소가 "
        "있다면 열 이름을 주소 또는 Address로 바꾼 뒤 다시 업로드하세요.",
    "Address (detail)": "상세주소",
    "The CSV file could not be read: a quotation mark on row %(row)d is never closed, so the rows after it run "
    "together. Open the file in a text editor, close or delete that quotation mark, save it and upload it again.":
        "CSV 파일을 읽을 수 없습니다. %(row)d행의 따옴표가 닫히지 않아 그 뒤의 행들이 한데 붙었습니다. 텍스트 "
        "편집기로 파일을 열어 따옴표를 닫거나 지운 뒤 저장하여 다시 업로드하세요.",
    "Columns read from the file": "파일에서 읽은 열",
    "Not used:": "사용하지 않은 열:",
    "This e-mail address is too long.": "이메일 주소가 너무 깁니다.",
    "The address is too long (500 characters at most).": "주소가 너무 깁니다(최대 500자).",
    "The note is too long (2,000 characters at most).": "메모가 너무 깁니다(최대 2,000자).",
    "Only an order no dealer was found for can be routed again.":
        "배정 가능한 딜러가 없던 주문만 다시 배정할 수 있습니다.",
    "Routed again by HQ": "본사가 다시 배정",
    "Code": "코드",
    "Short and unique, e.g. aircon; used by the API.": "짧고 겹치지 않게(예: aircon). API에서 사용합니다.",
    "This e-mail address already has an account at another organisation. Use another address for this person.":
        "이 이메일 주소는 이미 다른 조직의 계정입니다. 이 사람에게는 다른 주소를 사용하세요.",
    "Product line %(name)s was added.": "제품군 %(name)s을(를) 추가했습니다.",
    "Call": "전화하기",
    "Route again": "다시 배정",
    "After adding dealers or product lines. Dealers that declined are not asked again.":
        "딜러나 제품군을 추가한 뒤에 사용하세요. 이미 거절한 딜러에게는 다시 묻지 않습니다.",
    "These rows were imported; the values named here need a look.": "아래 행은 가져왔지만 표시된 값을 확인해 주세요.",
    "Edit": "수정",
    "Save": "저장",
    "Cancel": "취소",
    "Customer orders name a product line; only dealers authorised for it are offered the order.":
        "고객 주문에는 제품군이 지정되며, 해당 제품군이 승인된 딜러에게만 주문이 배정됩니다.",
    "No product line yet: add one, or customers can't send orders.":
        "아직 제품군이 없습니다. 제품군을 추가해야 고객이 주문을 보낼 수 있습니다.",
    "A phone number or an e-mail address is needed.": "전화번호나 이메일 주소 중 하나는 꼭 입력하세요.",
    "Order %(number)s is being routed again.": "주문 %(number)s 건을 다시 배정하고 있습니다.",
    "Name (Korean)": "이름(한국어)",
    "Name (English)": "이름(영어)",
    "This is not a phone number we can call. Write it like 02-123-4567.":
        "연락 가능한 전화번호가 아닙니다. 02-123-4567처럼 입력하세요.",
    "Enter a code and a name.": "코드와 이름을 입력하세요.",
    "A product line with this code already exists.": "같은 코드의 제품군이 이미 있습니다.",
    "%(name)s was saved.": "%(name)s을(를) 저장했습니다.",
    "We received your request. A dealer near you will contact you soon; if none can take it, our staff will.":
        "요청을 접수했습니다. 가까운 딜러가 곧 연락드리며, 맡을 딜러가 없으면 저희 직원이 연락드립니다.",
    "%(merged)s row repeated a dealer listed again further down; the later row was kept.":
        "%(merged)s개 행은 아래쪽에 같은 딜러가 다시 나와 나중 행의 내용을 반영했습니다.",
    "Authorised dealers": "승인된 딜러",
    "Add a product line": "제품군 추가",
    "Accept this order? The customer then expects your call.":
        "이 주문을 수락할까요? 수락하면 고객이 연락을 기다립니다.",
    "Use hq, distributor or dealer.": "hq, distributor, dealer 중 하나를 쓰세요.",
    "An account was made for you, for %(organization)s, in the %(portal)s partner portal.":
        "%(portal)s 파트너 포털에 %(organization)s 소속으로 회원님의 계정이 만들어졌습니다.",
    "You are invited to the %(portal)s partner portal": "%(portal)s 파트너 포털에 초대합니다",
    "This form has expired": "입력 양식이 만료되었습니다",
    "The page was open for a long time, or you logged in again elsewhere. Go back, reload the page and send the "
    "form again.": "페이지를 오래 열어 두었거나 다른 곳에서 다시 로그인했습니다. 이전 페이지로 돌아가 새로고침한 뒤 "
                   "다시 보내 주세요.",
    "Go back": "이전 페이지로",
    "Back": "돌아가기",
    "Your name": "성함",
    "Export CSV": "CSV로 내보내기",
    "All": "전체",
    "Export Excel": "엑셀로 내보내기",
    "How many": "수량",
    "Anything the dealer should know": "딜러에게 전할 말씀",
    "Another distributor already supplies these dealers. HQ decides whether you supply them too.":
        "다른 대리점이 이미 공급하는 딜러입니다. 귀사도 공급할지는 본사가 결정합니다.",
    "Too many attempts": "시도 횟수 초과",
    "This account is locked for 15 minutes after too many wrong passwords. Try again later, or reset your "
    "password.": "비밀번호를 여러 번 잘못 입력해 이 계정이 15분 동안 잠겼습니다. 잠시 후 다시 시도하거나 "
                 "비밀번호를 재설정하세요.",
    'wait, read, check or commit while importing; empty otherwise':
        '가져오는 중에는 wait, read, check, commit 중 하나, 그 밖에는 빈 값',
    'true when a running import reported nothing for two minutes: retry it':
        '진행 중인 가져오기가 2분 동안 아무 진척도 알리지 않으면 true: 다시 실행하세요',
    '0-based column index':
        '0부터 세는 열 번호',
    'the dealer field read from it; empty: not imported':
        '이 열에서 읽는 딜러 항목. 빈 값이면 가져오지 않음',
    'field -> 0-based column, as suggested or confirmed':
        '항목 -> 0부터 세는 열 번호 (제안되었거나 확인된 대로)',
    'true: stop after reading the file (status "mapping") until the columns are confirmed with POST .../confirm/; false: import at once with the matched columns':
        'true: 파일을 읽은 뒤 멈추고(상태 "mapping") POST .../confirm/으로 열이 확인되기를 기다림. false: 자동으로 맞춘 열로 바로 가져옴',
    'field -> 0-based column; omit to confirm the suggested mapping':
        '항목 -> 0부터 세는 열 번호. 생략하면 제안된 열 지정을 그대로 확인함',
    "save the columns as this distributor's preset":
        '이 열 지정을 대리점의 기본값으로 저장',
    'Reading the file':
        '파일 읽는 중',
    'Check the columns':
        '열 확인',
    'Waiting for another import to finish':
        '다른 가져오기가 끝나기를 기다리는 중',
    'Reading rows':
        '행 읽는 중',
    'Checking rows':
        '행 검사 중',
    'Saving dealers':
        '딜러 저장 중',
    'Cancelled':
        '취소됨',
    'Use these columns for my next uploads':
        '다음 업로드에도 이 열 지정 사용',
    '— not imported —':
        '— 가져오지 않음 —',
    '“%(field)s” is not a dealer-list field.':
        '“%(field)s”은(는) 딜러 목록 항목이 아닙니다.',
    'The column chosen for “%(field)s” is not in the file.':
        '“%(field)s”에 고른 열이 파일에 없습니다.',
    'Choose the column that holds the “%(field)s”.':
        '“%(field)s”이(가) 들어 있는 열을 고르세요.',
    '“%(field)s” is chosen for two columns (%(first)s and %(second)s); keep one.':
        '“%(field)s”이(가) 두 열(%(first)s, %(second)s)에 지정되었습니다. 하나만 남기세요.',
    'This upload is not waiting for its columns to be confirmed.':
        '이 업로드는 열 확인을 기다리는 상태가 아닙니다.',
    'Only an upload waiting for its columns to be confirmed can be cancelled.':
        '열 확인을 기다리는 업로드만 취소할 수 있습니다.',
    'This import is not stopped; there is nothing to retry.':
        '이 가져오기는 멈추지 않았습니다. 다시 실행할 것이 없습니다.',
    'Error':
        '오류',
    'The upload was cancelled. Nothing was imported from it.':
        '업로드를 취소했습니다. 이 파일에서는 아무것도 가져오지 않았습니다.',
    'The import starts again.':
        '가져오기를 다시 시작합니다.',
    'most rows in one dealer list':
        '딜러 목록 한 파일의 최대 행 수',
    'largest dealer-list file (MB)':
        '딜러 목록 파일 최대 크기 (MB)',
    '%(rows)s dealer rows found under the header on row %(header)s.':
        '%(header)s행의 머리글 아래에서 딜러 %(rows)s행을 찾았습니다.',
    'Sheet “%(sheet)s”.':
        '시트 “%(sheet)s”.',
    'Columns are set as you confirmed them last time.':
        '지난번에 확인하신 대로 열을 지정했습니다.',
    'We matched the columns by their headers. Correct any that are wrong, then import.':
        '머리글을 보고 열을 맞췄습니다. 틀린 것이 있으면 고친 뒤 가져오세요.',
    'The distributor has not confirmed the columns yet.':
        '대리점이 아직 열을 확인하지 않았습니다.',
    '(no header)':
        '(머리글 없음)',
    '%(n)s problem in the first rows':
        '앞쪽 행에 문제 %(n)s건',
    'First rows, as they will be read':
        '앞쪽 행 (이렇게 읽힙니다)',
    '%(n)s of these rows would be rejected':
        '이 중 %(n)s행은 제외됩니다',
    '%(n)s warning':
        '경고 %(n)s건',
    'Import with these columns':
        '이 열로 가져오기',
    'Import progress':
        '가져오기 진행률',
    'Rows read':
        '읽은 행',
    'Rows checked':
        '검사한 행',
    'Dealers saved':
        '저장한 딜러',
    'Reading the file to find its columns…':
        '파일을 읽어 열을 찾는 중…',
    'Waiting for a free worker…':
        '처리할 작업자를 기다리는 중…',
    'The import has stopped: nothing has moved for two minutes. Nothing was saved from this file.':
        '가져오기가 멈췄습니다. 2분 동안 진행이 없었습니다. 이 파일에서는 아무것도 저장되지 않았습니다.',
    'You can leave this page: the import goes on, and the result waits here.':
        '이 페이지를 떠나도 됩니다. 가져오기는 계속되고 결과는 여기에 남습니다.',
    'Try again':
        '다시 시도',
    'Nothing was imported from this file.':
        '이 파일에서는 아무것도 가져오지 않았습니다.',
    'Download the rejected rows as they were in your file, with the reason in the last column. Fix them there and upload that file.':
        '제외된 행을 원래 파일 그대로, 마지막 열에 사유를 붙여 내려받으세요. 그 파일에서 고친 뒤 다시 업로드하면 됩니다.',
    'Download rejected rows (Excel)':
        '제외된 행 내려받기 (Excel)',
    'The first 200 are shown; the spreadsheet and the report hold them all.':
        '처음 200건만 보여 줍니다. 전체는 스프레드시트와 보고서에 있습니다.',
    'The file has %(rows)s dealer rows; one upload takes at most %(limit)s. Split the list into smaller files (for example by region) and upload them one by one.':
        '파일에 딜러가 %(rows)s행 있습니다. 한 번에 최대 %(limit)s행까지 올릴 수 있습니다. 목록을 (예: 지역별로) 나누어 하나씩 업로드하세요.',
    'The import stopped several times before it could finish. Nothing was imported. Try again later; if it happens again, send the file to HQ.':
        '가져오기가 끝나기 전에 여러 번 멈췄습니다. 아무것도 가져오지 않았습니다. 잠시 후 다시 시도하고, 또 그러면 파일을 본사에 보내 주세요.',
    'The file is %(size)s MB; one upload takes at most %(limit)s MB. Split the list into smaller files and upload them one by one.':
        '파일 크기가 %(size)sMB입니다. 한 번에 최대 %(limit)sMB까지 올릴 수 있습니다. 목록을 나누어 하나씩 업로드하세요.',
    'Check again':
        '다시 확인',
    'Cancel this upload':
        '이 업로드 취소',
    'rows': '행',
    'Dealer-list limits for %(name)s': '%(name)s의 딜러 목록 한도',
    'A distributor whose file is larger, or has more rows, is told the limit and asked to split the file.': '파일이 더 크거나 행이 더 많으면 대리점에 한도를 알리고 파일을 나누도록 안내합니다.',
    'Limits for %(name)s saved.': '%(name)s의 한도를 저장했습니다.',
    'Dealer-list limits': '딜러 목록 한도',
    'Change': '변경',
    'not imported': '가져오지 않음',
    'Unknown field(s): %(fields)s. Use: %(known)s.': '알 수 없는 항목: %(fields)s. 다음 중에서 쓰세요: %(known)s.',
    'No column was chosen for the company name, so every row was rejected.': '상호 열을 고르지 않아 모든 행이 제외되었습니다.',
    'No column was chosen for the business registration number, so every row was rejected.': '사업자등록번호 열을 고르지 않아 모든 행이 제외되었습니다.',
    "No column was chosen for the address: these dealers can't receive customer orders until HQ or you add it.": '주소 열을 고르지 않았습니다. 본사나 귀사가 주소를 넣기 전까지 이 딜러들은 고객 주문을 배정받을 수 없습니다.',
    'Name at most %(count)s fields.': '항목은 %(count)s개까지만 지정하세요.',
    'The request body is not valid JSON (nested too deeply).': '요청 본문이 올바른 JSON이 아닙니다(중첩이 너무 깊음).',
    'The request body is not valid JSON.': '요청 본문이 올바른 JSON이 아닙니다.',
    'Scroll the table sideways to see every column.': '표를 옆으로 밀면 모든 열을 볼 수 있습니다.',
    'The file has %(columns)s columns; a dealer list may have at most %(limit)s. Delete the columns that are not about dealers, save and upload the file again.': '파일에 열이 %(columns)s개 있습니다. 딜러 목록은 최대 %(limit)s개 열까지 받습니다. 딜러와 관계없는 열을 지우고 저장한 뒤 다시 업로드하세요.',
    'Column %(column)s is chosen for %(fields)s; one column holds one field.': '%(column)s 열이 %(fields)s에 함께 지정되었습니다. 한 열에는 한 항목만 지정하세요.',
    'Only an import that stopped can be run again.': '멈춘 가져오기만 다시 실행할 수 있습니다.',
    'Unchanged': '변경 없음',
    'Draft': '초안',
    'In use': '사용 중',
    'Replaced': '교체됨',
    'None required': '필요 없음',
    'version': '버전',
    'required capability': '필요한 역량',
    'maximum distance (km)': '최대 거리 (km)',
    'Empty: any distance.': '비워 두면 거리 제한 없음.',
    'The score is computed for this many of the nearest eligible dealers.': '가장 가까운 조건 충족 딜러 중 이 수만큼 점수를 계산합니다.',
    'dealers asked before HQ takes over': '본사가 넘겨받기 전까지 제안할 딜러 수',
    'hours a dealer has to accept': '딜러 수락 제한 시간',
    'distance (points lost per km)': '거리 (km당 감점)',
    'Nearer is better.': '가까울수록 좋습니다.',
    'tier (points per tier step)': '등급 (등급 한 단계당 점수)',
    'Bronze 1, Silver 2, Gold 3, Platinum 4.': '브론즈 1, 실버 2, 골드 3, 플래티넘 4.',
    'acceptance rate (points at 100 %)': '수락률 (100%일 때 점수)',
    'Share of offers the dealer accepted over the last 180 days.': '최근 180일 동안 딜러가 수락한 제안의 비율.',
    'win rate (points at 100 %)': '성사율 (100%일 때 점수)',
    'Share of accepted orders the dealer won.': '수락한 주문 중 딜러가 계약에 성공한 비율.',
    'response time (points lost per hour)': '응답 시간 (시간당 감점)',
    'Median hours the dealer took to answer an offer.': '딜러가 제안에 답하는 데 걸린 시간의 중앙값.',
    'open load (points lost per waiting offer)': '미처리 부하 (대기 중인 제안당 감점)',
    'Spreads orders among dealers.': '주문을 여러 딜러에게 나눕니다.',
    'protected deal (points)': '보호 거래 (점수)',
    'For the partner holding an approved deal with this customer.': '이 고객과 승인된 거래를 등록한 파트너에게.',
    'Only a draft can be changed; a published rule is kept as it was.': '초안만 바꿀 수 있습니다. 게시된 규칙은 그대로 보존됩니다.',
    'This rule version is not a draft.': '이 규칙 버전은 초안이 아닙니다.',
    'win rate': '성사율',
    'response time': '응답 시간',
    'open load': '미처리 부하',
    'protected deal': '보호 거래',
    'There is no draft. Start one from the rule in use.': '초안이 없습니다. 사용 중인 규칙에서 초안을 시작하세요.',
    'Draft v%(version)s saved.': '초안 v%(version)s을(를) 저장했습니다.',
    'Rule v%(version)s is in use: the next orders follow it.': '규칙 v%(version)s이(가) 적용되었습니다. 다음 주문부터 이 규칙을 따릅니다.',
    'Round %(round)s · rule v%(version)s · %(eligible)s eligible dealers': '%(round)s차 · 규칙 v%(version)s · 조건 충족 딜러 %(eligible)s곳',
    'Score': '점수',
    'Points': '점수 구성',
    'Equal scores are ordered by a fixed hash of the order and the dealer, so the same inputs always give the same choice.': '점수가 같으면 주문과 딜러로 만든 고정 해시 순서를 따르므로, 같은 입력이면 언제나 같은 딜러가 선택됩니다.',
    'Each customer order goes to the eligible dealer with the highest score. Filters decide who is eligible; weights decide the score. Every decision records the rule version it used.': '고객 주문은 조건을 충족하는 딜러 중 점수가 가장 높은 딜러에게 갑니다. 필터가 대상 딜러를, 가중치가 점수를 정합니다. 모든 배정 결정에는 사용한 규칙 버전이 기록됩니다.',
    'In use: v%(version)s': '사용 중: v%(version)s',
    'yes,no': '예,아니요',
    'Required capability': '필요한 역량',
    'Maximum distance': '최대 거리',
    'Hours a dealer has to accept': '딜러 수락 제한 시간',
    'Weights': '가중치',
    'Draft v%(version)s': '초안 v%(version)s',
    'Publish this draft? The next orders follow it.': '이 초안을 게시할까요? 다음 주문부터 이 규칙을 따릅니다.',
    'Publish': '게시',
    'To change the rule, start a draft from the rule in use; nothing changes for orders until you publish it.': '규칙을 바꾸려면 사용 중인 규칙에서 초안을 시작하세요. 게시하기 전까지 주문 배정은 바뀌지 않습니다.',
    'Start a draft': '초안 시작',
    'Versions': '버전',
    'Version': '버전',
    'Published': '게시',
    'By': '작성자',
    'what changed': '변경 내용',
    'only dealers authorised for the product line': '제품군 승인 딜러만',
    'most offers waiting on one dealer': '딜러 한 곳의 최대 대기 제안 수',
    'nearest dealers scored': '점수를 계산할 가까운 딜러 수',
    'Unknown rule setting(s): %(names)s.': '알 수 없는 규칙 설정: %(names)s.',
    'distance': '거리',
    'acceptance': '수락률',
    'Routing': '배정 규칙',
    'Why this dealer': '이 딜러를 고른 이유',
    'Acceptance': '수락률',
    'Answers in': '응답 시간',
    'Waiting offers': '대기 제안',
    'Order routing rules': '주문 배정 규칙',
    'Only dealers authorised for the product line': '제품군 승인 딜러만',
    'any': '제한 없음',
    'Most offers waiting on one dealer': '딜러 한 곳의 최대 대기 제안 수',
    'Dealers asked before HQ takes over': '본사가 넘겨받기 전까지 제안할 딜러 수',
    'Save draft': '초안 저장',
    'What changed': '변경 내용',
    'Not answered in time': '기한 내 응답 없음',
    'After this, the order moves on to the next dealer.': '이 시간이 지나면 주문은 다음 딜러에게 넘어갑니다.',
    'Answer by %(time)s (%(left)s left); then it goes to another dealer.': '%(time)s까지 답해 주세요(%(left)s 남음). 그 뒤에는 다른 딜러에게 넘어갑니다.',
    'Simulate the last 200 orders': '최근 주문 200건으로 시뮬레이션',
    'Without a dealer: %(a)s now, %(b)s with the draft.': '딜러를 못 찾는 주문: 현재 %(a)s건, 초안 적용 시 %(b)s건.',
    "Each order is replayed as if it had just arrived, with today's dealers, their history and their waiting offers. Nothing is changed.": '각 주문을 지금 막 들어온 것처럼, 오늘의 딜러와 그 이력, 대기 중인 제안으로 다시 배정해 봅니다. 실제로 바뀌는 것은 없습니다.',
    'By dealer': '딜러별',
    'By tier': '등급별',
    'By region': '지역별',
    'Draft v%(version)s against v%(current)s': '초안 v%(version)s과 v%(current)s 비교',
    'Of the last %(n)s orders, %(changed)s would go to another dealer.': '최근 주문 %(n)s건 중 %(changed)s건이 다른 딜러에게 갑니다.',
    'v%(version)s (in use)': 'v%(version)s (사용 중)',
    'v%(version)s (draft)': 'v%(version)s (초안)',
    'Province and district at least: a conflict check compares names within a district.': '최소한 시/도와 시/군/구까지: 충돌 확인은 같은 시/군/구 안에서 이름을 비교합니다.',
    'Expected value (KRW)': '예상 금액 (원)',
    'Expected close date': '예상 계약일',
    'Reason (shown to the partner)': '사유 (파트너에게 보임)',
    'expected value (KRW)': '예상 금액 (원)',
    'expected close date': '예상 계약일',
    'The value cannot be negative.': '금액은 음수일 수 없습니다.',
    'The expected close date is in the past.': '예상 계약일이 이미 지났습니다.',
    'Say why the deal is rejected; the partner sees it.': '거절 사유를 적어 주세요. 파트너에게 보입니다.',
    'The deal was registered. HQ reviews it; once approved, orders from this customer come to you first.': '거래를 등록했습니다. 본사가 검토하며, 승인되면 이 고객의 주문이 귀사에 먼저 배정됩니다.',
    'Deal with %(name)s reviewed.': '%(name)s 거래를 검토했습니다.',
    'The protection of your deal with %(name)s ends on %(date)s. After that, orders from this customer are routed like any other.': '%(name)s 거래의 보호 기간이 %(date)s에 끝납니다. 그 뒤에는 이 고객의 주문도 일반 규칙대로 배정됩니다.',
    'If the deal is still open, register it again in the partner portal.': '거래가 아직 진행 중이면 파트너 포털에서 다시 등록하세요.',
    'Your protected deal with %(name)s ends on %(date)s': '%(name)s 거래의 보호 기간이 %(date)s에 끝납니다',
    'Register an opportunity with a customer. Once HQ approves it, the customer is protected for you: an order from that customer comes to you first, until the protection ends.': '고객과의 영업 기회를 등록하세요. 본사가 승인하면 보호 기간이 끝날 때까지 그 고객의 주문이 귀사에 먼저 배정됩니다.',
    'Register a deal': '거래 등록',
    'Register': '등록',
    'Value': '금액',
    'Expected close': '예상 계약일',
    'until %(date)s': '%(date)s까지',
    'Deals waiting for review come first, each with any live deal that may be the same customer (same business number, or a similar name in the same district).': '검토를 기다리는 거래가 먼저 나오며, 같은 고객일 수 있는 진행 중 거래(같은 사업자등록번호, 또는 같은 시/군/구의 비슷한 이름)를 함께 보여 줍니다.',
    '%(n)s live deal may be the same customer:': '같은 고객일 수 있는 진행 중 거래 %(n)s건:',
    'Reason, if rejected': '거절 사유',
    'Protected until %(date)s': '%(date)s까지 보호',
    'Waiting for HQ': '본사 검토 대기',
    'Protected': '보호 중',
    'Protection ended': '보호 종료',
    "Customer's business registration number": '고객 사업자등록번호',
    'Customer address': '고객 주소',
    'Reject': '거절',
    'partner': '파트너',
    "customer's business registration number": '고객 사업자등록번호',
    'customer address': '고객 주소',
    'protected until': '보호 종료일',
    'reason': '사유',
    'This deal was already reviewed.': '이미 검토한 거래입니다.',
    'Choose approve or reject.': '승인 또는 거절을 고르세요.',
    'Deals': '거래 등록',
    'No deals registered yet.': '등록된 거래가 없습니다.',
    'Registered deals': '등록된 거래',
    'expected close': '예상 계약일',
    'same business number': '같은 사업자등록번호',
    'Every eligible dealer has as many waiting offers as the rule allows; the order waits.': '조건을 충족하는 모든 딜러가 허용된 만큼의 대기 제안을 이미 갖고 있어 주문이 기다립니다.',
    'New customer order %(number)s in %(region)s: accept it by %(deadline)s.': '새 고객 주문 %(number)s (%(region)s): %(deadline)s까지 수락해 주세요.',
    'Your dealer %(dealer)s was offered customer order %(number)s in %(region)s.': '소속 딜러 %(dealer)s에게 고객 주문 %(number)s (%(region)s)이(가) 배정 제안되었습니다.',
    'Notifications': '알림',
    'Mark all read': '모두 읽음으로 표시',
    'new': '새 알림',
    'Nothing yet.': '아직 없습니다.',
    'Open it in the partner portal:': '파트너 포털에서 열기:',
    'Quote sent': '견적 발송',
    'Won': '계약 성사',
    'Lost': '실패',
    'Price': '가격',
    'Went to a competitor': '경쟁사로 감',
    'No longer needed': '더 이상 필요 없음',
    'Where does it stand?': '진행 상황',
    'Why lost': '실패 사유',
    'stage': '진행 단계',
    'why lost': '실패 사유',
    'Only the dealer that accepted this order can move it on.': '이 주문을 수락한 딜러만 진행 상황을 바꿀 수 있습니다.',
    'Choose contacted, quoted, won or lost.': '고객 연락, 견적 발송, 계약 성사, 실패 중에서 고르세요.',
    'Enter the value of the sale in KRW.': '판매 금액을 원 단위로 입력하세요.',
    'Choose why the order was lost.': '실패 사유를 고르세요.',
    'Order %(number)s has had no update for %(days)s days: tell HQ and the customer where it stands.': '주문 %(number)s이(가) %(days)s일 동안 진행이 없습니다. 본사와 고객에게 현재 상황을 알려 주세요.',
    'Order %(number)s at %(dealer)s has had no update for %(days)s days.': '%(dealer)s의 주문 %(number)s이(가) %(days)s일 동안 진행이 없습니다.',
    'Funnel': '퍼널',
    'Won value': '성사 금액',
    'won, total value': '성사 금액 합계',
    'No update for %(days)s days': '%(days)s일 동안 진행 없음',
    'Stage': '단계',
    'None: every accepted order moved recently.': '없음: 수락된 모든 주문이 최근에 진행되었습니다.',
    'Customer contacted': '고객 연락함',
    'Customer stopped answering': '고객 응답 없음',
    'Value of the sale (KRW)': '판매 금액 (원)',
    'won value (KRW)': '성사 금액 (원)',
    'This order is already closed (%(stage)s).': '이미 종료된 주문입니다 (%(stage)s).',
    'The order is already past that stage.': '주문이 이미 그 단계를 지났습니다.',
    'Order %(number)s updated.': '주문 %(number)s을(를) 갱신했습니다.',
    'No accepted orders yet.': '수락된 주문이 아직 없습니다.',
    'Customer-order funnel': '고객 주문 퍼널',
    'Last update': '마지막 갱신',
    'Where it stands': '진행 상황',
    'Reason (kept in the audit log)': '사유 (감사 기록에 남음)',
    'An accepted order is no longer reassigned.': '수락된 주문은 다시 배정할 수 없습니다.',
    '%(dealer)s was already offered this order (%(status)s); choose another dealer.': '%(dealer)s에는 이미 이 주문을 제안했습니다(%(status)s). 다른 딜러를 고르세요.',
    'This dealer gets no new orders. Orders still waiting on it can go to the next best dealer now.': '이 딜러는 새 주문을 받지 않습니다. 아직 이 딜러를 기다리는 주문을 지금 다음 순위 딜러에게 보낼 수 있습니다.',
    'Withdrawn by HQ': '본사가 회수함',
    'Reassigned by HQ': '본사가 재배정함',
    'Choose a dealer': '딜러를 고르세요',
    'Say why the order is reassigned.': '재배정 사유를 적어 주세요.',
    'Choose an active dealer.': '활성 딜러를 고르세요.',
    'The order is already waiting on this dealer.': '주문이 이미 이 딜러의 응답을 기다리고 있습니다.',
    'Re-routed by HQ': '본사가 다시 배정함',
    'Order %(number)s was offered to %(dealer)s.': '주문 %(number)s을(를) %(dealer)s에 제안했습니다.',
    '%(count)s waiting orders of %(dealer)s are being routed to other dealers.': '%(dealer)s의 대기 주문 %(count)s건을 다른 딜러에게 다시 배정하고 있습니다.',
    'Reassign to another dealer': '다른 딜러에게 재배정',
    'Reassign': '재배정',
    'Re-route its waiting orders': '대기 주문 다시 배정',
    'Fairness': '공정성',
    'Share of offers': '제안 비율',
    'Fairness of routing': '주문 배정의 공정성',
    'Period (days)': '기간 (일)',
    'Show': '보기',
    '%(n)s active dealers, %(offers)s offers in the period.': '기간 중 활성 딜러 %(n)s곳, 제안 %(offers)s건.',
    'A group whose share of offers is far below its share of dealers is being starved by the rule.': '제안 비율이 딜러 비율보다 크게 낮은 그룹은 규칙 때문에 주문을 거의 받지 못하고 있는 것입니다.',
    'New (last 90 days) and established dealers': '신규(최근 90일) 딜러와 기존 딜러',
    'Share of dealers': '딜러 비율',
    'Offers': '제안',
    'Share of accepted': '수락 비율',
    'Offers per dealer': '딜러당 제안',
    'new dealers': '신규 딜러',
    'established dealers': '기존 딜러',
    '%(n)s active dealer got no offer': '제안을 한 건도 받지 못한 활성 딜러 %(n)s곳',
    'None.': '없음.',
    'Mon': '월',
    'Tue': '화',
    'Wed': '수',
    'Thu': '목',
    'Fri': '금',
    'Sat': '토',
    'Sun': '일',
    'List at most 366 holidays.': '휴일은 366일까지 적을 수 있습니다.',
    'Holidays': '휴일',
    'Days the clock does not run, one date per line (YYYY-MM-DD).': '시간이 흐르지 않는 날을 한 줄에 하나씩 적습니다(YYYY-MM-DD).',
    'count business hours only': '영업시간만 계산',
    'The deadline clock runs only on business days between the opening and closing times.': '마감 시간은 영업일의 업무 시작부터 종료 시각 사이에만 흐릅니다.',
    'business day closes': '업무 종료 시각',
    'holidays': '휴일',
    'Business days are weekday numbers from 0 (Monday) to 6 (Sunday).': '영업일은 0(월요일)부터 6(일요일)까지의 요일 번호입니다.',
    'The business day must close after it opens.': '업무 종료 시각은 시작 시각보다 늦어야 합니다.',
    'business hours only (%(start)s–%(end)s)': '영업시간만(%(start)s–%(end)s)',
    '“%(value)s” is not a date: write it as YYYY-MM-DD.': '“%(value)s”은(는) 날짜가 아닙니다. YYYY-MM-DD 형식으로 적어 주세요.',
    'Business days': '영업일',
    'business day opens': '업무 시작 시각',
    'business days': '영업일',
    'Choose at least one business day.': '영업일을 하루 이상 고르세요.',
    'Round %(round)s · rule v%(version)s · %(eligible)s nearest eligible dealers scored': '%(round)s차 · 규칙 v%(version)s · 가까운 대상 대리점 %(eligible)s곳 평가',
    'Win rate': '성사율',
}


def main() -> int:
    po = polib.pofile("locale/ko/LC_MESSAGES/django.po")
    for entry in po:
        if entry.msgid in TRANSLATIONS and entry.msgid_plural and (
                not entry.msgstr_plural.get(0) or "fuzzy" in entry.flags):
            entry.msgstr_plural = {0: TRANSLATIONS[entry.msgid]}  # Korean has one plural form
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif entry.msgid in TRANSLATIONS and (not entry.msgstr or "fuzzy" in entry.flags):
            entry.msgstr = TRANSLATIONS[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save()
    missing = [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()]
    for msgid in missing:
        print("missing:", repr(msgid))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
