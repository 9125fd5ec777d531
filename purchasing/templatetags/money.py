"""Money as people read it on the page: "₩1,250,000", "₩12,000.50", "−₩300,000" (a credit)."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


@register.filter
def won(value: Any) -> str:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return "—"
    if not amount.is_finite():
        return "—"
    sign = "−" if amount < 0 else ""
    amount = abs(amount)
    text = f"{amount:,.2f}" if amount != amount.to_integral_value() else f"{amount:,.0f}"
    return f"{sign}₩{text}"
