"""Which column holds what: header synonyms, header-row detection and the automatic mapping."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ._i18n import gettext_noop
from .normalise import is_blank_row

# The fields the product knows, in the order the mapping screen shows them. Labels are English and marked
# for translation; Django translates them when it renders them.
FIELDS: Mapping[str, str] = MappingProxyType({
    "business_number": gettext_noop("Business registration number"),
    "name": gettext_noop("Company name"),
    "representative": gettext_noop("Owner"),
    "phone": gettext_noop("Phone"),
    "mobile": gettext_noop("Mobile"),
    "email": gettext_noop("E-mail"),
    "address": gettext_noop("Address"),
    "segment": gettext_noop("Segment"),
    "partner_since": gettext_noop("Partner since"),
    "monthly_sales": gettext_noop("Monthly sales (KRW)"),
})

# Columns that complete a field instead of filling one of their own. The address detail (주소2, 상세주소: the
# floor and unit) is appended to the address with a space. Kept out of FIELDS because a DealerRecord has no
# such attribute; it may appear in ParseResult.mapping and in a mapping a person chose.
AUXILIARY_FIELDS: Mapping[str, str] = MappingProxyType({
    "address_detail": gettext_noop("Address (detail)"),
})

# Labels of every key that ParseResult.mapping may hold, for showing "column -> field" pairs.
FIELD_LABELS: Mapping[str, str] = MappingProxyType({**FIELDS, **AUXILIARY_FIELDS})

# The order mappings are shown in: the fields, with the address detail right after the address.
FIELD_ORDER: tuple[str, ...] = tuple(
    f for fld in FIELDS for f in ((fld, "address_detail") if fld == "address" else (fld,))
)

# A row is only a dealer if it has both; a header is only a header if it names at least one of them.
KEY_FIELDS: tuple[str, ...] = ("business_number", "name")

# How people really title these columns, in Korean and English. Matching ignores case, spaces,
# punctuation and anything in brackets ("월평균매출(원)" == "월평균매출"), so only the words are listed.
SYNONYMS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "business_number": (
        "사업자번호", "사업자등록번호", "사업자 번호", "사업자 등록번호", "사업자등록 번호", "사업자no",
        "등록번호",
        "Business No", "Business number", "Business registration number", "Business registration no",
        "BRN", "Registration no", "Registration number", "Reg no", "Company registration number",
        "Tax ID", "Tax number",
    ),
    "name": (
        "상호", "상호명", "업체명", "회사명", "거래처명", "거래처", "업체", "대리점명", "대리점", "딜러명",
        "딜러", "법인명", "판매점명", "매장명", "가맹점명", "가맹점", "점포명", "점포",
        "Company", "Company name", "Dealer", "Dealer name", "Name", "Business name", "Account name",
        "Account", "Partner name", "Trade name", "Store name", "Shop name",
    ),
    "representative": (
        "대표자", "대표자명", "대표", "대표자 성명", "대표이사", "대표자이름", "사장", "대표 성함", "대표자 성함",
        "대표 성명", "대표자 이름", "점주", "점주명", "점주 성함",
        "Owner", "Owner name", "CEO", "Representative", "Representative name", "President",
    ),
    "phone": (
        "전화", "전화번호", "대표전화", "대표번호", "연락처", "유선전화", "사무실전화", "사무실 번호",
        "회사전화",
        "Phone", "Phone number", "Tel", "Tel no", "Telephone", "Office phone", "Main phone", "Landline",
    ),
    "mobile": (
        "휴대폰", "휴대전화", "핸드폰", "모바일", "휴대폰번호", "휴대전화번호", "핸드폰번호", "HP", "H.P",
        "Mobile", "Mobile phone", "Mobile number", "Cell", "Cell phone", "Cellphone",
    ),
    "email": (
        "이메일", "메일", "전자우편", "이메일주소", "메일주소", "전자메일", "전자우편주소", "E-mail 주소",
        "E-mail", "Email", "Email address", "E-mail address", "Mail", "Mail address",
    ),
    "address": (
        "주소", "사업장주소", "소재지", "사업장 소재지", "본점주소", "본사주소", "매장주소", "사업장 소재지 주소",
        "소재지 주소", "소재지주소", "주소지", "사업장 주소지", "도로명주소", "지번주소", "우편주소", "기본주소",
        "Address", "Business address", "Street address", "Office address", "Address line", "Mailing address",
        "Postal address",
    ),
    "segment": (
        "업종", "업태", "분야", "세그먼트", "거래처유형", "유형", "채널",
        "Segment", "Industry", "Vertical", "Channel", "Business type",
    ),
    "partner_since": (
        "거래시작일", "거래개시일", "등록일", "계약일", "거래시작", "등록일자", "계약일자", "거래개시일자",
        "거래시작일자", "가입일", "최초거래일", "최초 거래일", "최초거래일자", "첫거래일", "개시일", "개시일자",
        "Partner since", "Since", "Start date", "Contract date", "Registration date", "Registered",
        "Registered on", "Onboarded", "Customer since",
    ),
    "monthly_sales": (
        "월평균매출", "월매출", "매출", "월평균 매출액", "월매출액", "매출액", "월평균매출액",
        "Monthly sales", "Sales", "Monthly revenue", "Revenue", "Average monthly sales", "Avg monthly sales",
    ),
})

# Header words for the auxiliary fields (see AUXILIARY_FIELDS). "주소2" / "Address 2" need no entry: a
# numbered address column after the first is the detail (see match_header).
AUXILIARY_SYNONYMS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "address_detail": (
        "상세주소", "상세 주소", "주소상세", "주소 상세", "나머지주소", "나머지 주소", "세부주소", "상세",
        "Address detail", "Address details", "Detailed address", "Address line 2", "Suite",
    ),
})

# Synonyms that also name other things (the date a record was entered, a contact's phone, a person's name):
# they are used when nothing better is there, but lose to any other synonym of the same field.
WEAK_SYNONYMS: frozenset[str] = frozenset({
    "업체", "거래처", "대리점", "딜러", "가맹점", "점포", "Name", "Account",
    "대표", "사장",
    "연락처", "전화",
    "Mail", "메일",
    "등록번호", "Registration no", "Registration number", "Reg no",
    "등록일", "등록일자", "가입일", "개시일", "개시일자", "Since", "Registration date", "Registered", "Registered on",
    "유형", "채널", "Channel",
    "매출", "매출액", "Sales", "Revenue",
    "상세", "Suite",
})

# Headers that end like one of ours but mean something else: a contact person's name is not the company,
# the person in charge is not the owner. They are never mapped, not even by the "ends with" fallback.
NOT_OURS: frozenset[str] = frozenset({
    "담당자", "담당자명", "담당자연락처", "담당자전화", "담당자휴대폰", "담당자이메일", "담당자메일",
    "contactname", "contactperson", "contact", "salesrep", "salesperson", "username", "filename",
    "법인등록번호", "주민등록번호", "법인번호",
    "비고", "메모", "note", "notes", "remarks", "memo", "번호", "no", "순번", "seq",
})

# How many rows from the top may hold a title, notes, or blanks before the header.
HEADER_SEARCH_ROWS = 30

_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|<[^>]*>|\{[^}]*\}")
# "주소(1)", "주소 (2)": a bracketed single digit numbers the column and is kept ("주소1", "주소2").
_BRACKETED_DIGIT = re.compile(r"[(\[<{]\s*([1-9])\s*[)\]>}]")
# "주소1", "Address 2", "연락처1": a header whose words end in one digit after a non-digit.
_NUMBERED = re.compile(r"(.*\D)([1-9])")


def header_key(text: str) -> str:
    """The words of a header cell only: NFKC, case-folded, bracketed units and punctuation removed.

    NFKC first so that full-width letters and brackets typed with a Korean IME ("（원）") behave like ASCII.
    A bracketed single digit is kept as a plain digit: "주소(2)" is "주소2", the second address column.
    """
    s = unicodedata.normalize("NFKC", text).casefold()
    if "(" in s or "[" in s or "<" in s or "{" in s:
        s = _BRACKETED_DIGIT.sub(r"\1", s)
        s = _BRACKETED.sub("", s)
    return "".join(ch for ch in s if ch.isalnum())


# How strongly a header names its field; when two columns name the same field the stronger one is used.
STRONG = 3  # an exact synonym
WEAK = 2  # an exact synonym from WEAK_SYNONYMS, or a numbered one ("주소1")
LOOSE = 1  # only the end of the header matches a synonym ("거래처 대표 휴대폰")

_EXACT: dict[str, tuple[str, int]] = {}
for _field, _words in (*SYNONYMS.items(), *AUXILIARY_SYNONYMS.items()):
    for _word in _words:
        _EXACT.setdefault(header_key(_word), (_field, WEAK if _word in WEAK_SYNONYMS else STRONG))
# Longest first so that "대표전화" is tried before "전화" (and "상세주소" before "주소") in the ends-with
# fallback. Weak auxiliary words are left out: "거래처 상세" is not an address detail.
_SUFFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(((key, fld) for key, (fld, strength) in _EXACT.items()
            if len(key) >= 2 and (fld in FIELDS or strength == STRONG)),
           key=lambda kv: -len(kv[0]))
)


def _names_mail(key: str) -> bool:
    """True when a header talks about e-mail: "E-Mail 주소" is an e-mail column, though it ends in 주소.

    "Mailing address" and 우편 (post) are postal; "메일", "email" and "전자우편" are not.
    """
    return "메일" in key or "email" in key or "전자우편" in key or ("mail" in key and "mailing" not in key)


def _match_key(key: str) -> tuple[str | None, int]:
    if not key or key in NOT_OURS:
        return None, 0
    found = _EXACT.get(key)
    if found:
        return found
    numbered = _NUMBERED.fullmatch(key)
    if numbered:
        base, strength = _match_key(numbered.group(1))
        strength = min(strength, WEAK)  # never stronger than the same words without the number
        if base is None:
            return None, 0
        if numbered.group(2) == "1":
            return (base, strength) if base != "address_detail" else (None, 0)
        if numbered.group(2) == "2" and base == "address":
            return "address_detail", strength  # "주소2", "Address 2", "Address line 2"
        return None, 0  # "전화2": a second phone, which has nowhere to go
    if len(key) > 40:  # a sentence (a title or a note), not a column header
        return None, 0
    for suffix, fld in _SUFFIXES:
        if key.endswith(suffix):
            return fld, LOOSE
    return None, 0


def match_header_strength(text: str) -> tuple[str | None, int]:
    """(field, strength) for one header cell, or (None, 0); strength is STRONG, WEAK or LOOSE.

    Exact synonyms first; then a numbered header ("주소1" is the address, "주소2" its detail); otherwise the
    longest synonym the header *ends* with, because both Korean and English put the head noun last
    ("대표자 휴대폰" is a mobile number, "Dealer company name" a name). A header that talks about e-mail is
    the e-mail column even when it ends in 주소 or address ("E-Mail 주소").
    """
    key = header_key(text)
    fld, strength = _match_key(key)
    if fld == "address" and _names_mail(key):
        return "email", strength
    return fld, strength


def match_header(text: str) -> tuple[str | None, bool]:
    """(field, exact) for one header cell, or (None, False); see match_header_strength."""
    fld, strength = match_header_strength(text)
    return fld, strength >= WEAK


@dataclass(frozen=True)
class HeaderGuess:
    """The best header row of one table and the mapping it implies."""

    index: int  # 0-based index into the table's rows
    score: float
    mapping: dict[str, int]


def mapping_for_row(cells: Sequence[Any]) -> tuple[float, dict[str, int]]:
    """Score one row as a header and map fields to its columns.

    An exact synonym counts 1 and a fallback match 0.5, so a real header beats a note that happens to end
    in "주소". When two columns name the same field the stronger match wins (STRONG, WEAK, LOOSE), then the
    more specific header (the longer one: "사업장 소재지 주소" over "주소", "대표전화" over "전화"), then the
    first column; the other column is left unmapped (ParseResult.ignored_columns lists it).
    """
    best: dict[str, tuple[int, int, int]] = {}  # field -> (strength, length of the header's words, -column)
    for col, cell in enumerate(cells):
        if not isinstance(cell, str) or not cell.strip():
            continue  # headers are text; numbers and dates are data
        fld, strength = match_header_strength(cell)
        if fld is None:
            continue
        rank = (strength, len(header_key(cell)), -col)
        if fld not in best or rank > best[fld]:
            best[fld] = rank
    score = sum(1.0 if strength >= WEAK else 0.5 for strength, _length, _col in best.values())
    # Order the mapping like FIELDS so that it reads naturally wherever it is shown.
    return score, {f: -best[f][2] for f in FIELD_ORDER if f in best}


def find_header(rows: Sequence[Sequence[Any]]) -> HeaderGuess | None:
    """The row among the first non-blank ones that looks most like a dealer-list header.

    A row qualifies only if it names a business-number or a company-name column; the highest score wins
    and the earliest row wins a tie (a repeated header further down is data, not the header).
    """
    best: HeaderGuess | None = None
    seen = 0
    for index, cells in enumerate(rows):
        if seen >= HEADER_SEARCH_ROWS:
            break
        if is_blank_row(cells):
            continue  # blank rows do not use up the search window
        seen += 1
        score, mapping = mapping_for_row(cells)
        if not any(k in mapping for k in KEY_FIELDS):
            continue
        if best is None or score > best.score:
            best = HeaderGuess(index=index, score=score, mapping=mapping)
    return best


_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")


def is_english_header(headers: Sequence[str]) -> bool:
    """True when no header cell holds Hangul: used to default ambiguous dates to month/day/year."""
    return not any(_HANGUL.search(h) for h in headers)


def sales_multiplier(header: str) -> int:
    """How many won one unit of the sales column is worth, read from its header: "매출(천원)" -> 1000."""
    h = unicodedata.normalize("NFKC", header).casefold().replace(" ", "")
    if "백만원" in h or "millionkrw" in h or "krwmillion" in h or "krwmn" in h:
        return 1_000_000
    if "천원" in h or "thousandkrw" in h or "krw000" in h or "krwthousand" in h or "'000" in h:
        return 1_000
    if "만원" in h:
        return 10_000
    return 1
