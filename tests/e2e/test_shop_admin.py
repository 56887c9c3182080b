"""A manager's first look at the shop in the admin, in a real browser: the Shop section of the
sidebar, the product list, a product's page with its variants and prices, and the stock list;
then an image uploaded to a product's gallery and a dry run of an import.

The demo's own catalogue is used (seeded with the demo); every request stays on the demo's own
host (the `browser` fixture fails the test otherwise); screenshots go to test-artifacts/e2e/.
"""

import io
import re

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from tests.e2e.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

DEMO = "demo.localhost"


@pytest.fixture(scope="module")
def shop(demo_site, django_db_blocker):
    """The demo's catalogue (apps/catalog/demo.py, seeded with the demo): its Sencha, with the
    product's key and its variants' SKUs, and how many products there are."""
    from apps.catalog.models import Product

    with django_db_blocker.unblock(), schema_context("demo"):
        sencha = Product.objects.get(name_en="Sencha")
        found = {
            "id": sencha.pk,
            "key": sencha.slug_en,
            "skus": list(sencha.variants.order_by("position", "id").values_list("sku", flat=True)),
            "products": Product.objects.count(),
            "images": sencha.images.count(),
        }
        connection.set_schema_to_public()
    return found


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
    assert rows.count() == min(shop["products"], 50)
    assert page.get_by_text("Sencha").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    browser.screenshot("products")

    page.goto(browser.url(DEMO, f"/admin/catalog/product/{shop['id']}/change/"))
    page.locator("input[name=variants-0-sku]").wait_for()
    assert page.locator("input[name=variants-0-sku]").input_value() == shop["skus"][0]
    assert page.locator("button[name=transition]").count() >= 1
    browser.screenshot("product")

    page.goto(browser.url(DEMO, "/admin/inventory/stocklevel/"))
    page.get_by_text("Shop floor").first.wait_for()
    browser.screenshot("stock")

    assert browser.errors == []


def sign_in(browser) -> None:
    page = browser.page
    page.goto(browser.url(DEMO, "/admin/login/"))
    page.locator("input[name=username]").fill(f"manager@{DEMO}")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form [type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))


def png(colour) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), colour).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_manager_uploads_an_image_and_tries_an_import(shop, browser):
    page = browser.page
    sign_in(browser)

    page.goto(browser.url(DEMO, f"/admin/catalog/product/{shop['id']}/change/"))
    row = f"images-{shop['images']}"  # the first empty row, after the demo's own pictures
    page.locator(f"input[name={row}-image]").set_input_files(
        {"name": "sencha.png", "mimeType": "image/png", "buffer": png((40, 140, 60))}
    )
    page.locator(f"input[name={row}-alt_en]").fill("A tin of sencha")
    browser.screenshot("image-chosen")
    page.locator("[name=_continue]").first.click()
    page.locator(f"input[name={row}-alt_en]").wait_for()
    browser.screenshot("image-saved")
    assert page.locator(f"input[name={row}-alt_en]").input_value() == "A tin of sencha"
    assert page.locator(".field-preview img.rustok-thumb").count() == shop["images"] + 1

    page.goto(browser.url(DEMO, "/admin/catalog/product/"))
    assert page.locator("#result_list img.rustok-thumb").count() >= 1
    page.get_by_role("link", name="Import products").click()
    page.wait_for_url(re.compile(r"/admin/catalog/product/import/$"))
    assert page.locator("input[name=dry_run]").is_checked()
    page.locator("input[name=file]").set_input_files(
        {
            "name": "teas.csv",
            "mimeType": "text/csv",
            "buffer": (
                f"product,sku,price:USD\r\n{shop['key']},{shop['skus'][0]},7.25\r\n"
                f"{shop['key']},{shop['skus'][1]},12.90\r\n"
            ).encode(),
        }
    )
    browser.screenshot("import-form")
    page.locator("#import-send").click()
    page.locator("#import-checked").wait_for()
    assert page.locator(".rustok-report-changes tbody tr").count() == 2
    assert page.locator("#import-now").is_visible()
    browser.screenshot("import-dry-run")

    assert browser.errors == []


def test_a_manager_reads_the_shop_in_russian(shop, browser):
    """The admin's language menu switches to Russian; the Shop section, the product list, a
    product's page, a variant's stock panel, the stock list and the import page read in Russian."""
    page = browser.page
    sign_in(browser)
    page.locator("#nav-sidebar-apps").get_by_text("Shop", exact=True).wait_for()
    page.get_by_text(f"manager@{DEMO}").first.click()
    page.get_by_role("button", name=re.compile("Русский")).click()
    sidebar = page.locator("#nav-sidebar-apps")
    sidebar.get_by_text("Магазин", exact=True).wait_for()
    assert sidebar.get_by_role("link", name="Товары").is_visible()
    assert sidebar.get_by_role("link", name="Остатки").is_visible()
    assert page.get_by_text("Низкий остаток").first.is_visible()
    browser.screenshot("dashboard-ru")

    sidebar.get_by_role("link", name="Товары").click()
    page.wait_for_url(re.compile(r"/admin/catalog/product/$"))
    assert page.get_by_role("link", name="Импорт товаров").is_visible()
    header = page.locator("#result_list thead").inner_text().lower()
    assert all(word in header for word in ("название", "статус", "тип товара", "цена", "варианты"))
    assert page.locator("#result_list").get_by_text("Активен").first.is_visible()
    browser.screenshot("products-ru")

    page.goto(browser.url(DEMO, f"/admin/catalog/product/{shop['id']}/change/"))
    page.locator("input[name=variants-0-sku]").wait_for()
    assert page.get_by_role("button", name="В архив").is_visible()
    text = page.locator("#content").inner_text()
    assert all(word in text for word in ("Тип товара", "Артикул", "Штрихкод", "Вес (г)", "Учитывать остатки"))
    browser.screenshot("product-ru")

    variant = page.locator("a[href*='/admin/catalog/variant/'][href$='/change/']").first.get_attribute("href")
    page.goto(browser.url(DEMO, variant))
    page.wait_for_url(re.compile(r"/admin/catalog/variant/\d+/change/$"))
    page.get_by_text("Остатки по складам").first.wait_for()
    browser.screenshot("variant-ru")
    text = page.locator("#content").inner_text().lower()
    assert all(word in text for word in ("товар", "старая цена", "себестоимость", "в наличии", "в резерве"))

    page.goto(browser.url(DEMO, "/admin/inventory/stocklevel/"))
    page.get_by_text("Торговый зал").first.wait_for()  # the demo's "Shop floor", named in Russian
    header = page.locator("#result_list thead").inner_text().lower()
    assert all(word in header for word in ("артикул", "товар", "склад", "в наличии", "в резерве", "доступно"))
    browser.screenshot("stock-ru")

    page.goto(browser.url(DEMO, "/admin/catalog/product/import/"))
    page.locator("input[name=file]").set_input_files(
        {
            "name": "teas.csv",
            "mimeType": "text/csv",
            "buffer": f"product,sku,price:USD\r\n{shop['key']},{shop['skus'][0]},7.25\r\n".encode(),
        }
    )
    browser.screenshot("import-form-ru")
    page.locator("#import-send").click()
    page.locator("#import-checked").wait_for()
    assert page.get_by_text("Пробный запуск: файл в порядке.").is_visible()
    browser.screenshot("import-dry-run-ru")

    assert browser.errors == []
