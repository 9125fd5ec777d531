"""Dealer exports: CSV (UTF-8 with a BOM, so Korean Excel opens it right) and XLSX, scoped by the selector,
with every cell a spreadsheet would run as a formula neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from partners.models import Organization
from prm.core.export import safe_cell
from prm.core.phones import display_phone

COLUMNS: tuple[tuple[str, Any], ...] = (
    ("business_number", lambda o: o.business_number_display),
    ("name", lambda o: o.name),
    ("representative", lambda o: o.representative),
    ("phone", lambda o: display_phone(o.phone)),
    ("mobile", lambda o: display_phone(o.mobile)),
    ("email", lambda o: o.email),
    ("address", lambda o: o.address),
    ("region", lambda o: o.region_label),
    ("segments", lambda o: ", ".join(o.segment_labels)),
    ("status", lambda o: o.get_status_display()),
    ("partner_since", lambda o: o.partner_since.isoformat() if o.partner_since else ""),
)


def _headers() -> list[str]:
    """The import's own field labels, so that an export uploaded again is read column for column (region and
    status are HQ's and are left out of an import)."""
    from partners.importing import FIELD_LABELS

    labels = {**{key: _(label) for key, label in FIELD_LABELS.items()}, "segments": _(FIELD_LABELS["segment"]),
              "region": _("Region"), "status": _("Status")}
    return [labels[key] for key, _getter in COLUMNS]


def rows(organizations: QuerySet[Organization]) -> Iterator[list[Any]]:
    for org in organizations.iterator(chunk_size=2000):
        yield [safe_cell(getter(org)) for _key, getter in COLUMNS]


def to_csv(organizations: QuerySet[Organization]) -> Iterable[str]:
    """Streamed line by line: an export of 100,000 dealers never sits whole in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff"
    writer.writerow(_headers())
    yield flush()
    for row in rows(organizations):
        writer.writerow(row)
        yield flush()


def to_xlsx(organizations: QuerySet[Organization]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Dealers"))
    sheet.append(_headers())
    for row in rows(organizations):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
