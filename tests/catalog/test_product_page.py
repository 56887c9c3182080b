"""A product's page on the storefront: the variant picker without JavaScript, the chosen variant's
price and stock state (low stock following its threshold), "Add to cart" with a cached page, the
gallery, breadcrumbs, structured data, languages and what the page costs."""

import json
import re

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.catalog import selectors, services
from apps.inventory import services as inventory
from rustok import page_cache, storefront
from tests.catalog.factories import make_attribute, make_product_type
from tests.conftest import ALPHA_HOST, deliver
from tests.inventory.factories import StockLocationFactory
from tests.pages import elements
from tests.site.factories import image_upload

pytestmark = pytest.mark.django_db

PAGE = "/shop/products/tee/"
CART = "/admin/i18n/setlang/"  # a POST view behind Django's CSRF check, standing in for the cart's


@pytest.fixture
def location(alpha):
    return StockLocationFactory(name_en="Main", priority=0)


@pytest.fixture
def tee(manager, location):
    """An active tee in black (S, M) and white (S): black S 10 in stock with a threshold of 3,
    black M 2 left (low), white S sold out; no white M. Black S has a compare-at price."""
    colour = make_attribute(
        actor=manager,
        slug="colour",
        input_type="swatch",
        texts={"en": {"name": "Colour"}, "ru": {"name": "Цвет"}},
        choices=[
            {
                "slug": "black",
                "color": "#000000",
                "texts": {"en": {"name": "Black"}, "ru": {"name": "Чёрный"}},
            },
            {
                "slug": "white",
                "color": "#ffffff",
                "texts": {"en": {"name": "White"}, "ru": {"name": "Белый"}},
            },
        ],
    )
    size = make_attribute(
        actor=manager, slug="size", texts={"en": {"name": "Size"}, "ru": {"name": "Размер"}}
    )
    brand = make_attribute(actor=manager, slug="brand", input_type="text")
    care = make_attribute(actor=manager, slug="care", input_type="rich_text")
    organic = make_attribute(actor=manager, slug="organic", input_type="boolean")
    kind = make_product_type(
        actor=manager,
        slug="tee",
        attributes=[
            (colour, "variant"),
            (size, "variant"),
            (brand, "product"),
            (care, "product"),
            (organic, "product"),
        ],
    )
    category = services.create_category(
        actor=manager, texts={"en": {"name": "Shirts"}, "ru": {"name": "Рубашки"}}
    )
    product = services.create_product(
        actor=manager,
        product_type=kind,
        categories=[category],
        texts={"en": {"name": "Tee", "description": "Soft **cotton**."}, "ru": {"name": "Футболка"}},
        attributes={
            "brand": "Rustok Wear",
            "care": "<p>Wash <em>cold</em></p><script>x</script>",
            "organic": True,
        },
    )
    variants = {}
    for sku, chosen, amount, compare_at in (
        ("TEE-BS", {"colour": "black", "size": "s"}, 2000, 2500),
        ("TEE-BM", {"colour": "black", "size": "m"}, 2200, None),
        ("TEE-WS", {"colour": "white", "size": "s"}, 2000, None),
    ):
        variants[sku] = services.create_variant(
            actor=manager,
            product=product,
            sku=sku,
            attributes=chosen,
            prices=[{"currency": "USD", "amount": amount, "compare_at_amount": compare_at}],
        )
    for sku, units in (("TEE-BS", 10), ("TEE-BM", 2)):
        inventory.adjust(
            actor=manager, variant=variants[sku], location=location, delta=units, reason="received"
        )
    for variant in variants.values():
        inventory.set_threshold(actor=manager, variant=variant, threshold=3)
    services.transition_product(actor=manager, product=product, name="activate")
    deliver("alpha")
    product.variants_by_sku = variants
    return product


@pytest.fixture
def selling(monkeypatch):
    """A module that sells: "Add to cart" posts to CART."""
    monkeypatch.setattr(storefront, "buy_action", lambda request: storefront.BuyAction(CART, "Add to cart"))


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def offer(html: str) -> str:
    """The text of the page's offer (price, compare-at, stock, SKU) a reader sees: hidden parts,
    tags and runs of spaces (not the no-break spaces of prices) removed."""
    found = re.search(r'<div class="offer".*?</div>', html, re.S).group(0)
    found = re.sub(r"<(p|del)\b[^>]*\bhidden\b[^>]*>.*?</\1>", "", found, flags=re.S)
    return re.sub(r"[ \n]+", " ", re.sub(r"<[^>]+>", " ", found)).strip()


def checked(response) -> dict[str, str]:
    return {
        attrs["name"]: attrs["value"]
        for tag, attrs in elements(response)
        if tag == "input" and attrs.get("type") == "radio" and "checked" in attrs
    }


def field(response, name: str) -> dict:
    return next(attrs for tag, attrs in elements(response) if tag == "input" and attrs.get("name") == name)


def json_ld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    return json.loads(found)


def test_a_reader_sees_the_description_the_options_and_the_details(reader_a, tee):
    html = html_of(reader_a.get(PAGE))
    assert "<h1>Tee</h1>" in html
    assert "Soft <strong>cotton</strong>." in html
    assert "<em>cold</em>" in html and "<script>x" not in html
    assert "<td>Yes</td>" in html
    rows = re.findall(
        r'<tr[^>]*><th scope="row">([^<]+)</th><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>', html
    )
    assert rows == [
        ("Black, S", "TEE-BS", "$20.00", "In stock"),
        ("Black, M", "TEE-BM", "$22.00", "Only a few left"),
        ("White, S", "TEE-WS", "$20.00", "Out of stock"),
    ]
    assert '<meta property="og:type" content="product">' in html


# --- the variant picker, without JavaScript --------------------------------------------------------


def test_without_a_choice_the_first_buyable_variant_is_shown(reader_a, tee, selling):
    page = reader_a.get(PAGE)
    shown = offer(html_of(page))
    assert "$20.00" in shown and "Was $25.00" in shown and "In stock" in shown and "TEE-BS" in shown
    assert checked(page) == {"colour": "black", "size": "s"}
    assert field(page, "variant")["value"] == str(tee.variants_by_sku["TEE-BS"].pk)


def test_the_picker_is_a_get_form_to_the_page_with_a_fieldset_per_option(reader_a, tee):
    html = html_of(reader_a.get(PAGE))
    assert '<form class="picker" method="get" action="/shop/products/tee/"' in html
    assert "<legend>Colour</legend>" in html and "<legend>Size</legend>" in html
    # Swatches show their colour, and say their name to screen readers.
    assert 'style="background-color: #000000" title="Black"' in html
    assert '<span class="visually-hidden">Black</span>' in html
    assert '<button type="submit" class="show" data-show>Show</button>' in html


def test_choosing_options_shows_that_variants_price_stock_and_sku(reader_a, tee, selling):
    page = reader_a.get(PAGE, {"colour": "black", "size": "m"})
    shown = offer(html_of(page))
    assert "$22.00" in shown and "Only a few left" in shown and "TEE-BM" in shown
    assert "Was" not in shown
    assert checked(page) == {"colour": "black", "size": "m"}
    assert field(page, "variant")["value"] == str(tee.variants_by_sku["TEE-BM"].pk)


def test_a_chosen_combination_keeps_the_products_canonical_address(reader_a, tee):
    html = html_of(reader_a.get(PAGE, {"colour": "black", "size": "m"}))
    assert '<link rel="canonical" href="http://alpha.test/shop/products/tee/">' in html


def test_a_combination_no_variant_has_says_so_and_cannot_be_bought(reader_a, tee, selling):
    page = reader_a.get(PAGE, {"colour": "white", "size": "m"})
    html = html_of(page)
    assert "No variant has this combination of options. Choose another." in offer(html)
    assert '<p class="no-variant" data-no-variant>' in html  # shown, not hidden
    assert checked(page) == {"colour": "white", "size": "m"}
    button = next(attrs for tag, attrs in elements(page) if tag == "button" and "data-buy-button" in attrs)
    assert "disabled" in button
    assert "Choose an available combination of options." in html


def test_a_sold_out_variant_disables_add_to_cart_with_the_reason(reader_a, tee, selling):
    page = reader_a.get(PAGE, {"colour": "white", "size": "s"})
    html = html_of(page)
    assert "Out of stock" in offer(html)
    button = next(attrs for tag, attrs in elements(page) if tag == "button" and "data-buy-button" in attrs)
    assert "disabled" in button and button["aria-describedby"] == "buy-reason"
    assert '<p id="buy-reason" class="buy-reason" data-buy-reason>This option is out of stock.</p>' in html


def test_options_no_buyable_variant_has_with_the_other_choices_are_marked(reader_a, tee):
    html = html_of(reader_a.get(PAGE, {"colour": "white", "size": "s"}))
    # With white chosen, no size can be bought; with S chosen, black can.
    assert re.search(r'class="choice unavailable"><input type="radio" name="size" value="s"', html)
    assert re.search(r'class="choice"><input type="radio" name="colour" value="black"', html)


def test_the_variants_are_in_the_page_for_the_script(reader_a, tee):
    html = html_of(reader_a.get(PAGE))
    found = re.search(r'<script id="product-variants" type="application/json">(.*?)</script>', html, re.S)
    data = json.loads(found.group(1))
    assert [(v["sku"], v["price"], v["stock"]) for v in data["variants"]] == [
        ("TEE-BS", "$20.00", "in_stock"),
        ("TEE-BM", "$22.00", "low_stock"),
        ("TEE-WS", "$20.00", "out_of_stock"),
    ]
    assert data["variants"][0]["compare_at"] == "$25.00"


# --- stock states in the document ------------------------------------------------------------------


def states(product) -> dict[str, str]:
    deliver("alpha")
    with schema_context("alpha"):
        document = selectors.document_by_id(product.pk, "en")
    return {v["sku"]: v["stock"] for v in document.detail["variants"]}


def test_each_variants_stock_state_is_in_the_document(tee):
    assert states(tee) == {"TEE-BS": "in_stock", "TEE-BM": "low_stock", "TEE-WS": "out_of_stock"}
    with schema_context("alpha"):
        document = selectors.document_by_id(tee.pk, "en")
    assert [v["in_stock"] for v in document.detail["variants"]] == [True, True, False]


def test_falling_to_the_threshold_and_rising_above_it_rewrite_the_document(tee, manager, location):
    black_s = tee.variants_by_sku["TEE-BS"]
    inventory.adjust(actor=manager, variant=black_s, location=location, delta=-7, reason="damaged")
    assert states(tee)["TEE-BS"] == "low_stock"  # 3 left, at the threshold
    inventory.adjust(actor=manager, variant=black_s, location=location, delta=1, reason="received")
    assert states(tee)["TEE-BS"] == "in_stock"  # 4 left, above it


def test_a_threshold_set_removed_or_moved_rewrites_the_document(tee, manager):
    black_s, black_m = tee.variants_by_sku["TEE-BS"], tee.variants_by_sku["TEE-BM"]
    inventory.set_threshold(actor=manager, variant=black_s, threshold=10)
    assert states(tee)["TEE-BS"] == "low_stock"
    inventory.set_threshold(actor=manager, variant=black_s, threshold=9)
    assert states(tee)["TEE-BS"] == "in_stock"
    inventory.set_threshold(actor=manager, variant=black_m, threshold=None)
    assert states(tee)["TEE-BM"] == "in_stock"


def test_selling_out_a_low_variant_makes_it_out_of_stock(tee, manager, location):
    black_m = tee.variants_by_sku["TEE-BM"]
    inventory.adjust(actor=manager, variant=black_m, location=location, delta=-2, reason="damaged")
    assert states(tee)["TEE-BM"] == "out_of_stock"


def test_the_page_follows_the_stock(reader_a, tee, manager, location):
    black_s = tee.variants_by_sku["TEE-BS"]
    inventory.adjust(actor=manager, variant=black_s, location=location, delta=-8, reason="damaged")
    assert "Only a few left" in offer(html_of(reader_a.get(PAGE, {"colour": "black", "size": "s"})))


# --- add to cart -----------------------------------------------------------------------------------


def test_add_to_cart_posts_the_variant_and_a_quantity_to_the_selling_module(reader_a, tee, selling):
    page = reader_a.get(PAGE)
    html = html_of(page)
    assert f'<form class="buy" method="post" action="{CART}"' in html
    assert field(page, "variant")["type"] == "hidden"
    quantity = field(page, "quantity")
    assert quantity["type"] == "number" and quantity["min"] == "1" and quantity["value"] == "1"
    assert f'<label for="{quantity["id"]}">Quantity</label>' in html
    button = next(attrs for tag, attrs in elements(page) if tag == "button" and "data-buy-button" in attrs)
    assert "disabled" not in button and ">Add to cart</button>" in html


def test_without_a_selling_module_there_is_no_add_to_cart(reader_a, tee, monkeypatch):
    monkeypatch.setattr(storefront, "buy_action", lambda request: None)
    html = html_of(reader_a.get(PAGE))
    assert 'class="buy"' not in html and "Quantity" not in html


def test_the_shared_page_holds_no_token_and_sets_no_cookie(reader_a, tee, selling):
    page = reader_a.get(PAGE)
    assert not page.cookies
    token = field(page, "csrfmiddlewaretoken")
    assert token["value"] == "" and "disabled" in token


@pytest.fixture
def cached(page_cache_on):
    """The page cache on (tests run without it), nothing of the site's kept yet."""
    with schema_context("alpha"):
        page_cache.invalidate("alpha")


def browser() -> Client:
    """A fresh browser: no cookies, and Django's CSRF check enforced as for a real one."""
    return Client(enforce_csrf_checks=True, HTTP_HOST=ALPHA_HOST)


def test_a_fresh_browser_adds_to_cart_from_a_cached_page_with_the_script(tee, selling, cached):
    assert browser().get(PAGE)["X-Cache"] == "miss"
    reader = browser()
    page = reader.get(PAGE)
    assert page["X-Cache"] == "hit" and "csrftoken" not in reader.cookies
    form = {"variant": field(page, "variant")["value"], "quantity": "1"}
    assert reader.post(CART, form).status_code == 403  # the form as the page holds it: no token
    # What product.js does: the token from the csrftoken cookie, asked for first when missing.
    assert reader.get("/api/auth/csrf/").status_code == 200
    token = reader.cookies["csrftoken"].value
    assert reader.post(CART, {**form, "csrfmiddlewaretoken": token}).status_code == 302


def test_without_the_script_the_reader_confirms_on_a_page_with_the_token(tee, selling, cached):
    reader = browser()
    page = reader.get(PAGE)
    button = next(attrs for tag, attrs in elements(page) if tag == "button" and "data-buy-button" in attrs)
    assert button["formmethod"] == "get" and button["formaction"] == PAGE
    assert (button["name"], button["value"]) == ("buy", "1")
    variant = str(tee.variants_by_sku["TEE-BM"].pk)
    confirm = reader.get(PAGE, {"variant": variant, "quantity": "2", "buy": "1"})
    html = html_of(confirm)
    assert "Confirm to add Black, M to your cart." in html
    assert "no-store" in confirm["Cache-Control"] and confirm["X-Cache"] == "miss"
    assert field(confirm, "variant")["value"] == variant and field(confirm, "quantity")["value"] == "2"
    token = field(confirm, "csrfmiddlewaretoken")["value"]
    assert token and "disabled" not in field(confirm, "csrfmiddlewaretoken")
    assert (
        reader.post(CART, {"variant": variant, "quantity": "2", "csrfmiddlewaretoken": token}).status_code
        == 302
    )
    assert browser().get(PAGE, {"variant": variant, "quantity": "2", "buy": "1"})["X-Cache"] == "miss"


def test_a_signed_in_readers_page_holds_their_token_and_posts_at_once(tee, selling, cached):
    from tests.accounts.factories import UserFactory

    reader = browser()
    with schema_context("alpha"):
        reader.force_login(UserFactory())
    page = reader.get(PAGE)
    assert page["X-Cache"] == "bypass"
    token = field(page, "csrfmiddlewaretoken")
    assert token["value"] and "disabled" not in token
    button = next(attrs for tag, attrs in elements(page) if tag == "button" and "data-buy-button" in attrs)
    assert "formmethod" not in button
    form = {
        "variant": field(page, "variant")["value"],
        "quantity": "1",
        "csrfmiddlewaretoken": token["value"],
    }
    assert reader.post(CART, form).status_code == 302


# --- gallery, breadcrumbs, structured data ---------------------------------------------------------


def test_the_gallery_shows_every_picture_the_first_eagerly_with_thumbnails(
    reader_a, tee, manager, media, settings
):
    settings.IMAGE_RENDITION_WIDTHS = (320, 640)
    for alt in ("Front", "Back", "Side"):
        upload = image_upload(size=(800, 600), name=f"{alt}.jpg")
        services.add_product_image(actor=manager, product=tee, upload=upload, texts={"en": {"alt": alt}})
    page = reader_a.get(PAGE)
    tags = elements(page)
    pictures = [
        attrs for tag, attrs in tags if tag == "img" and attrs.get("alt") in ("Front", "Back", "Side")
    ]
    assert [p["alt"] for p in pictures] == ["Front", "Back", "Side"]
    assert "loading" not in pictures[0] and [p.get("loading") for p in pictures[1:]] == ["lazy", "lazy"]
    sources = [attrs for tag, attrs in tags if tag == "source"]
    assert len(sources) == 3 and all("320w" in s["srcset"] and "640w" in s["srcset"] for s in sources)
    thumbnails = [attrs for tag, attrs in tags if tag == "button" and "data-thumbnail" in attrs]
    assert [t["data-thumbnail"] for t in thumbnails] == ["0", "1", "2"]
    html = html_of(page)
    assert "Picture 2: Back" in html
    assert f'<meta property="og:image" content="http://alpha.test{pictures[0]["src"]}">' in html


def test_breadcrumbs_lead_to_the_shop_and_the_category(reader_a, tee):
    html = html_of(reader_a.get(PAGE))
    crumbs = re.search(r'<nav class="breadcrumbs" aria-label="Breadcrumbs">(.*?)</nav>', html, re.S).group(1)
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', crumbs)
    assert links == [
        ("/shop/", "Shop"),
        ("/shop/categories/shirts/", "Shirts"),
        ("/shop/products/tee/", "Tee"),
    ]
    assert 'aria-current="page">Tee</a>' in crumbs


def test_breadcrumbs_follow_the_category_path_as_it_moves_and_is_renamed(reader_a, tee, manager):
    def crumbs() -> list[str]:
        html = html_of(reader_a.get(PAGE))
        found = re.search(r'<nav class="breadcrumbs" aria-label="Breadcrumbs">(.*?)</nav>', html, re.S)
        return re.findall(r">([^<]+)</a>", found.group(1))

    shirts = tee.categories.get()
    clothes = services.create_category(actor=manager, texts={"en": {"name": "Clothes"}})
    services.update_category(actor=manager, category=shirts, parent=clothes)
    deliver("alpha")
    assert crumbs() == ["Shop", "Clothes", "Shirts", "Tee"]
    services.update_category(actor=manager, category=clothes, texts={"en": {"name": "Apparel"}})
    deliver("alpha")  # the tee is in the category under the one renamed
    assert crumbs() == ["Shop", "Apparel", "Shirts", "Tee"]


def test_structured_data_describes_the_product_and_its_offers(reader_a, tee, manager, media):
    services.add_product_image(actor=manager, product=tee, upload=image_upload(size=(80, 60), name="f.jpg"))
    html = html_of(reader_a.get(PAGE))
    data = json_ld(html)
    assert data["@type"] == "Product" and data["name"] == "Tee"
    assert data["description"] == "Soft cotton."
    assert data["brand"] == {"@type": "Brand", "name": "Rustok Wear"}
    assert data["image"][0].startswith("http://alpha.test/media/")
    offers = data["offers"]
    assert offers["@type"] == "AggregateOffer" and offers["priceCurrency"] == "USD"
    assert (offers["lowPrice"], offers["highPrice"], offers["offerCount"]) == ("20.00", "22.00", 3)
    assert [(o["sku"], o["price"], o["availability"]) for o in offers["offers"]] == [
        ("TEE-BS", "20.00", "https://schema.org/InStock"),
        ("TEE-BM", "22.00", "https://schema.org/LimitedAvailability"),
        ("TEE-WS", "20.00", "https://schema.org/OutOfStock"),
    ]
    assert offers["offers"][1]["url"] == "http://alpha.test/shop/products/tee/?colour=black&size=m"
    assert '<meta property="product:price:amount" content="20.00">' in html
    assert '<meta property="product:price:currency" content="USD">' in html


def test_a_name_cannot_break_out_of_the_structured_data(reader_a, tee, manager):
    services.update_product(
        actor=manager, product=tee, texts={"en": {"name": "Tee </script><script>alert(1)"}}
    )
    html = html_of(reader_a.get(PAGE))
    assert "</script><script>alert(1)" not in html
    assert json_ld(html)["name"] == "Tee </script><script>alert(1)"


def test_one_variant_has_a_single_offer(reader_a, tee, manager):
    for sku in ("TEE-BM", "TEE-WS"):
        services.delete_variant(actor=manager, variant=tee.variants_by_sku[sku])
    offers = json_ld(html_of(reader_a.get(PAGE)))["offers"]
    assert offers["@type"] == "Offer" and offers["sku"] == "TEE-BS" and offers["price"] == "20.00"


# --- languages, visibility, cost -------------------------------------------------------------------


def test_the_russian_page_is_in_russian_with_russian_prices(reader_a, tee, selling):
    page = reader_a.get(PAGE, {"lang": "ru", "colour": "black", "size": "m"})
    html = html_of(page)
    assert "<h1>Футболка</h1>" in html
    shown = offer(html)
    assert "22,00\xa0$" in shown and "Осталось всего несколько" in shown
    assert "<legend>Цвет</legend>" in html and '<span class="visually-hidden">Чёрный</span>' in html
    assert '<a href="/shop/?lang=ru">Магазин</a>' in html
    assert '<input type="hidden" name="lang" value="ru">' in html  # the picker keeps the language
    assert "Количество" in html


def test_a_draft_product_is_not_found(reader_a, tee, manager):
    services.transition_product(actor=manager, product=tee, name="deactivate")
    deliver("alpha")
    assert reader_a.get(PAGE).status_code == 404


def test_another_sites_product_is_not_found(reader_b, tee):
    assert reader_b.get(PAGE).status_code == 404


def test_the_page_names_the_product_for_the_page_cache(reader_a, tee):
    page = reader_a.get(PAGE)
    assert f"product#{tee.pk}" in page_cache.tags_of(page.wsgi_request)


def test_the_page_is_one_query_on_documents(tee, selling, django_assert_max_num_queries):
    reader = Client(HTTP_HOST=ALPHA_HOST)
    reader.get(PAGE)  # the frame's settings and menu, read once
    with django_assert_max_num_queries(9):
        assert reader.get(PAGE, {"colour": "black", "size": "m"}).status_code == 200
