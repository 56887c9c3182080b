"""The shop's pages checked with axe-core in a real browser, at a phone's width (375×800) and a
desktop's: the shop, a category with a filter applied, a collection, a product, the cart with a
line, the checkout (and with its errors shown), an order's page, sign-in, register, the
customer's orders, an address's form and the address book, and the shop in Russian. No
violation of impact "serious" or "critical" is allowed, of WCAG 2.1 A or AA rules, WCAG 2.2's
target size or axe's best practices; every page fits the width (nothing scrolls sideways).

axe-core's script is the one shipped inside the axe-playwright-python package, injected from it
(nothing is fetched). A screenshot per page and width goes to test-artifacts/e2e/.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from tests.e2e.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

DEMO = "demo.localhost"
# WCAG 2.1 A and AA; with axe's best practices (one main landmark, every part in a landmark, the
# headings' order) and WCAG 2.2's target size, which a phone's shopper needs.
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = {"serious", "critical"}
WIDTHS = {"phone": {"width": 375, "height": 800}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def shop_paths(demo_site, django_db_blocker):
    """Paths of the demo's pages: its first category with products, its first collection, its
    first tea, and one of its customer's orders (by the order's link for guests)."""
    from apps.catalog.models import Collection, ProductCategory, Variant
    from apps.orders import links
    from apps.orders.models import Order

    with django_db_blocker.unblock(), schema_context("demo"):
        category = ProductCategory.objects.filter(products__isnull=False).order_by("pk").first()
        collection = Collection.objects.order_by("pk").first()
        product = Variant.objects.filter(sku__startswith="TEA-").order_by("pk").first().product
        order = Order.objects.order_by("pk").first()
        paths = {
            "category": f"/shop/categories/{category.slug_en}/",
            "collection": f"/shop/collections/{collection.slug_en}/",
            "product": f"/shop/products/{product.slug_en}/",
            "order": f"/orders/view/?key={links.guest_key(order)}",
        }
        connection.set_schema_to_public()
    return paths


def violations(page) -> list[str]:
    """What axe-core finds on the page that is serious or critical, one line per rule."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": RULES}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_the_shops_pages_pass_axe_at_phone_and_desktop_widths(width, shop_paths, browser):
    page = browser.page
    page.set_viewport_size(WIDTHS[width])
    found: dict[str, list[str]] = {}

    def check(name: str) -> None:
        page.wait_for_load_state("load")
        browser.screenshot(f"{width}-{name}")
        problems = violations(page)
        if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
            problems.append("the page is wider than the window")
        if problems:
            found[name] = problems

    page.goto(browser.url(DEMO, "/shop/"))
    check("shop")

    page.goto(browser.url(DEMO, shop_paths["category"]))
    facet = page.locator(".shop-filters fieldset input[type=checkbox]").first
    name, value = facet.get_attribute("name"), facet.get_attribute("value")
    page.goto(browser.url(DEMO, f"{shop_paths['category']}?{name}={value}"))
    assert page.locator(".shop-chosen").count() == 1  # the filter is applied
    check("category-filtered")

    page.goto(browser.url(DEMO, shop_paths["collection"]))
    check("collection")

    page.goto(browser.url(DEMO, shop_paths["product"]))
    check("product")

    with page.expect_navigation():
        page.locator("[data-buy-button]").click()
    page.goto(browser.url(DEMO, "/cart/"))
    assert page.locator(".cart-lines tbody tr, .cart-line").count() >= 1
    check("cart")

    page.goto(browser.url(DEMO, "/checkout/"))
    check("checkout")
    with page.expect_navigation():
        page.locator("button[data-place-order]").click()
    assert page.locator("#error-summary").is_visible()
    check("checkout-errors")

    page.goto(browser.url(DEMO, shop_paths["order"]))
    check("order")

    page.goto(browser.url(DEMO, "/account/register/"))
    check("register")

    page.goto(browser.url(DEMO, "/account/login/"))
    check("sign-in")
    page.get_by_label("E-mail address").fill("customer@demo.localhost")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()

    page.goto(browser.url(DEMO, "/account/orders/"))
    check("account-orders")

    page.goto(browser.url(DEMO, "/account/addresses/add/"))
    check("address-form")
    page.get_by_label("First name").fill("Clara")
    page.get_by_label("Last name").fill("Zetkin")
    page.get_by_label("Street and house number").fill("Unter den Linden 1")
    page.get_by_label("City").fill("Berlin")
    page.get_by_label("Postal code").fill("10117")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the address").click()
    assert "Unter den Linden 1" in page.locator(".addresses").inner_text()
    check("address-book")

    page.goto(browser.url(DEMO, "/shop/?lang=ru"))
    assert page.locator("html").get_attribute("lang") == "ru"
    check("shop-ru")

    assert found == {}, "\n".join(f"{name}: {line}" for name, lines in found.items() for line in lines)
    assert browser.errors == []
