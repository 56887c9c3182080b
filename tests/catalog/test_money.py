"""Money in minor units: the currency's exponent, rounding and formats."""

import pytest

from rustok import money
from rustok.errors import InvalidInput


@pytest.mark.parametrize(("code", "places"), [("EUR", 2), ("JPY", 0), ("KWD", 3)])
def test_each_currency_has_its_minor_unit(code, places):
    assert money.exponent(code) == places


def test_a_percentage_rounds_half_up_to_the_minor_unit():
    assert money.scaled(1250, 10, "EUR") == 1375
    assert money.scaled(5, 10, "EUR") == 6  # 5.5 -> 6
    assert money.scaled(999, -100, "EUR") == 0
    assert money.scaled(100, -150, "EUR") == 0  # never below zero


def test_amounts_are_formatted_for_the_language():
    assert money.format_minor(123456, "EUR", "en") == "€1,234.56"
    assert money.format_minor(123456, "EUR", "ru").replace("\xa0", " ").replace("\u202f", " ") == "1 234,56 €"
    assert money.format_minor(500, "JPY", "en") == "¥500"


@pytest.mark.parametrize("value", [1.5, "1.5", True, -1, 2**63, None, "abc"])
def test_an_amount_must_be_whole_minor_units(value):
    with pytest.raises(InvalidInput) as caught:
        money.minor_amount(value, "price")
    assert list(caught.value.errors) == ["price"]


@pytest.mark.parametrize("code", ["", "EU", "EURO", "XXX", 12, "zzz"])
def test_a_currency_must_be_iso_4217(code):
    with pytest.raises(InvalidInput):
        money.currency_code(code)
