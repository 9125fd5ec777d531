"""Set-based writes for the dealer-list import: new dealers go in with one COPY, their supply links and
product-line authorisations with one INSERT ... SELECT each. No model instance per row, no ORM SQL compiling
per row: that is what makes a 100,000-row list a matter of seconds."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import connection
from django.utils import timezone

from partners.choices import CreditStatus, OrgKind, PartnerStatus
from partners.models import Organization

# Every column of a new dealer, in COPY order. test_bulk checks this covers the model, so a field added later
# without a place here fails a test instead of silently taking NULL.
NEW_DEALER_COLUMNS: tuple[str, ...] = (
    "kind", "name", "business_number", "representative", "phone", "mobile", "email", "address", "sido",
    "sigungu", "region_code", "latitude", "longitude", "segments", "capabilities", "credit_status",
    "credit_limit", "tier", "tier_step", "tier_credit_limit", "status", "partner_since", "monthly_sales",
    "needs_review", "created_at", "updated_at",
)


def _text(value: Any) -> str:
    """One value in COPY's text format: \\N for NULL, backslash escapes for the characters that frame it."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (list, tuple)):  # text[] of simple codes
        return "{" + ",".join(value) + "}"
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if any(ch in text for ch in "\\\t\n\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def region_fields(region: Any) -> dict[str, Any]:
    """The organisation's region columns for a resolved region (or none)."""
    return {
        "sido": region.sido if region else "", "sigungu": region.sigungu if region else "",
        "region_code": region.code if region else "", "latitude": region.lat if region else None,
        "longitude": region.lon if region else None,
    }


def new_dealer_row(values: dict[str, Any], *, region: Any, segments: Sequence[str], now: str) -> tuple[Any, ...]:
    """The COPY row of a dealer first seen in a list: the distributor's values, the region its address names,
    and HQ's defaults for everything HQ owns."""
    row = {
        "kind": OrgKind.DEALER.value, "name": values.get("name", ""), "business_number": values["business_number"],
        "representative": values.get("representative", ""), "phone": values.get("phone", ""),
        "mobile": values.get("mobile", ""), "email": values.get("email", ""), "address": values.get("address", ""),
        **region_fields(region), "segments": list(segments),
        "capabilities": [], "credit_status": CreditStatus.PREPAY.value, "credit_limit": 0, "tier": "",
        "tier_step": 0, "tier_credit_limit": None,
        "status": PartnerStatus.ACTIVE.value, "partner_since": values.get("partner_since"),
        "monthly_sales": values.get("monthly_sales"), "needs_review": False, "created_at": now, "updated_at": now,
    }
    return tuple(row[column] for column in NEW_DEALER_COLUMNS)


def copy_new_dealers(rows: Sequence[tuple[Any, ...]]) -> None:
    if not rows:
        return
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_text(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    table = Organization._meta.db_table
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({', '.join(NEW_DEALER_COLUMNS)}) FROM STDIN", buffer)


def link_new_dealers(*, business_numbers: Iterable[str], distributor_id: int, product_line_ids: list[int]) -> None:
    """The new dealers' primary supply link to the distributor, and the distributor's product lines."""
    numbers = list(business_numbers)
    if not numbers:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO partners_supplylink (dealer_id, distributor_id, is_primary, is_approved, created_at) "
            "SELECT id, %s, true, true, now() FROM partners_organization WHERE business_number = ANY(%s)",
            [distributor_id, numbers],
        )
        if product_line_ids:
            cursor.execute(
                "INSERT INTO partners_organization_product_lines (organization_id, productline_id) "
                "SELECT o.id, line.id FROM partners_organization o CROSS JOIN unnest(%s::bigint[]) AS line(id) "
                "WHERE o.business_number = ANY(%s)",
                [product_line_ids, numbers],
            )


def now_text() -> str:
    return timezone.now().isoformat()
