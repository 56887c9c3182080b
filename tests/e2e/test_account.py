"""A customer's account on the storefront, in a real browser and without JavaScript's help: they
sign in from the header's link, read their orders, keep an address (a wrong postal code named
next to its field, then fixed), in English and in Russian, and the pages fit a phone.

The demo's customer (customer@demo.localhost) and their orders are used (apps/orders/demo.py).
Screenshots go to test-artifacts/e2e/.
"""

import pytest

from tests.e2e.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

DEMO = "demo.localhost"


def test_a_customer_signs_in_reads_their_orders_and_keeps_an_address(demo_site, browser):
    page = browser.page
    page.goto(browser.url(DEMO, "/blog/"))
    page.get_by_role("link", name="Sign in").click()
    assert page.locator("h1").inner_text() == "Sign in"
    page.get_by_label("E-mail address").fill("customer@demo.localhost")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert "The e-mail address or the password is wrong." in page.locator(".form-errors").inner_text()
    browser.screenshot("wrong-password")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.locator("h1").inner_text() == "Your account"
    assert "You are signed in." in page.locator(".notices").inner_text()
    assert page.locator(".header-links").inner_text().strip().startswith("Account")
    browser.screenshot("overview")

    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Orders").click()
    rows = page.locator("table tbody tr")
    assert rows.count() >= 1
    browser.screenshot("orders")
    rows.first.locator("a").click()
    assert page.locator("h1").inner_text().startswith("Order ")
    assert page.locator("table.order-lines").is_visible() and page.locator(".order-addresses").is_visible()
    browser.screenshot("order")

    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Addresses").click()
    page.get_by_role("link", name="Add an address").click()
    page.get_by_label("First name").fill("Clara")
    page.get_by_label("Last name").fill("Zetkin")
    page.get_by_label("Street and house number").fill("Unter den Linden 1")
    page.get_by_label("City").fill("Berlin")
    page.get_by_label("Postal code").fill("1011")
    page.get_by_role("button", name="Save the address").click()
    error = page.locator("#address-postal_code-error")
    assert error.inner_text().startswith("Not a postal code of this country")
    assert (
        page.get_by_label("Postal code").get_attribute("aria-describedby").split()[-1]
        == "address-postal_code-error"
    )
    browser.screenshot("address-error")
    page.get_by_label("Postal code").fill("10117")
    page.get_by_role("button", name="Save the address").click()
    assert "The address is saved." in page.locator(".notices").inner_text()
    assert "Default shipping address" in page.locator(".addresses").inner_text()
    browser.screenshot("addresses")

    page.goto(browser.url(DEMO, "/account/addresses/add/?lang=ru"))
    page.get_by_label("Страна").select_option("US")
    page.get_by_role("button", name="Показать поля страны").click()
    assert page.get_by_label("Штат").is_visible() and page.get_by_label("Индекс ZIP").is_visible()
    browser.screenshot("address-us-ru")

    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/account/", "/account/orders/", "/account/addresses/add/"):
        page.goto(browser.url(DEMO, path))
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    browser.screenshot("phone")

    page.goto(browser.url(DEMO, "/account/"))
    page.get_by_role("button", name="Sign out").click()
    assert page.locator("h1").inner_text() == "Sign in"
    assert "You are signed out." in page.locator(".notices").inner_text()
    assert browser.errors == []
