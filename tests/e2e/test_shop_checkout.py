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
from django.utils import translation

from rustok.money import format_minor
from tests.conftest import wait_until
from tests.e2e.shop import (
    DECLINED,
    DEMO,
    PROVIDER_DOWN,
    SUCCEEDS,
    TIMES_OUT,
    add_to_cart,
    amount,
    apply_voucher,
    cart_quantity,
    fill_checkout,
    orders_of,
    pay_with,
    payments_of,
    place_order,
    shipping_price,
    totals,
)

pytestmark = pytest.mark.browser

VOUCHER, VOUCHER_PERCENT = "WELCOME10", 10  # the demo's (apps/orders/demo.py)


def ru(message: str) -> str:
    """`message` as the Russian pages say it (the project's catalog)."""
    with translation.override("ru"):
        return translation.gettext(message)


def total_shown(page) -> str:
    """The total as the page's totals table writes it."""
    return page.locator("table.totals .totals-total td").inner_text()


def test_a_guest_finds_a_tea_by_its_filters_and_buys_it_with_a_voucher(shop_worker, browser, database):
    page = browser.page
    email = "guest-shopper@example.com"
    page.goto(browser.url(DEMO, "/"))
    page.get_by_role("link", name="Shop", exact=True).first.click()
    page.wait_for_url(re.compile(r"/shop/$"))
    page.locator("nav.shop-tree").get_by_role("link", name="Tea", exact=True).click()
    page.wait_for_url(re.compile(r"/shop/categories/tea/$"))
    page.locator("nav.shop-tree").get_by_role("link", name="Green tea", exact=True).click()
    page.wait_for_url(re.compile(r"/shop/categories/green-tea/$"))
    assert page.locator("h1").inner_text() == "Green tea"
    browser.screenshot("category")
    page.locator("fieldset.facet", has_text="Caffeine").get_by_label(re.compile(r"^\s*Medium")).check()
    page.wait_for_url(re.compile(r"caffeine=medium"))  # the script applies a filter at once
    page.get_by_label("From", exact=True).fill("12")
    page.get_by_label("To", exact=True).fill("20")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    assert re.search(r"price_min=12", page.url) and re.search(r"price_max=20", page.url)
    cards = page.locator(".cards")
    names = cards.inner_text()
    assert "Dragon Well" in names and "Bi Luo Chun" in names  # medium caffeine, $15 and $16
    assert "Sencha" not in names and "Gyokuro" not in names  # $9; high caffeine
    browser.screenshot("filtered")
    cards.get_by_role("link", name="Dragon Well").first.click()
    page.wait_for_url(re.compile(r"/shop/products/dragon-well/"))

    page.locator("input[name=pack][value='100g']").check()
    assert page.url.endswith("?pack=100g")
    unit = amount(page.locator("[data-price]").inner_text())
    browser.screenshot("product")
    add_to_cart(browser, None, quantity=2)
    assert page.locator("h1").inner_text() == "Your cart"
    assert page.locator("input[name=quantity]").input_value() == "2"
    assert amount(page.locator(".cart-total").inner_text()) == 2 * unit
    cart_quantity(page, 0, 3)
    assert "Your cart was updated." in page.locator(".notices").inner_text()
    assert amount(page.locator(".cart-total").inner_text()) == 3 * unit
    apply_voucher(page, VOUCHER)
    assert f"Voucher {VOUCHER} applied." in page.locator(".cart-voucher").inner_text()
    shown = totals(page)
    assert shown["subtotal"] == 3 * unit
    assert -shown["discount"] == round(shown["subtotal"] * VOUCHER_PERCENT / 100)
    assert shown["total"] == shown["subtotal"] + shown["discount"]
    browser.screenshot("cart")

    page.get_by_role("link", name="Check out").click()
    page.wait_for_url(re.compile(r"/checkout/"))
    shipping = shipping_price(page, "Express")
    fill_checkout(page, email=email, card=SUCCEEDS, method="Express")
    expected = shown["total"] + shipping
    reviewed = totals(page)  # what the shopper reads before placing the order
    assert (reviewed["shipping"], reviewed["total"]) == (shipping, expected)
    browser.screenshot("checkout")
    place_order(page)
    assert page.locator("h1").inner_text() == "Thank you for your order!"
    assert totals(page)["total"] == expected
    assert total_shown(page) == format_minor(expected, "USD", "en")
    (order,) = database(orders_of, email)
    assert (order["total"], order["paid_amount"], order["shipping"]) == (expected, expected, shipping)
    assert order["status"] == "paid"
    assert f"#{order['number']}" in page.locator(".lead").inner_text()
    browser.screenshot("confirmation")
    assert browser.errors == []


def test_a_guest_shops_in_russian_with_russian_prices(shop_worker, browser, database):
    page = browser.page
    email = "russian-guest@example.com"
    page.goto(browser.url(DEMO, "/shop/categories/teaware/"))
    page.locator("nav.languages").get_by_role("link", name="Русский").click()
    page.wait_for_url(re.compile(r"lang=ru"))
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text() == "Посуда"
    page.locator("fieldset.facet", has_text="Цвет").get_by_label(re.compile(r"Селадон")).check()
    page.wait_for_url(re.compile(r"colour=celadon"))
    browser.screenshot("category-ru")
    page.locator(".cards").get_by_role("link", name="Пиала").first.click()
    page.wait_for_url(re.compile(r"/shop/products/[^/]+/\?lang=ru"))
    assert page.locator("h1").inner_text() == "Пиала"
    page.get_by_role("radio", name="Селадон").check()
    price = page.locator("[data-price]").inner_text()
    unit = amount(price)
    assert price == format_minor(unit, "USD", "ru")  # "12,00 $": a comma and a no-break space
    assert "," in price and "\xa0" in price
    add_to_cart(browser, None, quantity=2)
    assert page.locator("h1").inner_text() == ru("Your cart")
    apply_voucher(page, VOUCHER)
    shown = totals(page)
    assert total_shown(page) == format_minor(shown["total"], "USD", "ru")
    assert shown["total"] == 2 * unit - round(2 * unit * VOUCHER_PERCENT / 100)
    browser.screenshot("cart-ru")

    page.get_by_role("link", name=ru("Check out")).click()
    page.wait_for_url(re.compile(r"/checkout/"))
    assert page.locator("h1").inner_text() == ru("Checkout")
    shipping = shipping_price(page, "DHL Посылка")
    fill_checkout(page, email=email, card=SUCCEEDS, method="DHL Посылка")
    expected = shown["total"] + shipping
    assert total_shown(page) == format_minor(expected, "USD", "ru")
    browser.screenshot("checkout-ru")
    place_order(page)
    assert page.locator("h1").inner_text() == ru("Thank you for your order!") == "Спасибо за заказ!"
    assert total_shown(page) == format_minor(expected, "USD", "ru")
    (order,) = database(orders_of, email)
    assert order["total"] == expected
    browser.screenshot("confirmation-ru")
    assert browser.errors == []


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
    said = [other.page.goto(address).headers.get("x-cache")]
    while said[-1] != "hit" and len(said) < 4:  # stored at the first look (unless an invalidation
        said.append(other.page.reload().headers.get("x-cache"))  # of the count ran just then)
    assert said[-1] == "hit", said  # the page the other shopper sees is the cached one
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
