"""Amounts and numbers as people type them: thousands separators only where they belong."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from prm.core.money import parse_amount, ungroup
from rewards.services.points import parse_points


@pytest.mark.parametrize(("typed", "read"), [
    ("1,234,567", "1234567"), ("1234567", "1234567"), ("-1,000", "-1000"), ("12,000.50", "12000.50"), ("", ""),
])
def test_thousands_separators_are_taken_out(typed: str, read: str) -> None:
    assert ungroup(typed) == read


@pytest.mark.parametrize("typed", ["1,0,0", "10,00", ",100", "100,", "1,2345", "1,,000"])
def test_commas_that_are_not_thousands_separators_are_a_slip(typed: str) -> None:
    assert ungroup(typed) is None
    assert parse_amount(typed) is None
    with pytest.raises(ValidationError):
        parse_points(typed)


def test_amounts_and_points_read_the_grouped_forms() -> None:
    assert parse_amount("₩3,400,000") == Decimal("3400000")
    assert parse_amount("5,000원") == Decimal("5000")
    assert parse_points("-1,500") == -1500


def test_a_tier_amount_left_empty_is_empty_and_a_slip_is_refused() -> None:
    from rewards.forms.tiers import KrwField

    field = KrwField(required=False, min_value=0, max_digits=16, decimal_places=0)
    assert field.clean("") is None
    assert field.clean("3,400,000") == Decimal("3400000")
    with pytest.raises(ValidationError):
        field.clean("3,40,0000")


@pytest.mark.parametrize("typed", ["1e5", "1E5", "NaN", "Infinity", "0x10", "1_000", "--5", "5-"])
def test_only_plain_numbers_are_amounts(typed: str) -> None:
    assert parse_amount(typed) is None


def test_full_width_digits_are_read_and_other_scripts_digits_are_not() -> None:
    assert parse_amount("１２,０００") == Decimal("12000")
    assert parse_amount("٣٠٠") is None
    assert ungroup("١,٠٠٠") is None


def test_points_are_typed_in_ascii_or_full_width_digits() -> None:
    assert parse_points("１,５００") == 1500
    with pytest.raises(ValidationError):
        parse_points("٣٠٠")
