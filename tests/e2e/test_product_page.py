"""A shopper's look at a product on the storefront, in a real browser: the gallery's pictures
load (WebP renditions, from the site itself), the price and the options show in English and in
Russian with each language's formats, a sold-out pack says so, and the page fits a phone; the
variant picker updates the page in place, and "Add to cart" posts with the reader's CSRF token
although the page holds none.

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
            "ids": list(product.variants.order_by("position", "id").values_list("pk", flat=True)),
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
        if pictures.count() > 1:  # one picture at a time, chosen by its thumbnail
            page.locator(f"[data-thumbnail='{n}']").click()
        pictures.nth(n).scroll_into_view_if_needed()
        pictures.nth(n).evaluate("img => img.complete || new Promise(done => img.onload = done)")
        loaded = pictures.nth(n).evaluate("img => [img.naturalWidth, img.currentSrc]")
        assert loaded[0] > 0, f"picture {n} did not load"
        assert loaded[1].endswith(".webp"), loaded[1]
    price = page.locator(".price").inner_text()
    assert price.startswith("$"), price  # the 50 g pack's, the first that can be bought
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
    assert "," in price and price.endswith("$"), price  # "9,00 $": Russian formats
    assert "Нет в наличии" in page.locator("table.variants").inner_text()
    browser.screenshot("product-ru")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(browser.url(DEMO, f"/shop/products/{tea['slug']}/"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    browser.screenshot("product-phone")
    assert browser.errors == []


def test_choosing_a_pack_updates_the_page_and_add_to_cart_posts_with_a_token(
    tea, browser, monkeypatch, settings
):
    from rustok import storefront

    settings.PAGE_CACHE = True  # the page as most readers get it: shared, without a token
    # A selling module's "Add to cart", standing in for the cart's: a POST behind the CSRF check.
    monkeypatch.setattr(
        storefront, "buy_action", lambda request: storefront.BuyAction("/admin/i18n/setlang/", "Add to cart")
    )
    page = browser.page
    address = browser.url(DEMO, f"/shop/products/{tea['slug']}/")
    page.goto(address)
    page.goto(address)  # the second time from the page cache
    variant = page.locator("input[name=variant]")
    first_price = page.locator("[data-price]").inner_text()
    assert variant.input_value() == str(tea["ids"][0])
    assert page.locator("[data-show]").is_hidden()  # no need to ask the server

    page.locator("input[name=pack][value='100g']").check()
    assert page.locator(".availability").inner_text() == "Out of stock"
    assert variant.input_value() == str(tea["ids"][1])
    assert page.locator("[data-buy-button]").is_disabled()
    assert page.locator("#buy-reason").inner_text() == "This option is out of stock."
    assert page.url.endswith("?pack=100g")
    browser.screenshot("sold-out-pack")

    page.locator("input[name=pack][value='250g']").check()
    assert page.locator(".availability").inner_text() == "Only a few left"
    assert variant.input_value() == str(tea["ids"][2])
    assert page.locator("[data-price]").inner_text() not in ("", first_price)
    assert page.locator("[data-sku]").inner_text() == tea["skus"][2]
    assert page.locator("[data-buy-button]").is_enabled() and page.locator("#buy-reason").is_hidden()
    browser.screenshot("low-pack")

    assert not [c for c in page.context.cookies() if c["name"] == "csrftoken"]
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator("[data-buy-button]").click()
    assert posted.value.status == 302  # through the CSRF check: the token was the reader's own
    assert f"variant={tea['ids'][2]}" in posted.value.request.post_data
    assert "csrfmiddlewaretoken=" in posted.value.request.post_data
    # Back to the product's own page afterwards (the cart's "Added to your cart" is said there).
    assert f"next=%2Fshop%2Fproducts%2F{tea['slug']}%2F" in posted.value.request.post_data
    assert browser.errors == []


def test_colour_swatches_are_chosen_with_the_keyboard(demo_site, browser):
    page = browser.page
    page.goto(browser.url(DEMO, "/shop/products/kyusu-teapot/"))
    swatches = page.locator("fieldset.swatches")
    assert swatches.locator("legend").inner_text() == "Colour"
    assert page.get_by_role("radio", name="White").is_checked()
    assert page.locator("[data-sku]").inner_text().endswith("-WHITE")
    page.get_by_role("radio", name="White").focus()
    page.keyboard.press("ArrowRight")
    assert page.get_by_role("radio", name="Celadon").is_checked()
    assert page.locator("[data-sku]").inner_text().endswith("-CELADON")
    assert page.url.endswith("?colour=celadon")
    browser.screenshot("swatch-focused")
    assert browser.errors == []
