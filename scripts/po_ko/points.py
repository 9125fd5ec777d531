"""Korean for the points ledger: the partner's points pages, HQ's balances, redemptions, rules and reward
catalogue, and the ledger's services and models. Two entries carry a message context in the catalogue: "Points"
(msgctxt "mileage"; the plain "Points" is the routing score's) and "Rejected" (msgctxt "redemption")."""

TRANSLATIONS: dict[str, str] = {
    # models and choices
    "Points": "포인트",
    "Rejected": "거절됨",
    "Course passed": "교육 과정 이수",
    "Order delivered": "주문 배송 완료",
    "Campaign joined": "캠페인 참여",
    "Customer order won": "고객 주문 성사",
    "event": "이벤트",
    "fixed points": "고정 포인트",
    "points per KRW 10,000": "1만 원당 포인트",
    "expires after (months)": "유효 기간 (개월)",
    "0: the points never expire.": "0: 포인트가 소멸되지 않습니다.",
    "Earned": "적립",
    "Redeemed": "사용",
    "Expired": "소멸",
    "Returned": "반환",
    "Correction": "정정",
    "Goods": "상품",
    "points": "포인트",
    "credit note amount (KRW)": "차감 전표 금액 (원)",
    "stock": "재고",
    "Empty: no limit.": "비워 두면 제한이 없습니다.",
    "expires on": "소멸일",
    # services
    "Points expired": "포인트 소멸",
    "Redemption cancelled": "교환 신청 취소",
    "Keep it to %(most)s characters (this is %(length)s).": "%(most)s자 이내로 입력하세요 (지금 %(length)s자).",
    "Unknown points event %(event)s.": "알 수 없는 포인트 이벤트입니다: %(event)s.",
    "Say what earned the points (e.g. purchase:123).": "무엇으로 포인트를 적립했는지 적으세요 (예: purchase:123).",
    "This partner no longer exists.": "더 이상 존재하지 않는 파트너입니다.",
    "Enter a whole number of points.": "포인트를 정수로 입력하세요.",
    "Enter a number of points other than zero, at most %(most)s either way.":
        "0이 아닌 포인트를 입력하세요. 더하거나 빼는 양은 최대 %(most)s입니다.",
    "Say why the points are corrected; the partner sees it.": "포인트를 정정하는 사유를 적으세요. 파트너에게 보입니다.",
    "Only dealers and distributors collect points.": "포인트는 딜러와 대리점만 적립합니다.",
    "That takes away more than the partner has (%(balance)s points).":
        "파트너가 가진 포인트(%(balance)s)보다 많이 뺄 수 없습니다.",
    "HQ corrected your points by %(points)s: %(reason)s": "본사가 포인트를 %(points)s만큼 정정했습니다: %(reason)s",
    "Enter a quantity between 1 and %(most)s.": "수량을 1에서 %(most)s 사이로 입력하세요.",
    "Only dealers and distributors redeem points.": "포인트는 딜러와 대리점만 교환할 수 있습니다.",
    "Only an active partner can redeem points. Ask HQ about your account's status.":
        "활성 파트너만 포인트를 교환할 수 있습니다. 계정 상태는 본사에 문의하세요.",
    "This reward is no longer offered; choose another from the catalogue.":
        "더 이상 제공하지 않는 리워드입니다. 목록에서 다른 리워드를 고르세요.",
    "Only %(left)s of %(reward)s are left.": "%(reward)s은(는) %(left)s개만 남았습니다.",
    "That costs %(cost)s points and you have %(balance)s.":
        "필요한 포인트는 %(cost)s이고 보유 포인트는 %(balance)s입니다.",
    "This reward has no credit note amount yet; choose another from the catalogue.":
        "이 리워드에는 아직 차감 전표 금액이 없습니다. 목록에서 다른 리워드를 고르세요.",
    "%(partner)s asks to redeem %(points)s points for %(reward)s.":
        "%(partner)s이(가) %(points)s 포인트로 %(reward)s 교환을 신청했습니다.",
    "This redemption was already decided (%(status)s).": "이미 처리된 교환 신청입니다 (%(status)s).",
    "This portal has no HQ organisation to issue the credit note.":
        "이 포털에는 차감 전표를 발행할 본사 조직이 없습니다.",
    "This credit-note reward has no amount; set one in the catalogue first.":
        "이 차감 전표 리워드에는 금액이 없습니다. 먼저 리워드 목록에서 금액을 정하세요.",
    "HQ approved your redemption of %(points)s points for %(reward)s.":
        "본사가 %(points)s 포인트의 %(reward)s 교환을 승인했습니다.",
    "Say why the redemption is rejected; the partner sees it.": "교환을 거절하는 사유를 적으세요. 파트너에게 보입니다.",
    "HQ rejected your redemption for %(reward)s (%(reason)s); your %(points)s points are back.":
        "본사가 %(reward)s 교환을 거절했습니다 (%(reason)s). %(points)s 포인트가 돌아왔습니다.",
    "Only the partner that asked for this redemption can cancel it.": "교환을 신청한 파트너만 취소할 수 있습니다.",
    "%(points)s of your points expired today.": "오늘 %(points)s 포인트가 소멸되었습니다.",
    "%(points)s of your points expire on %(date)s unless you redeem them first.":
        "%(date)s에 %(points)s 포인트가 소멸됩니다. 그 전에 교환하세요.",
    "%(points)s of your points expire between %(date)s and %(until)s unless you redeem them first.":
        "%(date)s부터 %(until)s까지 %(points)s 포인트가 소멸됩니다. 그 전에 교환하세요.",
    "Enter a whole number from %(least)s to %(most)s.": "%(least)s에서 %(most)s 사이의 정수를 입력하세요.",
    "Choose one of the listed events.": "목록의 이벤트 중 하나를 고르세요.",
    "An active rule must give some points: set fixed points, points per KRW 10,000, or both.":
        "활성 규칙은 포인트를 주어야 합니다. 고정 포인트나 1만 원당 포인트, 또는 둘 다 정하세요.",
    "Enter the credit note's amount in whole won, from 1 to %(most)s.":
        "차감 전표 금액을 1원에서 %(most)s원 사이의 원 단위로 입력하세요.",
    "Choose goods or a credit note.": "상품 또는 차감 전표를 고르세요.",
    "Name the reward as partners will see it.": "파트너에게 보일 리워드 이름을 적으세요.",
    "This reward no longer exists.": "더 이상 존재하지 않는 리워드입니다.",
    "Partners have redeemed this reward, so it stays in their history: make it inactive instead.":
        "파트너가 교환한 리워드라 내역에 남아야 합니다. 삭제하는 대신 비활성으로 바꾸세요.",
    # forms
    "Positive to add, negative (e.g. -500) to take away.": "더하려면 양수, 빼려면 음수(예: -500)를 입력하세요.",
    "The partner sees it.": "파트너에게 보입니다.",
    "Partner name or business number": "파트너 이름 또는 사업자등록번호",
    "Fixed points": "고정 포인트",
    "Points per KRW 10,000": "1만 원당 포인트",
    "Of the order's total or the won order's value.": "주문 합계 또는 성사된 고객 주문 금액 기준입니다.",
    "Expires after (months)": "유효 기간 (개월)",
    "Description": "설명",
    "Shown in the partner's history beside the points.": "파트너의 포인트 내역에 함께 표시됩니다.",
    "Credit note amount (KRW)": "차감 전표 금액 (원)",
    "For a credit note only: credited to the partner's account with HQ when HQ approves.":
        "차감 전표일 때만 입력합니다. 본사가 승인하면 파트너의 본사 거래 계정에 이 금액이 차감 전표로 들어갑니다.",
    "How many are left to redeem. Empty: no limit.": "교환할 수 있는 남은 수량입니다. 비워 두면 제한이 없습니다.",
    "Offered to partners": "파트너에게 제공",
    "A credit note needs its amount.": "차감 전표에는 금액이 필요합니다.",
    # views
    "%(reward)s: %(problem)s": "%(reward)s: %(problem)s",
    "You asked for %(reward)s × %(quantity)s. The points are set aside until HQ decides.":
        "%(reward)s × %(quantity)s 교환을 신청했습니다. 본사가 처리할 때까지 포인트를 따로 잡아 둡니다.",
    "Your redemption is cancelled and its points are back.": "교환 신청을 취소했고 포인트가 돌아왔습니다.",
    "Only an HQ admin corrects points.": "포인트 정정은 본사 관리자만 할 수 있습니다.",
    "%(name)s: %(points)s points recorded.": "%(name)s: %(points)s 포인트를 기록했습니다.",
    "Your role can't decide redemptions.": "현재 역할로는 교환 신청을 처리할 수 없습니다.",
    "Approved: a credit note is on %(name)s's account.": "승인했습니다. %(name)s의 계정에 차감 전표가 들어갔습니다.",
    "Approved: send %(reward)s × %(quantity)s to %(name)s.":
        "승인했습니다. %(name)s에 %(reward)s × %(quantity)s을(를) 보내세요.",
    "Rejected: %(points)s points are back with %(name)s.": "거절했습니다. %(points)s 포인트가 %(name)s에 돌아갔습니다.",
    "Choose to approve or to reject the redemption.": "교환 신청을 승인할지 거절할지 고르세요.",
    "Only an HQ admin changes the points rules.": "포인트 규칙은 본사 관리자만 바꿀 수 있습니다.",
    "The rule for “%(event)s” is saved.": "“%(event)s” 규칙을 저장했습니다.",
    "Your role can't change the reward catalogue.": "현재 역할로는 리워드 목록을 바꿀 수 없습니다.",
    "“%(name)s” is removed from the catalogue.": "“%(name)s”을(를) 리워드 목록에서 뺐습니다.",
    "“%(name)s” is saved.": "“%(name)s”을(를) 저장했습니다.",
    # the home page's box
    "points to spend": "사용 가능 포인트",
    "%(points)s expire on %(day)s: redeem them before then.":
        "%(day)s에 %(points)s 포인트가 소멸됩니다. 그 전에 교환하세요.",
    "%(points)s expire between %(day)s and %(last)s: redeem them before then.":
        "%(day)s부터 %(last)s까지 %(points)s 포인트가 소멸됩니다. 그 전에 교환하세요.",
    "Rewards and points history": "리워드와 포인트 내역",
    # partner pages
    "Points to spend": "사용 가능 포인트",
    "Expiring in the next %(days)s day": "앞으로 %(days)s일 안에 소멸",
    "<strong>%(points)s</strong> on %(day)s": "%(day)s <strong>%(points)s</strong>",
    "The points that expire soonest are used first when you redeem.":
        "교환할 때는 소멸일이 가장 가까운 포인트부터 사용됩니다.",
    "a credit note of %(amount)s on your account": "귀사 계정에 %(amount)s 차감 전표",
    "%(left)s left": "%(left)s개 남음",
    "%(points)s points": "%(points)s 포인트",
    "Redeem": "교환",
    "None left for now.": "지금은 남은 수량이 없습니다.",
    "%(points)s more points needed.": "%(points)s 포인트가 더 필요합니다.",
    "HQ offers no rewards yet.": "본사가 제공하는 리워드가 아직 없습니다.",
    "No redemption is waiting for HQ.": "본사 처리를 기다리는 교환 신청이 없습니다.",
    "All our redemptions": "교환 신청 전체",
    "Latest points": "최근 포인트",
    "Full points history": "포인트 내역 전체",
    "Points history": "포인트 내역",
    "Balance: <strong>%(points)s</strong> points": "잔여: <strong>%(points)s</strong> 포인트",
    "Our redemptions": "교환 신청 내역",
    "No redemptions yet.": "아직 교환 신청이 없습니다.",
    "Reward": "리워드",
    "expires %(day)s": "%(day)s 소멸",
    "No points yet.": "아직 포인트가 없습니다.",
    # HQ pages
    "Balances": "잔여 포인트",
    "Redemptions": "교환 신청",
    "Points rules": "포인트 규칙",
    "Reward catalogue": "리워드 목록",
    "Partner points": "파트너 포인트",
    "No partner matches.": "일치하는 파트너가 없습니다.",
    "Points of %(name)s": "%(name)s 포인트",
    "Correct the points": "포인트 정정",
    "Record the correction": "정정 기록",
    "Ledger": "포인트 원장",
    "credit note of %(amount)s": "차감 전표 %(amount)s",
    "Why it is rejected (the partner sees it)": "거절 사유 (파트너에게 보임)",
    "No redemption is waiting for a decision.": "처리를 기다리는 교환 신청이 없습니다.",
    "No redemptions.": "교환 신청이 없습니다.",
    "Each event earns its fixed points plus so many for each whole KRW 10,000 of its amount. A change applies to "
    "points earned from now on; points already earned keep their number and expiry date.":
        "각 이벤트는 고정 포인트에 금액 1만 원마다 정한 포인트를 더해 적립합니다. 바꾼 규칙은 이후 적립분부터 "
        "적용되며, 이미 적립된 포인트의 수와 소멸일은 그대로입니다.",
    "Off": "꺼짐",
    "New reward": "새 리워드",
    "Not offered": "제공 안 함",
    "no limit": "제한 없음",
    "No rewards yet.": "아직 리워드가 없습니다.",
    "Change “%(name)s”": "“%(name)s” 수정",
    "Partners have redeemed this reward, so it stays in their history: to stop offering it, untick “Offered to "
    "partners”.":
        "파트너가 교환한 리워드라 내역에 남아야 합니다. 더 제공하지 않으려면 “파트너에게 제공” 선택을 해제하세요.",
    "Remove from the catalogue": "리워드 목록에서 삭제",
}
