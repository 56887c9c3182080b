"""The shop's pages in the page cache: a price change, a stock change across zero, a product's edit
or a category's rename clears exactly the pages that show it, and leaves the others cached."""

import re

import pytest
from django_tenants.utils import schema_context

from apps.catalog import services
from apps.inventory import services as inventory
from tests.catalog.test_storefront_lists import make, seed_shop
from tests.content.factories import make_node
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
    tree = re.search(r'<nav class="shop-tree".*?</nav>', reader_a.get(PAGES["shirts"]).content.decode(), re.S)
    assert ">Cookware</a>" in tree.group(0) and ">Kitchen</a>" not in tree.group(0)


def test_a_page_added_to_the_menu_shows_on_the_shop_pages(shop, warm, relay, reader_a):
    with schema_context("alpha"):
        make_node(title="Delivery", status="published", show_in_menus=True)
    relay()
    # Every page shows the menu: the shop's pages name its tag (with the menu they keep).
    assert missed(warm()) == set(PAGES)
    assert ">Delivery</a>" in reader_a.get(PAGES["kettle"]).content.decode()


def test_an_attribute_rename_reaches_the_filters_of_the_lists(shop, warm, relay, manager, reader_a):
    from apps.catalog.models import Attribute

    with schema_context("alpha"):
        colour = Attribute.objects.get(slug="colour")
    services.update_attribute(actor=manager, attribute=colour, texts={"en": {"name": "Shade"}})
    relay()
    assert {"shirts", "clothing", "kitchen", "shop"} <= missed(warm())
    assert "<legend>Shade</legend>" in reader_a.get(PAGES["shirts"]).content.decode()


def test_the_first_other_product_of_a_category_shows_in_the_related_products(
    shop, warm, relay, manager, reader_a
):
    assert "You may also like" not in reader_a.get(PAGES["kettle"]).content.decode()
    with schema_context("alpha"):
        kind = shop["kettle"].product_type
    make(manager, "Teapot", categories=[shop["kitchen"]], amount=2000, kind=kind)
    relay()
    assert {"kettle", "kitchen", "shop"} <= missed(warm())
    page = reader_a.get(PAGES["kettle"]).content.decode()
    assert "You may also like" in page and ">Teapot</a></h3>" in page


def test_a_list_is_counted_once_until_a_product_of_it_changes(shop, warm, relay, manager, reader_a, settings):
    """The page cache off (every request renders): the list's counts, tree, filters and frame are
    kept; its page of documents is what it reads. A product added to the list counts it again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def read() -> tuple[str, list[str]]:
        with CaptureQueriesContext(connection) as captured:
            page = reader_a.get(PAGES["shirts"]).content.decode()
        shown = [q["sql"] for q in captured if "catalog_" in q["sql"] or "site_" in q["sql"]]
        return page, shown + [q["sql"] for q in captured if "index_document" in q["sql"]]

    settings.PAGE_CACHE = False
    read()
    page, asked = read()
    assert len(asked) == 1 and "count(*) FILTER" not in asked[0]  # the page of documents alone
    assert "2 products" in page
    make(manager, "Green shirt", categories=[shop["shirts"]], amount=1800, kind=shop["red"].product_type)
    relay()
    page, asked = read()
    assert any("count(*) FILTER" in sql for sql in asked)
    assert ">Green shirt</a></h3>" in page and "3 products" in page
