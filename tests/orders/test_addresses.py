"""Addresses are checked per country, naming each wrong field."""

import pytest

from apps.orders.addresses import clean
from rustok.errors import InvalidInput

GERMAN = {
    "first_name": "Anna",
    "last_name": "Schmidt",
    "line1": "Unter den Linden 1",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "de",
}


def test_a_valid_address_comes_back_trimmed_with_the_country_upper_cased():
    address = clean({**GERMAN, "city": "  Berlin "})
    assert address["country"] == "DE"
    assert address["city"] == "Berlin"
    assert address["line2"] == ""


def test_a_postal_code_of_the_wrong_format_is_refused_with_an_example():
    with pytest.raises(InvalidInput) as refused:
        clean({**GERMAN, "postal_code": "1011"}, "shipping_address")
    assert list(refused.value.errors) == ["shipping_address.postal_code"]
    assert "such as" in refused.value.errors["shipping_address.postal_code"][0]


def test_a_us_address_needs_a_state():
    with pytest.raises(InvalidInput) as refused:
        clean({**GERMAN, "country": "US", "postal_code": "10001", "city": "New York"}, "billing_address")
    assert "billing_address.country_area" in refused.value.errors


def test_a_us_state_is_written_as_its_code():
    address = clean(
        {**GERMAN, "country": "US", "postal_code": "10001", "city": "New York", "country_area": "New York"}
    )
    assert address["country_area"] == "NY"


def test_every_missing_field_is_named_at_once():
    with pytest.raises(InvalidInput) as refused:
        clean({"country": "DE"}, "shipping_address")
    assert {"shipping_address.first_name", "shipping_address.last_name", "shipping_address.line1"} <= set(
        refused.value.errors
    )


@pytest.mark.parametrize("country", ["XX", "", "Germany", 49])
def test_a_country_that_is_not_one_is_refused(country):
    with pytest.raises(InvalidInput) as refused:
        clean({**GERMAN, "country": country})
    assert "address.country" in refused.value.errors


def test_unknown_fields_and_non_text_values_are_refused():
    with pytest.raises(InvalidInput) as refused:
        clean({**GERMAN, "planet": "Mars", "city": 12})
    assert {"address.planet", "address.city"} <= set(refused.value.errors)
