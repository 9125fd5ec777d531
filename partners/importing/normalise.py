"""Cell cleaners: one raw cell in, a clean value (and, when it is bad, the reason) out.

Cells arrive either as text (CSV) or as typed values from a workbook (int, float, date, datetime, bool...).
Every cleaner accepts both, because Excel happily stores a business number as the float 1571019181.0 and a
phone number as the int 319019464 (its leading 0 gone).

Text fields are stored in NFC (what Korean Windows and the web produce; macOS file dialogs and some
exports give NFD, which looks identical but compares unequal). Numeric fields (business number, phones,
amounts, dates) are read through NFKC as well, so full-width digits and punctuation typed with a Korean
IME ("１２３－４５") count as ASCII. NFKC is *not* applied to names: it would turn "㈜한빛" into "(주)한빛".
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

import phonenumbers
from phonenumbers import NumberParseException, PhoneMetadata, PhoneNumberFormat
from stdnum.exceptions import InvalidComponent as StdnumInvalidComponent
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.kr import brn as stdnum_brn

from . import messages as m

# What a cell can be: python-calamine's value types, plus None for a cell past the end of a short row.
Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None

# --- invisible characters -----------------------------------------------------------------------------------
# Zero-width spaces and joiners, directional marks, the BOM (which Excel leaves in the first cell or pastes
# into the middle of one), the soft hyphen, and C0/C1 control characters other than tab and line breaks:
# none of them is meant as content, and each makes "한빛\u200b전자" differ from "한빛전자".
_REMOVE = (
    [0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x180E, 0x3164, 0xFEFF, 0xFFA0]
    + list(range(0x200B, 0x2010))
    + list(range(0x202A, 0x202F))
    + list(range(0x2060, 0x2070))
    + [c for c in range(0x00, 0x20) if c not in (0x09, 0x0A, 0x0D)]
    + list(range(0x7F, 0xA0))
)
_INVISIBLE: dict[int, str | None] = {c: None for c in _REMOVE}
_INVISIBLE[0x09] = " "  # a tab inside a cell is a space to a person
_INVISIBLE[0x2028] = "\n"  # Unicode line and paragraph separators
_INVISIBLE[0x2029] = "\n"

# Words people type instead of leaving a cell empty.
PLACEHOLDERS: frozenset[str] = frozenset({
    "-", "--", "---", "—", "–", ".", "/", "x", "n/a", "na", "none", "null", "nil", "없음", "해당없음", "미정",
    "미등록", "미입력", "모름", "#n/a", "#value!", "#ref!", "#name?", "#num!", "#div/0!", "#null!",
})


def cell_to_text(value: Cell) -> str:
    """A cell as a person would read it in Excel, with no cleaning: for previews and issue reports."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
            return str(int(value))  # 1571019181.0 is what Excel shows as 1571019181
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


_INVISIBLE_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in _INVISIBLE) + "]")

# Text clean_text leaves as it is (but for NFC): words of anything but spaces (any Unicode space: \s is what
# str.split splits on) and invisible characters, one plain space between them, none at either end.
_WORD = "[^\\s" + "".join(re.escape(chr(c)) for c in sorted(_INVISIBLE)) + "]+"
_TIDY = re.compile(f"{_WORD}(?: {_WORD})*")


def strip_invisible(text: str) -> str:
    # Searching first is cheaper than translating: almost no cell holds any of these characters.
    return text.translate(_INVISIBLE) if _INVISIBLE_RE.search(text) else text


def is_blank_cell(value: Cell) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        if value and not value[0].isspace() and ord(value[0]) not in _INVISIBLE:
            return False  # a first character that is neither a space nor removed is content
        # str.isspace covers NBSP and the ideographic space; the translate removes zero-width characters.
        return not value or value.isspace() or not strip_invisible(value).strip()
    return False


def is_blank_row(cells: Iterable[Cell]) -> bool:
    for cell in cells:  # a loop rather than all(genexpr): called on every row, and the first cell usually decides
        if not is_blank_cell(cell):
            return False
    return True


def _nfc(text: str) -> str:
    # is_normalized is a fast C check; most cells are already NFC, so this avoids building a new string.
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def clean_text(value: Cell, *, multiline: bool = False) -> str:
    """Trimmed NFC text with inner runs of spaces collapsed to one.

    ``multiline`` keeps line breaks (an address typed with Alt+Enter); otherwise they become spaces, since a
    company name split over two lines is still one name.
    """
    if value is None:
        return ""
    if isinstance(value, str) and _TIDY.fullmatch(value):
        # Already tidy (the usual cell): nothing below would change it but the NFC step.
        return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)
    text = value if isinstance(value, str) else cell_to_text(value)
    if not text:
        return ""
    text = strip_invisible(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if multiline and "\n" in text:
        # str.split() with no argument splits on every Unicode space (NBSP, U+3000 too) and drops the ends.
        lines = (" ".join(line.split()) for line in text.split("\n"))
        text = "\n".join(line for line in lines if line)
    else:
        text = " ".join(text.split())
    return _nfc(text)


def numeric_text(value: Cell) -> str:
    """Text of a cell that should hold digits: NFKC (full-width digits and dashes), invisibles removed."""
    text = value if isinstance(value, str) else cell_to_text(value)
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", strip_invisible(text))
        # Dashes NFKC leaves alone (hyphen, non-breaking hyphen, figure/en/em dash, minus sign).
        text = text.translate(_DASHES)
    elif not text.isprintable():
        text = strip_invisible(text)
    return text.strip()


_DASHES = {c: "-" for c in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE58, 0xFE63, 0xFF0D)}

# "1.57102E+09": what Excel shows, and writes to CSV, for a long number in a General-formatted cell. The
# digits after the fifth are gone from the file itself.
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$")


def is_scientific(text: str) -> bool:
    return bool(_SCIENTIFIC.match(text))


LOST_DIGITS = "lost"  # scientific_digits' answer when the notation did not keep every digit


def scientific_digits(text: str) -> str | None:
    """The whole number a scientific-notation text stands for, as digits, when the text determines it.

    "1.018100016E+09" keeps all ten digits, so it is "1018100016"; "1.57102E+09" kept six of ten, so the
    last four are unknown (Excel rounded them away) and the answer is LOST_DIGITS. None when the text is not
    scientific notation or not a whole number ("1.0181000165E+09" is 1018100016.5).
    """
    if not _SCIENTIFIC.match(text):
        return None
    shift = int(text.lower().partition("e")[2])
    if abs(shift) > 100:  # "1E+99999": no business number, phone or amount is that long
        return LOST_DIGITS if shift > 0 else None
    value = Decimal(text)
    sign, digits, exp = value.as_tuple()
    if not isinstance(exp, int) or sign:
        return None
    if exp > 0:
        # The exponent moves the point past the last digit written: the places it fills were not in the text.
        return LOST_DIGITS
    whole = value.to_integral_value()
    if whole != value:
        return None
    return str(int(whole))


# --- business registration number ---------------------------------------------------------------------------

_BRN_SEPARATORS = re.compile(r"[\s\-./_·]")
# "123-45-67890" or "1234567890" and nothing else (ASCII digits only: \d would also take "١" or "１").
_PLAIN_BRN = re.compile(r"[0-9]{3}-[0-9]{2}-[0-9]{5}|[0-9]{10}")


def brn_check_digit_ok(number: str) -> bool:
    """The National Tax Service check digit of a 10-digit business registration number.

    python-stdnum 2.2's ``stdnum.kr.brn.validate`` checks length and the office/type components but not
    this digit, so it is computed here: weights 1 3 7 1 3 7 1 3 5, plus the tens of 5 x the ninth digit.
    """
    o = ord  # spelled out rather than a zip over the weights: this runs once per row of every import
    total = (o(number[0]) + 3 * o(number[1]) + 7 * o(number[2]) + o(number[3]) + 3 * o(number[4])
             + 7 * o(number[5]) + o(number[6]) + 3 * o(number[7]) + 5 * o(number[8])
             - 48 * 31  # the ASCII offset of "0" times the sum of the weights
             + (o(number[8]) - 48) * 5 // 10)
    return (10 - total % 10) % 10 == o(number[9]) - 48


def clean_business_number(value: Cell) -> tuple[str, str | None]:
    """(10 digits, None) or ("", reason) where reason is one of the rejection messages."""
    if isinstance(value, str) and _PLAIN_BRN.fullmatch(value):
        # Fast path for the usual cell, with the answer the general path below gives it: for ten ASCII
        # digits stdnum_brn.validate can only raise InvalidComponent (office below 101, type 00, or serial
        # 0000), and of those only the office and the type reject the number.
        text = value.replace("-", "") if len(value) == 12 else value
        if text[:3] < "101" or text[3:5] == "00":
            return "", m.NOT_A_BUSINESS_NUMBER
        if not brn_check_digit_ok(text):
            return "", m.INVALID_CHECK_DIGIT
        return text, None
    if isinstance(value, bool):
        return "", m.NOT_A_BUSINESS_NUMBER
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return "", m.NOT_A_BUSINESS_NUMBER
        text = str(int(value))
    elif isinstance(value, str) or value is None:
        text = numeric_text(value)
        if not text or text.casefold() in PLACEHOLDERS:
            return "", m.MISSING
        if is_scientific(text):
            digits = scientific_digits(text)
            if digits == LOST_DIGITS:
                return "", m.SCIENTIFIC_NOTATION
            if digits is None:
                return "", m.NOT_A_BUSINESS_NUMBER
            text = digits  # "1.018100016E+09" still holds every digit of 1018100016
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]  # a number cell exported by a tool that writes floats
        text = _BRN_SEPARATORS.sub("", text)
        if not text:
            return "", m.MISSING
    else:
        return "", m.NOT_A_BUSINESS_NUMBER  # a date or a time in the business-number column
    if not (text.isascii() and text.isdigit()):
        return "", m.NOT_A_BUSINESS_NUMBER
    if len(text) != 10:
        return "", m.WRONG_LENGTH
    try:
        stdnum_brn.validate(text)
    except StdnumInvalidComponent:
        # stdnum also refuses a serial part of 0000; the NTS check digit does not, and our own generator
        # (dealer_lists.py, whose big files must import in full) issues such numbers. Only the tax office
        # (101 and up) and the business type (not 00) are components we hold against a number.
        if text[:3] < "101" or text[3:5] == "00":
            return "", m.NOT_A_BUSINESS_NUMBER
    except StdnumValidationError:
        return "", m.NOT_A_BUSINESS_NUMBER
    if not brn_check_digit_ok(text):
        return "", m.INVALID_CHECK_DIGIT
    return text, None


# --- phone numbers ------------------------------------------------------------------------------------------

_PHONE_SEPARATORS = {ord(c): None for c in " \t\n\r\u00a0\u3000-.()"}
# "02-555-0101", "010-1234-5678", "01012345678": a trunk 0, then ASCII digits and at most the usual dashes.
_PLAIN_PHONE = re.compile(r"0[1-9][0-9]{0,2}-[0-9]{3,4}-[0-9]{4}|0[1-9][0-9]{6,10}")
_PHONE_EXTENSION = re.compile(r"\s*(?:내선|ext\.?|extension|x|#)\s*\d{1,6}\s*$", re.IGNORECASE)
_KR = 82


# The number types phonenumbers.is_valid_number accepts (it returns "valid" for any type but UNKNOWN).
_NUMBER_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan",
                 "voicemail", "fixed_line", "mobile")


_Desc = tuple[frozenset[int], re.Pattern[str]]  # possible lengths (empty: any), national number pattern


@functools.cache
def _kr_patterns() -> tuple[_Desc, tuple[_Desc, ...]]:
    """phonenumbers' own KR validation patterns, compiled once: (general description, number types)."""
    metadata = PhoneMetadata.metadata_for_region("KR")
    if metadata is None:  # cannot happen with the library's bundled metadata
        raise RuntimeError("phonenumbers has no metadata for KR")

    def compiled(desc: Any) -> _Desc | None:
        if desc is None or not desc.national_number_pattern:
            return None
        return frozenset(desc.possible_length or ()), re.compile(desc.national_number_pattern)

    general = compiled(metadata.general_desc)
    if general is None:
        raise RuntimeError("phonenumbers has no general pattern for KR")
    kinds = tuple(c for c in (compiled(getattr(metadata, n, None)) for n in _NUMBER_TYPES) if c is not None)
    return general, kinds


# One pattern per length of national number: the general pattern as a look-ahead, then every number type
# that allows that length as alternatives. One fullmatch then answers what up to eleven fullmatches did.
_KR_BY_LENGTH: dict[int, re.Pattern[str] | None] = {}


def _kr_pattern_for_length(size: int) -> re.Pattern[str] | None:
    (general_lengths, general), kinds = _kr_patterns()
    if general_lengths and size not in general_lengths:
        return None
    alternatives = [pattern.pattern for lengths, pattern in kinds if not lengths or size in lengths]
    if not alternatives:
        return None
    either = "|".join(f"(?:{p})" for p in alternatives)
    return re.compile(f"(?=(?:{general.pattern})\\Z)(?:{either})")


def is_valid_kr_national(national: str) -> bool:
    """Same answer as ``phonenumbers.is_valid_number`` for +82 ``national``, about five times faster.

    It applies the library's own KR metadata the way the library does (possible lengths, then a full match
    of the general pattern and of at least one number type), minus the object building and dispatch that
    make phonenumbers the slowest step of a 100,000-row import. A test compares the two on many numbers.
    """
    size = len(national)
    try:
        pattern = _KR_BY_LENGTH[size]
    except KeyError:
        pattern = _KR_BY_LENGTH[size] = _kr_pattern_for_length(size)
    return pattern is not None and pattern.fullmatch(national) is not None


def clean_phone(value: Cell) -> tuple[str, str | None]:
    """(E.164, None), ("", None) for an empty cell, or ("", reason) for a value that is not a phone number.

    Korean numbers are read in region KR, so "02-555-0101" is +8225550101. A number typed into a number
    cell loses its leading 0 (319019464); read as a national number without the trunk 0 it is right again.
    """
    if isinstance(value, str) and _PLAIN_PHONE.fullmatch(value):
        # Fast path for the usual cell, with the answer the general path below gives it: no extension,
        # nothing for NFKC to change, and the national number is what follows the trunk 0.
        national = value[1:].replace("-", "")
        if is_valid_kr_national(national):
            return f"+{_KR}{national}", None
        return "", m.INVALID_PHONE
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return "", m.INVALID_PHONE
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        return "", m.INVALID_PHONE
    text = numeric_text(value)
    if not text or text.casefold() in PLACEHOLDERS:
        return "", None
    if is_scientific(text):
        digits = scientific_digits(text)
        if digits == LOST_DIGITS:
            return "", m.SCIENTIFIC_NOTATION_OPTIONAL
        if digits is None:
            return "", m.INVALID_PHONE
        text = digits
    if "#" in text or not text.isascii() or any(ch.isalpha() for ch in text):
        text = _PHONE_EXTENSION.sub("", text)  # we keep the line, not the extension
    compact = text.translate(_PHONE_SEPARATORS)
    if compact.isdigit() and compact.isascii() and not compact.startswith("00"):
        # Fast path for the common case (plain Korean digits): building the number ourselves skips
        # phonenumbers.parse, which is three times slower and dominates a 100,000-row import.
        if compact.startswith("82") and len(compact) >= 10:
            national = compact[2:].lstrip("0")  # "82 10 ..." or "82 010 ...": the country code without +
        else:
            national = compact[1:] if compact.startswith("0") else compact
        if national and national.isdigit() and is_valid_kr_national(national):
            return f"+{_KR}{national}", None
        return "", m.INVALID_PHONE
    try:
        number = phonenumbers.parse(text, "KR")
    except NumberParseException:
        return "", m.INVALID_PHONE
    if not phonenumbers.is_valid_number(number):
        return "", m.INVALID_PHONE
    return phonenumbers.format_number(number, PhoneNumberFormat.E164), None


# --- e-mail -------------------------------------------------------------------------------------------------

# Deliberately loose: one @, something before it, a dot inside the domain, no spaces. Mail servers are the
# real judge; this only catches a phone number or a name in the e-mail column.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+$")
_ANGLE = re.compile(r"<([^<>]+)>")
EMAIL_MAX_LENGTH = 254  # Django's EmailField
# An address that is already clean: lower-case ASCII, no spaces, brackets, colon, comma or semicolon, so that
# none of the steps of clean_email would change it, and _EMAIL matches it.
_PLAIN_EMAIL = re.compile(r"[a-z0-9._+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+")


def clean_email(value: Cell) -> tuple[str, str | None]:
    if not isinstance(value, str):
        return ("", None) if value is None else ("", m.INVALID_EMAIL)
    if len(value) <= EMAIL_MAX_LENGTH and _PLAIN_EMAIL.fullmatch(value):
        return value, None  # the usual cell, kept as it is by every step below
    text = numeric_text(value)  # NFKC turns the full-width ＠ of a Korean IME into @
    if not text or text.casefold() in PLACEHOLDERS:
        return "", None
    angle = _ANGLE.search(text)  # "Hong Gil-dong <hong@example.kr>"
    if angle:
        text = angle.group(1).strip()
    if text[:7].casefold() == "mailto:":
        text = text[7:]
    text = text.strip().strip(";,").lower()
    if len(text) > EMAIL_MAX_LENGTH or not _EMAIL.match(text):
        return "", m.INVALID_EMAIL
    return text, None


# --- segment ------------------------------------------------------------------------------------------------

SEGMENT_CODES: tuple[str, ...] = (
    "retail", "corporate", "government", "education", "healthcare", "installation", "online",
)

_SEGMENT_WORDS: dict[str, tuple[str, ...]] = {
    "retail": ("일반소매", "소매", "소매점", "일반소매점", "리테일", "판매점", "대리점", "Retail", "Retailer",
               "Store", "Shop"),
    "corporate": ("기업납품", "기업", "법인", "법인납품", "기업고객", "기업영업", "B2B", "Corporate",
                  "Enterprise", "Business"),
    "government": ("관공서", "공공기관", "공공", "관급", "조달", "정부", "Government", "Public",
                   "Public sector", "Gov"),
    "education": ("교육기관", "교육", "학교", "Education", "School", "Academic", "Edu"),
    "healthcare": ("의료기관", "의료", "병원", "Healthcare", "Medical", "Hospital", "Health"),
    "installation": ("설치·AS 전문", "설치AS전문", "설치/AS", "설치", "AS", "AS전문", "설치시공", "시공",
                     "Installation & service", "Installation and service", "Installation", "Service",
                     "Installer"),
    "online": ("온라인몰", "온라인", "쇼핑몰", "인터넷", "인터넷쇼핑몰", "이커머스", "Online", "Online store",
               "E-commerce", "Ecommerce", "Webshop", "Web shop"),
}


def _word_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", strip_invisible(text)).casefold()
    return "".join(ch for ch in text if ch.isalnum())


_SEGMENTS: dict[str, str] = {}
for _code, _words in _SEGMENT_WORDS.items():
    _SEGMENTS[_code] = _code
    for _w in _words:
        _SEGMENTS[_word_key(_w)] = _code


def clean_segment(value: Cell) -> tuple[str, str | None]:
    if value is None or is_blank_cell(value):
        return "", None
    text = cell_to_text(value)
    if text.strip().casefold() in PLACEHOLDERS:
        return "", None
    code = _SEGMENTS.get(_word_key(text))
    return (code, None) if code else ("", m.UNKNOWN_SEGMENT)


# --- dates --------------------------------------------------------------------------------------------------

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 once Excel's phantom 1900-02-29 is allowed for
_MIN_YEAR, _MAX_YEAR = 1900, 2100

# Trailing parts people or systems add after a date: a weekday "(월)", a time "00:00:00", "오후 3:00".
_TAIL = r"(?:\s*\(\s*\w{1,3}\s*\))?(?:(?:\s+|T).*\d:\d.*)?\s*$"
_YMD = re.compile(r"^(\d{4})\s*(?:년|[-./])\s*(\d{1,2})\s*(?:월|[-./])\s*(\d{1,2})\s*(?:일|\.)?" + _TAIL)
_XXY = re.compile(r"^(\d{1,2})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{4}|\d{2})\.?" + _TAIL)
_SHORT_YMD = re.compile(r"^(\d{2})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\.?" + _TAIL)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^\d{1,5}(?:\.\d+)?$")
_MONTH_NAME_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%d-%b-%Y", "%d-%b-%y", "%b-%d-%Y",
                       "%d %b %y", "%b %Y %d")

MDY = "mdy"
DMY = "dmy"


def _date(year: int, month: int, day: int) -> dt.date | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _full_year(two_or_four: str) -> int:
    year = int(two_or_four)
    if len(two_or_four) == 2:
        year += 2000 if year < 70 else 1900  # the same pivot as strptime's %y
    return year


def _serial(days: float) -> dt.date | None:
    if not 1 <= days < 73051:  # up to 2099-12-31
        return None
    return EXCEL_EPOCH + dt.timedelta(days=int(days))


def year_last_parts(value: Cell, *, english: bool) -> tuple[int, int] | None:
    """The first two numbers of a "a/b/yyyy" date, which may be month/day or day/month; else None.

    Used on a whole column before any value is read, because one "13/02/2021" settles the order of all the
    "03/02/2021" above and below it.
    """
    if not isinstance(value, str):
        return None
    text = numeric_text(value)
    match = _XXY.match(text)
    if not match:
        return None
    if len(match.group(3)) == 2 and not english and _SHORT_YMD.match(text):
        return None  # "21.03.15" in a Korean list is year.month.day
    return int(match.group(1)), int(match.group(2))


def infer_date_order(parts: Iterable[tuple[int, tuple[int, int]]]) -> tuple[str | None, int | None]:
    """(order, first ambiguous row) for one column's year-last dates, given (row, (a, b)) pairs.

    A first part above 12 can only be a day (day/month/year); a second part above 12 only a day
    (month/day/year). With evidence one way only, the whole column follows it. With none, or with both
    (a column mixing formats), values that decide themselves do so and the rest are read month/day/year;
    the first such undecidable row is returned so the caller warns once.
    """
    dmy = mdy = False
    first_ambiguous: int | None = None
    for row, (a, b) in parts:
        if a > 12 and b <= 12:
            dmy = True
        elif b > 12 and a <= 12:
            mdy = True
        elif a <= 12 and b <= 12 and a != b and first_ambiguous is None:
            first_ambiguous = row
    if dmy and not mdy:
        return DMY, None
    if mdy and not dmy:
        return MDY, None
    return None, first_ambiguous


def clean_date(value: Cell, *, order: str | None, english: bool) -> tuple[dt.date | None, str | None]:
    """(date, None), (None, None) for an empty cell, or (None, reason).

    ``order`` is the column's inferred order for year-last dates (None: let each value decide, ambiguous
    ones are month/day/year).
    """
    if value is None:
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, bool) or isinstance(value, (dt.time, dt.timedelta)):
        return None, m.INVALID_DATE
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return None, m.INVALID_DATE
        if 19000101 <= value <= 21001231 and float(value).is_integer():  # 20210315 typed as a number
            found = _COMPACT.match(str(int(value)))
            parsed = _date(int(found.group(1)), int(found.group(2)), int(found.group(3))) if found else None
            return (parsed, None) if parsed else (None, m.INVALID_DATE)
        parsed = _serial(float(value))  # a date cell formatted as General shows its serial number
        return (parsed, None) if parsed else (None, m.INVALID_DATE)
    text = numeric_text(value)
    if not text or text.casefold() in PLACEHOLDERS:
        return None, None
    parsed = _parse_date_text(text, order=order, english=english)
    return (parsed, None) if parsed else (None, m.INVALID_DATE)


def _parse_date_text(text: str, *, order: str | None, english: bool) -> dt.date | None:
    match = _YMD.match(text)
    if match:
        return _date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    match = _COMPACT.match(text)
    if match:
        return _date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if not english:
        match = _SHORT_YMD.match(text)  # "21.03.15", the short form Korean lists use
        if match:
            return _date(_full_year(match.group(1)), int(match.group(2)), int(match.group(3)))
    match = _XXY.match(text)
    if match:
        a, b, year = int(match.group(1)), int(match.group(2)), _full_year(match.group(3))
        this_order = order
        if this_order is None:
            this_order = DMY if a > 12 else MDY
        month, day = (a, b) if this_order == MDY else (b, a)
        return _date(year, month, day)
    if _SERIAL.match(text):
        return _serial(float(text))
    if text[:1].isalpha():
        cleaned = " ".join(text.replace(",", " ").replace(".", " ").split())
        for fmt in _MONTH_NAME_FORMATS:
            try:
                parsed = dt.datetime.strptime(cleaned, fmt).date()
            except ValueError:
                continue
            return parsed if _MIN_YEAR <= parsed.year <= _MAX_YEAR else None
    if text[:1].isdigit() and any(ch.isalpha() for ch in text):
        cleaned = " ".join(text.replace(",", " ").split())
        for fmt in _MONTH_NAME_FORMATS:
            try:
                parsed = dt.datetime.strptime(cleaned, fmt).date()
            except ValueError:
                continue
            return parsed if _MIN_YEAR <= parsed.year <= _MAX_YEAR else None
    return None


# --- money --------------------------------------------------------------------------------------------------

_MONEY_NOISE = re.compile(r"[₩\\,\s]|krw|won|원")
_KOREAN_UNITS = {"조": 10**12, "억": 10**8, "만": 10**4, "천": 10**3}
_UNIT_TOKEN = re.compile(r"(\d+(?:\.\d+)?)([조억만천]?)")
BIGINT_MAX = 2**63 - 1


def clean_money(value: Cell, *, multiplier: int = 1) -> tuple[int | None, str | None]:
    """Won as an int: "45,600,000", 45600000.0, "₩45,600,000", "\\45,600,000" (the won sign in CP949),
    "4,560만", "1억 2천만"; ``multiplier`` comes from the header ("(천원)" -> 1000)."""
    if value is None:
        return None, None
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return None, m.INVALID_AMOUNT
    amount: Decimal
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            return None, m.INVALID_AMOUNT
        amount = Decimal(repr(value))
    else:
        text = numeric_text(value).casefold()
        if not text or text in PLACEHOLDERS:
            return None, None
        compact = _MONEY_NOISE.sub("", text)
        if not compact:
            return None, m.INVALID_AMOUNT
        if is_scientific(compact):
            digits = scientific_digits(compact)
            if digits == LOST_DIGITS:
                return None, m.SCIENTIFIC_NOTATION_OPTIONAL
            if digits is None:
                return None, m.INVALID_AMOUNT  # "1.5E-3", "-4.5E+07": not a whole, positive amount
            compact = digits  # "4.5600000E+07" still holds every digit
        if any(unit in compact for unit in _KOREAN_UNITS):
            amount = Decimal(0)
            pos = 0
            for token in _UNIT_TOKEN.finditer(compact):
                if token.start() != pos:
                    return None, m.INVALID_AMOUNT
                amount += Decimal(token.group(1)) * _KOREAN_UNITS.get(token.group(2), 1)
                pos = token.end()
            if pos != len(compact):
                return None, m.INVALID_AMOUNT
        else:
            try:
                amount = Decimal(compact)
            except InvalidOperation:
                return None, m.INVALID_AMOUNT
            if not amount.is_finite():
                return None, m.INVALID_AMOUNT
    try:
        amount *= multiplier
        if amount < 0 or amount > BIGINT_MAX:
            return None, m.INVALID_AMOUNT
        return int(amount.to_integral_value()), None
    except ArithmeticError:  # decimal.Overflow and friends: "45,E+09600,000" is 4.5 x 10^9600001
        return None, m.INVALID_AMOUNT
