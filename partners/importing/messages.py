"""Every sentence the dealer-list parser can show a person, in English.

They are marked with ``gettext_noop`` so that ``makemessages`` collects them, but they are *not*
translated here: the parser runs outside a request (in a Celery task, in tests without settings) and
stores the English text; the Django side translates it when it shows it, with ``gettext(message)``.
``gettext_noop`` here is a settings-free identity function (see _i18n.py), which keeps this
package importable on its own.
"""

from __future__ import annotations

from ._i18n import gettext_noop

# --- the whole file cannot be used (UnreadableFile.message) -------------------------------------------------
# Each one says what went wrong *and* what to do next, because the person reading it is a distributor's
# office worker, not a developer.

EMPTY_FILE = gettext_noop(
    "The file is empty. Export the dealer list again and upload the new file."
)
HEADER_ONLY = gettext_noop(
    "The file has a header row but no dealers under it. Check that you exported the right list "
    "(or the right sheet) and upload it again."
)
NOT_A_SPREADSHEET = gettext_noop(
    "This file is not a spreadsheet or a CSV file. Upload the dealer list as an Excel workbook "
    "(.xlsx or .xls) or as a CSV file."
)
PDF_FILE = gettext_noop(
    "This is a PDF file, which cannot be imported. Upload the dealer list as an Excel workbook "
    "(.xlsx or .xls) or as a CSV file."
)
ZIP_NOT_WORKBOOK = gettext_noop(
    "This is a zip archive, not an Excel workbook. Unpack it and upload the dealer list itself "
    "(.xlsx, .xls or .csv)."
)
DAMAGED_WORKBOOK = gettext_noop(
    "The Excel file is damaged or incomplete (the upload may have been cut off). Open it in Excel, "
    "save it again and upload the new copy."
)
PASSWORD_PROTECTED = gettext_noop(
    "The Excel file is protected with a password. Open it in Excel, remove the password "
    "(File > Info > Protect Workbook), save it and upload it again."
)
WEB_PAGE = gettext_noop(
    "This file is a web page (HTML or XML) saved under a spreadsheet name, as some systems export "
    "lists. Open it in Excel, choose Save As > Excel Workbook (.xlsx) and upload that file."
)
TOO_LARGE = gettext_noop(
    "The workbook is too large to import in one go. Split the dealer list into smaller files "
    "(for example by region) and upload them one by one."
)
TOO_MANY_ROWS = gettext_noop(
    "The file has %(rows)s dealer rows; one upload takes at most %(limit)s. Split the list into smaller files "
    "(for example by region) and upload them one by one."
)
SHEET_TOO_LARGE = gettext_noop(
    "The sheet's used area is far larger than the dealer list, usually because of a stray value or "
    "formatting far below or to the right of it. In Excel press Ctrl+End to find it, delete those rows and "
    "columns, save and upload the file again."
)
UNKNOWN_ENCODING = gettext_noop(
    "We could not tell which text encoding this file uses. In Excel, choose Save As > "
    "CSV UTF-8 (comma delimited) and upload that file."
)
BROKEN_CSV = gettext_noop(
    "The CSV file could not be read: its quotation marks or line breaks are damaged. Open it in Excel, "
    "save it again as CSV and upload the new file."
)
# With the row where the broken quotation mark starts: UnreadableFile(BROKEN_QUOTE % {"row": n}, params=...).
BROKEN_QUOTE = gettext_noop(
    "The CSV file could not be read: a quotation mark on row %(row)d is never closed, so the rows after it "
    "run together. Open the file in a text editor, close or delete that quotation mark, save it and upload "
    "it again."
)
NO_HEADER = gettext_noop(
    "No header row was found: none of the first 30 rows names a business registration number column "
    "or a company name column. Put a header row (for example 사업자등록번호, 상호 or Business No, "
    "Company) above the dealers and upload the file again."
)

# --- about the whole file, shown above the row report (ParseResult.notices) --------------------------------------
NO_NAME_COLUMN = gettext_noop(
    "No company-name column was recognised, so every row was rejected for a missing name. Rename the column "
    "to 상호 or Company and upload the file again."
)
NO_BUSINESS_NUMBER_COLUMN = gettext_noop(
    "No business-registration-number column was recognised, so every row was rejected for a missing number. "
    "Rename the column to 사업자등록번호 or Business No and upload the "
    "file again."
)
# The same, when a person chose the columns and left the field out on purpose: nothing to rename.
NO_NAME_CHOSEN = gettext_noop("No column was chosen for the company name, so every row was rejected.")
NO_BUSINESS_NUMBER_CHOSEN = gettext_noop(
    "No column was chosen for the business registration number, so every row was rejected.")
NO_ADDRESS_CHOSEN = gettext_noop(
    "No column was chosen for the address: these dealers can't receive customer orders until HQ or you add it.")
NO_ADDRESS_COLUMN = gettext_noop(
    "No address column was recognised: dealers can't be placed on the map or receive customer orders. "
    "If the file has addresses, rename that column to 주소 or Address and upload the file again."
)

# --- one row cannot be imported (ParseResult.rejected) ------------------------------------------------------
# "missing" and "invalid check digit" are the wording of expected.json; keep them short so that the import
# report can show them in a table column.

MISSING = gettext_noop("missing")
INVALID_CHECK_DIGIT = gettext_noop("invalid check digit")
SCIENTIFIC_NOTATION = gettext_noop("shown in scientific notation; digits were lost")
WRONG_LENGTH = gettext_noop("must have 10 digits")
NOT_A_BUSINESS_NUMBER = gettext_noop("not a business registration number")
NAME_TOO_LONG = gettext_noop("longer than 200 characters")

# Advice to show next to SCIENTIFIC_NOTATION: the digits are gone from the file; only a new export helps.
SCIENTIFIC_NOTATION_HINT = gettext_noop(
    "In Excel, format the column as Text, type the numbers again (or export them again) and save."
)

# --- a row was folded into a later row with the same business number (ParseResult.duplicates_merged) --------
MERGED_INTO_ROW = gettext_noop("merged into row %(row)d")

# --- an optional value was left empty (ParseResult.warnings) ------------------------------------------------
INVALID_PHONE = gettext_noop("not a valid phone number; left empty")
INVALID_EMAIL = gettext_noop("not a valid e-mail address; left empty")
UNKNOWN_SEGMENT = gettext_noop("unknown segment; left empty")
INVALID_DATE = gettext_noop("not a date we can read; left empty")
INVALID_AMOUNT = gettext_noop("not an amount of money; left empty")
TOO_LONG = gettext_noop("too long; left empty")
SCIENTIFIC_NOTATION_OPTIONAL = gettext_noop("shown in scientific notation; digits were lost; left empty")
AMBIGUOUS_DATE_ORDER = gettext_noop(
    "dates in this column could be month/day or day/month; they were read as month/day/year"
)
