"""The shop's lists on the storefront: the shop, a category, a collection, read from the product
documents, with their filters, sorting, pages and addresses."""

import re

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.catalog import services
from apps.catalog.lists import related
from apps.catalog.views.listing import card_markup
from apps.index.models import Document
from tests.catalog.factories import make_attribute, make_product_type, make_variant
from tests.conftest import ALPHA_HOST, deliver
from tests.pages import elements

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    """The products a list page shows, in order."""
    assert response.status_code == 200, response.status_code
    return re.findall(r'<h3 class="card-name"><a href="[^"]*">([^<]*)</a></h3>', response.content.decode())


def make(
    manager,
    name,
    *,
    categories=(),
    colour=None,
    size="m",
    amount=1500,
    compare_at=None,
    stocked=True,
    ru=None,
    kind,
):
    """An active product in `categories` with a colour (product level) and one variant of `size`
    at `amount` cents; untracked (always in stock) unless `stocked` is False (tracked, none)."""
    texts = {"en": {"name": name}}
    if ru:
        texts["ru"] = {"name": ru}
    product = services.create_product(
        actor=manager,
        product_type=kind,
        texts=texts,
        categories=list(categories),
        attributes={"colour": colour} if colour else {},
    )
    price = {"currency": "USD", "amount": amount}
    if compare_at:
        price["compare_at_amount"] = compare_at
    make_variant(actor=manager, product=product, size=size, prices=[price], track_inventory=not stocked)
    return services.transition_product(actor=manager, product=product, name="activate")


@pytest.fixture
def shop(manager):
    return seed_shop(manager)


def seed_shop(manager) -> dict:
    """Clothing (with Shirts and Trousers under it) and Kitchen; four active products, a draft."""
    colour = make_attribute(
        actor=manager,
        slug="colour",
        filterable=True,
        texts={"en": {"name": "Colour"}, "ru": {"name": "Цвет"}},
        choices=[
            {"slug": "red", "texts": {"en": {"name": "Red"}, "ru": {"name": "Красный"}}},
            {"slug": "blue", "texts": {"en": {"name": "Blue"}, "ru": {"name": "Синий"}}},
        ],
    )
    size = make_attribute(actor=manager, slug="size", filterable=True)
    kind = make_product_type(
        actor=manager, slug="garment", attributes=[(colour, "product"), (size, "variant")]
    )
    clothing = services.create_category(
        actor=manager,
        texts={
            "en": {"name": "Clothing", "description": "Things to wear."},
            "ru": {"name": "Одежда", "slug": "odezhda"},
        },
    )
    shirts = services.create_category(actor=manager, texts={"en": {"name": "Shirts"}}, parent=clothing)
    trousers = services.create_category(actor=manager, texts={"en": {"name": "Trousers"}}, parent=clothing)
    kitchen = services.create_category(actor=manager, texts={"en": {"name": "Kitchen"}})
    found = {
        "clothing": clothing,
        "shirts": shirts,
        "trousers": trousers,
        "kitchen": kitchen,
        "red": make(
            manager,
            "Red shirt",
            categories=[shirts],
            colour="red",
            size="s",
            amount=1500,
            ru="Красная рубашка",
            kind=kind,
        ),
        "blue": make(
            manager,
            "Blue shirt",
            categories=[shirts],
            colour="blue",
            size="l",
            amount=2500,
            compare_at=3000,
            kind=kind,
        ),
        "jeans": make(
            manager,
            "Jeans",
            categories=[trousers],
            colour="blue",
            size="m",
            amount=6000,
            stocked=False,
            kind=kind,
        ),
        "kettle": make(manager, "Kettle", categories=[kitchen], amount=3000, kind=kind),
    }
    draft = services.create_product(
        actor=manager, product_type=kind, texts={"en": {"name": "Secret shirt"}}, categories=[shirts]
    )
    make_variant(actor=manager, product=draft)
    found["draft"] = draft
    deliver("alpha")
    return found


def test_the_shop_lists_every_active_product_newest_first(reader_a, shop):
    assert names(reader_a.get("/shop/")) == ["Kettle", "Jeans", "Blue shirt", "Red shirt"]


def test_a_category_lists_its_and_its_descendants_products_and_no_others(reader_a, shop):
    assert names(reader_a.get("/shop/categories/clothing/")) == ["Jeans", "Blue shirt", "Red shirt"]
    assert names(reader_a.get("/shop/categories/shirts/")) == ["Blue shirt", "Red shirt"]
    assert names(reader_a.get("/shop/categories/kitchen/")) == ["Kettle"]


def test_drafts_are_never_listed(reader_a, shop):
    for path in ("/shop/", "/shop/categories/shirts/", "/shop/?q=secret"):
        assert "Secret shirt" not in reader_a.get(path).content.decode()


def test_a_category_page_shows_breadcrumbs_description_and_the_tree(reader_a, shop):
    html = reader_a.get("/shop/categories/shirts/").content.decode()
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', html).group(0)
    assert re.findall(r">([^<>]+)</a>", crumbs) == ["Shop", "Clothing", "Shirts"]
    tree = re.search(r'<nav class="shop-tree".*?</nav>', html).group(0)
    assert '<a href="/shop/categories/shirts/" aria-current="page">Shirts</a>' in tree
    assert ">Kitchen</a>" in tree and ">Trousers</a>" in tree
    assert "Things to wear." in reader_a.get("/shop/categories/clothing/").content.decode()


def test_a_category_page_links_its_subcategories_with_their_counts(reader_a, shop):
    html = reader_a.get("/shop/categories/clothing/").content.decode()
    assert '<a href="/shop/categories/shirts/">Shirts</a> <span class="count">(2)</span>' in html
    assert '<a href="/shop/categories/trousers/">Trousers</a> <span class="count">(1)</span>' in html


def test_an_unknown_category_or_collection_is_not_found(reader_a, shop):
    assert reader_a.get("/shop/categories/nothing/").status_code == 404
    assert reader_a.get("/shop/collections/nothing/").status_code == 404


def test_a_category_is_found_by_its_slug_in_another_language(reader_a, shop):
    assert names(reader_a.get("/shop/categories/odezhda/")) == ["Jeans", "Blue shirt", "Red shirt"]
    html = reader_a.get("/shop/categories/odezhda/?lang=ru").content.decode()
    assert "<h1>Одежда</h1>" in html
    assert '<link rel="canonical" href="http://alpha.test/shop/categories/odezhda/?lang=ru">' in html
    assert '<link rel="alternate" hreflang="en" href="http://alpha.test/shop/categories/clothing/">' in html


def test_an_attribute_filter_is_or_within_and_and_across(reader_a, shop):
    assert names(reader_a.get("/shop/?colour=red")) == ["Red shirt"]
    assert names(reader_a.get("/shop/?colour=red&colour=blue")) == ["Jeans", "Blue shirt", "Red shirt"]
    assert names(reader_a.get("/shop/?colour=blue&size=l")) == ["Blue shirt"]
    assert names(reader_a.get("/shop/?colour=red&size=l")) == []


def test_price_and_availability_filters_narrow_the_list(reader_a, shop):
    assert names(reader_a.get("/shop/?price_min=20&price_max=30")) == ["Kettle", "Blue shirt"]
    assert names(reader_a.get("/shop/?price_max=15")) == ["Red shirt"]
    assert names(reader_a.get("/shop/?in_stock=1")) == ["Kettle", "Blue shirt", "Red shirt"]


def test_price_ranges_are_links_with_counts_in_the_shops_currency(reader_a, shop):
    html = reader_a.get("/shop/").content.decode()
    assert (
        '<a href="/shop/?price_min=10&amp;price_max=50">$10.00 – $50.00</a> <span class="count">(3)</span>'
        in html
    )
    assert (
        '<a href="/shop/?price_min=50&amp;price_max=100">$50.00 – $100.00</a> <span class="count">(1)</span>'
        in html
    )
    assert "Up to $10.00" not in html  # nothing that cheap
    chosen = reader_a.get("/shop/?price_min=20&price_max=30").content.decode()
    assert '<a href="/shop/">Price: $20.00 – $30.00 <span aria-hidden="true">×</span>' in chosen


def test_facet_values_show_their_counts_and_values_with_none_are_left_out(reader_a, shop):
    html = reader_a.get("/shop/categories/shirts/").content.decode()
    assert re.search(r'name="colour" value="blue"> Blue <span class="count">\(1\)</span>', html)
    assert re.search(r'name="size" value="s"> S <span class="count">\(1\)</span>', html)
    assert 'name="size" value="m"' not in html  # the jeans are not shirts
    assert re.search(r'name="in_stock" value="1"> In stock <span class="count">\(2\)</span>', html)
    # A chosen colour still shows the other colour's count (facets count without their own filter).
    html = reader_a.get("/shop/categories/shirts/?colour=red").content.decode()
    assert re.search(r'value="blue"> Blue <span class="count">\(1\)</span>', html)
    assert re.search(r'value="red" checked> Red <span class="count">\(1\)</span>', html)


def test_chosen_filters_are_listed_each_with_a_link_that_removes_it(reader_a, shop):
    html = reader_a.get("/shop/?colour=red&colour=blue&in_stock=1").content.decode()
    chosen = re.search(r'<div class="shop-chosen">.*?</div>', html, re.S).group(0)
    assert 'href="/shop/?colour=blue&amp;in_stock=1">Colour: Red' in chosen
    assert 'href="/shop/?colour=red&amp;colour=blue">In stock' in chosen
    assert '<a class="clear" href="/shop/">Clear all</a>' in chosen


def test_an_empty_result_says_so_and_offers_to_clear_the_filters(reader_a, shop):
    html = reader_a.get("/shop/categories/kitchen/?colour=red").content.decode()
    assert "No products match these filters." in html
    assert '<a href="/shop/categories/kitchen/">Clear all filters</a>' in html


def test_sorting_orders_the_products(reader_a, shop):
    assert names(reader_a.get("/shop/?sort=price")) == ["Red shirt", "Blue shirt", "Kettle", "Jeans"]
    assert names(reader_a.get("/shop/?sort=-price")) == ["Jeans", "Kettle", "Blue shirt", "Red shirt"]
    assert names(reader_a.get("/shop/?sort=newest")) == ["Kettle", "Jeans", "Blue shirt", "Red shirt"]


def test_a_search_finds_the_products_with_the_words_best_first(reader_a, shop):
    assert sorted(names(reader_a.get("/shop/?q=shirt"))) == ["Blue shirt", "Red shirt"]
    html = reader_a.get("/shop/?q=kett").content.decode()
    assert names(reader_a.get("/shop/?q=kett")) == ["Kettle"]
    assert '<option value="relevance" selected>' in html
    assert '<option value="relevance"' not in reader_a.get("/shop/").content.decode()


def test_pages_have_numbers_and_a_page_past_the_end_is_not_found(reader_a, shop):
    from tests.site.factories import set_site

    with schema_context("alpha"):
        set_site(items_per_page=3)
    first = reader_a.get("/shop/")
    assert names(first) == ["Kettle", "Jeans", "Blue shirt"]
    html = first.content.decode()
    assert '<a rel="next" href="/shop/?page=2">' in html
    assert '<a href="/shop/?page=1" aria-current="page">1</a>' in html
    second = reader_a.get("/shop/?page=2")
    assert names(second) == ["Red shirt"]
    assert '<a rel="prev" href="/shop/?page=1">' in second.content.decode()
    assert '<link rel="canonical" href="http://alpha.test/shop/?page=2">' in second.content.decode()
    assert reader_a.get("/shop/?page=3").status_code == 404
    assert reader_a.get("/shop/?page=x").status_code == 404


def test_a_filtered_or_sorted_page_names_the_plain_list_and_is_not_indexed(reader_a, shop):
    plain = reader_a.get("/shop/categories/shirts/").content.decode()
    assert '<link rel="canonical" href="http://alpha.test/shop/categories/shirts/">' in plain
    assert "noindex" not in plain
    for query in ("colour=red", "sort=price", "in_stock=1", "price_min=5", "q=shirt"):
        html = reader_a.get(f"/shop/categories/shirts/?{query}").content.decode()
        assert '<link rel="canonical" href="http://alpha.test/shop/categories/shirts/">' in html, query
        assert '<meta name="robots" content="noindex,follow">' in html, query


def test_a_card_shows_the_price_the_compare_at_price_and_out_of_stock(reader_a, shop):
    html = reader_a.get("/shop/").content.decode()
    blue = re.search(r'<article class="card">(?:(?!</article>).)*Blue shirt.*?</article>', html, re.S).group(
        0
    )
    assert "$25.00" in blue and '<del class="compare-at">' in blue and "$30.00</del>" in blue
    jeans = re.search(r'<article class="card sold-out">.*?</article>', html, re.S).group(0)
    assert "Jeans" in jeans and "Out of stock" in jeans


def test_a_document_written_before_documents_held_the_card_still_shows_it(reader_a, shop):
    """A site upgraded without rebuilding its documents: lists and related products render the
    card from the document until the projection writes the markup again."""
    before = names(reader_a.get("/shop/"))
    with schema_context("alpha"):
        for document in Document.objects.filter(type="product"):
            for markup in ("html", "html_lazy"):
                document.data["card"].pop(markup)
            document.save(update_fields=["data"])
        document = Document.objects.get(type="product", object_id=str(shop["red"].pk), language="en")
        cards = [card_markup(card, lazy=True) for card in related(document)]
    after = reader_a.get("/shop/")
    assert names(after) == before and len(before) == 4
    html = after.content.decode()
    blue = re.search(r'<article class="card">(?:(?!</article>).)*Blue shirt.*?</article>', html, re.S)
    assert "$25.00" in blue.group(0) and "$30.00</del>" in blue.group(0)
    assert any(">Blue shirt</a></h3>" in card for card in cards)


def test_the_russian_page_shows_russian_names_and_prices(reader_a, shop):
    html = reader_a.get("/shop/?lang=ru").content.decode()
    assert ">Красная рубашка</a>" in html
    assert "15,00\xa0$" in html
    assert 'value="red"> Красный' in html


def test_another_sites_products_are_never_shown(reader_a, reader_b, shop):
    from tests.catalog.factories import make_product
    from tests.catalog.factories import manager as make_manager

    with schema_context("beta"):
        make_product(actor=make_manager(), name="Beta kettle", status="active")
    deliver("beta")
    shown = names(reader_a.get("/shop/"))
    assert names(reader_b.get("/shop/")) == ["Beta kettle"]  # the same list's query, on beta's schema
    assert names(reader_a.get("/shop/")) == shown and "Beta kettle" not in shown
    assert "Beta kettle" not in reader_a.get("/shop/?q=kettle").content.decode()
    assert reader_b.get("/shop/categories/shirts/").status_code == 404


def test_a_collection_lists_its_products_in_its_order_while_it_is_shown(reader_a, manager, shop):
    import datetime as dt

    from django.utils import timezone

    summer = services.create_collection(
        actor=manager, texts={"en": {"name": "Summer"}}, products=[shop["red"], shop["kettle"], shop["draft"]]
    )
    later = services.create_collection(
        actor=manager,
        texts={"en": {"name": "Later"}},
        products=[shop["blue"]],
        published_from=timezone.now() + dt.timedelta(days=1),
    )
    deliver("alpha")
    assert names(reader_a.get("/shop/collections/summer/")) == ["Red shirt", "Kettle"]
    assert names(reader_a.get("/shop/collections/summer/?sort=price")) == ["Red shirt", "Kettle"]
    assert names(reader_a.get("/shop/collections/summer/?sort=-price")) == ["Kettle", "Red shirt"]
    assert reader_a.get("/shop/collections/later/").status_code == 404
    assert summer.pk and later.pk


def test_related_products_are_the_others_of_the_first_category(shop):
    with schema_context("alpha"):
        document = Document.objects.get(type="product", object_id=str(shop["red"].pk), language="en")
        assert [">Blue shirt</a></h3>" in card.html for card in related(document)] == [True]
        kettle = Document.objects.get(type="product", object_id=str(shop["kettle"].pk), language="en")
        assert related(kettle) == []


def test_the_menu_has_the_shop_and_the_home_page_the_newest_products(reader_a, shop):
    html = reader_a.get("/").content.decode()
    assert '<a href="/shop/">Shop</a>' in html
    assert "New in the shop" in html and ">Kettle</a>" in html
    html = reader_a.get("/?lang=ru").content.decode()
    assert '<a href="/shop/?lang=ru">Магазин</a>' in html


@pytest.mark.parametrize("size", [3, 25])
def test_a_list_page_costs_a_fixed_number_of_queries(manager, shop, size, django_assert_max_num_queries):
    kind = shop["red"].product_type
    for number in range(size - 3):
        make(
            manager,
            f"Shirt {number}",
            categories=[shop["shirts"]],
            colour="red",
            amount=1000 + number,
            kind=kind,
        )
    deliver("alpha")
    client = Client(HTTP_HOST=ALPHA_HOST)
    for path in ("/shop/categories/clothing/?colour=red&size=s", "/shop/", "/shop/categories/shirts/"):
        client.get(path)
        with django_assert_max_num_queries(8):  # the frame 4, the tree, attributes, counts, page
            assert client.get(path).status_code == 200


def test_the_sitemap_lists_categories_collections_and_products_in_their_languages(reader_a, manager, shop):
    from tests.content.test_sitemap import entries, under

    services.create_collection(actor=manager, texts={"en": {"name": "Summer"}}, products=[shop["red"]])
    found = under(entries(reader_a), "/shop/")
    assert "http://alpha.test/shop/" in found and "http://alpha.test/shop/?lang=ru" in found
    assert found["http://alpha.test/shop/categories/clothing/"]["alternates"] == {
        "en": "http://alpha.test/shop/categories/clothing/",
        "ru": "http://alpha.test/shop/categories/odezhda/?lang=ru",
    }
    assert "http://alpha.test/shop/categories/shirts/" in found
    assert "http://alpha.test/shop/collections/summer/" in found
    assert "http://alpha.test/shop/products/red-shirt/" in found
    assert "http://alpha.test/shop/products/red-shirt/?lang=ru" not in found  # its slug is English
    assert not any("secret-shirt" in address for address in found)
    assert found["http://alpha.test/shop/products/red-shirt/"]["lastmod"]


def tags_of_page(view, path: str, *args) -> set[str]:
    """The page cache tags a list page names (rustok.page_cache.depends_on) as it renders."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from apps.core.models import Tenant
    from rustok.page_cache import tags_of

    request = RequestFactory().get(path, HTTP_HOST=ALPHA_HOST)
    request.tenant, request.user = Tenant.objects.get(schema_name="alpha"), AnonymousUser()
    with schema_context("alpha"):
        assert view(request, *args).status_code == 200
    return set(tags_of(request))


def test_pages_name_what_they_show_for_the_page_cache(manager, shop):
    from apps.catalog.lists import ATTRIBUTES_TAG, CATEGORIES_TAG, COLLECTIONS_TAG
    from apps.catalog.views import listing
    from apps.site.selectors import SETTINGS_TAG

    summer = services.create_collection(
        actor=manager, texts={"en": {"name": "Summer"}}, products=[shop["red"]]
    )
    deliver("alpha")
    # Every list shows the filters' attributes and the frame: the settings and the menu's pages.
    shown = {ATTRIBUTES_TAG, SETTINGS_TAG, "page/menu"}
    assert tags_of_page(listing.shop, "/shop/") == {"product", CATEGORIES_TAG, *shown}
    shirts = f"product/category:{shop['shirts'].pk}"
    found = tags_of_page(listing.category, "/shop/categories/shirts/", "shirts")
    assert found == {shirts, CATEGORIES_TAG, *shown}
    collection = f"product/collection:{summer.pk}"
    found = tags_of_page(listing.collection, "/shop/collections/summer/", "summer")
    assert found == {collection, CATEGORIES_TAG, COLLECTIONS_TAG, *shown}


def test_category_and_collection_changes_drop_the_pages_that_show_them(manager, shop, monkeypatch):
    from apps.catalog.lists import CATEGORIES_TAG, COLLECTIONS_TAG
    from rustok import page_cache

    dropped = []
    monkeypatch.setattr(page_cache, "invalidate_tags", lambda tags, *args, **kwargs: dropped.extend(tags))
    services.update_category(actor=manager, category=shop["kitchen"], texts={"en": {"name": "Cooking"}})
    deliver("alpha")
    assert CATEGORIES_TAG in dropped and COLLECTIONS_TAG not in dropped
    dropped.clear()
    services.create_collection(actor=manager, texts={"en": {"name": "Summer"}}, products=[shop["red"]])
    deliver("alpha")
    assert COLLECTIONS_TAG in dropped


def test_elements_are_labelled(reader_a, shop):
    found = elements(reader_a.get("/shop/"))
    labelled = {a.get("id") for tag, a in found if tag == "select"}
    assert labelled == {"shop-sort"}


def test_cards_show_pictures_with_their_renditions_lazily_below_the_first_row(
    reader_a, manager, shop, media, settings
):
    from tests.site.factories import image_upload

    settings.IMAGE_RENDITION_WIDTHS = (320, 640)
    kind = shop["red"].product_type
    for number in range(5):
        product = make(manager, f"Pictured {number}", categories=[shop["kitchen"]], kind=kind)
        upload = image_upload(fmt="JPEG", size=(800, 600), name=f"p{number}.jpg")
        services.add_product_image(actor=manager, product=product, upload=upload)
    found = [
        (tag, attrs)
        for tag, attrs in elements(reader_a.get("/shop/categories/kitchen/"))
        if tag in ("img", "source")
    ]
    images = [attrs for tag, attrs in found if tag == "img"]
    assert len(images) == 5
    assert [attrs.get("loading") for attrs in images] == [None, None, None, None, "lazy"]
    sources = [attrs["srcset"] for tag, attrs in found if tag == "source"]
    assert len(sources) == 5 and all(" 320w, " in srcset and srcset.endswith(" 640w") for srcset in sources)


def test_related_products_are_shown_as_a_titled_section_of_cards(shop):
    from django.template.loader import render_to_string

    with schema_context("alpha"):
        document = Document.objects.get(type="product", object_id=str(shop["red"].pk), language="en")
        cards = [card_markup(card, lazy=True) for card in related(document)]
        html = render_to_string("storefront/catalog/related.html", {"related": cards})
    assert '<h2 id="related-heading">You may also like</h2>' in html
    assert ">Blue shirt</a></h3>" in html and "$25.00" in html
    assert render_to_string("storefront/catalog/related.html", {"related": []}).strip() == ""
