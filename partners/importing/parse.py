"""The entry point: one uploaded file in, a ParseResult out. No database, no Django models.

The order of work matters for the row numbers and the counts the import report shows:
1. read the file into tables whose list index + 1 is the Excel row number (reader);
2. find the header row and the sheet holding it (columns);
3. clean every non-blank row under it; a row whose business number or name is unusable is rejected,
   a malformed optional value becomes a warning and is left empty (normalise);
4. fold rows sharing a business number into the latest one, because a distributor appends corrections.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from . import messages as m
from .columns import FIELD_LABELS, FIELD_ORDER, HeaderGuess, find_header, is_english_header, sales_multiplier
from .normalise import (
    Cell,
    cell_to_text,
    clean_business_number,
    clean_date,
    clean_email,
    clean_money,
    clean_phone,
    clean_segment,
    clean_text,
    infer_date_order,
    is_blank_row,
    year_last_parts,
)
from .reader import Table, read_source
from .result import DealerRecord, ParseResult, RowIssue, UnreadableFile

_T = TypeVar("_T")

PREVIEW_ROWS = 10
NAME_MAX_LENGTH = 200  # Organization.name
REPRESENTATIVE_MAX_LENGTH = 100  # Organization.representative


# How often (in rows) the cleaning loop reports progress to ``on_progress``.
PROGRESS_EVERY = 5000

# on_progress(stage, done, total): stage is "read" (the table is in memory) or "check" (rows cleaned so far).
Progress = Callable[[str, int, int], None]


@dataclass
class DealerTable:
    """The dealer table found in a file, before any row is cleaned: what the column-mapping screen shows.

    ``body`` holds the non-blank rows under the header as (Excel row number, cells). ``guessed_mapping`` is
    the automatic field -> column mapping of the header row. Built by ``read_dealer_table``, or from the
    stored first rows of an upload (``DealerTable(**stored)``) to check a corrected mapping without reading
    the file again.
    """

    encoding: str
    sheet: str | None
    header_row: int
    header_cells: list[Cell]
    body: list[tuple[int, list[Cell]]]
    guessed_mapping: dict[str, int]
    delimiter: str | None = None

    @property
    def headers(self) -> list[str]:
        return _trimmed([clean_text(c) for c in self.header_cells])

    def head(self, rows: int) -> DealerTable:
        """The same table with only its first ``rows`` data rows."""
        return dataclasses.replace(self, body=self.body[:rows])

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe dict (typed cells tagged) that ``DealerTable.from_json`` turns back into this table."""
        return {
            "encoding": self.encoding, "sheet": self.sheet, "header_row": self.header_row,
            "header_cells": [cell_to_json(c) for c in self.header_cells],
            "body": [[row, [cell_to_json(c) for c in cells]] for row, cells in self.body],
            "guessed_mapping": self.guessed_mapping, "delimiter": self.delimiter,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DealerTable:
        return cls(
            encoding=data["encoding"], sheet=data["sheet"], header_row=data["header_row"],
            header_cells=[cell_from_json(c) for c in data["header_cells"]],
            body=[(row, [cell_from_json(c) for c in cells]) for row, cells in data["body"]],
            guessed_mapping={k: int(v) for k, v in data["guessed_mapping"].items()}, delimiter=data["delimiter"],
        )


_TEMPORAL: dict[str, Any] = {"date": dt.date, "datetime": dt.datetime, "time": dt.time}


def cell_to_json(cell: Cell) -> Any:
    """A cell as JSON: text, whole numbers, finite floats and booleans as themselves; the rest tagged."""
    if cell is None or isinstance(cell, (str, bool, int)):
        return cell
    if isinstance(cell, float):
        return cell if math.isfinite(cell) else {"float": repr(cell)}
    if isinstance(cell, dt.timedelta):
        return {"timedelta": cell.total_seconds()}
    for tag, kind in (("datetime", dt.datetime), ("date", dt.date), ("time", dt.time)):
        if isinstance(cell, kind):
            return {tag: cell.isoformat()}
    return str(cell)


def cell_from_json(value: Any) -> Cell:
    if not isinstance(value, dict):
        return cast("Cell", value)
    (tag, raw), = value.items()
    if tag == "float":
        return float(raw)
    if tag == "timedelta":
        return dt.timedelta(seconds=raw)
    return cast("Cell", _TEMPORAL[tag].fromisoformat(raw))


def read_dealer_table(data: bytes, *, max_rows: int | None = None) -> DealerTable:
    """Read the file and find its dealer table (sheet, header row, automatic mapping); clean nothing yet.

    Raises UnreadableFile when the file is not a dealer list, or holds more than ``max_rows`` data rows.
    """
    if not isinstance(data, bytes):
        data = bytes(data)  # a bytearray or memoryview from a file storage backend
    source = read_source(data)
    table, guess = _pick_table(source.tables, source.skipped)
    body = [(index + 1, cells) for index in range(guess.index + 1, len(table.rows))
            if not is_blank_row(cells := table.rows[index])]  # blank rows are skipped and are not data rows
    if not body:
        raise UnreadableFile(m.HEADER_ONLY)
    if max_rows is not None and len(body) > max_rows:
        raise UnreadableFile.at(m.TOO_MANY_ROWS, rows=f"{len(body):,}", limit=f"{max_rows:,}")
    return DealerTable(encoding=source.encoding, sheet=table.name, header_row=guess.index + 1,
                       header_cells=list(table.rows[guess.index]), body=body,
                       guessed_mapping=dict(guess.mapping), delimiter=source.delimiter)


def parse_dealer_list(data: bytes, filename: str, mapping: Mapping[str, int] | None = None, *,
                      max_rows: int | None = None, on_progress: Progress | None = None) -> ParseResult:
    """Read a dealer list (CSV in any common encoding and delimiter, .xlsx, .xls, .xlsb, .ods).

    ``filename`` is only for the caller's logs and messages: the content decides how the file is read.
    ``mapping`` (field -> 0-based column index) replaces the automatic mapping when a person corrected it
    on the mapping screen; the header row is still found automatically. Besides the FIELDS it may name an
    "address_detail" column (see AUXILIARY_FIELDS), which is appended to the address.

    Raises UnreadableFile when the file is not a dealer list at all (or has more than ``max_rows`` rows), and
    ValueError when ``mapping`` names an unknown field or a negative column (a programming error, not the
    user's).
    """
    del filename  # see the docstring: never trusted to decide the format
    chosen = _validated_mapping(mapping) if mapping is not None else None
    table = read_dealer_table(data, max_rows=max_rows)
    if on_progress:
        on_progress("read", len(table.body), len(table.body))
    return clean_dealer_table(table, chosen, on_progress=on_progress)


def clean_dealer_table(table: DealerTable, mapping: Mapping[str, int] | None = None, *,
                       on_progress: Progress | None = None, chosen: bool | None = None) -> ParseResult:
    """Clean every row of ``table`` with ``mapping`` (default: the automatic one) into a ParseResult.

    ``chosen`` says a person picked the mapping (default: whenever one is given); the notices about a missing
    column then don't ask to rename it."""
    used = _validated_mapping(mapping) if mapping is not None else table.guessed_mapping
    header_cells = table.header_cells
    # A header printed again on every page of a long export is not a dealer.
    expected = _header_cells_to_repeat(header_cells, used)
    body = table.body if expected is None else [
        (row, cells) for row, cells in table.body
        if not all(clean_text(_cell(cells, col)) == text for col, text in expected)]
    if not body:
        raise UnreadableFile(m.HEADER_ONLY)

    headers = table.headers
    preview = [[cell_to_text(c) for c in _trimmed(list(cells))] for _row, cells in body[:PREVIEW_ROWS]]
    width = max([len(headers), *(len(r) for r in preview)])
    width = max([width, *(col + 1 for col in used.values())])  # a chosen column may be past the header
    headers += [""] * (width - len(headers))
    preview = [r + [""] * (width - len(r)) for r in preview]

    result = ParseResult(
        encoding=table.encoding,
        sheet=table.sheet,
        header_row=table.header_row,
        headers=headers,
        mapping=dict(used),
        data_rows=len(body),
        preview=preview,
        preview_rows=[row for row, _cells in body[:PREVIEW_ROWS]],
        delimiter=table.delimiter,
        ignored_columns=_ignored_columns(headers, used),
        notices=_notices(used, chosen=mapping is not None if chosen is None else chosen),
    )
    _clean_rows(result, body, used, headers, on_progress)
    return result


def _validated_mapping(mapping: Mapping[str, int]) -> dict[str, int]:
    clean: dict[str, int] = {}
    for fld, col in mapping.items():
        if fld not in FIELD_LABELS:
            raise ValueError(f"unknown field {fld!r}; expected one of {', '.join(FIELD_LABELS)}")
        if isinstance(col, bool) or not isinstance(col, int) or col < 0:
            raise ValueError(f"column for {fld!r} must be a non-negative int, not {col!r}")
        clean[fld] = col
    return {f: clean[f] for f in FIELD_ORDER if f in clean}


def _ignored_columns(headers: Sequence[str], mapping: Mapping[str, int]) -> list[str]:
    """Non-blank headers of the columns no field is read from, in column order."""
    used = set(mapping.values())
    return [header for col, header in enumerate(headers) if header and col not in used]


def _notices(mapping: Mapping[str, int], *, chosen: bool = False) -> list[str]:
    """Sentences about the whole file: a key column or the address column that was not recognised (or, when a
    person chose the columns, not chosen)."""
    notices = []
    if "business_number" not in mapping:
        notices.append(m.NO_BUSINESS_NUMBER_CHOSEN if chosen else m.NO_BUSINESS_NUMBER_COLUMN)
    if "name" not in mapping:
        notices.append(m.NO_NAME_CHOSEN if chosen else m.NO_NAME_COLUMN)
    if "address" not in mapping and "address_detail" not in mapping:
        notices.append(m.NO_ADDRESS_CHOSEN if chosen else m.NO_ADDRESS_COLUMN)
    return notices


def _pick_table(tables: Sequence[Table], skipped: Sequence[str] = ()) -> tuple[Table, HeaderGuess]:
    """The sheet whose header scores best; on a tie the visible sheet, then the first one."""
    best: tuple[Table, HeaderGuess] | None = None
    best_key: tuple[float, bool] | None = None
    for table in tables:
        guess = find_header(table.rows)
        if guess is None:
            continue
        key = (guess.score, not table.hidden)
        if best_key is None or key > best_key:
            best, best_key = (table, guess), key
    if best is None:
        # A sheet too large to open may well have been the dealer list: say that rather than "no header".
        raise UnreadableFile(m.SHEET_TOO_LARGE if skipped else m.NO_HEADER)
    return best


def _trimmed(cells: list[_T]) -> list[_T]:
    """Without trailing empty cells (workbooks pad every row to the width of the used range)."""
    end = len(cells)
    while end and (cells[end - 1] is None or cells[end - 1] == ""):
        end -= 1
    return cells[:end]


# A spreadsheet export quotes a cell that would run as a formula ("'=SUM", "'+82 2 ..."); that quote is not
# part of the value (prm.core.export.safe_cell writes it, and this takes it off again).
_FORMULA_QUOTED = tuple("'" + ch for ch in ("=", "+", "-", "@", "\t", "\r"))
_SEGMENT_SEPARATORS = re.compile(r"\s*[,/;·、|]\s*")


def _cell(cells: Sequence[Cell], col: int | None) -> Cell:
    if col is None or col >= len(cells):
        return None
    value = cells[col]
    if value.__class__ is str and value.startswith(_FORMULA_QUOTED):
        return value[1:]
    return value


def _header_cells_to_repeat(header: Sequence[Cell], mapping: Mapping[str, int]) -> list[tuple[int, str]] | None:
    """(column, header text) a row must repeat to be the header printed again; None when no row can (fewer
    than two mapped columns, or a mapped column without a text header)."""
    if len(mapping) < 2:
        return None
    expected = []
    for col in mapping.values():
        cell = _cell(header, col)
        if not isinstance(cell, str) or not cell.strip():
            return None
        expected.append((col, clean_text(cell)))
    return expected


def _with_detail(address: str, detail: str) -> str:
    """"서울 강남구 테헤란로 1" + "3층 301호", unless the detail is empty or already ends the address."""
    if not detail or address == detail or address.endswith((f" {detail}", f"\n{detail}")):
        return address
    return f"{address} {detail}" if address else detail


def _clean_rows(result: ParseResult, body: list[tuple[int, list[Cell]]], mapping: Mapping[str, int],
                headers: list[str], on_progress: Progress | None = None) -> None:
    """Fill records, rejected, warnings and duplicates_merged of ``result`` from the data rows."""
    col = mapping.get
    c_brn, c_name, c_rep = col("business_number"), col("name"), col("representative")
    c_phone, c_mobile, c_email = col("phone"), col("mobile"), col("email")
    c_address, c_detail, c_segment = col("address"), col("address_detail"), col("segment")
    c_since, c_sales = col("partner_since"), col("monthly_sales")

    english = is_english_header(headers)
    multiplier = sales_multiplier(headers[c_sales]) if c_sales is not None and c_sales < len(headers) else 1

    # Day/month order is a property of the whole column, so look at every value before reading any.
    order: str | None = None
    file_warnings: list[RowIssue] = []
    if c_since is not None:
        parts = []
        for row, cells in body:
            found = year_last_parts(_cell(cells, c_since), english=english)
            if found:
                parts.append((row, found))
        order, ambiguous_row = infer_date_order(parts)
        if ambiguous_row is not None:
            ambiguous_cells = next(cells for row, cells in body if row == ambiguous_row)
            file_warnings.append(RowIssue(ambiguous_row, "partner_since", m.AMBIGUOUS_DATE_ORDER,
                                          value=cell_to_text(_cell(ambiguous_cells, c_since))))

    # Segments, dates and amounts repeat a lot down a column (seven segments, a few thousand dates), and their
    # cleaners are pure, so a small cache per file saves a third of the time on large lists. typed=True keeps
    # 1, 1.0 and True apart.
    @functools.lru_cache(maxsize=8192, typed=True)
    def segment_of(raw: Cell) -> tuple[tuple[str, ...], str | None]:
        code, why = clean_segment(raw)
        if why is None or not isinstance(raw, str):
            return ((code,) if code else ()), why
        # "Retail, Online" (one cell, several segments, as the dealer export writes them): every part must be
        # a segment, else the whole value is the unknown one it was.
        parts = [part for part in _SEGMENT_SEPARATORS.split(raw) if part.strip()]
        codes: list[str] = []
        for part in parts if len(parts) > 1 else ():
            part_code, part_why = clean_segment(part)
            if part_why is not None:
                return (), why
            if part_code and part_code not in codes:
                codes.append(part_code)
        return (tuple(codes), None) if codes else ((), why)

    @functools.lru_cache(maxsize=8192, typed=True)
    def date_of(raw: Cell) -> tuple[dt.date | None, str | None]:
        return clean_date(raw, order=order, english=english)

    @functools.lru_cache(maxsize=8192, typed=True)
    def money_of(raw: Cell) -> tuple[int | None, str | None]:
        return clean_money(raw, multiplier=multiplier)

    winners: dict[str, DealerRecord] = {}
    row_warnings: dict[int, list[RowIssue]] = {}
    rejected: list[RowIssue] = []
    merged: list[RowIssue] = []

    total = len(body)
    for done, (row, cells) in enumerate(body):
        if on_progress and done % PROGRESS_EVERY == 0 and done:
            on_progress("check", done, total)
        raw_brn = _cell(cells, c_brn)
        number, reason = clean_business_number(raw_brn)
        if reason is not None:
            hint = m.SCIENTIFIC_NOTATION_HINT if reason == m.SCIENTIFIC_NOTATION else ""
            rejected.append(RowIssue(row, "business_number", reason, value=cell_to_text(raw_brn), hint=hint))
            continue
        name = clean_text(_cell(cells, c_name))
        if not name:
            rejected.append(RowIssue(row, "name", m.MISSING))
            continue
        if len(name) > NAME_MAX_LENGTH:
            rejected.append(RowIssue(row, "name", m.NAME_TOO_LONG, value=name[:80]))
            continue

        issues: list[tuple[str, str, Cell]] = []  # (field, reason, raw cell), made into RowIssues below

        representative = clean_text(_cell(cells, c_rep))
        if len(representative) > REPRESENTATIVE_MAX_LENGTH:
            issues.append(("representative", m.TOO_LONG, representative[:80]))
            representative = ""
        raw = _cell(cells, c_phone)
        phone, why = clean_phone(raw)
        if why:
            issues.append(("phone", why, raw))
        raw = _cell(cells, c_mobile)
        mobile, why = clean_phone(raw)
        if why:
            issues.append(("mobile", why, raw))
        raw = _cell(cells, c_email)
        email, why = clean_email(raw)
        if why:
            issues.append(("email", why, raw))
        address = clean_text(_cell(cells, c_address), multiline=True)
        if c_detail is not None:
            address = _with_detail(address, clean_text(_cell(cells, c_detail), multiline=True))
        raw = _cell(cells, c_segment)
        segments, why = segment_of(raw)
        if why:
            issues.append(("segment", why, raw))
        raw = _cell(cells, c_since)
        since, why = date_of(raw)
        if why:
            issues.append(("partner_since", why, raw))
        raw = _cell(cells, c_sales)
        sales, why = money_of(raw)
        if why:
            issues.append(("monthly_sales", why, raw))

        record = DealerRecord(
            row=row, business_number=number, name=name, representative=representative, phone=phone,
            mobile=mobile, email=email, address=address, segment=segments[0] if segments else "",
            segments=segments, partner_since=since,
            monthly_sales=sales,
        )
        # Within one file the later row wins: distributors append corrections instead of editing rows.
        # pop-then-insert moves the winner to the end, so records stay in the order of their winning rows.
        earlier = winners.pop(number, None)
        if earlier is not None:
            merged.append(RowIssue(earlier.row, "business_number", m.MERGED_INTO_ROW % {"row": row},
                                   value=number, template=m.MERGED_INTO_ROW, params={"row": row}))
            row_warnings.pop(earlier.row, None)  # the losing row's values are gone, so are its warnings
        winners[number] = record
        if issues:
            row_warnings[row] = [RowIssue(row, fld, why, value=cell_to_text(raw)) for fld, why, raw in issues]

    if on_progress:
        on_progress("check", total, total)
    result.records = list(winners.values())
    result.rejected = rejected
    result.duplicates_merged = sorted(merged, key=lambda issue: issue.row)
    warnings = file_warnings + [issue for issues in row_warnings.values() for issue in issues]
    result.warnings = sorted(warnings, key=lambda issue: issue.row)
