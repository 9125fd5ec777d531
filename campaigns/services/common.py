"""What people type and send, made safe to store: text (NFC, no control characters), amounts, dates, files."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from partners.models import Membership
from prm.accounts.models import User
from prm.core.files import document_kind, head_of, image_kind
from prm.core.money import GROUPED, LARGEST, PLAIN, parse_amount
from prm.core.roles import HQ_ROLES, OrgKind, Role
from prm.core.text import clean_text

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES = 5
LONGEST_PERIOD_DAYS = 731  # two years, a leap day included


def _too_large(value: Any) -> bool:
    """``value`` is a plain number (digits, thousands separators, a point) of a trillion or more: refused by
    ``parse_amount`` like any junk, but the person typing it needs to hear it is too large, not that it is not
    an amount."""
    if isinstance(value, (float, bool)):
        return False
    text = unicodedata.normalize("NFKC", str(value)).replace("₩", "").replace("원", "").strip()
    if "," in text:
        if not GROUPED.fullmatch(text):
            return False
        text = text.replace(",", "")
    if not PLAIN.fullmatch(text) or text.startswith("-"):
        return False
    try:
        return Decimal(text) >= LARGEST
    except InvalidOperation:
        return False


def amount(value: Any, *, field: str, allow_zero: bool = False) -> Decimal:
    """An amount of money as typed ("1,500,000", "₩1,500,000", "1500000원"), or a message on the field."""
    parsed = parse_amount(value, allow_zero=allow_zero)
    if parsed is None:
        if _too_large(value):
            message = _("That amount is too large: enter less than %(largest)s.") % {"largest": won_text(LARGEST)}
        elif allow_zero:
            message = _("Enter an amount in digits, for example 5,000,000 (at most two decimals).")
        else:
            message = _("Enter an amount above zero in digits, for example 5,000,000 (at most two decimals).")
        raise ValidationError({field: message})
    return parsed


def a_date(value: Any, *, field: str) -> dt.date:
    """A date (the form gives one; a service called otherwise may get ISO text)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: _("Enter a date like 2027-05-31.")}) from None


def period(starts_on: Any, ends_on: Any, *, start_field: str = "starts_on",
           end_field: str = "ends_on") -> tuple[dt.date, dt.date]:
    start, end = a_date(starts_on, field=start_field), a_date(ends_on, field=end_field)
    if end < start:
        raise ValidationError({end_field: _("The end date comes before the start date: it must be on or after "
                                            "%(start)s.") % {"start": start.isoformat()}})
    if (end - start).days > LONGEST_PERIOD_DAYS:
        raise ValidationError({end_field: _("Keep the period to two years at most.")})
    return start, end


def file_kind(upload: Any, *, field: str, images: bool = True) -> str:
    """What an uploaded file is by its first bytes (a picture, a PDF or an Office file), or a message."""
    size = getattr(upload, "size", 0) or 0
    head = head_of(upload)
    kind = (image_kind(head) if images else None) or document_kind(head, getattr(upload, "name", "") or "")
    if kind is None:
        raise ValidationError({field: _("“%(name)s” is not a file we take: send a PDF, an Office document "
                                        "(Word, Excel, PowerPoint) or a picture (JPEG, PNG, WebP, GIF).")
                               % {"name": _file_name(upload)}})
    if size > MAX_FILE_BYTES:
        raise ValidationError({field: _("“%(name)s” is larger than 20 MB: send a smaller file.")
                               % {"name": _file_name(upload)}})
    return kind


def _file_name(upload: Any) -> str:
    return clean_text(getattr(upload, "name", "") or "", field="files", most=10_000)[:100] or "?"


def original_name(upload: Any) -> str:
    return _file_name(upload)[:200]


def tenant_currency() -> str:
    return str(getattr(getattr(connection, "tenant", None), "currency", "") or "KRW")


def hq_users() -> list[User]:
    return [m.user for m in Membership.objects.filter(
        organization__kind=OrgKind.HQ, is_active=True, role__in=list(HQ_ROLES)).select_related("user")]


def partner_users(partner_id: int) -> list[User]:
    return [m.user for m in Membership.objects.filter(organization_id=partner_id, is_active=True)
            .select_related("user")]


def partner_admins(partner_id: int) -> list[User]:
    """The partner's admins (its dealer or distributor admins), active in it."""
    return [m.user for m in Membership.objects.filter(
        organization_id=partner_id, is_active=True, role__in=[Role.DEALER_ADMIN, Role.DISTRIBUTOR_ADMIN])
        .select_related("user")]


def money_text(value: Decimal) -> str:
    """An amount as a form field offers it: "1,250,000" or "12,000.50"."""
    return f"{value:,.2f}" if value != value.to_integral_value() else f"{value:,.0f}"


def won_text(value: Decimal) -> str:
    """An amount for a message or a notification, as the pages show money (the ``won`` filter): "₩1,250,000"."""
    sign = "−" if value < 0 else ""
    return f"{sign}₩{money_text(abs(value))}"
