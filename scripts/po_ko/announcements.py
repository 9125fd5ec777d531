"""Korean for announcements and the document library (partners' pages, HQ's and distributors' pages, services)."""

TRANSLATIONS: dict[str, str] = {
    # navigation and kinds
    "Announcements": "공지",
    "Documents": "자료실",
    "Post to dealers": "딜러 공지 작성",
    "New product": "신제품",
    "Price change": "가격 변경",
    "Bid": "입찰",
    "Policy": "정책",
    "General": "일반",
    "Document": "자료",
    "Scheduled": "예약됨",
    "Withdrawn": "게시 중단",
    "Brochure": "브로슈어",
    "Price sheet": "가격표",
    "Manual": "매뉴얼",
    "category": "분류",
    "Category": "분류",
    "must be read": "필독",
    "publish at": "게시 시각",
    "expires at": "만료 시각",
    "시/도 codes; empty: every region.": "시/도 코드. 비워 두면 모든 지역.",
    "regions": "지역",
    # the form
    "Must be read": "필독",
    "Pinned at the top of the partners' pages until they open it; HQ sees who has not.":
        "파트너가 열어 볼 때까지 페이지 맨 위에 고정되고, 본사는 누가 읽지 않았는지 볼 수 있습니다.",
    "Pinned at the top of the partners' home page until they open it; you see who has not.":
        "파트너가 열어 볼 때까지 홈 화면 맨 위에 고정되고, 누가 읽지 않았는지 볼 수 있습니다.",
    "Plain text. Line breaks are kept; web addresses become links.":
        "일반 텍스트입니다. 줄바꿈은 그대로 보이고, 웹 주소는 링크가 됩니다.",
    "Publish at": "게시 시각",
    "Expires at": "만료 시각",
    "Empty: as soon as you publish. A later time: it appears then, and partners are told then.":
        "비워 두면 게시하는 즉시 보입니다. 나중 시각을 넣으면 그때 보이고, 파트너에게도 그때 알립니다.",
    "Empty: stays until you withdraw it.": "비워 두면 게시를 중단할 때까지 보입니다.",
    "For regions": "대상 지역",
    "None ticked: every region.": "선택하지 않으면 모든 지역.",
    "Tier names separated by commas. Empty: every tier of your dealers.":
        "등급 이름을 쉼표로 구분해 입력하세요. 비워 두면 귀사 딜러의 모든 등급.",
    "Attach files": "파일 첨부",
    "PDF, pictures, Excel, Word or PowerPoint; 20 MB at most each, 10 files at most.":
        "PDF, 사진, 엑셀, 워드, 파워포인트. 파일당 20MB, 최대 10개까지.",
    "The files are": "첨부 파일 분류",
    "They are listed under this heading in the document library.": "자료실에서 이 분류로 보입니다.",
    "Remove files": "파일 삭제",
    "Title or product": "제목 또는 제품",
    "All documents": "모든 자료",
    # services
    "New announcement: %(title)s": "새 공지: %(title)s",
    "Please read: %(title)s": "필독 공지: %(title)s",
    "Choose regions (시/도) from the list.": "목록에서 지역(시/도)을 고르세요.",
    "Enter a date and time.": "날짜와 시각을 입력하세요.",
    "Enter a date between 2000 and 2100.": "2000년부터 2100년 사이의 날짜를 입력하세요.",
    "The expiry must come after the publishing time: change one of the two dates.":
        "만료 시각은 게시 시각보다 뒤여야 합니다. 두 날짜 중 하나를 고치세요.",
    "“%(name)s” is larger than 20 MB. Make it smaller or share it another way.":
        "“%(name)s” 파일이 20MB보다 큽니다. 크기를 줄이거나 다른 방법으로 공유하세요.",
    "“%(name)s” is not a PDF, a picture (JPEG, PNG, WebP, GIF) or an Office file (Excel, Word, PowerPoint).":
        "“%(name)s” 파일은 PDF, 사진(JPEG, PNG, WebP, GIF), 오피스 파일(엑셀, 워드, 파워포인트)이 아닙니다.",
    "This network has no HQ organisation yet.": "이 네트워크에는 아직 본사 조직이 없습니다.",
    "Only HQ and distributors write announcements.": "공지는 본사와 대리점만 작성할 수 있습니다.",
    "That announcement was deleted meanwhile, or is not yours. Reload the page.":
        "그사이 삭제되었거나 귀사의 공지가 아닙니다. 페이지를 새로 고치세요.",
    "A published or withdrawn announcement can't be changed. Withdraw it and post a new one.":
        "게시했거나 게시를 중단한 공지는 고칠 수 없습니다. 게시를 중단하고 새 공지를 올리세요.",
    "Choose what kind of announcement this is.": "공지 종류를 고르세요.",
    "A distributor's announcement goes to its own dealers only.": "대리점 공지는 자사 딜러에게만 보낼 수 있습니다.",
    "Choose what the files are.": "첨부 파일의 분류를 고르세요.",
    "A file to remove could not be read. Reload the page.": "삭제할 파일을 알 수 없습니다. 페이지를 새로 고치세요.",
    "The expiry has passed already: set a later one, or none.":
        "만료 시각이 이미 지났습니다. 더 나중 시각을 넣거나 비워 두세요.",
    "Give the announcement a title.": "공지 제목을 입력하세요.",
    "A file to remove belongs to another announcement. Reload the page.":
        "삭제할 파일이 다른 공지의 파일입니다. 페이지를 새로 고치세요.",
    "Attach at most %(count)s files.": "파일은 %(count)s개까지 첨부할 수 있습니다.",
    "A withdrawn announcement can't be published again. Post a new one.":
        "게시를 중단한 공지는 다시 게시할 수 없습니다. 새 공지를 올리세요.",
    "No active partner matches this audience. Widen it (fewer criteria) and publish again.":
        "이 대상에 맞는 활동 중인 파트너가 없습니다. 조건을 줄여 대상을 넓힌 뒤 다시 게시하세요.",
    "A draft is not published: delete it instead.": "초안은 게시된 적이 없습니다. 대신 삭제하세요.",
    "Only a draft can be deleted; withdraw a published announcement instead.":
        "초안만 삭제할 수 있습니다. 게시한 공지는 게시를 중단하세요.",
    "This announcement is not for your organisation.": "귀사를 대상으로 한 공지가 아닙니다.",
    # messages on the pages
    "“%(title)s” is saved. Publish it when it is ready.": "“%(title)s”을(를) 저장했습니다. 준비가 되면 게시하세요.",
    "“%(title)s” will be published on %(when)s; partners are told then.":
        "“%(title)s”은(는) %(when)s에 게시되고, 그때 파트너에게 알립니다.",
    "“%(title)s” is published: the partners it is for see it now and are being told.":
        "“%(title)s”을(를) 게시했습니다. 대상 파트너가 지금부터 볼 수 있고, 알림을 보내는 중입니다.",
    "“%(title)s” is withdrawn: partners no longer see it.":
        "“%(title)s”의 게시를 중단했습니다. 파트너에게 더 이상 보이지 않습니다.",
    "The draft “%(title)s” is deleted.": "초안 “%(title)s”을(를) 삭제했습니다.",
    "Business number": "사업자등록번호",
    # partners' pages
    "Must read": "필독",
    "No announcement for you right now.": "지금은 귀사에 온 공지가 없습니다.",
    "All announcements": "모든 공지",
    "Document library": "자료실",
    "News, price changes, bids and policies for your organisation. Those you must read stay at the top until you "
    "open them.":
        "귀사에 온 소식, 가격 변경, 입찰, 정책입니다. 필독 공지는 열어 볼 때까지 맨 위에 있습니다.",
    "Shown until %(day)s.": "%(day)s까지 게시됩니다.",
    "Files": "첨부 파일",
    "Thank you: HQ now sees that you have read this.": "감사합니다. 읽으셨다는 것이 본사에 전달되었습니다.",
    "No document matches “%(query)s”.": "“%(query)s”에 맞는 자료가 없습니다.",
    "No document for you yet.": "아직 귀사에 온 자료가 없습니다.",
    # HQ's and distributors' pages
    "Announcements to your dealers": "딜러에게 보낸 공지",
    "New announcement": "새 공지",
    "Partners who read it": "읽은 파트너",
    "People who read it": "읽은 사람",
    "%(n)s of %(total)s": "%(total)s 중 %(n)s",
    "No announcement yet. Start with “New announcement”.": "아직 공지가 없습니다. “새 공지”로 시작하세요.",
    "Read by: the partners with at least one person who opened it, and the people who opened it, among those it "
    "is for now (active partners matching its audience, and their active users).":
        "읽음 기준: 지금 대상인 파트너(대상 조건에 맞는 활동 중인 파트너)와 그 활성 사용자 가운데, 한 명이라도 "
        "열어 본 파트너와 열어 본 사람입니다.",
    "Your announcement goes to the dealers you supply (approved by HQ), and only to them.":
        "공지는 귀사가 공급하는 딜러(본사 승인)에게만 전달됩니다.",
    "Publish now": "지금 게시",
    "Publish at the time set": "정한 시각에 게시",
    "Delete this draft?": "이 초안을 삭제할까요?",
    "Withdraw": "게시 중단",
    "Withdraw this announcement? Partners will no longer see it.":
        "이 공지의 게시를 중단할까요? 파트너에게 더 이상 보이지 않습니다.",
    "Expired: partners no longer see it.": "만료됨: 파트너에게 더 이상 보이지 않습니다.",
    "Partners don't see it right now.": "지금은 파트너에게 보이지 않습니다.",
    "partners read it: %(n)s of %(total)s": "읽은 파트너: %(total)s 중 %(n)s",
    "people read it: %(n)s of %(total)s": "읽은 사람: %(total)s 중 %(n)s",
    "Published now, it would reach %(n)s partner.": "지금 게시하면 파트너 %(n)s곳에 전달됩니다.",
    "Every dealer you supply": "귀사가 공급하는 모든 딜러",
    "Every partner": "모든 파트너",
    "as soon as it is published": "게시하는 즉시",
    "never": "없음",
    "Written by": "작성",
    "Who has not read it yet": "아직 읽지 않은 곳",
    "People who have not read it (CSV)": "읽지 않은 사람 (CSV)",
    "Portal users": "포털 사용자",
    "none: nobody can read it": "없음: 읽을 사람이 없습니다",
    "Every partner it is for has read it.": "대상 파트너가 모두 읽었습니다.",
    # the "expired" state, and correcting a published announcement (nobody is told again)
    "Correct it": "정정하기",
    "Edited after publishing": "게시 후 수정",
    "Edited %(day)s": "%(day)s 수정됨",
    "%(criteria)s, among the dealers you supply": "귀사가 공급하는 딜러 중 %(criteria)s",
    "A withdrawn announcement can't be changed. Post a new one.":
        "게시 중단된 공지는 바꿀 수 없습니다. 새 공지를 올리세요.",
    "A withdrawn announcement can't be changed: partners no longer see it. Post a new one (“New announcement”) "
    "with the corrected text.":
        "게시 중단된 공지는 바꿀 수 없습니다. 파트너에게 더 이상 보이지 않습니다. 고친 내용으로 새 공지를 "
        "올리세요(“새 공지”).",
    "Once published, who an announcement is for, “must be read” and its publishing time can't change. Withdraw "
    "it and post a new one for that.":
        "게시된 공지는 대상, “필독” 여부, 게시 시각을 바꿀 수 없습니다. 바꾸려면 게시를 중단하고 새 공지를 "
        "올리세요.",
    "“%(title)s” is corrected. Partners see the new version; nobody is notified again.":
        "“%(title)s”을(를) 정정했습니다. 파트너에게 고친 내용이 보이며, 알림은 다시 보내지 않습니다.",
    "This announcement is published: you can correct its kind, title, text, files and expiry, and nobody is "
    "notified again (partners see that it was edited). Who it is for, “must be read” and the publishing time "
    "can't change once published: for that, withdraw it and post a new one.":
        "이미 게시된 공지입니다. 종류, 제목, 본문, 파일, 만료 시각은 고칠 수 있으며 알림은 다시 보내지 않습니다"
        "(파트너에게는 수정됨으로 표시됩니다). 대상, “필독” 여부, 게시 시각은 게시 후 바꿀 수 없습니다. "
        "바꾸려면 게시를 중단하고 새 공지를 올리세요.",
}
