"""A shopper's checkout in a real browser, with its script: "Add to cart" on a product's page
comes back to that page with the message; choosing another shipping method (with the arrow keys)
shows the review's totals for it at once without loading a page (the server rendered each
method's totals; the focus stays on the method chosen); Enter in
an address field updates the form and never places the order.

The demo's first tea and the demo's two ways of shipping to Germany (DHL Parcel at 4.90, Express
at 12.90, apps/orders/demo.py) are used. Screenshots go to test-artifacts/e2e/.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django_tenants.utils import schema_context

pytestmark = pytest.mark.browser

DEMO = "demo.localhost"


@pytest.fixture(scope="module")
def tea_page(demo_site, django_db_blocker):
    """The path of the demo's first tea's page."""
    from apps.catalog.models import Variant

    with django_db_blocker.unblock(), schema_context("demo"):
        product = Variant.objects.filter(sku__startswith="TEA-").order_by("pk").first().product
        path = f"/shop/products/{product.slug_en}/"
        connection.set_schema_to_public()
    return path


def test_a_shopper_adds_to_cart_and_the_review_follows_the_shipping_method(tea_page, browser):
    page = browser.page
    page.goto(browser.url(DEMO, tea_page))
    with page.expect_navigation():
        page.locator("[data-buy-button]").click()
    assert urlsplit(page.url).path == tea_page  # back on the product
    assert "Added to your cart." in page.locator(".notices").inner_text()
    browser.screenshot("added-on-product")

    page.goto(browser.url(DEMO, "/checkout/"))
    parcel = page.get_by_role("radio", name=re.compile("DHL Parcel"))
    express = page.get_by_role("radio", name=re.compile("Express"))
    shipping = page.locator(".checkout-review .totals-shipping:visible")
    assert parcel.is_checked() and "$4.90" in shipping.inner_text()
    loads = []
    page.on("load", lambda _page: loads.append(1))
    parcel.focus()
    page.keyboard.press("ArrowDown")  # the next method: no page load, the review follows at once
    assert express.is_checked() and "$12.90" in shipping.inner_text()
    assert page.evaluate("document.activeElement.id") == express.get_attribute("id")
    assert loads == []
    browser.screenshot("checkout-express")

    page.locator("#shipping_address-first_name").fill("Anna")
    page.locator("#shipping_address-last_name").fill("Schmidt")
    with page.expect_navigation():
        page.locator("#shipping_address-line1").fill("Unter den Linden 1")
        page.locator("#shipping_address-line1").press("Enter")
    assert urlsplit(page.url).path == "/checkout/"  # the form again, no order
    assert page.locator("#shipping_address-line1").input_value() == "Unter den Linden 1"
    assert express.is_checked() and page.locator("h1").inner_text() == "Checkout"
    assert browser.errors == []
