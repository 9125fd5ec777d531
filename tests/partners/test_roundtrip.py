"""A dealer list survives the round trip: import it, export the distributor's dealers (CSV and XLSX, in each
language the product speaks), import each export again, and nothing changes.

Property test (hypothesis): the lists are generated (valid business numbers with their check digit, names in
Hangul / Latin / digits, some in NFD as macOS writes them, Korean phone numbers, real addresses, every way of
naming a segment, dates in the formats Korean offices write), written as UTF-8 with a BOM, CP949 or XLSX.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import string
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from partners import exports
from partners.choices import OrgKind, Role
from partners.importing import read_dealer_table
from partners.models import Membership, Organization
from partners.selectors import dealer_visible_to
from partners.services.dealer_lists import ImportReport, dealer_list_apply
from prm.core.actor import Actor
from prm.core.regions import resolve_address
from tests import factories

LANGUAGES = ("ko", "en")  # settings.LANGUAGES: a distributor's user exports in either

ADDRESSES = (
    "서울특별시 강남구 테헤란로 152",
    "부산광역시 해운대구 센텀중앙로 79",
    "경기도 성남시 분당구 판교역로 235",
    "인천광역시 연수구 송도과학로 32",
    "대구광역시 중구 동덕로 130",
    "광주광역시 북구 용봉로 77",
    "대전광역시 유성구 대학로 291",
    "제주특별자치도 제주시 첨단로 242",
)

# How distributors write a segment -> the code the import stores (partners/importing/normalise.py).
SEGMENT_WORDS = (
    ("소매", "retail"), ("일반소매", "retail"), ("Retail", "retail"), ("retail", "retail"),
    ("기업납품", "corporate"), ("B2B", "corporate"), ("Corporate", "corporate"),
    ("관공서", "government"), ("조달", "government"), ("Public sector", "government"),
    ("교육기관", "education"), ("학교", "education"), ("Education", "education"),
    ("의료기관", "healthcare"), ("병원", "healthcare"), ("Medical", "healthcare"),
    ("설치·AS 전문", "installation"), ("시공", "installation"), ("Installation & service", "installation"),
    ("온라인몰", "online"), ("쇼핑몰", "online"), ("E-commerce", "online"),
)

# The importable columns, by field, as a distributor's own file would title them.
HEADERS = {
    "ko": {"business_number": "사업자등록번호", "name": "상호", "representative": "대표자", "phone": "전화번호",
           "mobile": "휴대폰", "email": "이메일", "address": "주소", "segment": "업종",
           "partner_since": "거래시작일"},
    "en": {"business_number": "Business No", "name": "Company name", "representative": "Owner",
           "phone": "Tel", "mobile": "Mobile", "email": "Email", "address": "Address", "segment": "Segment",
           "partner_since": "Partner since"},
}
FIELDS = tuple(HEADERS["ko"])

# What an Organization keeps of a list, compared before and after the round trip.
STORED = ("name", "representative", "phone", "mobile", "email", "address", "segments", "partner_since",
          "sido", "sigungu", "region_code")

DATE_FORMATS = ("%Y-%m-%d", "%Y.%m.%d", "%Y/%m/%d", "%Y%m%d", "%Y. %m. %d.", "%Y년 %m월 %d일")


# --- the generated list -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    business_number: str  # 10 digits with a correct check digit
    brn_dashed: bool  # written 123-45-67890
    brn_as_number: bool  # an XLSX number cell, as Excel stores a number typed in
    name: str  # NFC as generated; written NFD when ``nfd``
    nfd: bool
    representative: str
    phone: str  # 02-123-4567
    mobile: str  # 010-1234-5678
    phone_as_number: bool  # an XLSX number cell: Excel drops the leading 0
    email: str
    address: str
    segment_word: str
    segment: str
    since: dt.date
    since_format: str  # a strftime format, or "" for an XLSX date cell


def _kr_valid(number: str) -> bool:
    import phonenumbers

    return phonenumbers.is_valid_number(phonenumbers.parse(number, "KR"))


@st.composite
def business_numbers(draw: st.DrawFn) -> str:
    office = draw(st.integers(101, 999))
    # Business type 81 is what tests/factories.py gives distributors: never reuse it, so no generated dealer
    # can collide with the distributor of the example.
    kind = draw(st.integers(1, 99).filter(lambda k: k != 81))
    serial = draw(st.integers(1, 9999))
    nine = f"{office:03d}{kind:02d}{serial:04d}"
    return nine + str(factories.brn_check_digit(nine))


_hangul = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
_latin = st.sampled_from(string.ascii_letters)
_digit = st.sampled_from(string.digits)
_word = st.one_of(
    st.text(_hangul, min_size=1, max_size=6),
    st.text(_latin, min_size=1, max_size=8),
    st.text(_digit, min_size=1, max_size=4),
    st.text(st.one_of(_hangul, _latin, _digit), min_size=1, max_size=8),
)
_gap = st.sampled_from([" ", " ", " ", "  ", "\u3000"])  # the ideographic space a Korean IME types


@st.composite
def company_names(draw: st.DrawFn) -> str:
    words = draw(st.lists(_word, min_size=1, max_size=4))
    text = words[0]
    for word in words[1:]:
        text += draw(_gap) + word
    affix = draw(st.sampled_from(["", "", "", "(주)", "㈜", " & Co.", ", Inc.", " 주식회사"]))
    text = affix + text if affix in ("(주)", "㈜") else text + affix
    pad = draw(st.sampled_from(["", "", " ", "  "]))
    return pad + text + pad


_surnames = st.sampled_from(["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "남궁", "황보"])
representatives = st.one_of(
    st.builds(lambda s, g: s + g, _surnames, st.text(_hangul, min_size=1, max_size=2)),
    st.builds(lambda f, last: f"{f.title()} {last.title()}",
              st.text(st.sampled_from(string.ascii_lowercase), min_size=2, max_size=8),
              st.text(st.sampled_from(string.ascii_lowercase), min_size=2, max_size=8)),
)


@st.composite
def landlines(draw: st.DrawFn) -> str:
    area = draw(st.sampled_from(["02", "031", "032", "051", "053", "062", "064"]))
    size = draw(st.sampled_from([3, 4]))
    middle = str(draw(st.integers(2, 9))) + "".join(draw(st.lists(_digit, min_size=size - 1, max_size=size - 1)))
    last = "".join(draw(st.lists(_digit, min_size=4, max_size=4)))
    return f"{area}-{middle}-{last}"


mobiles = st.builds(lambda a, b: f"010-{a:04d}-{b:04d}", st.integers(2000, 9999), st.integers(0, 9999)).filter(
    _kr_valid)  # 010-597x..599x are not allocated

emails = st.builds(
    lambda local, domain, upper: (local.upper() if upper else local) + "@" + domain,
    st.from_regex(r"[a-z][a-z0-9]{0,9}(\.[a-z0-9]{1,5})?", fullmatch=True),
    st.sampled_from(["example.kr", "example.com", "dealer.co.kr", "mail.example.net"]),
    st.booleans(),
)


@st.composite
def rows(draw: st.DrawFn, business_number: str, fmt: str) -> Row:
    word, code = draw(st.sampled_from(SEGMENT_WORDS))
    xlsx = fmt == "xlsx"
    return Row(
        business_number=business_number,
        brn_dashed=draw(st.booleans()),
        brn_as_number=xlsx and draw(st.booleans()),
        name=draw(company_names()),
        # CP949 has no conjoining jamo: a CP949 file cannot hold an NFD name.
        nfd=fmt != "cp949" and draw(st.booleans()),
        representative=draw(representatives),
        phone=draw(landlines()),
        mobile=draw(mobiles),
        phone_as_number=xlsx and draw(st.booleans()),
        email=draw(emails),
        address=draw(st.sampled_from(ADDRESSES)),
        segment_word=word,
        segment=code,
        since=draw(st.dates(dt.date(2000, 1, 1), dt.date(2024, 12, 31))),
        since_format=draw(st.sampled_from(DATE_FORMATS + (("",) if xlsx else ()))),
    )


@st.composite
def dealer_lists(draw: st.DrawFn) -> tuple[str, str, list[Row]]:
    """(file format, header language, rows); business numbers are distinct within the list."""
    fmt = draw(st.sampled_from(["utf-8-sig", "cp949", "xlsx"]))
    header = draw(st.sampled_from(["ko", "en"]))
    numbers = draw(st.lists(business_numbers(), min_size=1, max_size=8, unique=True))
    return fmt, header, [draw(rows(number, fmt)) for number in numbers]


def _cells(row: Row) -> dict[str, Any]:
    brn = row.business_number
    cells: dict[str, Any] = {
        "business_number": int(brn) if row.brn_as_number else (f"{brn[:3]}-{brn[3:5]}-{brn[5:]}"
                                                               if row.brn_dashed else brn),
        "name": unicodedata.normalize("NFD", row.name) if row.nfd else row.name,
        "representative": unicodedata.normalize("NFD", row.representative) if row.nfd else row.representative,
        "phone": int(row.phone.replace("-", "")) if row.phone_as_number else row.phone,
        "mobile": int(row.mobile.replace("-", "")) if row.phone_as_number else row.mobile,
        "email": row.email,
        "address": row.address,
        "segment": row.segment_word,
        "partner_since": row.since.strftime(row.since_format) if row.since_format else row.since,
    }
    return cells


def write_list(fmt: str, header: str, rows: list[Row]) -> bytes:
    head = [HEADERS[header][f] for f in FIELDS]
    body = [[cells[f] for f in FIELDS] for cells in map(_cells, rows)]
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(head)
        for cells in body:
            sheet.append(cells)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(head)
    writer.writerows(body)
    return text.getvalue().encode(fmt)


# --- helpers ------------------------------------------------------------------------------------------------


@contextmanager
def rolled_back() -> Iterator[None]:
    """Everything inside is undone: one hypothesis example (or one re-import) can't see another's rows."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def distributor_actor() -> tuple[Organization, Actor]:
    distributor = factories.organization(OrgKind.DISTRIBUTOR, "라운드트립유통", address=ADDRESSES[0])
    user = factories.member(distributor, Role.DISTRIBUTOR_ADMIN)
    return distributor, Actor.from_membership(Membership.objects.select_related("organization", "user")
                                              .get(user=user))


def stored(numbers: list[str]) -> dict[str, dict[str, Any]]:
    return {row.pop("business_number"): row for row in Organization.objects.filter(
        business_number__in=numbers, kind=OrgKind.DEALER).values("business_number", *STORED)}


def export(actor: Actor, fmt: str, language: str) -> bytes:
    """The distributor's dealer export as its page serves it (partners/views/network.py)."""
    qs = dealer_visible_to(actor).order_by("name", "id")
    with translation.override(language):
        if fmt == "xlsx":
            return exports.to_xlsx(qs)
        return "".join(exports.to_csv(qs)).encode("utf-8")


def expected_values(row: Row) -> dict[str, Any]:
    region = resolve_address(row.address)
    assert region is not None, row.address
    return {
        "name": " ".join(unicodedata.normalize("NFC", row.name).split()),
        "representative": " ".join(unicodedata.normalize("NFC", row.representative).split()),
        "phone": "+82" + row.phone.replace("-", "")[1:],
        "mobile": "+82" + row.mobile.replace("-", "")[1:],
        "email": row.email.lower(),
        "address": row.address,
        "segments": [row.segment],
        "partner_since": row.since,
        "sido": region.sido, "sigungu": region.sigungu, "region_code": region.code,
    }


def _describe(report: ImportReport) -> str:
    return (f"created={report.created} updated={report.updated} unchanged={report.unchanged} "
            f"rejected={report.rejected} warnings={report.warnings} flagged={report.flagged} "
            f"columns={report.columns} ignored={report.ignored_columns}")


# --- the tests ----------------------------------------------------------------------------------------------

_NFD_EXAMPLE = ("utf-8-sig", "ko", [Row(
    business_number="1208800016", brn_dashed=True, brn_as_number=False, name="한빛 Electronics 2",
    nfd=True, representative="홍길동", phone="02-123-4567", mobile="010-1234-5678", phone_as_number=False,
    email="Hong@Example.kr", address="서울특별시 강남구 테헤란로 152", segment_word="설치·AS 전문",
    segment="installation", since=dt.date(2021, 3, 15), since_format="%Y.%m.%d")])


@pytest.mark.parametrize("language", LANGUAGES)
@settings(max_examples=60, deadline=None, derandomize=True, database=None, print_blob=False,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@example(listing=_NFD_EXAMPLE)
@given(listing=dealer_lists())
def test_an_exported_dealer_list_imports_back_unchanged(acme, language, listing):
    fmt, header, rows = listing
    numbers = [row.business_number for row in rows]
    with rolled_back():
        distributor, actor = distributor_actor()

        # given a distributor's list, imported once
        first = dealer_list_apply(actor=actor, distributor=distributor, data=write_list(fmt, header, rows),
                                  filename=f"dealers.{'xlsx' if fmt == 'xlsx' else 'csv'}")
        assert (first.created, first.updated, first.unchanged) == (len(rows), 0, 0), _describe(first)
        assert not first.rejected and not first.warnings and not first.merged and not first.flagged, \
            _describe(first)
        assert first.encoding == fmt
        after_first = stored(numbers)
        # every value stored clean: names in NFC (whatever the file held), phones in E.164, the region placed
        assert after_first == {row.business_number: expected_values(row) for row in rows}
        assert all(unicodedata.is_normalized("NFC", v["name"]) for v in after_first.values())

        for export_format in ("csv", "xlsx"):
            data = export(actor, export_format, language)
            with rolled_back():
                # when the distributor's own export of it is uploaded again
                again = dealer_list_apply(actor=actor, distributor=distributor, data=data,
                                          filename=f"dealers-export.{export_format}")

                # then nothing is created, changed, rejected or flagged, and every stored value is as it was
                where = f"re-import of the {language} {export_format} export: {_describe(again)}"
                assert again.rejected == [], where
                assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows)), where
                assert again.data_rows == len(rows), where
                assert not again.merged and not again.flagged and not again.warnings, where
                assert stored(numbers) == after_first, where


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_every_exported_dealer_column_is_read_back_by_the_import(acme, language, export_format):
    """The export's header row, read by the import's own column matching: each column that holds a field a
    list may set must map to that field (only the region, derived from the address, and the status, HQ's,
    are not read back). Otherwise a distributor who edits its export and uploads it loses that column."""
    distributor, actor = distributor_actor()
    factories.organization(OrgKind.DEALER, "한빛전자", address=ADDRESSES[1], supplier=distributor)

    table = read_dealer_table(export(actor, export_format, language))

    headers = table.headers
    keys = [key for key, _getter in exports.COLUMNS]
    wanted = {("segment" if key == "segments" else key): headers[col] for col, key in enumerate(keys)
              if key not in ("region", "status")}
    assert set(wanted) == set(FIELDS)  # the export still has every column this test knows
    unread = {fld: header for fld, header in wanted.items()
              if table.guessed_mapping.get(fld) != headers.index(header)}
    assert unread == {}, (f"{language} export headers the import does not map to their field: {unread}; "
                          f"mapping={table.guessed_mapping}")


# --- values the export writes in a form of its own --------------------------------------------------------------
# These re-import with the columns chosen by hand (as on the mapping screen), so that they test the values
# whatever the header matching does.


def _brn(nine: str) -> str:
    return nine + str(factories.brn_check_digit(nine))


def _export_mapping() -> dict[str, int]:
    keys = [key for key, _getter in exports.COLUMNS]
    return {("segment" if key == "segments" else key): col for col, key in enumerate(keys)
            if key not in ("region", "status")}


def _import_csv(actor: Actor, distributor: Organization, header: list[str], body: list[list[str]]) -> ImportReport:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(body)
    return dealer_list_apply(actor=actor, distributor=distributor, data=text.getvalue().encode("utf-8-sig"),
                             filename="dealers.csv")


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_names_a_spreadsheet_would_run_as_formulas_import_back_unchanged(acme, export_format):
    """The export quotes a cell starting with = + - @ ("'+플러스전자") so that Excel shows it as text; the
    import must read that quote back off, or re-uploading the export renames the dealer."""
    distributor, actor = distributor_actor()
    names = {_brn("101860001"): "+플러스전자", _brn("120860002"): "-마이너스상사", _brn("214870003"): "@홈 전자",
             _brn("105870004"): "=이퀄 Mart"}
    first = _import_csv(actor, distributor, ["사업자등록번호", "상호", "주소"],
                        [[number, name, ADDRESSES[0]] for number, name in names.items()])
    assert first.created == len(names) and not first.rejected
    before = stored(list(names))
    assert {number: values["name"] for number, values in before.items()} == names

    again = dealer_list_apply(actor=actor, distributor=distributor, data=export(actor, export_format, "ko"),
                              filename=f"export.{export_format}", mapping=_export_mapping())

    assert (again.created, again.updated, again.unchanged) == (0, 0, len(names)), _describe(again)
    assert stored(list(names)) == before


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_dealer_in_two_segments_imports_back_without_a_warning(acme, language, export_format):
    """A dealer listed once as retail and once as online is in both segments; the export writes them in one
    cell ("일반 소매, 온라인몰"), which the import must read back rather than call an unknown segment."""
    distributor, actor = distributor_actor()
    header = ["사업자등록번호", "상호", "주소", "업종"]
    _import_csv(actor, distributor, header, [["1018100016", "한빛전자", ADDRESSES[0], "소매"]])
    second = _import_csv(actor, distributor, header, [["1018100016", "한빛전자", ADDRESSES[0], "온라인몰"]])
    assert second.updated == 1
    before = stored(["1018100016"])
    assert before["1018100016"]["segments"] == ["retail", "online"]

    again = dealer_list_apply(actor=actor, distributor=distributor, data=export(actor, export_format, language),
                              filename=f"export.{export_format}", mapping=_export_mapping())

    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 1, []), _describe(again)
    assert again.warnings == [], _describe(again)
    assert stored(["1018100016"]) == before
