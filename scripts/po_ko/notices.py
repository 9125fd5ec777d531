"""Korean for notices: HQ's notices pages, the notice e-mails, the unsubscribe page and e-mail preferences."""

TRANSLATIONS: dict[str, str] = {
    # what a notice is about, and where it stands
    "Notices": "알림 발송",
    "Campaigns": "캠페인",
    "Finding recipients": "받는 사람 찾는 중",
    "Sending": "보내는 중",
    "Sent": "보냄",
    "Opted out": "수신 거부",
    # HQ's pages
    "Notice": "알림",
    "Sent by": "보낸 곳",
    "Recipients": "받는 사람",
    "E-mails sent": "보낸 이메일",
    "Opted out of e-mail": "이메일 수신 거부",
    "Notices sent": "보낸 알림",
    "Details": "자세히",
    "What publishing an announcement or a campaign told the partners, in the portal and by e-mail.":
        "공지나 캠페인을 게시하며 파트너에게 포털과 이메일로 보낸 알림입니다.",
    "No notice yet. Publishing an announcement or a campaign sends one.":
        "아직 보낸 알림이 없습니다. 공지나 캠페인을 게시하면 알림이 나갑니다.",
    "Every recipient sees the notice in the portal; the counts are about the e-mail.":
        "받는 사람 모두 포털에서 알림을 봅니다. 위 숫자는 이메일 기준입니다.",
    "You can leave this page: sending goes on.": "이 화면을 떠나도 발송은 계속됩니다.",
    "What it links to": "연결된 화면",
    "Being tried again": "다시 보내는 중",
    "The mail server turned these away for now; they are sent again automatically.":
        "메일 서버가 잠시 받지 않은 이메일입니다. 자동으로 다시 보냅니다.",
    "Tries": "시도 횟수",
    "Last answer": "마지막 응답",
    "Failed e-mails": "보내지 못한 이메일",
    "A failed e-mail is not sent again: the address was refused, or the mail server kept turning it away. The "
    "person still sees the notice in the portal.":
        "보내지 못한 이메일은 다시 보내지 않습니다. 주소가 거부되었거나 메일 서버가 계속 받지 않았습니다. 받는 "
        "사람은 포털에서 알림을 볼 수 있습니다.",
    "%(recipients)s recipient: %(sent)s e-mailed, %(failed)s failed, %(opted_out)s opted out, %(pending)s "
    "waiting.":
        "받는 사람 %(recipients)s명: 이메일 %(sent)s건 보냄, %(failed)s건 실패, %(opted_out)s명 수신 거부, "
        "%(pending)s건 대기.",
    "Notices to partners": "파트너에게 보낸 알림",
    "All notices": "모든 알림",
    # why an e-mail failed (the mail server's own answers are shown as it gave them)
    "The e-mail address is not valid: correct it in the person's account.":
        "이메일 주소가 올바르지 않습니다. 해당 사용자의 계정에서 주소를 고치세요.",
    "The e-mail address has non-Latin letters before the @, which mail servers rarely accept (SMTPUTF8): ask the "
    "person for another address.":
        "이메일 주소의 @ 앞에 영문이 아닌 글자가 있어 대부분의 메일 서버가 받지 않습니다(SMTPUTF8). 다른 주소를 "
        "받으세요.",
    "The worker sending it stopped too many times; it is not tried again.":
        "보내던 작업자가 여러 번 멈춰 더 이상 보내지 않습니다.",
    # a partner's home page and the preferences page
    "You get no e-mail about: %(categories)s.": "이메일로 받지 않는 알림: %(categories)s.",
    "You get our notices by e-mail too.": "알림을 이메일로도 받고 있습니다.",
    "Choose e-mails": "이메일 선택",
    "E-mail notices": "이메일 알림",
    "Choose what we also tell you by e-mail. The portal's notifications always show everything.":
        "이메일로도 받을 알림을 고르세요. 포털의 알림에는 언제나 모든 알림이 표시됩니다.",
    "Your e-mail preferences are saved.": "이메일 알림 설정을 저장했습니다.",
    # the e-mail
    "Hello %(name)s,": "%(name)s님, 안녕하세요.",
    "Open in the partner portal": "파트너 포털에서 열기",
    "You receive this e-mail as a partner of %(site_name)s (%(category)s).":
        "%(site_name)s의 파트너로서 받는 이메일입니다 (%(category)s).",
    "Stop these e-mails": "이 이메일 그만 받기",
    "Stop these e-mails:": "이 이메일 그만 받기:",
    "E-mail preferences": "이메일 알림 설정",
    "All your e-mail preferences:": "이메일 알림 설정 전체:",
    # the unsubscribe page
    "Stop e-mails": "이메일 수신 거부",
    "Stop these e-mails?": "이 이메일을 그만 받을까요?",
    "%(email)s will no longer get e-mails about: %(category)s.":
        "%(email)s 주소로 다음 이메일을 더 이상 보내지 않습니다: %(category)s.",
    "The notices still appear in the portal.": "알림은 포털에서 계속 볼 수 있습니다.",
    "You won't get these e-mails any more": "이제 이 이메일을 받지 않습니다",
    "%(email)s gets no more e-mails about: %(category)s. E-mails already on their way have been stopped.":
        "%(email)s 주소로 다음 이메일을 더 이상 보내지 않습니다: %(category)s. 보내려던 이메일도 멈췄습니다.",
    "Changed your mind? Get them again": "마음이 바뀌셨나요? 다시 받기",
    "E-mails on again": "이메일을 다시 받습니다",
    "%(email)s will get e-mails about %(category)s again.": "%(email)s 주소로 %(category)s 이메일을 다시 보냅니다.",
    "Link not valid": "잘못된 링크",
    "This link is not valid": "이 링크는 쓸 수 없습니다",
    "The unsubscribe link is incomplete or was changed. Open it again from the e-mail (all of it, on one line), "
    "or log in and choose your e-mails under “E-mail notices”.":
        "수신 거부 링크가 잘렸거나 바뀌었습니다. 이메일에서 링크 전체를 다시 여시거나, 로그인한 뒤 "
        "“이메일 알림”에서 받을 이메일을 고르세요.",
    # a distributor's notice e-mail names the distributor
    "From %(sender)s": "보낸 곳: %(sender)s",
    "You receive this e-mail as a dealer supplied by %(sender)s, on the %(site_name)s partner portal "
    "(%(category)s).":
        "%(site_name)s 파트너 포털에서 %(sender)s의 공급을 받는 딜러로서 이 이메일을 받으셨습니다 "
        "(%(category)s).",
}
