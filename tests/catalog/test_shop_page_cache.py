"""The shop's pages in the page cache: a price change, a stock change across zero, a product's edit
or a category's rename clears exactly the pages that show it, and leaves the others cached."""

import pytest
from django_tenants.utils import schema_context

from apps.catalog import services
from apps.inventory import services as inventory
from tests.catalog.test_storefront_lists import seed_shop
from tests.inventory.factories import StockLocationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

PAGES = {
    "red": "/shop/products/red-shirt/",
    "blue": "/shop/products/blue-shirt/",
    "jeans": "/shop/products/jeans/",
    "kettle": "/shop/products/kettle/",
    "shirts": "/shop/categories/shirts/",
    "clothing": "/shop/categories/clothing/",
    "kitchen": "/shop/categories/kitchen/",
    "shop": "/shop/",
}


@pytest.fixture
def shop(manager):
    return seed_shop(manager)


@pytest.fixture
def warm(reader_a, shop, relay):
    """Every page rendered once and served from the cache since; `states()` says which pages are
    still served from it (a page no longer kept is rendered again: a miss)."""
    relay()  # the setting up's own invalidations, as its worker would have made them

    def states() -> dict[str, str]:
        found = {}
        for name, path in PAGES.items():
            response = reader_a.get(path, HTTP_ACCEPT="text/html")
            assert response.status_code == 200, (path, response.status_code)
            found[name] = response["X-Cache"]
        return found

    states()
    assert set(states().values()) == {"hit"}
    return states


def missed(states: dict[str, str]) -> set[str]:
    return {name for name, state in states.items() if state == "miss"}


def test_a_price_change_clears_the_product_its_lists_and_its_neighbours_not_the_rest(
    shop,
    warm,
    relay,
    manager,
    reader_a,
):
    variant = shop["red"].variants.get()
    services.set_prices(actor=manager, variant=variant, prices=[{"currency": "USD", "amount": 1234}])
    relay()
    # Its page, the lists it is in (its category, the category above, the shop), and the page of
    # the other shirt, whose related products show it; not the kettle's, the jeans', the kitchen's.
    assert missed(warm()) == {"red", "blue", "shirts", "clothing", "shop"}
    assert "$12.34" in reader_a.get(PAGES["red"]).content.decode()


def test_stock_crossing_zero_clears_the_product_and_its_lists_only(shop, warm, relay, manager, reader_a):
    with schema_context("alpha"):
        location = StockLocationFactory(name_en="Main", priority=0)
    jeans = shop["jeans"].variants.get()
    assert "Out of stock" in reader_a.get(PAGES["jeans"]).content.decode()
    inventory.adjust(actor=manager, variant=jeans, location=location, delta=1, reason="received")
    relay()
    assert missed(warm()) == {"jeans", "clothing", "shop"}  # Trousers has no page here
    assert "Out of stock" not in reader_a.get(PAGES["jeans"]).content.decode()
    inventory.adjust(actor=manager, variant=jeans, location=location, delta=5, reason="received")
    relay()
    assert missed(warm()) == set()  # still in stock: no document changes, no page does


def test_a_products_edit_clears_its_pages_not_the_others(shop, warm, relay, manager, reader_a):
    services.update_product(actor=manager, product=shop["kettle"], texts={"en": {"name": "Tea kettle"}})
    relay()
    assert missed(warm()) == {"kettle", "kitchen", "shop"}
    assert "Tea kettle" in reader_a.get(PAGES["kitchen"]).content.decode()


def test_a_category_rename_clears_the_pages_that_show_its_name(shop, warm, relay, manager, reader_a):
    services.update_category(actor=manager, category=shop["kitchen"], texts={"en": {"name": "Cookware"}})
    relay()
    # Its products' pages (their breadcrumbs), and every page with the category tree; the
    # shirts' and the jeans' own pages show no tree and no kitchen.
    assert missed(warm()) == {"kettle", "kitchen", "shirts", "clothing", "shop"}
    assert "Cookware" in reader_a.get(PAGES["kettle"]).content.decode()
