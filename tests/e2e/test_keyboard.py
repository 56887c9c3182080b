"""The shop with the keyboard alone, in a real browser: a filter of the shop's list toggled with
Space (the focus back on it once the list reloads), the product page's variant picker moved with
the arrow keys and "Add to cart" pressed with Enter, the cart's quantity changed and sent with
Enter, and the checkout filled in by tabbing through it, one field after the other, to "Place
order" (paid with the demo's test card). Nothing is clicked. At the checkout, choosing a saved
address or a shipping method loads no page; only the country select does, and the page says so
before it.

The demo's first tea (three packs, the first in stock) and its way of shipping to Germany are used.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from tests.e2e.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

DEMO = "demo.localhost"
MOST_TABS = 80  # more presses than the checkout has stops: a stop never reached fails the test


@pytest.fixture(scope="module")
def tea(demo_site, django_db_blocker):
    """The path of the demo's first tea's page, and its category's."""
    from apps.catalog.models import Variant

    with django_db_blocker.unblock(), schema_context("demo"):
        product = Variant.objects.filter(sku__startswith="TEA-").order_by("pk").first().product
        paths = (
            f"/shop/products/{product.slug_en}/",
            f"/shop/categories/{product.categories.first().slug_en}/",
        )
        connection.set_schema_to_public()
    return paths


def focused(page) -> dict:
    """The element that has the focus: its id, name, type, tag and value."""
    return page.evaluate(
        "(() => { const e = document.activeElement;"
        " return {id: e.id, name: e.name || '', type: e.type || '', tag: e.tagName.toLowerCase(),"
        " value: e.value || '', text: (e.innerText || '').trim()}; })()"
    )


def tab_to(page, wanted, *, back: bool = False) -> dict:
    """Press Tab (Shift+Tab with `back`) until the focused element is `wanted` (a predicate)."""
    for _press in range(MOST_TABS):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        now = focused(page)
        if wanted(now):
            return now
    raise AssertionError("never reached by Tab")


def test_a_filter_is_toggled_with_space_and_keeps_the_focus(tea, browser):
    page = browser.page
    page.goto(browser.url(DEMO, tea[1]))
    box = tab_to(page, lambda e: e["type"] == "checkbox")
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert f"{box['name']}={box['value']}" in page.url
    now = focused(page)
    assert (now["name"], now["value"]) == (box["name"], box["value"])  # the focus where it was
    assert page.locator(f"input[name='{box['name']}'][value='{box['value']}']").is_checked()
    browser.screenshot("filter-kept-focus")


def test_a_shopper_buys_and_checks_out_with_the_keyboard_alone(tea, browser):
    page = browser.page
    page.goto(browser.url(DEMO, tea[0]))
    price = page.locator("[data-price]")
    first = price.inner_text()
    tab_to(page, lambda e: e["type"] == "radio")
    page.keyboard.press("ArrowRight")  # the next pack: the price follows, no page load
    assert price.inner_text() != first
    page.keyboard.press("ArrowLeft")  # back to the first, in stock
    assert price.inner_text() == first
    tab_to(page, lambda e: e["id"] == "buy-quantity")
    tab_to(page, lambda e: e["text"] == "Add to cart")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Added to your cart." in page.locator(".notices").inner_text()

    page.goto(browser.url(DEMO, "/cart/"))
    quantity = tab_to(page, lambda e: e["id"].startswith("quantity-"))
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(f"#{quantity['id']}").input_value() == "2"
    tab_to(page, lambda e: e["text"] == "Check out")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == "/checkout/"

    typed = {
        "email": "kim@example.com",
        "shipping_address-first_name": "Kim",
        "shipping_address-last_name": "Lee",
        "shipping_address-line1": "Unter den Linden 1",
        "shipping_address-city": "Berlin",
        "shipping_address-postal_code": "10117",
        "payment-card_number": "4242 4242 4242 4242",
        "payment-card_expiry": "12/30",
        "payment-card_cvc": "123",
        "payment-card_name": "Kim Lee",
    }
    stops = []
    for _press in range(MOST_TABS):
        page.keyboard.press("Tab")
        now = focused(page)
        stops.append(now["id"] or now["text"])
        if now["id"] in typed:
            page.keyboard.type(typed.pop(now["id"]))
        if now["id"].startswith("payment_provider-"):  # pay by card: arrows to it, its fields shown
            for _arrow in range(3):
                if focused(page)["id"] == "payment_provider-demo":
                    break
                page.keyboard.press("ArrowDown")
            assert page.locator("#payment-card_number").is_visible()
        if now["text"] == "Place order":
            break
    assert typed == {}, f"not reached by Tab: {list(typed)}; stops: {stops}"
    assert stops[-1] == "Place order"
    # In the page's order: contact, shipping address, billing, shipping method, payment, review.
    order = [stops.index(stop) for stop in ("email", "shipping_address-line1", "payment-card_number")]
    assert order == sorted(order)
    assert any(re.match(r"shipping_method-\d+", stop) for stop in stops)
    browser.screenshot("checkout-typed")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == "/orders/view/", page.locator("main").inner_text()[:500]
    assert page.locator("h1").inner_text() == "Thank you for your order!"
    assert page.locator("table.order-lines tbody td").nth(1).inner_text() == "2"  # as changed in the cart
    browser.screenshot("order-placed")
    assert browser.errors == []


def test_the_checkouts_choices_load_no_page_but_the_country_which_says_so(tea, browser):
    page = browser.page
    page.goto(browser.url(DEMO, "/account/login/"))
    page.get_by_label("E-mail address").fill("customer@demo.localhost")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    page.goto(browser.url(DEMO, "/account/addresses/add/"))
    page.get_by_label("First name").fill("Clara")
    page.get_by_label("Last name").fill("Zetkin")
    page.get_by_label("Street and house number").fill("Unter den Linden 1")
    page.get_by_label("City").fill("Berlin")
    page.get_by_label("Postal code").fill("10117")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the address").click()
    page.goto(browser.url(DEMO, tea[0]))
    with page.expect_navigation():
        page.locator("[data-buy-button]").click()

    page.goto(browser.url(DEMO, "/checkout/"))
    loads = []
    page.on("load", lambda _page: loads.append(1))
    saved = page.locator("input[name=shipping_saved]:checked")
    saved.focus()
    page.keyboard.press("ArrowDown")  # "A new address": nothing sent, its fields shown
    assert page.locator("#shipping_saved-new").is_checked()
    method = page.locator("input[name=shipping_method]:checked")
    method.focus()
    page.keyboard.press("ArrowDown")  # another method: nothing sent, the review follows
    assert loads == []
    # The country select reloads the form, and the page says so before it.
    hint = page.locator("#shipping [data-country-hint]")
    assert hint.is_visible() and hint.inner_text() == "Changing the country updates the form."
    assert page.evaluate(
        "document.querySelector('#shipping [data-country-hint]')"
        ".compareDocumentPosition(document.getElementById('shipping_address-country'))"
        " & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    with page.expect_navigation():
        page.locator("#shipping_address-country").select_option("FR")
    assert page.evaluate("document.activeElement.id") == "shipping_address-country"
    assert browser.errors == []
