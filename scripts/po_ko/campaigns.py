"""Korean for campaigns and marketing development funds (MDF): HQ's campaign pages, the partners' campaign pages,
plans, claims and payments, and their services and models. Terms: campaign 캠페인, marketing funds 마케팅 지원금,
plan 계획, claim 청구, HQ 본사, dealer 딜러, distributor 대리점. Some entries carry a message context in the
catalogue ("Closed" and "Cancelled": "campaign"; "Approved" and "Rejected": "plan" / "claim"); all but "Closed" take
the translations the other areas already give those words, which mean the same here."""

TRANSLATIONS: dict[str, str] = {
    # models and choices
    "Campaigns and marketing funds": "캠페인과 마케팅 지원금",
    "Closed": "마감됨",
    "Sales plan": "판매 계획",
    "Advertising plan": "광고 계획",
    "Withdrawn by the partner": "파트너가 철회함",
    "Approved, to be paid": "승인됨, 지급 대기",
    "Paid": "지급됨",
    "Bank transfer": "계좌 이체",
    "Credit note on the partner's account with HQ": "본사 거래 계정에 대변 전표로 입금",
    "offer": "혜택",
    "products": "제품",
    "starts on": "시작일",
    "ends on": "종료일",
    "opt in until": "참여 마감일",
    "budget": "예산",
    "withdrawn": "철회일",
    "activity starts": "활동 시작일",
    "activity ends": "활동 종료일",
    "amount requested": "요청 금액",
    "amount approved": "승인 금액",
    "HQ's note": "본사 메모",
    "claim by": "청구 기한",
    "held by claims": "청구로 묶인 금액",
    "accepted": "인정됨",
    "paid": "지급됨",
    "amount claimed": "청구 금액",
    "what was done": "실행 내용",
    "amount accepted": "인정 금액",
    "amount paid": "지급 금액",
    "paid on": "지급일",
    "paid by": "지급 방법",
    # forms
    "List %(count)s products at most.": "제품은 최대 %(count)s개까지 넣을 수 있습니다.",
    "No product has the SKU %(skus)s. Check the catalogue and correct it.":
        "SKU %(skus)s에 해당하는 제품이 없습니다. 카탈로그를 확인하고 고치세요.",
    "Offer": "혜택",
    "What partners get for taking part: discounts, bonuses, support.": "참여하는 파트너가 받는 것: 할인, 장려금, 지원 등.",
    "Products (SKUs)": "제품 (SKU)",
    "One SKU per line, or separated by commas. Their sales count as the campaign's results.":
        "한 줄에 SKU 하나, 또는 쉼표로 구분하세요. 이 제품들의 판매가 캠페인 실적으로 집계됩니다.",
    "Starts on": "시작일",
    "Ends on": "종료일",
    "Partners can join until": "참여 마감일",
    "Empty: until the campaign ends.": "비워 두면 캠페인이 끝날 때까지 참여할 수 있습니다.",
    "Budget": "예산",
    "In the portal's currency, for example 50,000,000.": "포털의 통화 단위로, 예: 50,000,000.",
    "None ticked: the whole country.": "선택하지 않으면 전국이 대상입니다.",
    "Empty: the file's name.": "비워 두면 파일 이름을 씁니다.",
    "File (PDF, Office document or picture, 20 MB at most)": "파일 (PDF, 오피스 문서 또는 사진, 최대 20MB)",
    "Kind of plan": "계획 종류",
    "What you will do": "실행 내용",
    "Where, how, for whom, and what you expect (sales, leads).": "어디서, 어떻게, 누구를 대상으로 하며 기대 효과(판매, 문의)는 무엇인지 적으세요.",
    "Activity starts": "활동 시작일",
    "Activity ends": "활동 종료일",
    "Amount you ask for": "요청 금액",
    "For the campaign": "연결할 캠페인",
    "No campaign": "캠페인 없음",
    "Attachments (quotes, drafts; 5 files, 20 MB each at most)": "첨부 파일 (견적서, 시안 등; 최대 5개, 각 20MB 이하)",
    "Amount you claim": "청구 금액",
    "What was done": "실행 내용",
    "With figures: ads run, visitors, leads, sales.": "수치와 함께: 광고 횟수, 방문자, 문의, 판매.",
    "Proof (invoices, photos, reports; 5 files, 20 MB each at most)": "증빙 (세금계산서, 사진, 보고서; 최대 5개, 각 20MB 이하)",
    "Amount approved": "승인 금액",
    "Claim by": "청구 기한",
    "Note to the partner": "파트너에게 남길 메모",
    "Why it is rejected (the partner reads it)": "거절 사유 (파트너에게 보입니다)",
    "Amount accepted": "인정 금액",
    "Empty: all of it.": "비워 두면 전액을 인정합니다.",
    "Amount paid": "지급 금액",
    "Paid on": "지급일",
    "Paid by": "지급 방법",
    "The transfer's reference, for the partner's books.": "파트너 장부에 쓸 이체 참조 번호.",
    # services: campaigns
    "Name at most %(count)s tiers.": "등급은 최대 %(count)s개까지 지정할 수 있습니다.",
    "Only a draft can be changed: this campaign is %(status)s.": "초안만 고칠 수 있습니다. 이 캠페인은 %(status)s 상태입니다.",
    "Choose regions from the list.": "목록에서 지역을 선택하세요.",
    "A campaign lists %(count)s products at most.": "캠페인에는 제품을 최대 %(count)s개까지 넣을 수 있습니다.",
    "Give the campaign a title.": "캠페인 제목을 입력하세요.",
    "Partners can't join after the campaign ends: choose %(end)s or earlier.":
        "캠페인이 끝난 뒤에는 참여할 수 없습니다. %(end)s 이전 날짜를 고르세요.",
    "This campaign is %(status)s: it can't be published.": "이 캠페인은 %(status)s 상태라서 게시할 수 없습니다.",
    "The campaign ended on %(day)s: move its dates before publishing it.":
        "캠페인이 %(day)s에 이미 끝났습니다. 게시하기 전에 기간을 옮기세요.",
    "Joining would already be closed (%(day)s): move that date before publishing.":
        "참여 마감일(%(day)s)이 이미 지났습니다. 게시하기 전에 그 날짜를 옮기세요.",
    "Only a published campaign can be closed.": "게시된 캠페인만 마감할 수 있습니다.",
    "A closed campaign can't be cancelled.": "마감된 캠페인은 취소할 수 없습니다.",
    "HQ cancelled the campaign %(title)s.": "본사가 %(title)s 캠페인을 취소했습니다.",
    "This campaign is %(status)s: its materials can't change.": "이 캠페인은 %(status)s 상태라서 자료를 바꿀 수 없습니다.",
    "Choose a file.": "파일을 선택하세요.",
    "A campaign holds %(count)s files at most: remove one first.": "캠페인 자료는 최대 %(count)s개입니다. 먼저 하나를 삭제하세요.",
    "Only dealers and distributors join campaigns.": "캠페인에는 딜러와 대리점만 참여할 수 있습니다.",
    "Only an active partner can join a campaign. Ask HQ about your account's status.":
        "활성 상태의 파트너만 캠페인에 참여할 수 있습니다. 계정 상태는 본사에 문의하세요.",
    "This campaign is not open to your organisation.": "이 캠페인은 귀사가 참여할 수 있는 캠페인이 아닙니다.",
    "Joining this campaign closed on %(day)s.": "이 캠페인의 참여 신청은 %(day)s에 마감되었습니다.",
    "Your organisation has not joined this campaign.": "귀사는 이 캠페인에 참여하지 않았습니다.",
    "The campaign started on %(day)s: it can no longer be left.": "캠페인이 %(day)s에 시작되어 이제 참여를 취소할 수 없습니다.",
    "A marketing fund plan of yours is tied to this campaign: withdraw that plan first.":
        "이 캠페인에 연결된 마케팅 지원금 계획이 있습니다. 먼저 그 계획을 철회하세요.",
    # services: input
    "Enter an amount in digits, for example 5,000,000 (at most two decimals).":
        "금액을 숫자로 입력하세요. 예: 5,000,000 (소수점 이하 두 자리까지).",
    "Enter an amount above zero in digits, for example 5,000,000 (at most two decimals).":
        "0보다 큰 금액을 숫자로 입력하세요. 예: 5,000,000 (소수점 이하 두 자리까지).",
    "Enter a date like 2027-05-31.": "2027-05-31 같은 형식으로 날짜를 입력하세요.",
    "The end date comes before the start date: it must be on or after %(start)s.":
        "종료일이 시작일보다 앞섭니다. %(start)s 이후 날짜여야 합니다.",
    "Keep the period to two years at most.": "기간은 최대 2년까지입니다.",
    "“%(name)s” is not a file we take: send a PDF, an Office document (Word, Excel, PowerPoint) or a picture "
    "(JPEG, PNG, WebP, GIF).":
        "“%(name)s”은(는) 받을 수 없는 파일입니다. PDF, 오피스 문서(워드, 엑셀, 파워포인트) 또는 사진(JPEG, PNG, "
        "WebP, GIF)을 보내세요.",
    "“%(name)s” is larger than 20 MB: send a smaller file.": "“%(name)s”은(는) 20MB가 넘습니다. 더 작은 파일을 보내세요.",
    "Attach %(count)s files at most.": "파일은 최대 %(count)s개까지 첨부할 수 있습니다.",
    # services: funds
    "Only dealers and distributors ask for marketing funds.": "마케팅 지원금은 딜러와 대리점만 신청할 수 있습니다.",
    "Only an active partner can ask for marketing funds. Ask HQ about your account's status.":
        "활성 상태의 파트너만 마케팅 지원금을 신청할 수 있습니다. 계정 상태는 본사에 문의하세요.",
    "Choose a sales plan or an advertising plan.": "판매 계획 또는 광고 계획을 선택하세요.",
    "Give the plan a title.": "계획 제목을 입력하세요.",
    "Describe the plan: what you will do, where, and what you expect.":
        "계획을 설명하세요. 무엇을, 어디서 하며 어떤 효과를 기대하는지 적으세요.",
    "This activity is already over: propose a plan before it ends.": "이미 끝난 활동입니다. 계획은 활동이 끝나기 전에 제안하세요.",
    "Link the plan to a running campaign your organisation joined, or to none.":
        "귀사가 참여 중인 진행 중 캠페인에 연결하거나, 캠페인 없이 제안하세요.",
    "%(partner)s asks for %(amount)s of marketing funds: %(title)s.":
        "%(partner)s이(가) 마케팅 지원금 %(amount)s을(를) 신청했습니다: %(title)s.",
    "This plan is not yours.": "귀사의 계획이 아닙니다.",
    "HQ has already decided on this plan: it can't be withdrawn.": "본사가 이미 결정한 계획이라 철회할 수 없습니다.",
    "%(partner)s withdrew its plan %(title)s.": "%(partner)s이(가) %(title)s 계획을 철회했습니다.",
    "Only an approved plan can be claimed: this one is %(status)s.": "승인된 계획만 청구할 수 있습니다. 이 계획은 %(status)s 상태입니다.",
    "Claim once the activity is over: from %(day)s.": "활동이 끝난 뒤 %(day)s부터 청구하세요.",
    "The deadline to claim this plan was %(day)s. Ask HQ if you need more time.":
        "이 계획의 청구 기한은 %(day)s였습니다. 기한 연장이 필요하면 본사에 문의하세요.",
    "You can claim at most %(left)s on this plan: %(approved)s approved, %(held)s taken by your claims waiting for "
    "HQ or accepted.":
        "이 계획으로 청구할 수 있는 금액은 최대 %(left)s입니다. 승인 %(approved)s 중 %(held)s은(는) 본사 검토 중이거나 "
        "인정된 청구에 쓰였습니다.",
    "The deadline to claim can be at most %(days)s days after the activity ends: on or before %(latest)s.":
        "청구 기한은 활동 종료 후 %(days)s일 이내여야 합니다. %(latest)s 또는 그 이전으로 정하세요.",
    "That amount is too large: enter less than %(largest)s.": "금액이 너무 큽니다. %(largest)s 미만으로 입력하세요.",
    "Say what was done, with figures (for example: 2 ads run, 40 leads, 12 sales).":
        "실행 내용을 수치와 함께 적으세요 (예: 광고 2회, 문의 40건, 판매 12대).",
    "That is more than this plan has left. Reload the page and try again.":
        "이 계획의 남은 금액을 넘습니다. 페이지를 새로 고친 뒤 다시 시도하세요.",
    "%(partner)s claims %(amount)s for %(title)s.": "%(partner)s이(가) %(title)s에 대해 %(amount)s을(를) 청구했습니다.",
    "This plan was already decided (%(status)s).": "이미 결정된 계획입니다 (%(status)s).",
    "Approve at most the %(requested)s asked for.": "요청한 %(requested)s 이하로 승인하세요.",
    "The deadline to claim must be on or after the activity's end (%(end)s) and not in the past.":
        "청구 기한은 활동 종료일(%(end)s) 이후여야 하고 지난 날짜일 수 없습니다.",
    "HQ approved %(amount)s of the %(requested)s you asked for %(title)s. Claim by %(deadline)s.":
        "본사가 %(title)s에 대해 요청하신 %(requested)s 중 %(amount)s을(를) 승인했습니다. %(deadline)s까지 청구하세요.",
    "HQ approved %(amount)s for %(title)s. Claim by %(deadline)s.":
        "본사가 %(title)s에 대해 %(amount)s을(를) 승인했습니다. %(deadline)s까지 청구하세요.",
    "Say why the plan is rejected; the partner reads it.": "계획을 거절하는 이유를 적으세요. 파트너에게 보입니다.",
    "HQ rejected your plan %(title)s: %(reason)s": "본사가 %(title)s 계획을 거절했습니다: %(reason)s",
    "This claim was already decided (%(status)s).": "이미 결정된 청구입니다 (%(status)s).",
    "Accept at most the %(claimed)s claimed.": "청구한 %(claimed)s 이하로 인정하세요.",
    "HQ accepted %(amount)s of your %(claimed)s claim for %(title)s.":
        "본사가 %(title)s에 대한 %(claimed)s 청구 중 %(amount)s을(를) 인정했습니다.",
    "Say why the claim is rejected; the partner reads it.": "청구를 거절하는 이유를 적으세요. 파트너에게 보입니다.",
    "HQ rejected your %(amount)s claim for %(title)s: %(reason)s":
        "본사가 %(title)s에 대한 %(amount)s 청구를 거절했습니다: %(reason)s",
    "This claim is paid in full already.": "이미 전액 지급된 청구입니다.",
    "Only an accepted claim can be paid: this one is %(status)s.": "인정된 청구만 지급할 수 있습니다. 이 청구는 %(status)s 상태입니다.",
    "Choose how it was paid.": "지급 방법을 선택하세요.",
    "Pay at most the %(left)s left on this claim.": "이 청구의 남은 금액 %(left)s 이하로 지급하세요.",
    "Record a payment once it is made: the date can't be in the future.": "지급한 뒤에 기록하세요. 미래 날짜는 쓸 수 없습니다.",
    "That date is before the plan was proposed.": "계획이 제안되기 전 날짜입니다.",
    "HQ paid %(amount)s on %(day)s for %(title)s.": "본사가 %(day)s에 %(title)s에 대해 %(amount)s을(를) 지급했습니다.",
    # notices
    "New campaign: %(title)s": "새 캠페인: %(title)s",
    # views
    "“%(title)s” is saved as a draft: add its materials, then publish it.":
        "“%(title)s”을(를) 초안으로 저장했습니다. 자료를 추가한 뒤 게시하세요.",
    "“%(title)s” is closed: no one can join any more.": "“%(title)s”을(를) 마감했습니다. 이제 참여할 수 없습니다.",
    "“%(title)s” is cancelled.": "“%(title)s”을(를) 취소했습니다.",
    "“%(title)s” is added.": "“%(title)s”을(를) 추가했습니다.",
    "“%(title)s” is removed.": "“%(title)s”을(를) 삭제했습니다.",
    "You joined “%(title)s”.": "“%(title)s”에 참여했습니다.",
    "You left “%(title)s”.": "“%(title)s” 참여를 취소했습니다.",
    "Your plan “%(title)s” is sent to HQ. You will be told of its decision.":
        "“%(title)s” 계획을 본사에 보냈습니다. 결정되면 알려 드립니다.",
    "Your claim is sent to HQ.": "청구를 본사에 보냈습니다.",
    "The plan is withdrawn.": "계획을 철회했습니다.",
    "The plan is approved; %(partner)s is told.": "계획을 승인했습니다. %(partner)s에 알렸습니다.",
    "The plan is rejected; %(partner)s is told why.": "계획을 거절했습니다. %(partner)s에 사유를 알렸습니다.",
    "The claim is accepted; the partner is told.": "청구를 인정했습니다. 파트너에게 알렸습니다.",
    "The claim is rejected; the partner is told why.": "청구를 거절했습니다. 파트너에게 사유를 알렸습니다.",
    "The payment is recorded; the partner is told.": "지급을 기록했습니다. 파트너에게 알렸습니다.",
    # navigation and pages
    "Marketing funds": "마케팅 지원금",
    "Accept the claim": "청구 인정",
    "Reject the claim": "청구 거절",
    "Left to pay: %(left)s.": "남은 지급액: %(left)s.",
    "Record the payment": "지급 기록",
    "Claim of %(amount)s": "%(amount)s 청구",
    "Accepted: %(amount)s · paid: %(paid)s": "인정: %(amount)s · 지급: %(paid)s",
    "HQ's note:": "본사 메모:",
    "Paid %(amount)s on %(day)s (%(method)s)": "%(day)s에 %(amount)s 지급 (%(method)s)",
    "No claim yet.": "아직 청구가 없습니다.",
    "Claimed": "청구",
    "Left to claim": "남은 청구 가능액",
    "Requested, waiting for HQ": "신청 후 본사 검토 대기",
    "Lapsed (not claimed by the deadline)": "기한 내 미청구로 소멸",
    "The deadline to claim passed on %(day)s.": "청구 기한이 %(day)s에 지났습니다.",
    "Joined": "참여 중",
    "Joined on": "참여일",
    "Open to join": "참여 가능",
    "Marketing funds approved: %(approved)s, %(left)s left to claim.":
        "승인된 마케팅 지원금: %(approved)s, 남은 청구 가능액 %(left)s.",
    "%(waiting)s waiting for HQ.": "%(waiting)s 본사 검토 대기.",
    "All campaigns": "모든 캠페인",
    "Our marketing funds": "우리 마케팅 지원금",
    "Running campaigns": "진행 중인 캠페인",
    "Plans to decide": "결정할 계획",
    "Claims to decide": "결정할 청구",
    "Claims to pay": "지급할 청구",
    "Plans and claims to decide": "결정할 계획과 청구",
    "Fund balances": "지원금 잔액",
    "Back to the campaign": "캠페인으로 돌아가기",
    "Preview: this is how partners see the campaign.": "미리 보기: 파트너에게는 캠페인이 이렇게 보입니다.",
    "Your organisation joined on %(day)s.": "귀사는 %(day)s에 참여했습니다.",
    "Leave this campaign?": "이 캠페인 참여를 취소할까요?",
    "Leave (possible until %(day)s)": "참여 취소 (%(day)s까지 가능)",
    "Propose a plan and ask for funds": "계획 제안과 지원금 신청",
    "Join this campaign": "이 캠페인에 참여",
    "You can join until %(day)s.": "%(day)s까지 참여할 수 있습니다.",
    "Joining is closed.": "참여 신청이 마감되었습니다.",
    "Your results so far": "지금까지의 실적",
    "bought in %(n)s order": "구매 주문 %(n)s건",
    "%(n)s customer order won": "고객 주문 %(n)s건 성사",
    "Your orders of the campaign's products in its period, once the supplier confirmed them, and the customer "
    "orders you won in the period.":
        "캠페인 기간에 주문하고 공급사가 확인한 캠페인 제품 주문과, 기간 중 성사한 고객 주문입니다.",
    "Your plans for this campaign": "이 캠페인에 대한 계획",
    "About the campaign": "캠페인 소개",
    "Products": "제품",
    "Materials": "자료",
    "HQ's campaigns for you: join one to take its offer; your sales of its products during the campaign count as "
    "its results.":
        "귀사를 위한 본사 캠페인입니다. 참여하면 혜택을 받을 수 있고, 캠페인 기간 중 해당 제품 판매가 실적으로 "
        "집계됩니다.",
    "Ended": "종료됨",
    "No campaign for you right now.": "지금은 참여할 수 있는 캠페인이 없습니다.",
    "Claim by %(day)s.": "%(day)s까지 청구하세요.",
    "HQ has not decided yet. You will be told.": "본사가 아직 결정하지 않았습니다. 결정되면 알려 드립니다.",
    "Withdraw this plan?": "이 계획을 철회할까요?",
    "Withdraw the plan": "계획 철회",
    "The plan": "계획 내용",
    "Claims": "청구",
    "Claim": "청구하기",
    "You can claim up to %(left)s.": "최대 %(left)s까지 청구할 수 있습니다.",
    "Claim once the activity is over, from %(day)s.": "활동이 끝난 뒤 %(day)s부터 청구할 수 있습니다.",
    "The deadline to claim has passed. Ask HQ if you need more time.": "청구 기한이 지났습니다. 기한 연장이 필요하면 본사에 문의하세요.",
    "Propose a plan": "계획 제안",
    "Send to HQ": "본사에 보내기",
    "Propose your own sales or advertising plan and ask HQ for funds. Once HQ approves it and the activity is over, "
    "claim what you spent, with proof, before the deadline.":
        "자체 판매·광고 계획을 제안하고 본사에 지원금을 신청하세요. 본사가 승인하고 활동이 끝나면 기한 안에 증빙과 "
        "함께 사용한 금액을 청구하세요.",
    "No plan yet.": "아직 계획이 없습니다.",
    "Period": "기간",
    "the campaign's end": "캠페인 종료일",
    "Every dealer and distributor": "모든 딜러와 대리점",
    "Partners it is for now": "현재 대상 파트너 수",
    "No product listed: every purchase of its product lines (or every purchase) counts.":
        "지정한 제품이 없어 대상 제품군의 모든 구매(제품군도 없으면 모든 구매)가 집계됩니다.",
    "Change the draft": "초안 수정",
    "Publish this campaign? The partners it is for are told at once, in the portal and by e-mail.":
        "이 캠페인을 게시할까요? 대상 파트너에게 포털과 이메일로 바로 알립니다.",
    "Close (no more joining)": "마감 (더 이상 참여 불가)",
    "Cancel this campaign? The partners that joined are told.": "이 캠페인을 취소할까요? 참여한 파트너에게 알립니다.",
    "Cancel the campaign": "캠페인 취소",
    "See it as partners do": "파트너 화면으로 보기",
    "%(recipients)s people: %(sent)s sent, %(failed)s failed, %(opted_out)s opted out.":
        "대상 %(recipients)s명: 발송 %(sent)s, 실패 %(failed)s, 수신 거부 %(opted_out)s.",
    "Remove": "삭제",
    "No file yet.": "아직 파일이 없습니다.",
    "Add the file": "파일 추가",
    "Participation and results": "참여와 실적",
    "Participants": "참여 파트너",
    "sales in %(n)s order": "매출 (주문 %(n)s건)",
    "sales ×%(ratio)s the budget": "매출이 예산의 %(ratio)s배",
    "marketing funds approved (%(paid)s paid); %(left)s of the budget left": "마케팅 지원금 승인액 (지급 %(paid)s), 남은 예산 %(left)s",
    "Sales: each participant's orders of the campaign's products placed in its period and confirmed by the "
    "supplier (not carts, cancelled orders or orders waiting for prepayment). Won: customer orders of its product "
    "lines the participant won in the period.":
        "매출: 참여 파트너가 캠페인 기간에 주문하고 공급사가 확인한 캠페인 제품 주문 (장바구니, 취소된 주문, 선결제 "
        "대기 주문 제외). 성사: 참여 파트너가 기간 중 성사한 해당 제품군의 고객 주문.",
    "Won orders": "성사 주문",
    "No partner has joined yet.": "아직 참여한 파트너가 없습니다.",
    "Marketing fund plans for this campaign": "이 캠페인의 마케팅 지원금 계획",
    "Plan": "계획",
    "Requested": "신청액",
    "New campaign": "새 캠페인",
    "Period and budget": "기간과 예산",
    "Save the draft": "초안 저장",
    "Every status": "모든 상태",
    "No campaign yet. Start with “New campaign”.": "아직 캠페인이 없습니다. “새 캠페인”으로 시작하세요.",
    "Plans": "계획",
    "Left to pay": "남은 지급액",
    "Decided by %(who)s, %(day)s": "%(who)s 결정, %(day)s",
    "Funds of %(name)s": "%(name)s의 지원금",
    "The campaign's budget is %(budget)s; %(approved)s is approved on its plans so far.":
        "캠페인 예산은 %(budget)s이며, 지금까지 이 캠페인의 계획에 %(approved)s이(가) 승인되었습니다.",
    "Approve all or part of what was asked. By default claims are due %(days)s day after the activity ends.":
        "요청액의 전부나 일부를 승인하세요. 기본 청구 기한은 활동 종료 %(days)s일 후입니다.",
    "Queue": "대기 목록",
    "Plans (%(n)s)": "계획 (%(n)s)",
    "Claims (%(n)s)": "청구 (%(n)s)",
    "To pay (%(n)s)": "지급 대기 (%(n)s)",
    "Nothing waits here.": "대기 중인 항목이 없습니다.",
    "Tier %(tier)s: a marketing fund share of %(share)s %% of the sales of the last %(days)s days (%(sales)s), that is %(entitled)s.": "%(tier)s 등급: 최근 %(days)s일 매출(%(sales)s)의 %(share)s%%를 마케팅 지원금으로 받을 수 있습니다. 즉 %(entitled)s입니다.",
    "Approved in that time: %(approved)s; left: %(left)s.": "그동안 승인된 금액: %(approved)s, 남은 금액: %(left)s.",
    "Leave (possible before %(day)s)": "참여 취소 (%(day)s 전까지 가능)",
    # the daily claim reminder
    "%(amount)s of the marketing funds for %(title)s is left to claim by %(deadline)s.":
        "%(title)s의 마케팅 지원금 중 %(amount)s을(를) %(deadline)s까지 청구할 수 있습니다.",
}
