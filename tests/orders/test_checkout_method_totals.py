"""The checkout's review carries the totals of each shipping method offered (the chosen one's
shown, each one's in a <template> the script shows on a change of choice): each is what the
order placed with that method comes to, and choosing a method sends nothing."""

import re

import pytest
from django.test import Client

from apps.orders.models import Order
from rustok.money import format_minor
from tests.conftest import ALPHA_HOST
from tests.orders.conftest import GERMAN_ADDRESS
from tests.orders.factories import ShippingMethodFactory, TaxRateFactory, VoucherFactory

HTML = {"HTTP_ACCEPT": "text/html"}


def place_form(method_id: int) -> dict:
    data = {f"shipping_address-{name}": value for name, value in GERMAN_ADDRESS.items()}
    data.update(
        {
            "email": "anna@example.com",
            "billing_same": "on",
            "shipping_method": str(method_id),
            "payment_provider": "demo",
            "card_number": "4242 4242 4242 4242",
            "card_expiry": "12/30",
            "card_cvc": "123",
            "action": "place",
        }
    )
    return data


def rows_of(table: str) -> list[tuple[str, str]]:
    return re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', table)


def summaries(html: str) -> dict[str, list[tuple[str, str]]]:
    """The review's summary for each method offered (its <template>), by the method's id."""
    found = re.findall(r'<template data-totals-for="(\d+)">(.*?)</template>', html, re.S)
    return {method: rows_of(table) for method, table in found}


def shown(html: str) -> list[tuple[str, str]]:
    """The rows of the summary the review shows."""
    return rows_of(re.search(r"<div [^>]*data-review-totals>(.*?)</div>", html, re.S).group(1))


def order_rows(html: str) -> list[tuple[str, str]]:
    return rows_of(re.search(r'<table class="totals">(.*?)</table>', html, re.S).group(1))


@pytest.fixture
def methods(alpha, parcel):
    """Three ways of shipping to Germany: the parcel at 4.90, express at 15.00, and one free from
    20.00 (the cart's 25.00 ships free); shipping taxed at Germany's 19%."""
    TaxRateFactory()
    express = ShippingMethodFactory(zone=parcel.zone, name_en="Express", price=1500, position=1)
    free = ShippingMethodFactory(zone=parcel.zone, name_en="Saver", price=700, free_above=2000, position=2)
    return [parcel, express, free]


def shopper(shirt) -> Client:
    """A guest with two shirts (25.00) in their cart, and 10% off with a voucher."""
    client = Client(HTTP_HOST=ALPHA_HOST, **HTML)
    assert client.post("/cart/add/", {"variant": shirt.pk, "quantity": 2}).status_code == 302
    client.post("/cart/voucher/", {"code": "TEN"})
    return client


def test_each_methods_totals_on_the_review_are_the_orders_placed_with_it(alpha, shirt, methods):
    VoucherFactory(code="TEN", percent=10)
    first = shopper(shirt).get("/checkout/").content.decode()
    offered = summaries(first)
    assert set(offered) == {str(method.pk) for method in methods}
    assert shown(first) == offered[str(methods[0].pk)]  # the first one chosen
    # Choosing a method is no submit: its radio carries no script's order to send the form.
    assert "data-reprice" not in first

    totals = []
    for method in methods:
        client = shopper(shirt)
        rows = summaries(client.get("/checkout/").content.decode())[str(method.pk)]
        answer = client.post("/checkout/", place_form(method.pk))
        assert answer.status_code == 302, answer.content.decode()[:2000]
        order = Order.objects.get(shipping_method_id=method.pk)
        assert dict(rows)["Shipping"] == format_minor(order.shipping, order.currency)
        assert dict(rows)["Total"] == format_minor(order.total, order.currency)
        assert rows == order_rows(client.get(answer["Location"]).content.decode())
        totals.append(order.total)
    assert len(set(totals)) == 3  # three different totals, each as the review said


def test_the_update_button_shows_the_chosen_methods_totals_without_javascript(alpha, shirt, methods):
    client = shopper(shirt)
    express = methods[1]
    html = client.post("/checkout/", {**place_form(express.pk), "action": "update"}).content.decode()
    assert shown(html) == summaries(html)[str(express.pk)]
    assert ("Shipping", "$15.00") in shown(html)
