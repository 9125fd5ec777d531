"""Bytes in, tables out: recognise the file type, decode text, split CSV, open workbooks.

The file's *content* decides how it is read, never its name: distributors send CSVs named .xls, HTML pages
named .xls, and workbooks named .csv. Whatever goes wrong inside a library (UnicodeDecodeError, BadZipFile,
calamine's errors, csv.Error) is turned into UnreadableFile with a sentence a person can act on.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import cast
from xml.etree import ElementTree

import charset_normalizer
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from . import messages as m
from .columns import find_header
from .normalise import Cell, is_blank_row
from .result import UnreadableFile

# Decompressed size we are willing to hold in memory (a 50 MB upload limit does not bound a zip's contents).
MAX_EXPANDED_BYTES = 512 * 1024 * 1024

# A sheet's used range is turned into a full grid (by calamine, and again here so that indexes are real row
# and column numbers); a stray value in cell XFD1048576 must not make that billions of cells. Five million
# cells is 250,000 rows x 20 columns, far beyond a 50 MB dealer list, and still a few hundred MB at most.
MAX_CELLS = 5_000_000

DELIMITERS: tuple[str, ...] = (",", "\t", ";", "|")

# A text file may carry a few stray NUL bytes (a bad copy, a buggy export); they are dropped like any other
# invisible character. More than one per thousand bytes (and more than a handful in a small file) is binary.
NUL_ALLOWANCE = 4
NUL_RATIO = 1000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_GZIP_MAGIC = b"\x1f\x8b"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # the stream of a password-protected .xlsx


@dataclass
class Table:
    """One grid of cells. ``rows[i]`` is the spreadsheet's row ``i + 1``, exactly as Excel numbers it."""

    name: str | None
    rows: list[list[Cell]]
    hidden: bool = False


@dataclass
class Source:
    encoding: str  # text encoding, or the workbook format ("xlsx", "xls", "xlsb", "ods")
    tables: list[Table]
    delimiter: str | None = None
    skipped: list[str] = field(default_factory=list)  # sheets left unread because they were too large


def read_source(data: bytes) -> Source:
    """Open any dealer-list file. Raises UnreadableFile for anything that is not a table of text."""
    if not data or not data.strip(b" \t\r\n\x00"):
        raise UnreadableFile(m.EMPTY_FILE)
    if data.startswith(_GZIP_MAGIC):
        data = _gunzip(data)
        if not data.strip():
            raise UnreadableFile(m.EMPTY_FILE)
    if data.startswith(_ZIP_MAGIC) or data.startswith(b"PK\x05\x06"):
        return _read_zip(data)
    if data.startswith(_OLE_MAGIC):
        return _read_ole(data)
    if data.startswith(b"%PDF"):
        raise UnreadableFile(m.PDF_FILE)
    return _read_text(data)


# --- workbooks ----------------------------------------------------------------------------------------------


def _gunzip(data: bytes) -> bytes:
    """A .csv.gz (the big-file generator and some exports write them), size-capped against zip bombs."""
    try:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = inflater.decompress(data, MAX_EXPANDED_BYTES)
        if inflater.unconsumed_tail:
            raise UnreadableFile(m.TOO_LARGE)
        return out
    except zlib.error as exc:
        raise UnreadableFile(m.DAMAGED_WORKBOOK, detail=f"gzip: {exc}") from exc


def _read_zip(data: bytes) -> Source:
    # Look inside with zipfile first: it tells a cut-off upload (no central directory) from a zip that is
    # simply not a workbook, which calamine reports the same way.
    oversized: set[str] = set()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
            if "xl/workbook.xml" in names and sum(info.file_size for info in infos) <= MAX_EXPANDED_BYTES:
                oversized = _oversized_xlsx_sheets(archive, names)
    except UnreadableFile:
        raise
    except Exception as exc:  # BadZipFile, NotImplementedError, zlib.error, struct.error: all mean "damaged"
        raise UnreadableFile(m.DAMAGED_WORKBOOK, detail=f"zip: {type(exc).__name__}: {exc}") from exc
    if "xl/workbook.xml" in names:
        kind = "xlsx"
    elif "xl/workbook.bin" in names:
        kind = "xlsb"
    elif b"opendocument.spreadsheet" in mimetype:
        kind = "ods"
    elif "word/document.xml" in names or "ppt/presentation.xml" in names or b"opendocument" in mimetype:
        raise UnreadableFile(m.NOT_A_SPREADSHEET)
    else:
        raise UnreadableFile(m.ZIP_NOT_WORKBOOK)
    if sum(info.file_size for info in infos) > MAX_EXPANDED_BYTES:
        raise UnreadableFile(m.TOO_LARGE)
    return _read_workbook(data, kind, skip=oversized)


# 'r="B5"' on <c> and 'r="5"' on <row>. No leading \s: a literal start lets the regex engine skip ahead fast,
# and the few other attributes ending in "r" (header="0.3") only add harmless small numbers.
_ROW_REF = re.compile(rb'r="[A-Z]{0,3}([0-9]{1,7})"')
_COL_REF = re.compile(rb'r="([A-Z]{1,3})[0-9]')


def _column_number(letters: bytes) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ch - 64
    return col


def _sheet_extent(archive: zipfile.ZipFile, path: str) -> int:
    """Rows x columns of the grid calamine would build for one worksheet XML, read from its cell references.

    calamine turns a sheet into a dense grid and *aborts the process* when it cannot allocate it (a stray
    value in XFD1048576 asks for half a terabyte), so this is measured before calamine sees the sheet.
    The scan is streamed, so a large sheet costs time but no memory; max() over findall keeps the per-cell
    work in C (a Python loop over a million references took seconds).
    """
    max_row = max_col = 0
    tail = b""
    with archive.open(path) as stream:
        while chunk := stream.read(1 << 22):
            text = tail + chunk
            rows = _ROW_REF.findall(text)
            if rows:
                max_row = max(max_row, max(map(int, rows)))
            cols = _COL_REF.findall(text)
            if cols:
                # same-length column names sort like their numbers: "AB" < "BA"; longer is always further
                max_col = max(max_col, _column_number(max(cols, key=lambda c: (len(c), c))))
            tail = chunk[-40:]  # a reference cut in two by the chunk boundary is found whole next time
    return max_row * max(max_col, 1)


def _oversized_xlsx_sheets(archive: zipfile.ZipFile, names: set[str]) -> set[str]:
    """Names of the sheets too large to open safely (see _sheet_extent)."""
    paths = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    too_big = {p for p in paths if _sheet_extent(archive, p) > MAX_CELLS}
    if not too_big:
        return set()
    # Map the sheet files back to sheet names through workbook.xml and its relationships, so that a stray
    # cell on some other sheet does not stop the dealer sheet from being read. Namespaces are matched by
    # suffix because "strict" OOXML files use other namespace URIs.
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError) as exc:
        raise UnreadableFile(m.SHEET_TOO_LARGE, detail=str(exc)) from exc
    targets: dict[str, str] = {}
    for rel in rels.iter():
        if rel.tag.endswith("Relationship"):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[rel.get("Id", "")] = target
    sheets: set[str] = set()
    for sheet in book.iter():
        if not sheet.tag.endswith("}sheet"):
            continue
        rel_id = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), "")
        if targets.get(rel_id) in too_big:
            sheets.add(sheet.get("name", ""))
    if not sheets:
        raise UnreadableFile(m.SHEET_TOO_LARGE)
    return sheets


def _read_ole(data: bytes) -> Source:
    # Legacy .xls lives in an OLE compound file; so do password-protected .xlsx files and Word .doc files.
    if _ENCRYPTED_PACKAGE in data:
        raise UnreadableFile(m.PASSWORD_PROTECTED)
    if "Workbook".encode("utf-16-le") not in data and "Book".encode("utf-16-le") not in data:
        raise UnreadableFile(m.NOT_A_SPREADSHEET)
    return _read_workbook(data, "xls")


def _library_failure(exc: BaseException) -> bool:
    """True for any error raised by a parsing library, as opposed to Ctrl-C or interpreter exit.

    calamine is Rust: besides its own exception types (CalamineError, ZipError, XmlError, ...) a corrupt file
    can make it panic, which pyo3 raises as ``PanicException`` - a BaseException, not an Exception, so a
    plain ``except Exception`` lets it through. None of them may reach the person uploading.
    """
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _damaged(exc: BaseException) -> UnreadableFile:
    if isinstance(exc, PasswordError):
        return UnreadableFile(m.PASSWORD_PROTECTED, detail=str(exc))
    return UnreadableFile(m.DAMAGED_WORKBOOK, detail=f"{type(exc).__name__}: {exc}")


def _read_workbook(data: bytes, kind: str, skip: set[str] | None = None) -> Source:
    # The broad catches below wrap library calls only, never our own code; see _library_failure.
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = list(workbook.sheets_metadata)
    except BaseException as exc:
        if not _library_failure(exc):
            raise
        raise _damaged(exc) from exc
    tables: list[Table] = []
    failure: BaseException | None = None
    skipped: list[str] = []
    for meta in sheets:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue  # chart and macro sheets hold no cells
        if skip and meta.name in skip:
            skipped.append(meta.name)
            continue
        try:
            sheet = workbook.get_sheet_by_name(meta.name)
            end = sheet.end
            if end is not None and (end[0] + 1) * (end[1] + 1) > MAX_CELLS:
                skipped.append(meta.name)  # .xls and others, where the grid was small enough to build once
                continue
            # skip_empty_area=False keeps leading empty rows and columns, so that rows[i] is really sheet
            # row i + 1 and column j really column j (with the default, a title on row 3 would be "row 1").
            rows = sheet.to_python(skip_empty_area=False)
        except UnreadableFile:
            raise
        except BaseException as exc:
            if not _library_failure(exc):
                raise
            if isinstance(exc, PasswordError):
                raise _damaged(exc) from exc
            failure = exc  # one unreadable sheet need not sink the others
            continue
        tables.append(Table(name=meta.name, rows=[list(r) for r in rows],
                            hidden=meta.visible != SheetVisibleEnum.Visible))
    try:
        workbook.close()
    except BaseException as exc:  # closing an in-memory workbook cannot lose data
        if not _library_failure(exc):
            raise
    if not tables and failure is not None:
        raise _damaged(failure)
    if not tables and skipped:
        raise UnreadableFile(m.SHEET_TOO_LARGE, detail=f"skipped {skipped}")
    if not any(not is_blank_row(row) for table in tables for row in table.rows):
        raise UnreadableFile(m.SHEET_TOO_LARGE if skipped else m.EMPTY_FILE)
    return Source(encoding=kind, tables=tables, skipped=skipped)


# --- text ---------------------------------------------------------------------------------------------------


def _decode_strict(data: bytes, encoding: str) -> str | None:
    """``data`` decoded without any replacement, or None.

    One exception: a file cut off in the middle of a multi-byte character (an interrupted copy) keeps its
    complete part instead of failing as a whole; only the last character is lost.
    """
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.end >= len(data) and exc.start >= len(data) - 3:
            try:
                return data[: exc.start].decode(encoding)
            except UnicodeDecodeError:
                return None
        return None


def _control_ratio(sample: str | bytes) -> float:
    if not sample:
        return 0.0
    if isinstance(sample, bytes):
        bad = sum(1 for b in sample if b < 0x20 and b not in (0x09, 0x0A, 0x0D))
    else:
        bad = sum(1 for ch in sample if (ch < " " and ch not in "\t\r\n") or ch == "\ufffd")
    return bad / len(sample)


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name) for a text file, trying the encodings Korean offices really produce.

    UTF-8 first and strictly (a CP949 file is never valid UTF-8 once it holds Hangul, so there is no
    guessing), then CP949 strictly: Korean Windows Excel's "CSV" is CP949, a superset of EUC-KR that also
    covers the 8,822 Hangul EUC-KR lacks ("똠", "쏿"), so EUC-KR is always read as CP949. Only files that are
    neither go to charset-normalizer.
    """
    if data.startswith(codecs.BOM_UTF8):
        text = _decode_strict(data[3:], "utf-8")
        if text is not None:
            return text, "utf-8-sig"
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        text = _decode_strict(data, "utf-32")
        if text is not None:
            return text, "utf-32"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        # Excel's "Unicode Text" (.txt): UTF-16 with a BOM, tab-delimited.
        text = _decode_strict(data, "utf-16")
        if text is not None:
            return text, "utf-16"
    if b"\x00" in data:
        found = _utf16_without_bom(data)
        if found is not None:
            return found
        if not _few_nuls(data.count(b"\x00"), len(data)):
            raise UnreadableFile(m.NOT_A_SPREADSHEET)  # text files hold no NUL bytes; images and binaries do
        # In every encoding left to try a 0x00 byte is the character NUL and nothing else, so dropping the
        # bytes is dropping an invisible character from the cell it was in.
        data = data.replace(b"\x00", b"")
    head = data[:65536]
    if _control_ratio(head) > 0.02:
        raise UnreadableFile(m.NOT_A_SPREADSHEET)
    for encoding in ("utf-8", "cp949"):
        text = _decode_strict(data, encoding)
        if text is not None:
            return text, encoding
    best = charset_normalizer.from_bytes(data[:1_000_000]).best()
    if best is None:
        raise UnreadableFile(m.UNKNOWN_ENCODING)
    try:
        name = codecs.lookup(best.encoding).name
    except LookupError as exc:
        raise UnreadableFile(m.UNKNOWN_ENCODING, detail=best.encoding) from exc
    if name in ("euc_kr", "cp949", "johab", "iso2022_kr"):
        # Strict CP949 already failed, so a few bytes are damaged: keep the rest rather than refuse the file.
        name = "cp949"
    text = data.decode(name, errors="replace")
    if text.count("\ufffd") > max(3, len(text) // 1000):
        raise UnreadableFile(m.UNKNOWN_ENCODING, detail=name)
    return text, name


def _few_nuls(count: int, size: int) -> bool:
    return count <= max(NUL_ALLOWANCE, size // NUL_RATIO)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """(text, "utf-16-le" or "utf-16-be") for UTF-16 text saved without a byte order mark, else None.

    A dealer list is full of ASCII (digits, dashes, commas, e-mail addresses), and in UTF-16 every ASCII
    character has a 0x00 byte: the second of each pair in little-endian, the first in big-endian. Hangul has
    a 0x00 byte only for the few syllables ending in 00 ("가" is U+AC00), so one side of the pairs is full of
    zeros and the other nearly free of them. Binary files have zeros on both sides, or decode to control
    characters, and are left to the checks that refuse them.
    """
    sample = data[:65536]
    if len(sample) < 4:
        return None
    sample = sample[: len(sample) // 2 * 2]
    half = len(sample) // 2
    zeros_first = sample[0::2].count(0) / half
    zeros_second = sample[1::2].count(0) / half
    if zeros_second >= 0.1 and zeros_first <= min(0.05, zeros_second / 4):
        encoding = "utf-16-le"
    elif zeros_first >= 0.1 and zeros_second <= min(0.05, zeros_first / 4):
        encoding = "utf-16-be"
    else:
        return None
    text = _decode_strict(data, encoding)
    if text is None or _control_ratio(text[:65536]) > 0.01:
        return None
    return text, encoding


_SEP_HINT = re.compile(r"^sep=(.)[ \t]*\r?\n", re.IGNORECASE)
_MARKUP = ("<!doctype html", "<html", "<table", "<?xml", "<meta", "<head", "<body", "<style")


def _read_text(data: bytes) -> Source:
    text, encoding = decode_text(data)
    if "\x00" in text:  # a UTF-8 (with BOM) or UTF-16 file with a stray NUL character
        if not _few_nuls(text.count("\x00"), len(text)):
            raise UnreadableFile(m.NOT_A_SPREADSHEET)
        text = text.replace("\x00", "")
    start = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if start.startswith(_MARKUP):
        raise UnreadableFile(m.WEB_PAGE)
    if _control_ratio(text[:65536]) > 0.01:
        raise UnreadableFile(m.NOT_A_SPREADSHEET)
    rows, delimiter = read_csv(text)
    if not any(not is_blank_row(row) for row in rows):
        raise UnreadableFile(m.EMPTY_FILE)
    return Source(encoding=encoding, tables=[Table(name=None, rows=rows)], delimiter=delimiter)


def _reader(text: str, delimiter: str) -> Iterator[list[str]]:
    # newline="" hands the csv module the raw line ends, which it needs to keep a line break inside a quoted
    # field; skipinitialspace lets '"a", "b, c"' (a space after the comma) still be read as quoted fields.
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True,
                      skipinitialspace=True, strict=False)


def read_csv(text: str) -> tuple[list[list[Cell]], str]:
    """All records of a delimited text, and the delimiter used.

    Each csv record is one spreadsheet row (a quoted field with line breaks stays one row, as in Excel) and
    each blank line is a row too, so list index + 1 is the row number Excel would show.
    """
    hint = _SEP_HINT.match(text)
    if hint:
        # Excel's "sep=;" line names the delimiter and is not shown as a row, so it is not counted either.
        delimiter = hint.group(1)
        text = text[hint.end():]
    else:
        delimiter = choose_delimiter(text)
    try:
        text_rows = list(_reader(text, delimiter))
    except csv.Error as exc:
        # With strict=False the csv module only fails on a field over its size limit (128 KB): a quotation
        # mark that was opened and never closed has run on through the rest of the file.
        raise UnreadableFile.at(m.BROKEN_QUOTE, detail=str(exc), row=_failing_record(text, delimiter)) from exc
    broken = _unclosed_quote_row(text, text_rows, delimiter)
    if broken is not None:
        raise UnreadableFile.at(m.BROKEN_QUOTE, detail=f"delimiter {delimiter!r}", row=broken)
    # Every CSV cell is a str, which is a Cell; the cast only widens the (invariant) list type, no copy.
    return cast("list[list[Cell]]", text_rows), delimiter


def _failing_record(text: str, delimiter: str) -> int:
    """The 1-based row of the record the csv module fails on."""
    count = 0
    try:
        for _row in _reader(text, delimiter):
            count += 1
    except csv.Error:
        pass
    return count + 1


def _physical_lines(text: str) -> int:
    """Lines as the csv module counts them (\r\n, \n and \r each end one), not counting a last empty one."""
    lines = text.count("\n") + text.count("\r") - text.count("\r\n")
    return lines + (0 if text.endswith(("\n", "\r")) else 1)


def _unclosed_quote_row(text: str, rows: Sequence[Sequence[str]], delimiter: str) -> int | None:
    """The row where a quotation mark opens a field that swallows the rows after it, or None.

    Excel closes every quote it opens, but a hand-edited file may hold a line like '"QA상사,1018100016,서울':
    the csv module then reads everything up to the next quotation mark as one field, and the dealers on
    those lines silently disappear. A quoted field may hold line breaks (an address typed with Alt+Enter),
    so a line break alone proves nothing; what does is a line inside the field that looks like a record of
    its own, with (nearly) as many delimiters as the file has columns.
    """
    if len(rows) >= _physical_lines(text):
        return None  # no field spans two lines: the usual case, settled without looking at any field
    widths = Counter(len(r) for r in rows if len(r) > 1)
    if not widths:
        return None
    # the most common width; on a tie the wider one (a header and one swallowing row tie in a short file)
    width = max(widths.items(), key=lambda kv: (kv[1], kv[0]))[0]
    # Delimiters a line needs to count as a record: all of them in a narrow file, all but one in a wide one
    # (a swallowed line may end at a later quotation mark). A narrow file also needs two such lines in the
    # field, since a legit address line may well hold the one or two commas a narrow record has.
    needed = width - 2 if width >= 6 else width - 1
    for index, row in enumerate(rows):
        for value in row:
            if "\n" not in value and "\r" not in value:
                continue
            lines = value.splitlines()
            like_records = [line.count(delimiter) >= needed for line in lines]
            if any(like_records[1:]) and (width > 3 or sum(like_records) >= 2):
                return index + 1
    return None


def _sniff(sample: str) -> str | None:
    try:
        return csv.Sniffer().sniff(sample[:16384], delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return None


def _consistency(rows: Sequence[Sequence[Cell]]) -> int:
    """How many non-blank rows share the most common field count (when that count is above one)."""
    widths = Counter(len(r) for r in rows if not is_blank_row(r))
    if not widths:
        return 0
    width, count = widths.most_common(1)[0]
    return count if width > 1 else 0


def choose_delimiter(text: str) -> str:
    """The delimiter under which the top of the file reads as a dealer-list header.

    csv.Sniffer alone is easily fooled by a title row or by commas inside addresses, so every candidate is
    tried on a sample: the one that yields the best header wins, then the one that gives most rows the same
    number of fields (counting), then Sniffer's pick, then the usual order (comma first).
    """
    sample = text[:65536]
    if len(text) > len(sample):
        cut = sample.rfind("\n")
        if cut > 0:
            sample = sample[:cut]
    sniffed = _sniff(sample)
    best: tuple[float, int, bool, int] | None = None
    chosen = ","
    for position, delimiter in enumerate(DELIMITERS):
        if delimiter not in sample:
            continue
        try:
            rows = [row for _i, row in zip(range(60), _reader(sample, delimiter), strict=False)]
        except csv.Error:
            continue
        guess = find_header(rows)
        key = (guess.score if guess else 0.0, _consistency(rows), delimiter == sniffed, -position)
        if best is None or key > best:
            best, chosen = key, delimiter
    return chosen
