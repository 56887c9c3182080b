"""Product documents: what readers' lists, product pages and search read, kept by the projection
as the catalogue changes, and the same after a rebuild."""

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from apps.catalog import services
from apps.core import services as core
from apps.index.models import Document
from tests.catalog.factories import make_attribute, make_product, make_product_type
from tests.conftest import deliver
from tests.index.rebuilds import assert_a_rebuild_makes, documents
from tests.site.factories import image_upload

pytestmark = pytest.mark.django_db


def product_documents(product_id) -> dict:
    with schema_context("alpha"):
        return {d.language: d for d in Document.objects.filter(type="product", object_id=str(product_id))}


def search(client, **params):
    response = client.get("/api/v1/search/", params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def shop(manager, tenant_a):
    """Two active shirts (one in red and blue, with sizes), an active mug, a draft, categories
    and a collection; every event delivered. A catalogue without a shop: inventory is off, so
    everything is in stock (tests/inventory/test_availability.py has stock)."""
    core.set_module_enabled(tenant=tenant_a, module="orders", enabled=False)  # it needs inventory
    core.set_module_enabled(tenant=tenant_a, module="inventory", enabled=False)
    services.update_shop_settings(actor=manager, currencies=["EUR"])
    colour = make_attribute(
        actor=manager,
        slug="colour",
        input_type="swatch",
        filterable=True,
        choices=[
            {"slug": "red", "color": "#ff0000", "texts": {"en": {"name": "Red"}, "ru": {"name": "Красный"}}},
            {"slug": "blue", "color": "#0000ff", "texts": {"en": {"name": "Blue"}}},
        ],
    )
    size = make_attribute(actor=manager, slug="size", filterable=True)
    shirts = make_product_type(
        actor=manager, slug="shirt", attributes=[(size, "variant"), (colour, "variant")]
    )
    clothes = services.create_category(actor=manager, texts={"en": {"name": "Clothes"}})
    tops = services.create_category(
        actor=manager, texts={"en": {"name": "Tops"}, "ru": {"name": "Верх"}}, parent=clothes
    )
    linen = services.create_product(
        actor=manager,
        product_type=shirts,
        texts={
            "en": {"name": "Linen shirt", "description": "Cool **linen**."},
            "ru": {"name": "Льняная рубашка"},
        },
        categories=[tops.pk],
    )
    for sku, chosen_size, chosen_colour, amount in (
        ("LIN-M-R", "m", "red", 3000),
        ("LIN-L-B", "l", "blue", 3500),
    ):
        services.create_variant(
            actor=manager,
            product=linen,
            sku=sku,
            attributes={"size": chosen_size, "colour": chosen_colour},
            prices=[
                {"currency": "USD", "amount": amount, "compare_at_amount": 4000},
                {"currency": "EUR", "amount": amount - 200},
            ],
        )
    services.transition_product(actor=manager, product=linen, name="activate")
    cotton = services.create_product(
        actor=manager, product_type=shirts, texts={"en": {"name": "Cotton shirt"}}
    )
    services.create_variant(
        actor=manager,
        product=cotton,
        sku="COT-S-R",
        attributes={"size": "s", "colour": "red"},
        prices=[{"currency": "USD", "amount": 1500}],
    )
    services.transition_product(actor=manager, product=cotton, name="activate")
    mugs = make_product_type(actor=manager, slug="mug", has_variants=False, attributes=[])
    mug = make_product(
        actor=manager,
        name="Tea mug",
        product_type=mugs,
        status="active",
        prices=[{"currency": "USD", "amount": 800}],
    )
    draft = make_product(actor=manager, name="Secret mug", product_type=mugs)
    picks = services.create_collection(
        actor=manager, texts={"en": {"name": "Staff picks"}}, products=[mug.pk, linen.pk]
    )
    deliver("alpha")
    return {
        "linen": linen,
        "cotton": cotton,
        "mug": mug,
        "draft": draft,
        "tops": tops,
        "clothes": clothes,
        "picks": picks,
    }


def test_an_active_product_has_a_document_in_every_language_with_what_lists_show(shop):
    found = product_documents(shop["linen"].pk)
    assert set(found) == {"en", "ru"}
    en, ru = found["en"], found["ru"]
    assert (en.title, ru.title) == ("Linen shirt", "Льняная рубашка")
    assert en.url == "/shop/products/linen-shirt/"
    assert en.price == Decimal("30.00")
    assert en.availability == "in_stock"
    assert en.data["price"] == {"min": 3000, "max": 3500, "compare_at": 4000, "formatted": "$30.00"}
    card = en.data["card"]
    assert (card["price"], card["compare_at"], card["srcset"]) == ("from $30.00", "$40.00", "")
    # The card as list pages show it, rendered once per write in the document's language.
    assert "Linen shirt" in card["html"] and "from $30.00" in card["html"] and "$40.00" in card["html"]
    assert card["html_lazy"] == card["html"]  # without a picture there is nothing to load later
    assert "Льняная рубашка" in ru.data["card"]["html"] and "от" in ru.data["card"]["html"]
    assert en.data["prices"]["EUR"]["min"] == 2800
    assert en.data["in_stock"] is True
    assert [c["name"] for c in ru.data["categories"]] == ["Верх"]
    assert [o["slug"] for o in en.data["options"]] == ["size", "colour"]
    assert [v["slug"] for v in en.data["options"][1]["values"]] == ["red", "blue"]
    assert "<strong>linen</strong>" in en.detail["description_html"]
    assert [v["sku"] for v in en.detail["variants"]] == ["LIN-M-R", "LIN-L-B"]
    assert en.detail["variants"][0]["options"] == {"size": "m", "colour": "red"}
    assert "cost" not in str(en.data) + str(en.detail)


def test_keys_select_by_type_category_with_its_ancestors_collection_and_filterable_values(shop):
    keys = set(product_documents(shop["linen"].pk)["en"].keys)
    assert {
        "type:shirt",
        f"category:{shop['tops'].pk}",
        f"category:{shop['clothes'].pk}",
        f"collection:{shop['picks'].pk}",
        "attribute:size:m",
        "attribute:size:l",
        "attribute:colour:red",
        "attribute:colour:blue",
        "slug:en:linen-shirt",
    } <= keys


def test_drafts_have_no_document_and_deactivating_removes_it(shop, manager):
    assert product_documents(shop["draft"].pk) == {}
    services.transition_product(actor=manager, product=shop["mug"], name="deactivate")
    deliver("alpha")
    assert product_documents(shop["mug"].pk) == {}


def test_a_price_change_reaches_the_document(shop, manager):
    variant = shop["mug"].variants.get()
    services.set_prices(actor=manager, variant=variant, prices=[{"currency": "USD", "amount": 650}])
    deliver("alpha")
    assert product_documents(shop["mug"].pk)["en"].price == Decimal("6.50")


def test_renaming_a_category_reaches_its_products_documents(shop, manager):
    services.update_category(actor=manager, category=shop["tops"], texts={"en": {"name": "Shirts & tops"}})
    deliver("alpha")
    assert product_documents(shop["linen"].pk)["en"].data["categories"][0]["name"] == "Shirts & tops"


def test_a_rebuild_makes_the_documents_the_projection_kept(shop, manager):
    services.update_product(
        actor=manager, product=shop["cotton"], texts={"ru": {"name": "Хлопковая рубашка"}}
    )
    services.update_collection(actor=manager, collection=shop["picks"], products=[shop["cotton"].pk])
    deliver("alpha")
    with schema_context("alpha"):
        kept = documents()
    assert_a_rebuild_makes(kept)


def test_the_documents_of_many_products_cost_the_queries_of_a_few(shop, manager):
    """A rebuild makes documents by the thousand: the rows are read per batch, not per product."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.index import projections

    mug = shop["mug"]
    extra = [
        make_product(actor=manager, name=f"Mug {n}", product_type=mug.product_type, status="active")
        for n in range(4)
    ]
    projection = projections.get("catalog.products")

    def cost(products) -> tuple[int, int]:
        with schema_context("alpha"), CaptureQueriesContext(connection) as queries:
            made = list(projection.documents([str(p.pk) for p in products]))
        return len(queries), len(made)

    few = cost([shop["linen"], shop["cotton"]])
    many = cost([shop["linen"], shop["cotton"], mug, shop["draft"], *extra])
    assert (few[1], many[1]) == (4, 14)  # two languages of each active product
    assert few[0] == many[0] <= 16


# --- search --------------------------------------------------------------------------------------


def test_search_facets_products_by_collection_and_attribute_with_labels(shop, client_a):
    body = search(client_a, type="product", facets="key:collection,key:attribute:colour,price,availability")
    assert body["count"] == 3
    assert body["facets"]["key:collection"] == [
        {"value": f"collection:{shop['picks'].pk}", "count": 2, "label": "Staff picks"}
    ]
    assert body["facets"]["key:attribute:colour"] == [
        {"value": "attribute:colour:red", "count": 2, "label": "Red"},
        {"value": "attribute:colour:blue", "count": 1, "label": "Blue"},
    ]
    assert {f["value"] for f in body["facets"]["availability"]} == {"in_stock"}


def test_key_facets_count_the_same_listed_by_the_projection_or_grouped_by_value(shop, client_a, monkeypatch):
    """The projection lists the keys a group can have, so they are counted in one pass; the
    counts are those of grouping every matching document's keys (for projections that don't)."""
    from apps.catalog.projections import ProductProjection

    keys = ("key:collection", "key:attribute:colour", "key:attribute:size", "key:category", "key:type")
    facets = ",".join([*keys, "price", "availability", "category", "tag"])
    asked = [{}, {"key": "attribute:colour:blue"}, {"key": ["attribute:colour:red", "attribute:size:s"]}]
    listed = [search(client_a, type="product", facets=facets, **more)["facets"] for more in asked]
    monkeypatch.setattr(ProductProjection, "facet_values", lambda self, facet: None)
    grouped = [search(client_a, type="product", facets=facets, **more)["facets"] for more in asked]
    assert listed == grouped
    assert listed[0]["key:attribute:size"] == [
        {"value": f"attribute:size:{s}", "count": 1, "label": s.upper()} for s in ("l", "m", "s")
    ]
    assert listed[1]["key:attribute:colour"][0] == {
        "value": "attribute:colour:red",
        "count": 2,
        "label": "Red",
    }
    assert listed[1]["key:attribute:size"] == [  # within the blue ones
        {"value": f"attribute:size:{s}", "count": 1, "label": s.upper()} for s in ("l", "m")
    ]


def test_listed_facets_prices_and_the_count_are_one_pass_over_the_documents(shop, client_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    facets = "key:collection,key:attribute:colour,key:attribute:size,price,availability"
    with CaptureQueriesContext(connection) as queries:
        search(client_a, type="product", facets=facets)
    documents = [q for q in queries.captured_queries if '"index_document"' in q["sql"]]
    assert len(documents) == 2  # every facet with the count, and the page
    with CaptureQueriesContext(connection) as queries:
        search(client_a, type="product", facets=facets, key="attribute:colour:red")
    documents = [q for q in queries.captured_queries if '"index_document"' in q["sql"]]
    assert len(documents) == 3  # and the colours, counted without the colour chosen


def test_keys_of_one_group_are_alternatives_and_groups_all_apply(shop, client_a):
    red = search(client_a, type="product", key="attribute:colour:red")
    assert {r["title"] for r in red["results"]} == {"Linen shirt", "Cotton shirt"}
    red_small = search(client_a, type="product", key=["attribute:colour:red", "attribute:size:s"])
    assert [r["title"] for r in red_small["results"]] == ["Cotton shirt"]
    red_or_blue_large = search(
        client_a, type="product", key=["attribute:colour:red", "attribute:colour:blue", "attribute:size:l"]
    )
    assert [r["title"] for r in red_or_blue_large["results"]] == ["Linen shirt"]


def test_products_sort_by_price_both_ways(shop, client_a):
    cheapest = search(client_a, type="product", sort="price")
    assert [r["title"] for r in cheapest["results"]] == ["Tea mug", "Cotton shirt", "Linen shirt"]
    dearest = search(client_a, type="product", sort="-price")
    assert [r["title"] for r in dearest["results"]] == ["Linen shirt", "Cotton shirt", "Tea mug"]


def test_search_finds_products_by_words_in_their_language(shop, client_a):
    assert [r["title"] for r in search(client_a, q="льнян", lang="ru")["results"]] == ["Льняная рубашка"]
    assert [r["title"] for r in search(client_a, q="mug")["results"]] == ["Tea mug"]


def test_the_gallery_reaches_the_documents_with_its_renditions_and_alt_text(shop, manager, media, settings):
    settings.IMAGE_RENDITION_WIDTHS = (320, 640)
    services.add_product_image(
        actor=manager,
        product=shop["linen"],
        upload=image_upload(fmt="JPEG", size=(800, 600), name="shirt.jpg"),
        texts={"en": {"alt": "A linen shirt"}, "ru": {"alt": "Льняная рубашка"}},
    )
    deliver("alpha")
    found = product_documents(shop["linen"].pk)
    picture = found["en"].data["picture"]
    assert (picture["width"], picture["alt"]) == (800, "A linen shirt")
    assert [r["width"] for r in picture["renditions"]] == [320, 640]
    assert found["ru"].detail["pictures"][0]["alt"] == "Льняная рубашка"


def test_a_document_write_clears_the_pages_of_its_product_and_of_its_keys_before_and_after(
    shop, manager, monkeypatch, django_capture_on_commit_callbacks
):
    from rustok import page_cache

    cleared = []
    monkeypatch.setattr(
        page_cache, "invalidate_tags", lambda found, *args, **kwargs: cleared.append(set(found))
    )
    linen, tops, clothes = shop["linen"], shop["tops"], shop["clothes"]
    services.update_product(actor=manager, product=linen, categories=[clothes.pk])  # leaves Tops
    with django_capture_on_commit_callbacks(execute=True):
        deliver("alpha")
    [tags] = cleared
    assert {
        "product",
        f"product#{linen.pk}",
        f"product/category:{tops.pk}",
        f"product/category:{clothes.pk}",
        f"product/collection:{shop['picks'].pk}",
        "product/attribute:colour:blue",
    } <= tags
    assert f"product#{shop['mug'].pk}" not in tags and f"product#{shop['cotton'].pk}" not in tags
