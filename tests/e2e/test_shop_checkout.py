"""A shopper buys from the demo shop in a real browser, against the live server with the page cache
on and a Celery worker relaying the events as in production (the `shop_worker` fixture): from a
category's filtered list to the order's confirmation, in English and in Russian; declined cards
and a payment service that does not answer charge nothing; the last unit bought in one browser
shows as out of stock in another, whose page was cached, once the worker has relayed the order's
events.

Screenshots of each step go to test-artifacts/e2e/.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import wait_until
from tests.e2e.shop import (
    DECLINED,
    PROVIDER_DOWN,
    SUCCEEDS,
    TIMES_OUT,
    add_to_cart,
    fill_checkout,
    orders_of,
    pay_with,
    payments_of,
    place_order,
)

pytestmark = pytest.mark.browser


def test_refused_cards_charge_nothing_and_the_cart_can_be_paid(shop_worker, browser, database):
    page = browser.page
    email = "refused-cards@example.com"
    add_to_cart(browser, "/shop/products/assam/?pack=50g")
    page.get_by_role("link", name="Check out").click()
    page.wait_for_url(re.compile(r"/checkout/"))
    fill_checkout(page, email=email, card=DECLINED)
    place_order(page)
    error = page.locator("#payment-error")
    assert error.inner_text().startswith("Your card was declined: nothing was charged.")
    assert page.evaluate("document.activeElement.id") == "error-summary"  # said first to a screen reader
    assert page.locator("#email").input_value() == email  # what was typed is kept ...
    assert page.locator("#payment-card_number").input_value() == ""  # ... but the card's number
    browser.screenshot("declined")
    assert database(orders_of, email) == []
    assert [p["captured_amount"] for p in database(payments_of, email)] == [0]

    pay_with(page, PROVIDER_DOWN)
    place_order(page)
    assert page.locator("#payment-error").inner_text().startswith("The payment service is not answering")
    browser.screenshot("provider-down")
    assert database(orders_of, email) == []
    assert all(p["captured_amount"] == 0 for p in database(payments_of, email))

    pay_with(page, SUCCEEDS)
    place_order(page)
    assert page.locator("h1").inner_text() == "Thank you for your order!"
    browser.screenshot("paid")
    (order,) = database(orders_of, email)
    assert order["paid_amount"] == order["total"]
    captured = [p for p in database(payments_of, email) if p["captured_amount"]]
    assert [p["captured_amount"] for p in captured] == [order["total"]]  # one charge, of the total
    assert f"#{order['number']}" in page.locator(".lead").inner_text()
    assert browser.errors == []


def test_a_provider_that_answers_late_charges_the_card_once(shop_worker, browser, database):
    """The demo provider makes the charge and then times out; the retry with the same key finds
    the charge (docs/payments.md): the order is paid, once."""
    page = browser.page
    email = "late-answer@example.com"
    add_to_cart(browser, "/shop/products/assam/?pack=50g")
    page.goto(browser.url("demo.localhost", "/checkout/"))
    fill_checkout(page, email=email, card=TIMES_OUT)
    place_order(page)
    assert page.locator("h1").inner_text() == "Thank you for your order!"
    browser.screenshot("paid-once")
    (order,) = database(orders_of, email)
    captured = [p for p in database(payments_of, email) if p["captured_amount"]]
    assert [p["captured_amount"] for p in captured] == [order["total"]] == [order["paid_amount"]]
    assert browser.errors == []


def _set_stock(slug: str, on_hand: int) -> int:
    """Count `on_hand` units of the product's only variant at the shop floor and none elsewhere,
    through the inventory's services, as the owner; answers the variant's id."""
    from apps.accounts.models import Role, User
    from apps.catalog.models import Variant
    from apps.inventory import services
    from apps.inventory.models import StockLocation

    owner = User.objects.filter(role=Role.OWNER).order_by("pk").first()
    (variant,) = Variant.objects.filter(product__slug_en=slug)
    for n, location in enumerate(StockLocation.objects.order_by("-priority")):
        services.count(actor=owner, variant=variant, location=location, on_hand=on_hand if n == 0 else 0)
    return variant.pk


def _relayed() -> bool:
    """the worker has relayed every event of the demo's outbox"""
    from apps.events.selectors import has_due_events

    return not has_due_events()


def _shown_stock(slug: str) -> str:
    """What the product's document (the read model its page shows) says of its only variant."""
    from apps.catalog import selectors

    (variant,) = selectors.document_by_slug(slug, "en").detail["variants"]
    return variant["stock"]


def test_the_last_unit_bought_shows_out_of_stock_to_another_shopper(
    shop_worker, browser, another_browser, database
):
    slug = "tea-strainer"
    database(_set_stock, slug, 1)
    wait_until(lambda: database(_relayed))
    address = browser.url("demo.localhost", f"/shop/products/{slug}/")

    other = another_browser("other-shopper")
    first = other.page.goto(address)
    assert first.headers.get("x-cache") in ("miss", "hit")
    again = other.page.reload()
    assert again.headers.get("x-cache") == "hit"  # the page the other shopper sees is the cached one
    assert other.page.locator(".availability").inner_text() == "In stock"
    other.screenshot("in-stock")

    add_to_cart(browser, f"/shop/products/{slug}/")
    browser.page.get_by_role("link", name="Check out").click()
    fill_checkout(browser.page, email="last-unit@example.com", card=SUCCEEDS)
    place_order(browser.page)
    assert browser.page.locator("h1").inner_text() == "Thank you for your order!"

    wait_until(lambda: database(_shown_stock, slug) == "out_of_stock" and database(_relayed))
    after = other.page.reload()
    assert after.headers.get("x-cache") != "hit"
    assert other.page.locator(".availability").inner_text() == "Out of stock"
    assert other.page.locator("[data-buy-button]").is_disabled()
    other.screenshot("out-of-stock")
    assert browser.errors == [] and other.errors == []
