"""What the parser hands back: plain dataclasses, no Django models, so the parser can run anywhere."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any


class UnreadableFile(Exception):
    """The upload is not a dealer list we can read at all (as opposed to a list with some bad rows).

    ``message`` is one of the English constants in ``messages`` (marked with gettext_noop) so the Django
    side can store it and translate it when it is shown. ``detail`` is for logs only: it may hold the
    library's own error text, which must never reach the person uploading the file.

    Some messages name a place in the file ("a quotation mark on row 12 is never closed"): then ``message``
    is the English text with the values filled in, and ``template`` and ``params`` keep the untranslated
    constant and its values, as on RowIssue, so the Django side can translate it:
    ``exc.translated(gettext)``. For all other messages ``template == message`` and ``params`` is empty.
    """

    def __init__(self, message: str, detail: str = "", *, template: str = "",
                 params: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.template = template or message
        self.params: dict[str, Any] = dict(params or {})

    @classmethod
    def at(cls, template: str, detail: str = "", **params: Any) -> UnreadableFile:
        """The error for a message with placeholders: ``UnreadableFile.at(m.BROKEN_QUOTE, row=12)``."""
        return cls(template % params, detail, template=template, params=params)

    def translated(self, gettext: Any) -> str:
        """The message in the current language, given Django's ``gettext``."""
        text = gettext(self.template)
        return text % self.params if self.params else text


@dataclass
class RowIssue:
    """One problem with one cell, reported against the row number a person sees in Excel.

    ``reason`` is English and already formatted ("merged into row 302"); ``template`` and ``params`` keep
    the untranslated constant and its values so that the Django side can translate it properly:
    ``gettext(issue.template) % issue.params``. ``value`` is the cell as it was in the file (for the
    import report), empty where there is nothing useful to show.
    """

    row: int
    field: str
    reason: str
    value: str = ""
    template: str = ""
    # dataclasses.field, spelled out: the attribute ``field`` above shadows the function in this class body.
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    hint: str = ""  # what to do about it, where there is more to say than the reason (English, gettext_noop)

    def __post_init__(self) -> None:
        if not self.template:
            self.template = self.reason

    def translated(self, gettext: Any) -> str:
        """The reason in the current language, given Django's ``gettext``."""
        text = gettext(self.template)
        return text % self.params if self.params else text

    def as_dict(self) -> dict[str, Any]:
        # Only the three keys of expected.json: the import report stores this as JSON and compares it.
        return {"row": self.row, "field": self.field, "reason": self.reason}


@dataclass
class DealerRecord:
    """One valid dealer row, cleaned. Empty optional values are "" (text) or None (date, amount)."""

    row: int
    business_number: str
    name: str
    representative: str = ""
    phone: str = ""
    mobile: str = ""
    email: str = ""
    address: str = ""
    segment: str = ""
    segments: tuple[str, ...] = ()  # every segment the cell named ("Retail, Online"); segment is the first
    partner_since: dt.date | None = None
    monthly_sales: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form (the date as an ISO string)."""
        return {
            "row": self.row,
            "business_number": self.business_number,
            "name": self.name,
            "representative": self.representative,
            "phone": self.phone,
            "mobile": self.mobile,
            "email": self.email,
            "address": self.address,
            "segment": self.segment,
            "partner_since": self.partner_since.isoformat() if self.partner_since else None,
            "monthly_sales": self.monthly_sales,
        }


@dataclass
class ParseResult:
    """Everything the import screen and the import job need from one file."""

    encoding: str  # "cp949", "utf-8", "utf-8-sig", "utf-16", "utf-16-le" (no BOM), ... for text; "xlsx", ...
    sheet: str | None  # the sheet the dealers were read from; None for CSV
    header_row: int  # 1-based, as Excel shows it
    headers: list[str]
    mapping: dict[str, int]  # field (a key of FIELD_LABELS) -> 0-based column index actually used
    data_rows: int  # non-blank rows under the header
    records: list[DealerRecord] = field(default_factory=list)
    rejected: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)
    duplicates_merged: list[RowIssue] = field(default_factory=list)
    preview: list[list[str]] = field(default_factory=list)  # first rows under the header, as text
    preview_rows: list[int] = field(default_factory=list)  # their Excel row numbers
    delimiter: str | None = None  # the CSV delimiter that was used; None for workbooks
    # Non-blank headers of the columns that were not used: no field matched them, or another column matched
    # the same field better ("주소" when "사업장 소재지 주소" is there too). In column order.
    ignored_columns: list[str] = field(default_factory=list)
    # Sentences about the whole file (English constants from ``messages``, translate with gettext), such as
    # "no company-name column was recognised": shown once above the row report instead of only per row.
    notices: list[str] = field(default_factory=list)

    def mapped_columns(self) -> list[tuple[int, str, str]]:
        """(0-based column, header, field) for every column used, in column order: the "column -> field"
        pairs of the mapping screen. ``field`` is a key of FIELD_LABELS (the ten FIELDS, or
        "address_detail")."""
        pairs = [(col, self.headers[col] if col < len(self.headers) else "", fld)
                 for fld, col in self.mapping.items()]
        return sorted(pairs)
