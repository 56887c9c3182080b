"""A new customer registers, orders and finds the order in their account, in a real browser against
the live server with its worker; another customer, signed in in a second browser, cannot open it
by its address. Screenshots go to test-artifacts/e2e/.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import DEMO_PASSWORD
from tests.e2e.shop import DEMO, SUCCEEDS, add_to_cart, amount, fill_checkout, orders_of, place_order, totals

pytestmark = pytest.mark.browser

PASSWORD = "green-leaves-in-May-42"


def sign_in(browser, email: str, password: str) -> None:
    page = browser.page
    page.goto(browser.url(DEMO, "/account/login/"))
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    assert page.locator("h1").inner_text() == "Your account"


def test_a_customer_registers_orders_and_only_they_see_the_order(
    shop_worker, browser, another_browser, database
):
    page = browser.page
    email = "new-customer@example.com"
    page.goto(browser.url(DEMO, "/account/login/"))
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Your name").fill("Rosa")
    page.get_by_label("Password").fill(PASSWORD)
    browser.screenshot("register")
    page.get_by_role("button", name="Create an account").click()
    assert page.locator("h1").inner_text() == "Sign in"
    assert "Check your mail" in page.locator(".notices").inner_text()
    sign_in(browser, email, PASSWORD)

    add_to_cart(browser, "/shop/products/gaiwan/?colour=celadon")
    page.get_by_role("link", name="Check out").click()
    page.wait_for_url(re.compile(r"/checkout/"))
    assert page.locator("#email").input_value() == email  # the customer's own
    fill_checkout(page, email=None, card=SUCCEEDS)
    place_order(page)
    assert page.locator("h1").inner_text() == "Thank you for your order!"
    (order,) = database(orders_of, email)
    number = order["number"]
    assert totals(page)["total"] == order["total"]

    page.goto(browser.url(DEMO, "/account/"))
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Orders").click()
    page.wait_for_url(re.compile(r"/account/orders/$"))
    link = page.locator(f"table tbody tr a[href^='/account/orders/{number}/']")
    assert link.count() == 1 and page.locator("table tbody tr").count() == 1  # theirs alone
    assert str(number) in link.inner_text()
    browser.screenshot("orders")
    link.click()
    page.wait_for_url(re.compile(rf"/account/orders/{number}/"))
    assert page.locator("h1").inner_text().startswith("Order ")
    assert f"{number}" in page.locator("h1").inner_text()
    assert "Gaiwan" in page.locator("main").inner_text()
    total = page.locator("main table.totals tr.totals-total td")
    assert amount(total.inner_text()) == order["total"]
    browser.screenshot("order")

    other = another_browser("other-customer")
    sign_in(other, "customer@demo.localhost", DEMO_PASSWORD)
    answer = other.page.goto(other.url(DEMO, f"/account/orders/{number}/"))
    assert answer.status == 404
    assert other.page.locator("h1").inner_text() == "Not found"
    assert "Gaiwan" not in other.page.locator("main").inner_text()
    other.screenshot("not-theirs")
    assert browser.errors == [] and other.errors == []
