"""Korean for the activity log (the verbs shown in the data mart and the admin)."""

TRANSLATIONS: dict[str, str] = {
    "signed in": "로그인함",
    "accepted an offer": "배정을 수락함",
    "declined an offer": "배정을 거절함",
    "placed an order": "주문함",
    "passed a course": "교육을 수료함",
    "read an announcement": "공지를 읽음",
    "joined a campaign": "캠페인에 참여함",
    "registered a deal": "영업 기회를 등록함",
    "uploaded a dealer list": "딜러 목록을 업로드함",
    "activities": "활동",
}
