"""Query counts of the catalogue's GraphQL product list: the same for 5 products and for 50.

A reader's page is read from the product documents: the routing (the search path: 1), the page
with its total (one query: the total is a window of it), the page texts of every product asked
(variants, attributes, images: one query by (language, id)), their types, categories and
collections (one query each). A manager's page is read from the write side through loaders: the
routing, the token, the page with its total and types, the variants with their prices, the
attribute values with their choices, the images (one query each), and, when asked, the
categories, the collections and the stock (one more each).
"""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from apps.catalog import services
from apps.catalog.models import ProductImage
from tests.catalog.factories import make_attribute, make_variant
from tests.catalog.factories import manager as make_manager
from tests.conftest import deliver, signed_in
from tests.inventory.factories import StockLocationFactory, stock
from tests.queries import flat
from tests.site.factories import image_upload

pytestmark = pytest.mark.django_db

FEW, MANY = 5, 50

SHOWN = """id name slug summary url status
  images { url width height alt renditions { url width } }
  priceRange { currency min max compareAt formatted }
  variants { id sku name
    options { attribute { slug name } choice { slug name } }
    prices { currency amount compareAtAmount costAmount formatted } }
  attributes { attribute { slug name type unit } level values choices { slug name } }"""
RELATIONS = """inStock productType { slug name }
  categories { id name slug url }
  collections { id name slug url }
  picture { url }
  variants { inStock stock { locationName onHand available } }"""
PAGE = "{{ products(first: 50) {{ totalCount edges {{ node {{ {fields} }} }} }} }}"


def answer(client, query: str) -> dict:
    response = client.post("/api/graphql/", {"query": query}, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


@pytest.fixture
def catalogue(tenant_a, media):
    """A shirt type (a material per product, a size per variant), a category under another, a
    collection, a stock location, and the shop selling in USD and EUR."""
    with schema_context("alpha"):
        actor = make_manager()
        services.update_shop_settings(actor=actor, currencies=["EUR"])
        size = make_attribute(actor=actor, slug="size", filterable=True)
        material = make_attribute(actor=actor, slug="material", input_type="text")
        shirt = services.create_product_type(
            actor=actor, slug="shirt", attributes=[(size, "variant"), (material, "product")]
        )
        top = services.create_category(actor=actor, texts={"en": {"name": "Clothes"}})
        sub = services.create_category(actor=actor, texts={"en": {"name": "Tops"}}, parent=top)
        collection = services.create_collection(actor=actor, texts={"en": {"name": "Summer"}})
        location = StockLocationFactory(name_en="Main")
    return {
        "actor": actor,
        "type": shirt,
        "categories": [top, sub],
        "collection": collection,
        "location": location,
        "products": [],
    }


def add_products(catalogue, count: int) -> None:
    """`count` active shirts, each in two sizes priced in both currencies, with two images, a
    material, both categories, in the collection and in stock; then the worker delivers their
    events (readers read documents)."""
    actor = catalogue["actor"]
    with schema_context("alpha"):
        for n in range(count):
            product = services.create_product(
                actor=actor,
                product_type=catalogue["type"],
                texts={
                    "en": {"name": f"Shirt {len(catalogue['products'])}", "description": "Soft *cotton*."}
                },
                categories=catalogue["categories"],
                attributes={"material": "Cotton"},
            )
            for position in range(2):
                ProductImage.objects.create(
                    product=product, image=image_upload(), alt_en="A shirt", position=position
                )
            for size in ("s", "m"):
                prices = [
                    {"currency": "USD", "amount": 1000 + n, "compare_at_amount": 1500, "cost_amount": 400},
                    {"currency": "EUR", "amount": 900 + n},
                ]
                variant = make_variant(actor=actor, product=product, size=size, prices=prices)
                stock(variant, catalogue["location"], 3, actor=actor)
            catalogue["products"].append(
                services.transition_product(actor=actor, product=product, name="activate")
            )
        collection = catalogue["collection"]
        catalogue["collection"] = services.update_collection(
            actor=actor, collection=collection, products=catalogue["products"]
        )
    deliver("alpha")


def edges(data) -> int:
    return len(data["products"]["edges"])


@pytest.fixture
def as_manager(tenant_a, catalogue):
    return signed_in(tenant_a, catalogue["actor"])


@pytest.fixture
def as_reader(client_a):
    return client_a


@pytest.mark.parametrize(
    ("who", "fields", "budget"),
    [
        ("reader", f"{SHOWN} {RELATIONS}", 6),
        ("manager", SHOWN, 6),
        ("manager", f"{SHOWN} {RELATIONS}", 9),
    ],
    ids=["reader-every-relation", "manager-variants-prices-images-attributes", "manager-every-relation"],
)
def test_a_page_of_products_costs_the_same_for_5_and_50(
    request, settings, catalogue, django_assert_max_num_queries, who, fields, budget
):
    client = request.getfixturevalue(f"as_{who}")
    query = PAGE.format(fields=fields)
    settings.TENANT_ROUTING_CACHE_SECONDS = 3600  # growing the catalogue outlasts the routes kept
    add_products(catalogue, FEW)
    _few, many = flat(
        django_assert_max_num_queries,
        budget,
        ask=lambda: answer(client, query),
        grow=lambda: add_products(catalogue, MANY - FEW),
        size=edges,
    )
    product = many["products"]["edges"][0]["node"]
    assert many["products"]["totalCount"] == MANY
    assert len(product["images"]) == 2 and product["images"][0]["alt"] == "A shirt"
    assert [v["options"][0]["choice"]["slug"] for v in product["variants"]] == ["s", "m"]
    assert {p["currency"] for p in product["priceRange"]} == {"USD", "EUR"}
    table = {row["attribute"]["slug"]: row["values"] for row in product["attributes"]}
    assert table == {"size": ["S", "M"], "material": ["Cotton"]}
    [cost] = [p["costAmount"] for p in product["variants"][0]["prices"] if p["currency"] == "USD"]
    assert cost == (None if who == "reader" else 400)
    if "categories" in fields:
        assert [c["name"] for c in product["categories"]] == ["Clothes", "Tops"]
        assert [c["name"] for c in product["collections"]] == ["Summer"]
        assert product["productType"]["slug"] == "shirt"
        stocked = product["variants"][0]["stock"]
        assert (
            stocked is None
            if who == "reader"
            else stocked == [{"locationName": "Main", "onHand": 3, "available": 3}]
        )


def test_a_reader_page_reads_no_product_row(client_a, catalogue, django_assert_max_num_queries):
    """Readers' answers come from the documents: no query touches the catalogue's product,
    variant or price tables."""
    add_products(catalogue, FEW)
    query = PAGE.format(fields=f"{SHOWN} {RELATIONS}")
    answer(client_a, query)
    with django_assert_max_num_queries(6) as captured:
        answer(client_a, query)
    tables = ('catalog_product"', "catalog_variant", "catalog_price", "catalog_attributevalue", "inventory_")
    read = [q["sql"] for q in captured.captured_queries if any(table in q["sql"] for table in tables)]
    assert not read, read
