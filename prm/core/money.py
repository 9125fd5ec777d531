"""Amounts of money as people type them ("1,234,567.89", "₩12,000", "5,000원"): exact decimals, never floats."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

LARGEST = Decimal(10) ** 12  # a trillion: more than any single price or payment here
CENT = Decimal("0.01")
PLAIN = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
GROUPED = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?")


def ungroup(text: str) -> str | None:
    """``text`` without its thousands separators, or None when its commas are not thousands separators
    ("1,0,0" is a typing slip, not 100)."""
    text = text.strip()
    if "," not in text:
        return text
    return text.replace(",", "") if GROUPED.fullmatch(text) else None


def parse_amount(value: Any, *, allow_zero: bool = True) -> Decimal | None:
    """The amount, or None when it is not one: not a number, negative (or zero when not allowed), more than two
    decimals, or a trillion or more. Floats are refused: they are not exact."""
    if isinstance(value, float) or isinstance(value, bool):
        return None
    # full-width digits typed with a Korean keyboard are digits; other scripts' digits are not amounts here
    text = ungroup(unicodedata.normalize("NFKC", str(value)).replace("₩", "").replace("원", "")) or ""
    if not text or len(text) > 40 or not PLAIN.fullmatch(text):  # "1e5", "NaN", "0x10" are not typed amounts
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0 or (amount == 0 and not allow_zero) or amount >= LARGEST:
        return None
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(CENT):  # type: ignore[operator]
        return None
    return amount.quantize(CENT) if amount.as_tuple().exponent < -2 else amount  # type: ignore[operator]
