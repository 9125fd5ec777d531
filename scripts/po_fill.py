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
}


def main() -> int:
    po = polib.pofile("locale/ko/LC_MESSAGES/django.po")
    for entry in po:
        if entry.msgid in TRANSLATIONS and (not entry.msgstr or "fuzzy" in entry.flags):
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
