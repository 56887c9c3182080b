"""A shopper's look at a product on the storefront, in a real browser: the gallery's pictures
load (WebP renditions, from the site itself), the price and the options show in English and in
Russian with each language's formats, a sold-out pack says so, and the page fits a phone.

The demo's first tea is used: its 100 g pack is sold out and its 250 g pack low
(apps/inventory/demo.py). Screenshots go to test-artifacts/e2e/.
"""

import pytest
from django.db import connection
from django_tenants.utils import schema_context

pytestmark = pytest.mark.browser

DEMO = "demo.localhost"


@pytest.fixture(scope="module")
def tea(demo_site, django_db_blocker):
    """The demo's first tea: its slugs, names, variants' SKUs and how many pictures it has."""
    from apps.catalog.models import Variant

    with django_db_blocker.unblock(), schema_context("demo"):
        product = Variant.objects.filter(sku__startswith="TEA-").order_by("pk").first().product
        found = {
            "slug": product.slug_en,
            "name": {"en": product.name_en, "ru": product.name_ru},
            "skus": list(product.variants.order_by("position", "id").values_list("sku", flat=True)),
            "pictures": product.images.count(),
        }
        connection.set_schema_to_public()
    return found


def test_a_shopper_sees_a_product_with_its_gallery_prices_and_options(tea, browser):
    page = browser.page
    page.goto(browser.url(DEMO, f"/shop/products/{tea['slug']}/"))
    assert page.locator("h1").inner_text() == tea["name"]["en"]
    pictures = page.locator(".gallery img")
    assert pictures.count() == tea["pictures"] >= 1
    for n in range(pictures.count()):
        pictures.nth(n).scroll_into_view_if_needed()
        pictures.nth(n).evaluate("img => img.complete || new Promise(done => img.onload = done)")
        loaded = pictures.nth(n).evaluate("img => [img.naturalWidth, img.currentSrc]")
        assert loaded[0] > 0, f"picture {n} did not load"
        assert loaded[1].endswith(".webp"), loaded[1]
    price = page.locator(".price").inner_text()
    assert price.startswith("from $"), price
    rows = page.locator("table.variants tbody tr")
    assert [rows.nth(n).locator("td").first.inner_text() for n in range(rows.count())] == tea["skus"]
    sold_out = [sku for n, sku in enumerate(tea["skus"]) if "Out of stock" in rows.nth(n).inner_text()]
    assert sold_out == [sku for sku in tea["skus"] if sku.endswith("-100G")]
    assert page.locator(".availability").inner_text() == "In stock"  # its other packs are
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    browser.screenshot("product-en")

    page.goto(browser.url(DEMO, f"/shop/products/{tea['slug']}/?lang=ru"))
    assert page.locator("h1").inner_text() == tea["name"]["ru"]
    assert page.locator("html").get_attribute("lang") == "ru"
    price = page.locator(".price").inner_text()
    assert price.startswith("от ") and price.endswith("$"), price  # "от 9,00 $": Russian formats
    assert "Нет в наличии" in page.locator("table.variants").inner_text()
    browser.screenshot("product-ru")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(browser.url(DEMO, f"/shop/products/{tea['slug']}/"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    browser.screenshot("product-phone")
    assert browser.errors == []
