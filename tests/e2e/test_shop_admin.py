"""A manager's first look at the shop in the admin, in a real browser: the Shop section of the
sidebar, the product list, a product's page with its variants and prices, and the stock list.

The demo gets a few products (through the catalogue's and the inventory's services) before the
browser starts; every request stays on the demo's own host (the `browser` fixture fails the test
otherwise); screenshots go to test-artifacts/e2e/.
"""

import re

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from tests.e2e.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

DEMO = "demo.localhost"


@pytest.fixture(scope="module")
def shop(demo_site, django_db_blocker):
    """Teas in the demo's catalogue, with sizes, prices and stock; the first product's id."""
    from apps.accounts.models import User
    from apps.catalog import services
    from apps.inventory import services as stock

    with django_db_blocker.unblock(), schema_context("demo"):
        manager = User.objects.get(email__iexact=f"manager@{DEMO}")
        currency = services.shop_settings().default_currency
        size = services.create_attribute(
            actor=manager,
            slug="tin",
            input_type="choice",
            texts={"en": {"name": "Tin"}},
            choices=[{"slug": s, "texts": {"en": {"name": f"{s} g"}}} for s in ("50", "100", "250")],
        )
        origin = services.create_attribute(
            actor=manager, slug="origin", input_type="text", texts={"en": {"name": "Origin"}}
        )
        tea = services.create_product_type(
            actor=manager,
            slug="loose-tea",
            texts={"en": {"name": "Loose tea"}},
            attributes=[(size, "variant"), (origin, "product")],
        )
        green = services.create_category(actor=manager, texts={"en": {"name": "Green tea"}})
        warehouse = stock.create_location(
            actor=manager, texts={"en": {"name": "Main warehouse"}}, country="DE"
        )
        first = None
        for number, (name, where) in enumerate(
            [("Sencha", "Japan"), ("Gunpowder", "China"), ("Matcha", "Japan"), ("Dragon Well", "China")]
        ):
            product = services.create_product(
                actor=manager,
                product_type=tea,
                texts={"en": {"name": name}},
                categories=[green],
                attributes={"origin": where},
            )
            for grams, amount in (("50", 650), ("100", 1190), ("250", 2690)):
                variant = services.create_variant(
                    actor=manager,
                    product=product,
                    sku=f"{name[:3].upper()}-{grams}",
                    attributes={"tin": grams},
                    prices=[{"currency": currency, "amount": amount + 100 * number}],
                )
                stock.adjust(
                    actor=manager, variant=variant, location=warehouse, delta=5 + number, reason="received"
                )
            if number % 2 == 0:
                services.transition_product(actor=manager, product=product, name="activate")
            first = first or product.pk
        connection.set_schema_to_public()
    return first


def test_a_manager_finds_the_shop_and_opens_a_product(shop, browser):
    page = browser.page
    page.goto(browser.url(DEMO, "/admin/login/"))
    page.locator("input[name=username]").fill(f"manager@{DEMO}")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form [type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))
    sidebar = page.locator("#nav-sidebar-apps")
    sidebar.get_by_text("Shop", exact=True).wait_for()
    assert sidebar.get_by_role("link", name="Products").is_visible()
    assert sidebar.get_by_role("link", name="Stock levels").is_visible()
    browser.screenshot("dashboard")

    sidebar.get_by_role("link", name="Products").click()
    page.wait_for_url(re.compile(r"/admin/catalog/product/$"))
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 4
    assert page.get_by_text("Sencha").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    browser.screenshot("products")

    page.goto(browser.url(DEMO, f"/admin/catalog/product/{shop}/change/"))
    page.locator("input[name=variants-0-sku]").wait_for()
    assert page.locator("input[name=variants-0-sku]").input_value().startswith("SEN-")
    assert page.locator("button[name=transition]").count() >= 1
    browser.screenshot("product")

    page.goto(browser.url(DEMO, "/admin/inventory/stocklevel/"))
    page.get_by_text("Main warehouse").first.wait_for()
    browser.screenshot("stock")

    assert browser.errors == []
