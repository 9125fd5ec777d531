"""partners.importing: the pure-Python dealer-list parser (no database, no Django settings needed).

The three sample files must give exactly what expected.json says; every other test builds a small file in
memory that carries one real-world fault and checks what the parser makes of it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import importlib.util
import io
import json
import os
import random
import struct
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import openpyxl
import phonenumbers
import pytest

from partners.importing import (
    AUXILIARY_FIELDS,
    FIELD_LABELS,
    FIELDS,
    DealerRecord,
    ParseResult,
    RowIssue,
    UnreadableFile,
    parse_dealer_list,
)
from partners.importing import messages as m
from partners.importing.normalise import clean_phone, is_valid_kr_national

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("PRM_SHARED_DATA", ROOT.parent / "shared" / "data"))
SAMPLES = SHARED / "dealer-lists"
GENERATOR = SHARED.parent / "tools" / "dealer_lists.py"
EXPECTED: dict[str, Any] = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))

KO_HEADER = ["상호명", "대표자명", "사업자등록번호", "대표전화", "휴대폰", "이메일", "주소", "업종",
             "거래시작일", "월평균매출(원)"]
EN_HEADER = ["Company", "Owner", "Business No", "Phone", "Mobile", "Email", "Address", "Segment",
             "Partner since", "Monthly sales (KRW)"]
# The fields under KO_HEADER / EN_HEADER, in that column order (the samples put the name first).
COLUMNS = ["name", "representative", "business_number", "phone", "mobile", "email", "address", "segment",
           "partner_since", "monthly_sales"]
SAMPLE_MAPPING = {f: COLUMNS.index(f) for f in FIELDS}


# --- helpers: valid business numbers and small files built in memory ----------------------------------------


def brn(office: int, kind: int, serial: int) -> str:
    """A business registration number with a correct check digit (the NTS formula, written out again here
    so the tests do not trust the code they test)."""
    nine = f"{office:03d}{kind:02d}{serial:04d}"
    weights = [1, 3, 7, 1, 3, 7, 1, 3, 5]
    total = sum(int(d) * w for d, w in zip(nine, weights, strict=True)) + (int(nine[8]) * 5) // 10
    return nine + str((10 - total % 10) % 10)


def wrong_check(number: str) -> str:
    return number[:9] + str((int(number[9]) + 3) % 10)


def dashed(number: str) -> str:
    return f"{number[:3]}-{number[3:5]}-{number[5:]}"


BRN_A = brn(123, 81, 1)
BRN_B = brn(214, 86, 2)
BRN_C = brn(305, 87, 3)
BRN_D = brn(418, 1, 4)


def ko_row(number: str, name: str = "한빛전자", **values: Any) -> list[Any]:
    """A row under KO_HEADER; keyword arguments override single fields."""
    row = {
        "name": name, "representative": "김민수", "business_number": dashed(number), "phone": "02-555-0101",
        "mobile": "010-3806-7930", "email": "dealer@example.kr", "address": "서울특별시 강남구 테헤란로 1",
        "segment": "일반소매", "partner_since": "2021-03-15", "monthly_sales": "45,600,000",
    }
    row.update(values)
    return [row[f] for f in COLUMNS]


def csv_bytes(rows: list[list[Any]], *, encoding: str = "utf-8", delimiter: str = ",",
              newline: str = "\r\n") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(sheets: dict[str, list[list[Any]]], *, origin: tuple[int, int] = (1, 1)) -> bytes:
    """A workbook with one sheet per entry; ``origin`` = (row, column) of the first cell written."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.cell(row=origin[0] + r, column=origin[1] + c, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def parse(data: bytes, filename: str = "dealers.csv", **kwargs: Any) -> ParseResult:
    return parse_dealer_list(data, filename, **kwargs)


def only(result: ParseResult) -> DealerRecord:
    assert len(result.records) == 1, result.records
    return result.records[0]


def issues(found: list[RowIssue]) -> list[tuple[int, str, str]]:
    return [(i.row, i.field, i.reason) for i in found]


# --- a minimal legacy .xls writer (BIFF8 in an OLE compound file) -------------------------------------------
# Nothing installed here writes .xls (xlwt is not a dependency), and a legacy workbook is a real case, so the
# tests write one by hand: BOF, CODEPAGE, two XF records (General, and a date format for date cells), one
# BOUNDSHEET per sheet and EOF, then each sheet's LABEL / NUMBER cells, wrapped in a one-stream compound file.


def _biff(typ: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", typ, len(data)) + data


def _biff_string(text: str) -> bytes:
    return struct.pack("<HB", len(text), 1) + text.encode("utf-16-le")


def xls_bytes(sheets: dict[str, list[list[Any]]], *, stream_name: str = "Workbook") -> bytes:
    bodies = []
    for rows in sheets.values():
        body = _biff(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 0, 0, 0))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    body += _biff(0x0204, struct.pack("<HHH", r, c, 0) + _biff_string(value))
                elif isinstance(value, dt.date):
                    serial = float((value - dt.date(1899, 12, 30)).days)
                    body += _biff(0x0203, struct.pack("<HHHd", r, c, 1, serial))
                else:
                    body += _biff(0x0203, struct.pack("<HHHd", r, c, 0, float(value)))
        bodies.append(body + _biff(0x000A))

    def workbook_globals(positions: list[int]) -> bytes:
        g = _biff(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
        g += _biff(0x0042, struct.pack("<H", 1200))
        g += _biff(0x00E0, struct.pack("<HH", 0, 0) + bytes(16))  # XF 0: General
        g += _biff(0x00E0, struct.pack("<HH", 0, 14) + bytes(16))  # XF 1: built-in date format 14
        for name, pos in zip(sheets, positions, strict=True):
            g += _biff(0x0085, struct.pack("<IBBBB", pos, 0, 0, len(name), 1) + name.encode("utf-16-le"))
        return g + _biff(0x000A)

    positions, pos = [], len(workbook_globals([0] * len(sheets)))
    for body in bodies:
        positions.append(pos)
        pos += len(body)
    stream = workbook_globals(positions) + b"".join(bodies)
    stream = stream.ljust(4096, b"\x00")  # below 4096 bytes a stream would belong in the mini stream
    return _compound_file(stream_name, stream)


def _compound_file(name: str, data: bytes) -> bytes:
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    sectors = -(-len(data) // 512)
    assert sectors + 2 <= 128, "one FAT sector is enough for test workbooks"
    fat = [fat_sector, end] + [3 + i for i in range(sectors - 1)] + [end]
    fat += [free] * (128 - len(fat))
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108

    def entry(entry_name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = entry_name.encode("utf-16-le") + b"\x00\x00" if entry_name else b""
        return (raw.ljust(64, b"\x00") + struct.pack("<HBB", len(raw), kind, 1)
                + struct.pack("<III", free, free, child) + bytes(36) + struct.pack("<IQ", start, size))

    directory = entry("Root Entry", 5, 1, end, 0) + entry(name, 2, free, 2, len(data))
    directory += entry("", 0, free, 0, 0) * 2
    return header + struct.pack("<128I", *fat) + directory + data.ljust(sectors * 512, b"\x00")


# --- the three sample files ---------------------------------------------------------------------------------


def _sample(filename: str) -> ParseResult:
    return parse((SAMPLES / filename).read_bytes(), filename)


def _assert_spot_checks(result: ParseResult, spot_checks: list[dict[str, Any]]) -> None:
    by_number = {r.business_number: r for r in result.records}
    for spot in spot_checks:
        record = by_number.get(spot["business_number"])
        assert record is not None, f"dealer {spot['business_number']} missing"
        for fld, value in spot.items():
            actual = getattr(record, fld)
            if isinstance(actual, dt.date):
                actual = actual.isoformat()
            assert actual == value, (spot["business_number"], fld, actual, value)


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_each_sample_file_gives_exactly_what_expected_json_says(filename: str) -> None:
    expected = EXPECTED[filename]
    result = _sample(filename)
    assert result.encoding == expected["encoding"]
    assert result.data_rows == expected["data_rows"]
    assert len(result.records) == expected["dealers_created"]
    assert len(result.duplicates_merged) == expected["duplicates_merged"]
    assert [issue.as_dict() for issue in result.rejected] == expected["rejected"]
    if "header_row" in expected:
        assert result.header_row == expected["header_row"]
    _assert_spot_checks(result, expected["spot_checks"])
    # Every record is a clean dealer: distinct 10-digit numbers, a name, nothing rejected among them.
    numbers = [r.business_number for r in result.records]
    assert len(set(numbers)) == len(numbers)
    assert all(len(n) == 10 and n.isdigit() for n in numbers)
    assert all(r.name for r in result.records)


def test_seoul_cp949_file_gives_expected_rejections() -> None:
    result = _sample("seoul-distributor_cp949.csv")
    assert result.encoding == "cp949"
    assert result.header_row == 1
    assert result.delimiter == ","
    assert issues(result.rejected) == [(42, "business_number", "invalid check digit"),
                                       (79, "business_number", "missing")]
    assert result.data_rows == 301  # the blank last line is not a data row
    assert len(result.records) == 298


def test_seoul_duplicate_dealer_is_merged_into_the_later_row() -> None:
    result = _sample("seoul-distributor_cp949.csv")
    assert [i.as_dict() for i in result.duplicates_merged] == [
        {"row": 12, "field": "business_number", "reason": "merged into row 302"}]
    merged = result.duplicates_merged[0]
    assert merged.template == m.MERGED_INTO_ROW and merged.params == {"row": 302}
    winner = next(r for r in result.records if r.business_number == "7538110896")
    assert winner.row == 302 and winner.phone == "+8225550101"
    # records are in the order of their winning rows: the merged dealer now comes last
    assert result.records[-1] is winner


def test_seoul_padded_name_and_shouting_email_are_cleaned() -> None:
    result = _sample("seoul-distributor_cp949.csv")
    by_row = {r.row: r for r in result.records}
    assert by_row[122].name == "제일유통"
    assert by_row[152].email == "dealer.upper@example.kr"
    assert result.warnings == []


def test_busan_workbook_keeps_real_sheet_row_numbers() -> None:
    result = _sample("busan-distributor.xlsx")
    assert (result.encoding, result.sheet, result.header_row) == ("xlsx", "딜러현황", 3)
    assert issues(result.rejected) == [(204, "business_number", "missing")]  # the 합계 totals row
    assert result.records[0].row == 4
    first = result.records[0]
    assert first.business_number == "1571019181"  # was the float 1571019181.0
    assert first.phone == "+82319019464" and first.mobile == "+821030722464"  # leading 0 was lost
    assert isinstance(first.partner_since, dt.date)
    assert first.monthly_sales == 60_300_000
    assert first.segment == "corporate"


def test_crm_export_keeps_the_quoted_address_with_its_line_break() -> None:
    result = _sample("crm-export_utf8-bom.csv")
    record = next(r for r in result.records if r.business_number == "4298827042")
    assert record.address == "대전광역시 서구 판교역로 262,\n3층 301호"
    assert record.row == 32
    # the record after the two-line one is on the next Excel row, not two rows down
    assert next(r for r in result.records if r.row == 33).business_number != record.business_number
    assert result.records[-1].row == 151
    assert record.segment == "healthcare" and record.partner_since == dt.date(2017, 8, 22)
    assert result.warnings == []  # 08/22/2017 settles month/day/year for the whole column


def test_preview_and_headers_are_plain_strings_for_the_mapping_screen() -> None:
    result = _sample("busan-distributor.xlsx")
    assert result.headers == KO_HEADER
    assert len(result.preview) == 10
    assert result.preview[0][:5] == ["주식회사 한빛컴퓨터", "유주재", "1571019181", "319019464", "1030722464"]
    assert all(isinstance(cell, str) for row in result.preview for cell in row)
    assert result.mapping == SAMPLE_MAPPING


# --- encodings ----------------------------------------------------------------------------------------------


def test_cp949_file_with_hangul_that_euc_kr_lacks_is_read_as_cp949() -> None:
    with pytest.raises(UnicodeDecodeError):
        "똠방각하".encode("cp949").decode("euc-kr")  # the point of the test: these bytes are CP949-only
    data = csv_bytes([KO_HEADER, ko_row(BRN_A, "똠방각하 쏿상사", representative="쏿똠")], encoding="cp949")
    result = parse(data)
    assert result.encoding == "cp949"
    record = only(result)
    assert record.name == "똠방각하 쏿상사" and record.representative == "쏿똠"


def test_plain_euc_kr_file_is_reported_as_cp949() -> None:
    data = csv_bytes([KO_HEADER, ko_row(BRN_A)], encoding="euc-kr")
    result = parse(data)
    assert result.encoding == "cp949"
    assert only(result).name == "한빛전자"


def test_utf8_with_and_without_bom_are_told_apart() -> None:
    rows = [KO_HEADER, ko_row(BRN_A)]
    assert parse(csv_bytes(rows, encoding="utf-8")).encoding == "utf-8"
    with_bom = parse(csv_bytes(rows, encoding="utf-8-sig"))
    assert with_bom.encoding == "utf-8-sig"
    assert with_bom.headers[0] == "상호명"  # the BOM is not part of the first header
    assert only(with_bom).name == "한빛전자"


def test_excel_unicode_text_utf16_tab_file_is_read() -> None:
    data = csv_bytes([KO_HEADER, ko_row(BRN_A)], encoding="utf-16", delimiter="\t")
    result = parse(data, "dealers.txt")
    assert (result.encoding, result.delimiter) == ("utf-16", "\t")
    assert only(result).business_number == BRN_A


def test_cp949_file_cut_in_the_middle_of_a_character_still_reads() -> None:
    data = csv_bytes([KO_HEADER, ko_row(BRN_A), ko_row(BRN_B, "대성전자", address="부산")], encoding="cp949")
    result = parse(data[:-3])  # drops "\r\n" and half of "산"
    assert result.encoding == "cp949"
    assert [r.business_number for r in result.records] == [BRN_A, BRN_B]


# --- delimiters, quoting, line ends -------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"], ids=["comma", "tab", "semicolon", "pipe"])
def test_any_common_delimiter_is_detected(delimiter: str) -> None:
    rows = [KO_HEADER, ko_row(BRN_A, address="서울, 강남구"), ko_row(BRN_B, "대성; 상사|본점")]
    result = parse(csv_bytes(rows, delimiter=delimiter, encoding="cp949"))
    assert result.delimiter == delimiter
    assert result.mapping == SAMPLE_MAPPING
    assert [r.name for r in result.records] == ["한빛전자", "대성; 상사|본점"]
    assert result.records[0].address == "서울, 강남구"


def test_semicolon_file_with_commas_in_every_amount_is_not_read_as_comma_separated() -> None:
    rows = [KO_HEADER]
    rows += [ko_row(brn(120 + i, 81, i), f"상사{i}", monthly_sales="1,200,000") for i in range(5)]
    result = parse(csv_bytes(rows, delimiter=";"))
    assert result.delimiter == ";"
    assert [r.monthly_sales for r in result.records] == [1_200_000] * 5


def test_excel_sep_line_names_the_delimiter_and_is_not_a_row() -> None:
    data = b"sep=;\r\n" + csv_bytes([KO_HEADER, ko_row(BRN_A), ko_row("", "이름만")], delimiter=";")
    result = parse(data)
    assert result.delimiter == ";"
    assert result.header_row == 1
    assert issues(result.rejected) == [(3, "business_number", "missing")]


def test_quoted_fields_keep_commas_and_line_breaks_and_count_as_one_row() -> None:
    rows = [KO_HEADER,
            ko_row(BRN_A, "한빛, 전자", address="서울특별시 중구 세종대로 1,\r\n3층 301호"),
            ko_row(wrong_check(BRN_B), "대성전자")]
    result = parse(csv_bytes(rows))
    record = only(result)
    assert record.name == "한빛, 전자"
    assert record.address == "서울특별시 중구 세종대로 1,\n3층 301호"  # CRLF inside the cell becomes \n
    assert issues(result.rejected) == [(3, "business_number", "invalid check digit")]


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"], ids=["crlf", "lf", "cr"])
def test_line_endings_do_not_matter(newline: str) -> None:
    rows = [KO_HEADER, ko_row(BRN_A), [""] * 10, ko_row("", "빈번호")]
    result = parse(csv_bytes(rows, newline=newline))
    assert [r.row for r in result.records] == [2]
    assert issues(result.rejected) == [(4, "business_number", "missing")]


# --- header row detection and mapping -----------------------------------------------------------------------


def test_title_and_blank_rows_above_the_header_are_skipped_and_rows_keep_excel_numbers() -> None:
    rows = [["2026년 11월 대리점 현황"], ["작성: 영업지원팀", "", "단위: 원"], [], KO_HEADER,
            ko_row(BRN_A), [], ko_row(wrong_check(BRN_B)), ko_row(BRN_C, "")]
    result = parse(csv_bytes(rows, encoding="cp949"))
    assert result.header_row == 4
    assert result.data_rows == 3  # the blank row between dealers is neither counted nor reported
    assert only(result).row == 5
    assert issues(result.rejected) == [(7, "business_number", "invalid check digit"), (8, "name", "missing")]


def test_header_words_vary_and_are_matched_ignoring_case_spaces_punctuation_and_units() -> None:
    header = ["NO.", "Registration No.", "COMPANY NAME", "ceo", "Tel.", "Cell", "E-Mail", "Address",
              "Industry", "Start date", "Sales (KRW)"]
    row = ["1", BRN_A, "Hanbit Electronics", "Kim", "02-555-0101", "010-3806-7930", "a@b.kr", "Seoul",
           "Retail", "2021-03-15", "1000"]
    result = parse(csv_bytes([header, row]))
    assert result.mapping == {"business_number": 1, "name": 2, "representative": 3, "phone": 4, "mobile": 5,
                              "email": 6, "address": 7, "segment": 8, "partner_since": 9, "monthly_sales": 10}
    record = only(result)
    assert (record.name, record.segment, record.monthly_sales) == ("Hanbit Electronics", "retail", 1000)


@pytest.mark.parametrize(("header", "field"), [
    ("상호", "name"), ("업체명", "name"), ("회사명", "name"), ("거래처명", "name"), ("Dealer", "name"),
    ("Name", "name"), ("사업자번호", "business_number"), ("사업자 번호", "business_number"),
    ("BRN", "business_number"), ("Business number", "business_number"), ("대표", "representative"),
    ("Owner", "representative"), ("Representative", "representative"), ("전화번호", "phone"),
    ("연락처", "phone"), ("Telephone", "phone"), ("핸드폰", "mobile"), ("모바일", "mobile"),
    ("휴대전화", "mobile"), ("Mobile", "mobile"), ("메일", "email"), ("E-mail", "email"),
    ("사업장주소", "address"), ("소재지", "address"), ("업태", "segment"), ("분야", "segment"),
    ("세그먼트", "segment"), ("Vertical", "segment"), ("거래개시일", "partner_since"),
    ("등록일", "partner_since"), ("계약일", "partner_since"), ("Since", "partner_since"),
    ("월매출", "monthly_sales"), ("매출", "monthly_sales"),
    ("Sales", "monthly_sales"), ("월평균 매출 (원)", "monthly_sales"), ("대표자 휴대폰", "mobile"),
    ("사업자등록번호（10자리）", "business_number"),
])
def test_each_usual_header_name_maps_to_its_field(header: str, field: str) -> None:
    key_header = "사업자등록번호" if field != "business_number" else "상호"
    result = parse(csv_bytes([[key_header, header], ["x", "y"]]))
    assert result.mapping[field] == 1


def test_file_without_a_business_number_or_name_column_is_unreadable() -> None:
    data = csv_bytes([["품목", "수량", "단가"], ["모니터", "3", "200000"]])
    with pytest.raises(UnreadableFile) as caught:
        parse(data)
    assert caught.value.message == m.NO_HEADER


def test_a_mapping_from_the_user_replaces_the_automatic_one() -> None:
    header = ["상호", "번호 A", "번호 B", "기타"]
    rows = [header, ["한빛전자", dashed(BRN_A), "02-555-0101", "메모"]]
    auto = parse(csv_bytes(rows))
    assert auto.mapping == {"name": 0}
    assert issues(auto.rejected) == [(2, "business_number", "missing")]
    chosen = parse(csv_bytes(rows), mapping={"business_number": 1, "name": 0, "phone": 2})
    assert chosen.mapping == {"business_number": 1, "name": 0, "phone": 2}
    record = only(chosen)
    assert (record.business_number, record.phone) == (BRN_A, "+8225550101")


def test_a_mapping_with_an_unknown_field_or_negative_column_is_a_programming_error() -> None:
    data = csv_bytes([KO_HEADER, ko_row(BRN_A)])
    with pytest.raises(ValueError):
        parse(data, mapping={"fax": 3})
    with pytest.raises(ValueError):
        parse(data, mapping={"name": -1})


def test_a_header_repeated_further_down_is_not_a_dealer() -> None:
    rows = [KO_HEADER, ko_row(BRN_A), KO_HEADER, ko_row(BRN_B, "대성전자")]
    result = parse(csv_bytes(rows))
    assert result.data_rows == 2 and len(result.records) == 2 and result.rejected == []


# --- workbooks ----------------------------------------------------------------------------------------------


def test_xlsx_row_numbers_are_sheet_rows_even_when_leading_rows_and_columns_are_empty() -> None:
    rows = [KO_HEADER, ko_row(BRN_A), ko_row("", "합계")]
    result = parse(xlsx_bytes({"Sheet1": rows}, origin=(5, 3)), "dealers.xlsx")  # header in C5
    assert result.header_row == 5
    assert result.mapping["name"] == 2 and result.mapping["business_number"] == 4
    assert only(result).row == 6
    assert issues(result.rejected) == [(7, "business_number", "missing")]


def test_the_dealer_table_is_found_on_a_later_sheet() -> None:
    sheets = {
        "요약": [["2026년 거래 요약"], ["지역", "매출"], ["서울", 1000]],
        "딜러목록": [["딜러 목록"], [], KO_HEADER, ko_row(BRN_A), ko_row(BRN_B, "대성전자")],
    }
    result = parse(xlsx_bytes(sheets), "dealers.xlsx")
    assert (result.sheet, result.header_row) == ("딜러목록", 3)
    assert [r.row for r in result.records] == [4, 5]


def test_numbers_typed_as_numbers_in_a_workbook_are_read_back_to_text() -> None:
    row = ko_row(BRN_A, business_number=int(BRN_A), phone=319019464, mobile=1030722464.0,
                 partner_since=dt.datetime(2021, 3, 15), monthly_sales=45600000.0)
    record = only(parse(xlsx_bytes({"S": [KO_HEADER, row]}), "d.xlsx"))
    assert record.business_number == BRN_A
    assert (record.phone, record.mobile) == ("+82319019464", "+821030722464")
    assert record.partner_since == dt.date(2021, 3, 15)
    assert record.monthly_sales == 45_600_000


def test_legacy_xls_workbook_is_read_with_real_row_numbers_and_the_right_sheet() -> None:
    sheets = {
        "메모": [["이 파일은 부산 지점 관리용입니다"]],
        "딜러": [
            ["부산 대리점 현황"], [], KO_HEADER,
            ["똠방각하상사", "김민수", float(BRN_A), 319019464.0, 1030722464.0, "a@example.kr",
             "부산 해운대구", "기업납품", dt.date(2021, 3, 15), 45600000.0],
            ["합계", "", "", "", "", "", "", "", "", 45600000.0],
        ],
    }
    result = parse(xls_bytes(sheets), "dealers.xls")
    assert (result.encoding, result.sheet, result.header_row) == ("xls", "딜러", 3)
    record = only(result)
    assert (record.row, record.name, record.business_number) == (4, "똠방각하상사", BRN_A)
    assert (record.phone, record.mobile, record.segment) == ("+82319019464", "+821030722464", "corporate")
    assert record.partner_since == dt.date(2021, 3, 15) and record.monthly_sales == 45_600_000
    assert issues(result.rejected) == [(5, "business_number", "missing")]


def test_truncated_xlsx_is_unreadable_with_a_clear_message() -> None:
    data = xlsx_bytes({"S": [KO_HEADER, ko_row(BRN_A)]})
    with pytest.raises(UnreadableFile) as caught:
        parse(data[: len(data) // 2], "dealers.xlsx")
    assert caught.value.message == m.DAMAGED_WORKBOOK


def test_damaged_xls_is_unreadable_not_a_traceback() -> None:
    data = xls_bytes({"S": [KO_HEADER]})
    with pytest.raises(UnreadableFile) as caught:
        parse(data[:1700], "dealers.xls")  # the compound file's directory survives, the workbook does not
    assert caught.value.message == m.DAMAGED_WORKBOOK


def test_password_protected_workbook_says_so() -> None:
    with pytest.raises(UnreadableFile) as caught:
        parse(_compound_file("EncryptedPackage", bytes(4096)), "dealers.xlsx")
    assert caught.value.message == m.PASSWORD_PROTECTED


def test_zip_that_is_not_a_workbook_is_unreadable() -> None:
    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("dealers.csv", "상호,사업자등록번호\n")
    with pytest.raises(UnreadableFile) as caught:
        parse(buf.getvalue(), "dealers.zip")
    assert caught.value.message == m.ZIP_NOT_WORKBOOK


def _workbook_with_a_stray_cell(*, on_dealer_sheet: bool) -> bytes:
    wb = openpyxl.Workbook()
    dealers = wb.active
    dealers.title = "딜러"
    for row in [KO_HEADER, ko_row(BRN_A)]:
        dealers.append(row)
    other = dealers if on_dealer_sheet else wb.create_sheet("메모")
    other["A1"] = "메모"
    other["XFD1048576"] = "x"  # calamine would try to allocate ~0.5 TB for this grid and abort the process
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_stray_value_in_the_last_cell_of_the_dealer_sheet_is_refused_before_calamine_sees_it() -> None:
    with pytest.raises(UnreadableFile) as caught:
        parse(_workbook_with_a_stray_cell(on_dealer_sheet=True), "dealers.xlsx")
    assert caught.value.message == m.SHEET_TOO_LARGE


def test_a_stray_value_on_another_sheet_does_not_stop_the_dealer_sheet() -> None:
    result = parse(_workbook_with_a_stray_cell(on_dealer_sheet=False), "dealers.xlsx")
    assert result.sheet == "딜러"
    assert only(result).business_number == BRN_A


def test_damaged_copies_of_real_files_give_a_result_or_unreadable_never_a_library_error() -> None:
    bases = [(SAMPLES / name).read_bytes() for name in sorted(EXPECTED)]
    bases.append(xls_bytes({"S": [KO_HEADER, ko_row(BRN_A), ko_row(BRN_B, "대성")]}))
    rng = random.Random(5)
    outcomes = {"parsed": 0, "unreadable": 0}
    for _ in range(400):
        data = bytearray(rng.choice(bases))
        how = rng.random()
        if how < 0.4:
            for _flip in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif how < 0.7:
            del data[rng.randrange(len(data)):]
        else:
            start = rng.randrange(len(data))
            del data[start:start + rng.randint(1, 2000)]
        try:
            result = parse(bytes(data), "dealers")
        except UnreadableFile as exc:
            assert exc.message and exc.message[0].isupper()
            outcomes["unreadable"] += 1
        else:
            assert isinstance(result, ParseResult)
            outcomes["parsed"] += 1
    assert outcomes["parsed"] > 0 and outcomes["unreadable"] > 0


# --- files that are not dealer lists ------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", codecs.BOM_UTF8, b",,,\r\n,,,\r\n"],
                         ids=["empty", "whitespace", "bom-only", "empty-cells"])
def test_empty_file_is_unreadable(data: bytes) -> None:
    with pytest.raises(UnreadableFile) as caught:
        parse(data)
    assert caught.value.message == m.EMPTY_FILE


def test_empty_workbook_is_unreadable() -> None:
    with pytest.raises(UnreadableFile) as caught:
        parse(xlsx_bytes({"Sheet1": []}), "empty.xlsx")
    assert caught.value.message == m.EMPTY_FILE


@pytest.mark.parametrize("builder", ["csv", "xlsx"])
def test_header_only_file_is_unreadable(builder: str) -> None:
    rows: list[list[Any]] = [KO_HEADER, [""] * 10]
    data = csv_bytes(rows) if builder == "csv" else xlsx_bytes({"S": rows})
    with pytest.raises(UnreadableFile) as caught:
        parse(data)
    assert caught.value.message == m.HEADER_ONLY


def test_random_binary_bytes_are_unreadable() -> None:
    with pytest.raises(UnreadableFile) as caught:
        parse(random.Random(20261203).randbytes(8192), "dealers.csv")
    assert caught.value.message == m.NOT_A_SPREADSHEET
    # whatever the bytes, the answer is UnreadableFile, never a library's traceback
    for seed in range(40):
        for size in (1, 10, 100, 5000):
            with pytest.raises(UnreadableFile):
                parse(random.Random(seed).randbytes(size), "dealers.xlsx")


def test_image_pdf_and_web_page_files_are_unreadable_with_their_own_message() -> None:
    png = b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(2000)
    with pytest.raises(UnreadableFile) as caught:
        parse(png, "dealers.png")
    assert caught.value.message == m.NOT_A_SPREADSHEET
    with pytest.raises(UnreadableFile) as caught:
        parse(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "dealers.pdf")
    assert caught.value.message == m.PDF_FILE
    html = "<html><body><table><tr><td>상호</td><td>사업자등록번호</td></tr></table></body></html>"
    with pytest.raises(UnreadableFile) as caught:
        parse(html.encode("utf-8"), "dealers.xls")
    assert caught.value.message == m.WEB_PAGE


def test_unreadable_messages_are_english_sentences_that_say_what_to_do() -> None:
    for name in ("EMPTY_FILE", "HEADER_ONLY", "NOT_A_SPREADSHEET", "DAMAGED_WORKBOOK", "PASSWORD_PROTECTED",
                 "UNKNOWN_ENCODING", "NO_HEADER", "WEB_PAGE", "BROKEN_CSV"):
        text = getattr(m, name)
        assert text[0].isupper() and text.endswith("."), name
        assert any(verb in text for verb in ("upload", "Upload", "save", "Save")), name
    error = UnreadableFile(m.EMPTY_FILE)
    assert str(error) == error.message == m.EMPTY_FILE


# --- Excel damage: numbers, full-width characters, invisible characters, normal forms -----------------------


def test_business_number_in_scientific_notation_is_rejected_because_digits_were_lost() -> None:
    rows = [KO_HEADER, ko_row(BRN_A, business_number="1.57102E+09"), ko_row(BRN_B, "대성전자")]
    result = parse(csv_bytes(rows))
    reason = "shown in scientific notation; digits were lost"
    assert issues(result.rejected) == [(2, "business_number", reason)]
    assert result.rejected[0].value == "1.57102E+09"
    assert "format the column as Text" in result.rejected[0].hint  # the digits can only come from a new export
    assert only(result).business_number == BRN_B


@pytest.mark.parametrize(("value", "reason"), [
    ("", "missing"), ("   ", "missing"), ("-", "missing"), ("없음", "missing"),
    (dashed(wrong_check(BRN_A)), "invalid check digit"), ("123-45-678", "must have 10 digits"),
    ("12345678901", "must have 10 digits"), ("ABC-DE-FGHIJ", "not a business registration number"),
    ("012-81-00001", "not a business registration number"),
])
def test_bad_business_numbers_are_rejected_with_the_reason(value: str, reason: str) -> None:
    result = parse(csv_bytes([KO_HEADER, ko_row(BRN_A, business_number=value)]))
    assert issues(result.rejected) == [(2, "business_number", reason)]
    assert result.records == []


def test_a_business_number_with_serial_0000_and_a_good_check_digit_is_accepted() -> None:
    number = brn(109, 13, 0)
    assert only(parse(csv_bytes([KO_HEADER, ko_row(number)]))).business_number == number


def test_full_width_digits_and_punctuation_are_read_as_ascii() -> None:
    def wide(text: str) -> str:
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)

    row = ko_row(BRN_A, "（주）한빛", business_number=wide(dashed(BRN_A)), phone=wide("02-555-0101"),
                 mobile="０１０－３８０６－７９３０", email=wide("Dealer@Example.KR"),
                 partner_since=wide("2021.03.15"), monthly_sales=wide("45,600,000"))
    record = only(parse(csv_bytes([KO_HEADER, row])))
    assert record.business_number == BRN_A
    assert (record.phone, record.mobile) == ("+8225550101", "+821038067930")
    assert record.email == "dealer@example.kr"
    assert record.partner_since == dt.date(2021, 3, 15)
    assert record.monthly_sales == 45_600_000
    assert record.name == "（주）한빛"  # names are not NFKC-folded: "㈜" and "（주）" stay as typed


def test_invisible_characters_are_removed_from_every_field() -> None:
    zwsp, nbsp, bom = "\u200b", "\u00a0", "\ufeff"
    row = ko_row(BRN_A, f"{bom}한빛{zwsp}전자{nbsp}", business_number=f"{zwsp}{dashed(BRN_A)}{nbsp}",
                 representative=f"김{zwsp}민수", phone=f"02{zwsp}-555-0101",
                 email=f"{nbsp}a@example.kr{zwsp}",
                 segment=f"일반{zwsp}소매", address=f"서울{nbsp}{nbsp}강남구{zwsp}")
    record = only(parse(csv_bytes([KO_HEADER, row])))
    assert record.name == "한빛전자"
    assert (record.business_number, record.representative, record.phone) == (BRN_A, "김민수", "+8225550101")
    assert (record.email, record.segment, record.address) == ("a@example.kr", "retail", "서울 강남구")


def test_a_row_of_only_invisible_characters_is_blank() -> None:
    rows = [KO_HEADER, ko_row(BRN_A), ["\u200b", "\u00a0", "\ufeff"] + [""] * 7]
    result = parse(csv_bytes(rows))
    assert result.data_rows == 1 and result.rejected == []


def test_nfd_text_is_stored_nfc_and_nfd_headers_are_recognised() -> None:
    header = [unicodedata.normalize("NFD", h) for h in KO_HEADER]
    row = ko_row(BRN_A, unicodedata.normalize("NFD", "한빛전자"),
                 address=unicodedata.normalize("NFD", "서울특별시 강남구"),
                 segment=unicodedata.normalize("NFD", "관공서"))
    result = parse(csv_bytes([header, row]))
    record = only(result)
    assert record.name == "한빛전자" and unicodedata.is_normalized("NFC", record.name)
    assert record.address == "서울특별시 강남구"
    assert record.segment == "government"
    assert result.mapping == SAMPLE_MAPPING


def test_text_is_trimmed_and_inner_runs_of_spaces_are_collapsed() -> None:
    row = ko_row(BRN_A, "  주식회사   한빛\t전자  ", representative=" 김  민수 ",
                 address="  서울   강남구 \n\n  3층  ")
    record = only(parse(csv_bytes([KO_HEADER, row])))
    assert (record.name, record.representative) == ("주식회사 한빛 전자", "김 민수")
    assert record.address == "서울 강남구\n3층"


# --- phones, e-mail, segments, amounts ----------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("02-555-0101", "+8225550101"), ("(02) 555-0101", "+8225550101"), ("02.555.0101", "+8225550101"),
    ("031-901-9464", "+82319019464"), ("319019464", "+82319019464"), ("1030722464", "+821030722464"),
    ("010 3806 7930", "+821038067930"), ("+82 10-3806-7930", "+821038067930"),
    ("82-10-3806-7930", "+821038067930"),
    ("1588-1234", "+8215881234"), ("070-1234-5678", "+827012345678"), ("02-555-0101 내선 12", "+8225550101"),
    ("+1 650-253-0000", "+16502530000"),
])
def test_phone_numbers_become_e164(value: str, expected: str) -> None:
    assert clean_phone(value) == (expected, None)


def test_an_invalid_phone_is_a_warning_and_left_empty_not_a_rejection() -> None:
    row = ko_row(BRN_A, phone="02-12", mobile="1.03E+09")
    result = parse(csv_bytes([KO_HEADER, row]))
    record = only(result)
    assert (record.phone, record.mobile) == ("", "")
    assert issues(result.warnings) == [(2, "phone", m.INVALID_PHONE),
                                       (2, "mobile", m.SCIENTIFIC_NOTATION_OPTIONAL)]
    assert result.warnings[0].value == "02-12"
    assert result.rejected == []


def test_the_fast_korean_phone_check_agrees_with_phonenumbers() -> None:
    rng = random.Random(7)
    numbers = [str(rng.randint(10**(n - 1), 10**n - 1)) for n in range(4, 12) for _ in range(4000)]
    numbers += ["1038067930", "25550101", "319019464", "15881234", "7012345678", "1050001234", "505012345678"]
    for national in numbers:
        official = phonenumbers.is_valid_number(phonenumbers.PhoneNumber(country_code=82,
                                                                        national_number=int(national)))
        assert is_valid_kr_national(national) == official, national


@pytest.mark.parametrize(("value", "expected"), [
    ("  Dealer.Upper@EXAMPLE.KR ", "dealer.upper@example.kr"), ("mailto:a@b.co.kr", "a@b.co.kr"),
    ("홍길동 <Hong@Example.kr>", "hong@example.kr"), ("a＠b.kr", "a@b.kr"),
])
def test_email_is_trimmed_lower_cased_and_kept(value: str, expected: str) -> None:
    assert only(parse(csv_bytes([KO_HEADER, ko_row(BRN_A, email=value)]))).email == expected


@pytest.mark.parametrize("value", ["dealer", "a@b", "a@@b.kr", "a b@c.kr", "010-1234-5678"])
def test_malformed_email_is_a_warning_and_left_empty(value: str) -> None:
    result = parse(csv_bytes([KO_HEADER, ko_row(BRN_A, email=value)]))
    assert only(result).email == ""
    assert issues(result.warnings) == [(2, "email", m.INVALID_EMAIL)]


@pytest.mark.parametrize(("value", "code"), [
    ("일반소매", "retail"), ("소매", "retail"), ("기업납품", "corporate"), ("관공서", "government"),
    ("교육기관", "education"), ("의료기관", "healthcare"), ("설치·AS 전문", "installation"),
    ("온라인몰", "online"), ("Retail", "retail"), ("Corporate", "corporate"), ("Government", "government"),
    ("Education", "education"),
    ("Healthcare", "healthcare"), ("Installation & service", "installation"), ("Online", "online"),
    ("ONLINE ", "online"), ("", ""),
])
def test_segments_in_korean_and_english_become_codes(value: str, code: str) -> None:
    result = parse(csv_bytes([KO_HEADER, ko_row(BRN_A, segment=value)]))
    assert only(result).segment == code
    assert result.warnings == []


def test_unknown_segment_is_a_warning_and_left_empty() -> None:
    result = parse(csv_bytes([KO_HEADER, ko_row(BRN_A, segment="우주항공")]))
    assert only(result).segment == ""
    assert [i.as_dict() for i in result.warnings] == [
        {"row": 2, "field": "segment", "reason": m.UNKNOWN_SEGMENT}]


@pytest.mark.parametrize(("value", "expected"), [
    ("45,600,000", 45_600_000), ("45600000", 45_600_000), ("45600000.0", 45_600_000),
    ("₩45,600,000", 45_600_000), ("￦45,600,000", 45_600_000), ("\\45,600,000", 45_600_000),
    ("45,600,000원", 45_600_000), ("4,560만", 45_600_000), ("4,560만원", 45_600_000),
    ("1억 2,000만", 120_000_000), ("", None), ("-", None),
])
def test_amounts_of_money_are_read_as_whole_won(value: str, expected: int | None) -> None:
    result = parse(csv_bytes([KO_HEADER, ko_row(BRN_A, monthly_sales=value)]))
    assert only(result).monthly_sales == expected
    assert result.warnings == []


def test_amounts_in_thousands_of_won_are_scaled_by_the_header_unit() -> None:
    header = KO_HEADER[:-1] + ["월매출(천원)"]
    assert only(parse(csv_bytes([header, ko_row(BRN_A, monthly_sales="45,600")]))).monthly_sales == 45_600_000


def test_unreadable_amount_is_a_warning_and_left_empty() -> None:
    result = parse(csv_bytes([KO_HEADER, ko_row(BRN_A, monthly_sales="약 오천")]))
    assert only(result).monthly_sales is None
    assert issues(result.warnings) == [(2, "monthly_sales", m.INVALID_AMOUNT)]


# --- dates --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [
    "2021-03-15", "2021.03.15", "2021/03/15", "2021년 3월 15일", "2021. 3. 15.", "20210315", "2021-3-15",
    "2021-03-15 00:00:00", "2021-03-15T09:30:00", "2021-03-15 (월)", "44270", "15 Mar 2021", "March 15, 2021",
    "03/15/2021", "15/03/2021", "21.03.15",
])
def test_dates_in_each_common_format_are_read(value: str) -> None:
    result = parse(csv_bytes([KO_HEADER, ko_row(BRN_A, partner_since=value)]))
    assert only(result).partner_since == dt.date(2021, 3, 15)
    assert result.warnings == []


def test_excel_serial_numbers_and_date_cells_in_a_workbook_are_dates() -> None:
    rows = [KO_HEADER, ko_row(BRN_A, partner_since=44270), ko_row(BRN_B, "대성", partner_since=44270.0),
            ko_row(BRN_C, "세진", partner_since=dt.date(2021, 3, 15)),
            ko_row(BRN_D, "미래", partner_since=20210315)]
    result = parse(xlsx_bytes({"S": rows}), "d.xlsx")
    assert [r.partner_since for r in result.records] == [dt.date(2021, 3, 15)] * 4


def test_day_month_year_is_inferred_from_the_whole_column() -> None:
    rows = [EN_HEADER,
            ko_row(BRN_A, "A", partner_since="03/04/2021"),
            ko_row(BRN_B, "B", partner_since="25/12/2020"),  # a first part above 12: the column is d/m/y
            ko_row(BRN_C, "C", partner_since="01/02/2022")]
    result = parse(csv_bytes(rows))
    assert [r.partner_since for r in result.records] == [dt.date(2021, 4, 3), dt.date(2020, 12, 25),
                                                         dt.date(2022, 2, 1)]
    assert result.warnings == []


def test_month_day_year_is_inferred_from_the_whole_column() -> None:
    rows = [EN_HEADER,
            ko_row(BRN_A, "A", partner_since="03/04/2021"),
            ko_row(BRN_B, "B", partner_since="12/25/2020"),  # a second part above 12: the column is m/d/y
            ko_row(BRN_C, "C", partner_since="01/02/2022")]
    result = parse(csv_bytes(rows))
    assert [r.partner_since for r in result.records] == [dt.date(2021, 3, 4), dt.date(2020, 12, 25),
                                                         dt.date(2022, 1, 2)]
    assert result.warnings == []


def test_a_column_of_only_ambiguous_dates_is_read_month_first_with_one_warning() -> None:
    rows = [EN_HEADER,
            ko_row(BRN_A, "A", partner_since="01/01/2021"),  # the same either way: not ambiguous
            ko_row(BRN_B, "B", partner_since="03/04/2021"),
            ko_row(BRN_C, "C", partner_since="05/06/2021")]
    result = parse(csv_bytes(rows))
    assert [r.partner_since for r in result.records] == [dt.date(2021, 1, 1), dt.date(2021, 3, 4),
                                                         dt.date(2021, 5, 6)]
    assert issues(result.warnings) == [(3, "partner_since", m.AMBIGUOUS_DATE_ORDER)]


@pytest.mark.parametrize("value", ["언젠가", "2021-02-30", "13/13/2021", "1800-01-01", "99999999"])
def test_an_unreadable_date_is_a_warning_and_left_empty(value: str) -> None:
    result = parse(csv_bytes([KO_HEADER, ko_row(BRN_A, partner_since=value)]))
    assert only(result).partner_since is None
    assert issues(result.warnings) == [(2, "partner_since", m.INVALID_DATE)]
    assert result.rejected == []


# --- the row rules ------------------------------------------------------------------------------------------


def test_row_without_business_number_is_rejected_and_a_blank_row_is_skipped_silently() -> None:
    rows = [KO_HEADER, ko_row(BRN_A), [""] * 10, ko_row("", "번호없음상사"), [], ko_row(BRN_B, "대성")]
    result = parse(csv_bytes(rows))
    assert result.data_rows == 3
    assert issues(result.rejected) == [(4, "business_number", "missing")]
    assert [r.row for r in result.records] == [2, 6]


def test_row_with_a_valid_business_number_but_no_name_is_rejected_for_the_name() -> None:
    result = parse(csv_bytes([KO_HEADER, ko_row(BRN_A, "   ")]))
    assert [i.as_dict() for i in result.rejected] == [{"row": 2, "field": "name", "reason": "missing"}]
    assert result.records == []


def test_totals_row_is_rejected_as_missing_business_number() -> None:
    rows = [KO_HEADER, ko_row(BRN_A), ["합계", "", "", "", "", "", "", "", "", "45,600,000"]]
    result = parse(csv_bytes(rows))
    assert issues(result.rejected) == [(3, "business_number", "missing")]
    assert result.data_rows == 2


def test_within_a_file_the_later_row_wins_and_each_loser_is_reported_once() -> None:
    rows = [KO_HEADER,
            ko_row(BRN_A, "첫번째", phone="02-111-1111", email="bad-email"),
            ko_row(BRN_B, "대성"),
            ko_row(BRN_A, "두번째", phone="02-222-2222"),
            ko_row(BRN_A, "세번째", phone="02-333-3333")]
    result = parse(csv_bytes(rows))
    assert [(r.row, r.name) for r in result.records] == [(3, "대성"), (5, "세번째")]
    assert [i.as_dict() for i in result.duplicates_merged] == [
        {"row": 2, "field": "business_number", "reason": "merged into row 4"},
        {"row": 4, "field": "business_number", "reason": "merged into row 5"},
    ]
    assert result.warnings == []  # the losing row's bad e-mail no longer matters
    assert result.data_rows == 4


def test_warnings_never_reject_a_row() -> None:
    row = ko_row(BRN_A, phone="12", mobile="abc", email="nobody", segment="?", partner_since="soon",
                 monthly_sales="many")
    result = parse(csv_bytes([KO_HEADER, row]))
    record = only(result)
    assert (record.phone, record.mobile, record.email, record.segment) == ("", "", "", "")
    assert (record.partner_since, record.monthly_sales) == (None, None)
    assert [i.field for i in result.warnings] == ["phone", "mobile", "email", "segment", "partner_since",
                                                  "monthly_sales"]


def test_row_issue_translates_with_its_template_and_params() -> None:
    issue = RowIssue(12, "business_number", m.MERGED_INTO_ROW % {"row": 302}, template=m.MERGED_INTO_ROW,
                     params={"row": 302})
    assert issue.as_dict() == {"row": 12, "field": "business_number", "reason": "merged into row 302"}
    assert issue.translated(lambda s: s.replace("merged into row", "병합됨: 행")) == "병합됨: 행 302"
    plain = RowIssue(3, "name", m.MISSING)
    assert plain.template == "missing" and plain.translated(str.upper) == "MISSING"


def test_fields_are_the_ten_known_keys_with_english_labels() -> None:
    assert list(FIELDS) == ["business_number", "name", "representative", "phone", "mobile", "email",
                            "address", "segment", "partner_since", "monthly_sales"]
    assert FIELDS["representative"] == "Owner"
    assert all(label.isascii() for label in FIELDS.values())


# --- packaging and scale ------------------------------------------------------------------------------------


def test_the_package_imports_and_parses_without_django_settings() -> None:
    code = ("from partners.importing import parse_dealer_list, FIELDS\n"
            f"r = parse_dealer_list('상호,사업자등록번호\\n한빛,{BRN_A}\\n'.encode('cp949'), 'a.csv')\n"
            "print(r.records[0].business_number, FIELDS['name'])")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{BRN_A} Company name"


def test_a_generated_twenty_thousand_row_file_imports_every_row(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("dealer_lists", GENERATOR)
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    target = tmp_path / "big.csv"
    generator.big(str(target), 20_000, "cp949", 7)  # seed 7 includes business numbers with serial 0000
    result = parse(target.read_bytes(), "big.csv")
    assert (result.encoding, result.data_rows, len(result.records)) == ("cp949", 20_000, 20_000)
    assert result.rejected == [] and result.warnings == [] and result.duplicates_merged == []


# --- QA: header synonyms, column report, broken quotes, scientific notation, NUL bytes, UTF-16 -----------------


@pytest.mark.parametrize(("header", "field"), [
    ("주소1", "address"), ("주소 1", "address"), ("주소(1)", "address"), ("E-Mail 주소", "email"),
    ("이메일 주소", "email"), ("메일주소", "email"), ("Email 주소", "email"), ("사업장 소재지 주소", "address"),
    ("소재지 주소", "address"), ("사업장주소", "address"), ("주소지", "address"), ("가맹점명", "name"),
    ("대리점명", "name"), ("매장명", "name"), ("점포명", "name"), ("상호(법인명)", "name"), ("법인명", "name"),
    ("대표 성함", "representative"), ("대표자 성함", "representative"), ("점주", "representative"),
    ("대표자명(성명)", "representative"), ("최초 거래일", "partner_since"), ("최초거래일", "partner_since"),
    ("거래 개시일", "partner_since"), ("개시일", "partner_since"), ("상세주소", "address_detail"),
    ("주소2", "address_detail"), ("주소 (2)", "address_detail"), ("매장 상세주소", "address_detail"),
    ("Address 2", "address_detail"), ("Address line 1", "address"),
    ("Mailing address", "address"),
])
def test_qa_header_synonyms_map_to_their_field(header: str, field: str) -> None:
    key_header = "사업자등록번호" if field != "business_number" else "상호"
    result = parse(csv_bytes([[key_header, header], ["x", "y"]]))
    assert result.mapping.get(field) == 1, result.mapping
    assert result.ignored_columns == []


def test_a_header_naming_mail_is_the_email_column_even_when_it_says_address() -> None:
    header = ["상호", "사업자등록번호", "E-Mail 주소", "사업장 소재지 주소"]
    row = ["한빛전자", dashed(BRN_A), "Dealer@Example.kr", "서울특별시 강남구 테헤란로 1"]
    result = parse(csv_bytes([header, row]))
    assert result.mapping == {"name": 0, "business_number": 1, "email": 2, "address": 3}
    record = only(result)
    assert (record.email, record.address) == ("dealer@example.kr", "서울특별시 강남구 테헤란로 1")
    assert result.warnings == [] and result.notices == []


def test_address_1_and_address_2_columns_are_joined_into_one_address() -> None:
    header = ["가맹점명", "사업자등록번호", "대표자 성함", "주소1", "주소2", "최초 거래일"]
    rows = [header,
            ["한빛전자", dashed(BRN_A), "김민수", "서울특별시 강남구 테헤란로 1", "3층 301호", "2021-03-15"],
            ["대성전자", dashed(BRN_B), "이영희", "부산광역시 해운대구 센텀로 5", "", "2020-01-02"],
            ["세진상사", dashed(BRN_C), "박철수", "", "상세만 있음", ""]]
    result = parse(csv_bytes(rows))
    assert result.mapping == {"name": 0, "business_number": 1, "representative": 2, "address": 3,
                              "address_detail": 4, "partner_since": 5}
    assert [r.address for r in result.records] == ["서울특별시 강남구 테헤란로 1 3층 301호",
                                                   "부산광역시 해운대구 센텀로 5", "상세만 있음"]
    assert result.records[0].representative == "김민수"
    assert result.records[0].partner_since == dt.date(2021, 3, 15)
    assert result.ignored_columns == [] and result.notices == []


def test_a_detail_already_at_the_end_of_the_address_is_not_repeated() -> None:
    header = ["상호", "사업자등록번호", "주소", "상세주소"]
    rows = [header, ["한빛전자", dashed(BRN_A), "서울 강남구 테헤란로 1 3층", "3층"],
            ["대성전자", dashed(BRN_B), "부산 해운대구 센텀로 101", "1"]]
    assert [r.address for r in parse(csv_bytes(rows)).records] == ["서울 강남구 테헤란로 1 3층",
                                                                   "부산 해운대구 센텀로 101 1"]


def test_a_user_mapping_may_name_the_address_detail_column() -> None:
    rows = [["상호", "번호", "도로명", "동호수"], ["한빛전자", dashed(BRN_A), "서울 중구 세종대로 1", "2층"]]
    result = parse(csv_bytes(rows), mapping={"name": 0, "business_number": 1, "address": 2, "address_detail": 3})
    assert only(result).address == "서울 중구 세종대로 1 2층"
    assert result.ignored_columns == []
    assert list(result.mapping) == ["business_number", "name", "address", "address_detail"]
    assert FIELD_LABELS["address_detail"] == AUXILIARY_FIELDS["address_detail"] == "Address (detail)"
    assert "address_detail" not in FIELDS  # a DealerRecord has no such attribute: FIELDS stays the ten fields


def test_two_columns_for_one_field_keep_the_more_specific_one_and_report_the_other_as_ignored() -> None:
    header = ["업체", "상호명", "사업자등록번호", "연락처", "대표전화", "주소", "사업장 소재지 주소", "등록일",
              "거래시작일", "비고"]
    row = ["A", "한빛전자", dashed(BRN_A), "010-1111-2222", "02-555-0101", "서울", "서울특별시 강남구 테헤란로 1",
           "2024-01-01", "2021-03-15", "메모"]
    result = parse(csv_bytes([header, row]))
    assert result.mapping == {"business_number": 2, "name": 1, "phone": 4, "address": 6, "partner_since": 8}
    assert result.ignored_columns == ["업체", "연락처", "주소", "등록일", "비고"]
    record = only(result)
    assert (record.name, record.phone, record.partner_since) == ("한빛전자", "+8225550101", dt.date(2021, 3, 15))
    # the choice does not depend on the column order
    order = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]
    flipped = parse(csv_bytes([[header[i] for i in order], [row[i] for i in order]]))
    assert {f: header[order[c]] for f, c in flipped.mapping.items()} == {
        f: header[c] for f, c in result.mapping.items()}


def test_column_report_pairs_every_mapped_column_with_its_field() -> None:
    header = ["순번", "상호", "", "사업자번호", "주소", "담당자"]
    rows = [header, ["1", "한빛전자", "", dashed(BRN_A), "서울", "홍길동"]]
    result = parse(csv_bytes(rows))
    assert result.ignored_columns == ["순번", "담당자"]  # the blank header is not reported
    assert result.mapped_columns() == [(1, "상호", "name"), (3, "사업자번호", "business_number"),
                                       (4, "주소", "address")]
    assert [(result.headers[col], fld) for fld, col in result.mapping.items()] == [
        ("사업자번호", "business_number"), ("상호", "name"), ("주소", "address")]


def test_no_name_column_rejects_every_row_and_says_why_once() -> None:
    rows = [["사업자등록번호", "대표자", "주소"], [dashed(BRN_A), "김민수", "서울"], [dashed(BRN_B), "이영희", "부산"]]
    result = parse(csv_bytes(rows))
    assert "name" not in result.mapping
    assert issues(result.rejected) == [(2, "name", "missing"), (3, "name", "missing")]
    assert result.notices == [m.NO_NAME_COLUMN]
    assert "상호" in m.NO_NAME_COLUMN and "Company" in m.NO_NAME_COLUMN


def test_no_address_column_is_a_notice_and_the_dealers_are_still_imported() -> None:
    rows = [["상호", "사업자등록번호", "전화번호"], ["한빛전자", dashed(BRN_A), "02-555-0101"]]
    result = parse(csv_bytes(rows))
    assert only(result).address == ""
    assert result.notices == [m.NO_ADDRESS_COLUMN]


def test_no_business_number_column_is_a_notice_too() -> None:
    result = parse(csv_bytes([["상호", "주소"], ["한빛전자", "서울"]]))
    assert issues(result.rejected) == [(2, "business_number", "missing")]
    assert result.notices == [m.NO_BUSINESS_NUMBER_COLUMN]


def test_new_notices_are_english_sentences() -> None:
    for text in (m.NO_NAME_COLUMN, m.NO_ADDRESS_COLUMN, m.NO_BUSINESS_NUMBER_COLUMN, m.BROKEN_QUOTE):
        assert text[0].isupper() and text.endswith("."), text
    assert "upload" in m.BROKEN_QUOTE and "%(row)d" in m.BROKEN_QUOTE


def _broken_quote_file(*, at: int, more: int = 5, encoding: str = "utf-8") -> bytes:
    rows = [ko_row(brn(120 + i, 81, i), f"상사{i}") for i in range(at + more)]
    lines = [",".join(KO_HEADER)]
    for i, row in enumerate(rows):
        cells = [str(c).replace(",", "") for c in row]
        if i == at - 2:
            cells[0] = '"QA따옴표'  # an opening quote that is never closed
        lines.append(",".join(cells))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.mark.parametrize(("at", "encoding"), [(2, "utf-8"), (5, "cp949"), (40, "utf-8")])
def test_an_unclosed_quote_is_reported_with_its_row_instead_of_swallowing_the_rows_after_it(
        at: int, encoding: str) -> None:
    with pytest.raises(UnreadableFile) as caught:
        parse(_broken_quote_file(at=at, encoding=encoding))
    error = caught.value
    assert error.template == m.BROKEN_QUOTE and error.params == {"row": at}
    assert error.message == m.BROKEN_QUOTE % {"row": at} and f"row {at}" in error.message
    korean = error.translated(lambda s: s.replace("on row %(row)d", "(%(row)d행)"))
    assert f"({at}행)" in korean


def test_an_unclosed_quote_that_a_later_quoted_field_closes_is_still_reported() -> None:
    text = ("상호,사업자등록번호,주소\r\n"
            f"한빛전자,{BRN_A},서울\r\n"
            f'"QA따옴표,{BRN_B},서울\r\n'
            f'대성전자,{BRN_C},"부산, 해운대구"\r\n'
            f"세진상사,{BRN_D},대구\r\n")
    with pytest.raises(UnreadableFile) as caught:
        parse(text.encode("utf-8"))
    assert caught.value.params == {"row": 3}


def test_an_unclosed_quote_in_a_huge_file_is_reported_not_a_csv_error() -> None:
    body = "".join(f"상사{i},{brn(120 + i % 800, 81, i % 9000)},서울 강남구 테헤란로 {i}\r\n" for i in range(9000))
    text = "상호,사업자등록번호,주소\r\n" + f'한빛전자,{BRN_A},"서울\r\n' + body
    with pytest.raises(UnreadableFile) as caught:
        parse(text.encode("utf-8"))
    assert caught.value.params == {"row": 2}


def test_legit_quoted_line_breaks_are_not_mistaken_for_a_broken_quote() -> None:
    rows = [KO_HEADER,
            ko_row(BRN_A, address="서울특별시 중구 세종대로 1,\r\n3층 301호"),
            ko_row(BRN_B, "대성", address="부산광역시\n해운대구, 센텀로\n5층"),
            ko_row(BRN_C, "세진")]
    result = parse(csv_bytes(rows))
    assert [r.row for r in result.records] == [2, 3, 4]
    assert result.records[1].address == "부산광역시\n해운대구, 센텀로\n5층"
    rows = [["상호", "사업자등록번호", "주소"], ["한빛", BRN_A, "서울 1,\n3층"], ["대성", BRN_B, "부산"]]
    narrow = parse(csv_bytes(rows))
    assert [r.address for r in narrow.records] == ["서울 1,\n3층", "부산"]


@pytest.mark.parametrize("value", ["1.018100016E+09", "1.018100016e9", "1.0181000160E+09", "1018100016E0"])
def test_scientific_notation_that_keeps_every_digit_is_accepted(value: str) -> None:
    number = "1018100016"
    assert only(parse(csv_bytes([KO_HEADER, ko_row(number, business_number=value)]))).business_number == number


@pytest.mark.parametrize(("value", "reason"), [
    ("1.01810001E+09", m.SCIENTIFIC_NOTATION), ("1.0181E+09", m.SCIENTIFIC_NOTATION),
    ("1.0181000165E+09", m.NOT_A_BUSINESS_NUMBER),
])
def test_scientific_notation_that_lost_digits_is_still_rejected(value: str, reason: str) -> None:
    result = parse(csv_bytes([KO_HEADER, ko_row(BRN_A, business_number=value)]))
    assert issues(result.rejected) == [(2, "business_number", reason)]


def test_a_phone_in_scientific_notation_with_every_digit_is_read() -> None:
    record = only(parse(csv_bytes([KO_HEADER, ko_row(BRN_A, mobile="1.038067930E+09")])))
    assert record.mobile == "+821038067930"


@pytest.mark.parametrize(("value", "expected", "reason"), [
    ("4.5600000E+07", 45_600_000, None), ("4.56E+07", None, m.SCIENTIFIC_NOTATION_OPTIONAL),
    ("45,E+09600,000", None, m.SCIENTIFIC_NOTATION_OPTIONAL),  # once raised decimal.Overflow
    ("4.5E+9999999", None, m.SCIENTIFIC_NOTATION_OPTIONAL), ("1.5E-3", None, m.INVALID_AMOUNT),
])
def test_amounts_in_scientific_notation(value: str, expected: int | None, reason: str | None) -> None:
    header = KO_HEADER[:-1] + ["월매출(천원)"]  # a multiplier too: Decimal arithmetic must not overflow
    result = parse(csv_bytes([header, ko_row(BRN_A, monthly_sales=value)]))
    assert only(result).monthly_sales == (expected * 1000 if expected else None)
    assert issues(result.warnings) == ([(2, "monthly_sales", reason)] if reason else [])


@pytest.mark.parametrize("encoding", ["utf-8", "cp949", "utf-8-sig"])
def test_a_stray_nul_byte_is_an_invisible_character_not_a_binary_file(encoding: str) -> None:
    data = csv_bytes([KO_HEADER, ko_row(BRN_A), ko_row(BRN_B, "대성전자")], encoding=encoding)
    at = data.index("대성".encode(encoding.replace("-sig", "")))
    result = parse(data[:at] + b"\x00" + data[at:])
    assert [r.name for r in result.records] == ["한빛전자", "대성전자"]
    assert result.encoding == encoding


def test_a_file_full_of_nul_bytes_is_still_not_a_spreadsheet() -> None:
    data = csv_bytes([KO_HEADER, ko_row(BRN_A)])
    with pytest.raises(UnreadableFile) as caught:
        parse(data.replace(b",", b",\x00\x00"))
    assert caught.value.message == m.NOT_A_SPREADSHEET


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("delimiter", ["\t", ","])
def test_utf16_without_a_bom_is_read(encoding: str, delimiter: str) -> None:
    rows = [KO_HEADER, ko_row(BRN_A, "가나다 가맹점"), ko_row(BRN_B, "대성전자")]
    result = parse(csv_bytes(rows, encoding=encoding, delimiter=delimiter), "dealers.txt")
    assert (result.encoding, result.delimiter) == (encoding, delimiter)
    assert [r.name for r in result.records] == ["가나다 가맹점", "대성전자"]


def test_mutated_text_files_give_a_result_or_unreadable_never_another_error() -> None:
    rows = [KO_HEADER] + [ko_row(brn(120 + i, 81, i), f"상사{i}", address=f"서울, {i}\n{i}층") for i in range(30)]
    bases = [csv_bytes(rows, encoding=enc, delimiter=d)
             for enc in ("utf-8", "cp949", "utf-16", "utf-16-le") for d in (",", "\t")]
    noise = [b'"', b"\x00", b"\r", b"\n", b",", b"\t", b"\xff", b"\xef\xbb\xbf", b"E+09", b'""', b"\x00\x00"]
    rng = random.Random(11)
    for _ in range(400):
        data = bytearray(rng.choice(bases))
        for _edit in range(rng.randint(1, 6)):
            at = rng.randrange(len(data))
            if rng.random() < 0.7:
                data[at:at] = rng.choice(noise)
            else:
                del data[at:at + rng.randint(1, 50)]
        try:
            result = parse(bytes(data))
        except UnreadableFile as exc:
            assert exc.message and exc.message[0].isupper()
        else:
            assert isinstance(result, ParseResult)
