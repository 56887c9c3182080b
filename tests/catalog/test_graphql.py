"""The catalogue over GraphQL: what readers and managers see, the filters and orders, the
mutations and their refusals, the module switched off, the other site's ids."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from apps.catalog import services
from apps.catalog.models import Product, Variant
from apps.core import services as core
from apps.inventory.services import adjust
from tests.accounts.factories import UserFactory
from tests.catalog.factories import make_attribute, make_product, make_variant
from tests.catalog.factories import manager as make_manager
from tests.conftest import signed_in
from tests.inventory.factories import StockLocationFactory, stock

pytestmark = pytest.mark.django_db

PRODUCTS = """
query($status: [ProductStatus!], $category: ID, $collection: ID, $productType: String, $priceMin: Int,
      $priceMax: Int, $inStock: Boolean, $attributes: [AttributeFilter!], $sort: ProductSort, $first: Int,
      $after: String) {
  products(status: $status, category: $category, collection: $collection, productType: $productType,
           priceMin: $priceMin, priceMax: $priceMax, inStock: $inStock, attributes: $attributes,
           sort: $sort, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { name } }
  }
}
"""
PRODUCT = """
fragment product on Product {
  id name slug status description descriptionHtml seoTitle url summary inStock language
  productType { slug name hasVariants }
  categories { id name } collections { id name }
  priceRange { currency min max compareAt formatted }
  variants { id sku name inStock
    options { attribute { slug name type } choice { slug name } }
    prices { currency amount compareAtAmount costAmount formatted }
    stock { locationName onHand reserved available } }
  attributes { attribute { slug name type unit } level values choices { slug name } }
}
"""
BY_ID = PRODUCT + "query($id: ID!) { product(id: $id) { ...product } }"
BY_SLUG = PRODUCT + "query($slug: String!) { productBySlug(slug: $slug) { ...product } }"


def ask(client, query: str, **variables) -> dict:
    response = client.post(
        "/api/graphql/", {"query": query, "variables": variables}, content_type="application/json"
    )
    assert response.status_code in (200, 400), response.content
    return response.json()


def data(client, query: str, **variables) -> dict:
    body = ask(client, query, **variables)
    assert "errors" not in body, body["errors"]
    return body["data"]


def names(client, **variables) -> list[str]:
    return [edge["node"]["name"] for edge in data(client, PRODUCTS, **variables)["products"]["edges"]]


def error_of(body: dict) -> dict:
    [error] = body["errors"]
    return error


@pytest.fixture
def shop(tenant_a):
    """Alpha's catalogue: shirts (a size per variant, a material) and mugs (no variants), in
    categories and a collection; an active shirt in S (cost 400) and M, a draft and an archived
    shirt, an active mug; stock counted at one location, not the mug's (not tracked)."""
    with schema_context("alpha"):
        actor = make_manager()
        size = make_attribute(actor=actor, slug="size", filterable=True)
        material = make_attribute(actor=actor, slug="material", input_type="text")
        weight = make_attribute(actor=actor, slug="weight", input_type="number", unit="kg")
        shirts = services.create_product_type(
            actor=actor,
            slug="shirt",
            texts={"en": {"name": "Shirt"}},
            attributes=[(size, "variant"), (material, "product"), (weight, "product")],
        )
        mugs = services.create_product_type(actor=actor, slug="mug", has_variants=False)
        clothes = services.create_category(actor=actor, texts={"en": {"name": "Clothes"}})
        tops = services.create_category(actor=actor, texts={"en": {"name": "Tops"}}, parent=clothes)
        shirt = make_product(
            actor=actor,
            name="Blue shirt",
            product_type=shirts,
            categories=[tops],
            attributes={"material": "Cotton", "weight": "0.25"},
            prices=[{"currency": "USD", "amount": 1000, "compare_at_amount": 1200, "cost_amount": 400}],
        )
        variant_s = shirt.variants.get()
        services.update_variant(actor=actor, variant=variant_s, attributes={"size": "s"})
        make_variant(actor=actor, product=shirt, size="m", prices=[{"currency": "USD", "amount": 1500}])
        shirt = services.transition_product(actor=actor, product=shirt, name="activate")
        make_product(actor=actor, name="Draft shirt", product_type=shirts)
        make_product(actor=actor, name="Old shirt", product_type=shirts, status="archived")
        mug = make_product(
            actor=actor,
            name="Mug",
            product_type=mugs,
            status="active",
            prices=[{"currency": "USD", "amount": 500}],
        )
        services.update_variant(actor=actor, variant=mug.variants.get(), track_inventory=False)
        summer = services.create_collection(actor=actor, texts={"en": {"name": "Summer"}}, products=[mug])
        location = StockLocationFactory(name_en="Main")
        for variant in shirt.variants.all():
            stock(variant, location, 5, actor=actor)
    return {
        "manager": actor,
        "shirt": shirt,
        "mug": mug,
        "variant_s": variant_s,
        "clothes": clothes,
        "tops": tops,
        "summer": summer,
        "location": location,
    }


@pytest.fixture
def as_manager(tenant_a, shop):
    return signed_in(tenant_a, shop["manager"], reader=True)


@pytest.fixture
def as_customer(tenant_a, shop):
    with schema_context("alpha"):
        customer = UserFactory(role="customer")
    return signed_in(tenant_a, customer, reader=True)


# --- what each sees ------------------------------------------------------------------------------


def test_readers_see_active_products_only(reader_a, as_customer, shop):
    for client in (reader_a, as_customer):
        assert sorted(names(client)) == ["Blue shirt", "Mug"]
        assert names(client, status=["DRAFT"]) == []


def test_managers_see_drafts_and_archived_products(as_manager):
    assert sorted(names(as_manager)) == ["Blue shirt", "Draft shirt", "Mug", "Old shirt"]
    assert names(as_manager, status=["DRAFT", "ARCHIVED"]) == ["Old shirt", "Draft shirt"]


def test_readers_see_no_cost_price_no_stock_counts_and_no_description_as_written(reader_a, as_customer, shop):
    for client in (reader_a, as_customer):
        product = data(client, BY_ID, id=shop["shirt"].pk)["product"]
        small = product["variants"][0]
        assert small["sku"] == shop["variant_s"].sku
        assert small["prices"] == [
            {
                "currency": "USD",
                "amount": 1000,
                "compareAtAmount": 1200,
                "costAmount": None,
                "formatted": "$10.00",
            }
        ]
        assert small["stock"] is None and small["inStock"] is True
        assert product["description"] is None
        assert product["priceRange"] == [
            {"currency": "USD", "min": 1000, "max": 1500, "compareAt": 1200, "formatted": "$10.00"}
        ]


def test_managers_see_cost_prices_and_stock_per_location(as_manager, shop):
    product = data(as_manager, BY_ID, id=shop["shirt"].pk)["product"]
    small = product["variants"][0]
    assert small["prices"][0]["costAmount"] == 400
    assert small["stock"] == [{"locationName": "Main", "onHand": 5, "reserved": 0, "available": 5}]
    assert product["priceRange"][0]["min"] == 1000 and product["description"] == ""


@pytest.mark.parametrize("who", ["reader", "manager"])
def test_readers_and_managers_see_the_same_product(reader_a, as_manager, shop, who):
    client = {"reader": reader_a, "manager": as_manager}[who]
    product = data(client, BY_ID, id=shop["shirt"].pk)["product"]
    assert product["status"] == "ACTIVE" and product["inStock"] is True
    assert product["productType"] == {"slug": "shirt", "name": "Shirt", "hasVariants": True}
    assert [c["name"] for c in product["categories"]] == ["Tops"]
    assert product["url"].endswith(f"/shop/products/{product['slug']}/")
    assert [v["options"] for v in product["variants"]] == [
        [
            {
                "attribute": {"slug": "size", "name": "size", "type": "CHOICE"},
                "choice": {"slug": slug, "name": slug.upper()},
            }
        ]
        for slug in ("s", "m")
    ]
    table = {row["attribute"]["slug"]: row for row in product["attributes"]}
    assert table["material"]["values"] == ["Cotton"] and table["material"]["level"] == "PRODUCT"
    assert table["weight"]["values"] == ["0.25 kg"] and table["weight"]["attribute"]["unit"] == "kg"
    assert table["size"]["values"] == ["S", "M"] and table["size"]["level"] == "VARIANT"
    assert [c["slug"] for c in table["size"]["choices"]] == ["s", "m"]


def test_a_reader_asking_for_a_draft_gets_null(reader_a, shop):
    with schema_context("alpha"):
        draft = Product.objects.get(name_en="Draft shirt")
    assert data(reader_a, BY_ID, id=draft.pk)["product"] is None
    assert data(reader_a, BY_SLUG, slug=draft.slug)["productBySlug"] is None
    assert data(reader_a, BY_SLUG, slug=shop["shirt"].slug)["productBySlug"]["name"] == "Blue shirt"


# --- filters and orders --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["reader", "manager"])
def test_products_are_filtered_as_asked(reader_a, as_manager, shop, who):
    client = {"reader": reader_a, "manager": as_manager}[who]
    active = {"status": ["ACTIVE"]}
    assert names(client, category=shop["clothes"].pk, **active) == ["Blue shirt"]  # under Clothes
    assert names(client, collection=shop["summer"].pk, **active) == ["Mug"]
    assert names(client, productType="mug", **active) == ["Mug"]
    assert names(client, priceMin=600, **active) == ["Blue shirt"]
    assert names(client, priceMax=600, **active) == ["Mug"]
    assert names(client, priceMin=1000, priceMax=1000, **active) == ["Blue shirt"]
    assert names(client, attributes=[{"slug": "size", "values": ["s", "xl"]}], **active) == ["Blue shirt"]
    assert names(client, attributes=[{"slug": "size", "values": ["xl"]}], **active) == []
    assert sorted(names(client, inStock=True, **active)) == ["Blue shirt", "Mug"]


@pytest.mark.parametrize("who", ["reader", "manager"])
def test_products_out_of_stock_are_found_by_in_stock_false(reader_a, as_manager, shop, who):
    client = {"reader": reader_a, "manager": as_manager}[who]
    with schema_context("alpha"):
        for variant in shop["shirt"].variants.all():
            adjust(
                actor=shop["manager"], variant=variant, location=shop["location"], delta=-5, reason="damaged"
            )
    assert names(client, inStock=False, status=["ACTIVE"]) == ["Blue shirt"]
    assert names(client, inStock=True, status=["ACTIVE"]) == ["Mug"]


@pytest.mark.parametrize("who", ["reader", "manager"])
def test_products_are_sorted_as_asked(reader_a, as_manager, shop, who):
    client = {"reader": reader_a, "manager": as_manager}[who]
    active = {"status": ["ACTIVE"]}
    assert names(client, sort="PRICE", **active) == ["Mug", "Blue shirt"]
    assert names(client, sort="PRICE_DESC", **active) == ["Blue shirt", "Mug"]
    assert names(client, sort="NAME", **active) == ["Blue shirt", "Mug"]
    assert names(client, sort="NEWEST", **active) == ["Mug", "Blue shirt"]


def test_pages_follow_each_other_with_the_total(as_manager):
    first = data(as_manager, PRODUCTS, first=3)["products"]
    assert first["totalCount"] == 4 and first["pageInfo"]["hasNextPage"] is True
    rest = data(as_manager, PRODUCTS, first=3, after=first["pageInfo"]["endCursor"])["products"]
    assert rest["totalCount"] == 4 and len(rest["edges"]) == 1 and not rest["pageInfo"]["hasNextPage"]
    beyond = data(as_manager, PRODUCTS, first=3, after=rest["pageInfo"]["endCursor"])["products"]
    assert beyond["totalCount"] == 4 and beyond["edges"] == []


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"priceMin": -1}, "priceMin"),
        ({"priceMin": 5, "priceMax": 1}, "priceMin"),
        ({"category": "tops"}, "category"),
        ({"attributes": [{"slug": "material", "values": ["cotton"]}]}, "attributes.0.slug"),
        ({"first": -1}, "first"),
        ({"after": "nonsense"}, "after"),
    ],
)
def test_a_bad_filter_is_invalid_naming_it(reader_a, shop, variables, field):
    body = ask(reader_a, PRODUCTS, **variables)
    error = error_of(body)
    assert error["extensions"]["code"] == "INVALID" and list(error["extensions"]["fields"]) == [field]
    assert body["data"] == {"products": None}


VARIANT_CREATE = """mutation($productId: ID!, $input: VariantCreateInput!) {
  variantCreate(productId: $productId, input: $input) { variant { id sku prices { currency amount } } } }"""


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"sku": "bad sku"}, "sku"),
        ({"prices": [{"currency": "USD", "amount": -5}]}, "prices.0.amount"),
        ({"prices": [{"currency": "EUR", "amount": 5}]}, "prices.0.currency"),
        ({"attributes": [{"slug": "size", "value": "xxl"}]}, "attributes.size"),
        ({"attributes": [{"slug": "colour", "value": "red"}]}, "attributes.colour"),
    ],
)
def test_a_bad_variant_is_invalid_naming_the_field_and_writes_nothing(as_manager, shop, given, field):
    with schema_context("alpha"):
        before = Variant.objects.count()
    variables = {"productId": shop["shirt"].pk, "input": {"sku": "NEW-1", **given}}
    if "attributes" not in given:
        variables["input"]["attributes"] = [{"slug": "size", "value": "l"}]
    error = error_of(ask(as_manager, VARIANT_CREATE, **variables))
    assert error["extensions"]["code"] == "INVALID"
    assert field in error["extensions"]["fields"], error
    with schema_context("alpha"):
        assert Variant.objects.count() == before


def test_a_price_that_is_not_a_whole_number_is_refused_before_anything_runs(as_manager, shop):
    variables = {
        "productId": shop["shirt"].pk,
        "input": {"sku": "NEW-1", "prices": [{"currency": "USD", "amount": 12.5}]},
    }
    body = ask(as_manager, VARIANT_CREATE, **variables)
    error = error_of(body)
    assert error["extensions"]["code"] == "INVALID"
    assert error["extensions"]["field"] == "input.prices.0.amount"


PRODUCT_CREATE = """mutation($input: ProductCreateInput!) {
  productCreate(input: $input) { product { id name status categories { name } } } }"""


def test_a_product_with_an_unknown_category_is_invalid_and_not_written(as_manager, shop):
    with schema_context("alpha"):
        before = Product.objects.count()
        type_id = shop["shirt"].product_type_id
    variables = {
        "input": {
            "productType": type_id,
            "translations": [{"language": "en", "name": "Socks"}],
            "categoryIds": [shop["tops"].pk, 999999],
        }
    }
    error = error_of(ask(as_manager, PRODUCT_CREATE, **variables))
    assert error["extensions"]["code"] == "INVALID" and list(error["extensions"]["fields"]) == ["categoryIds"]
    with schema_context("alpha"):
        assert Product.objects.count() == before


# --- writing -------------------------------------------------------------------------------------

TRANSITION = """mutation($id: ID!, $transition: ProductTransition!) {
  productTransition(id: $id, transition: $transition) { product { id status } } }"""
SET_PRICES = """mutation($id: ID!, $prices: [PriceInput!]!) {
  variantSetPrices(id: $id, prices: $prices) { variant { prices { currency amount costAmount } } } }"""


def test_a_manager_writes_a_product_that_readers_see_once_active(as_manager, reader_a, shop):
    variables = {
        "input": {
            "productType": shop["shirt"].product_type_id,
            "translations": [{"language": "en", "name": "Socks"}],
            "categoryIds": [shop["tops"].pk],
            "attributes": [{"slug": "material", "value": "Wool"}],
        }
    }
    product = data(as_manager, PRODUCT_CREATE, **variables)["productCreate"]["product"]
    assert product["status"] == "DRAFT" and product["categories"] == [{"name": "Tops"}]
    variant = data(
        as_manager,
        VARIANT_CREATE,
        productId=product["id"],
        input={"sku": "SOCK-1", "attributes": [{"slug": "size", "value": "m"}]},
    )["variantCreate"]["variant"]
    body = ask(as_manager, TRANSITION, id=product["id"], transition="ACTIVATE")
    assert error_of(body)["extensions"]["code"] == "CONFLICT"
    assert error_of(body)["extensions"]["reason"] == "price_required"
    prices = data(
        as_manager,
        SET_PRICES,
        id=variant["id"],
        prices=[{"currency": "USD", "amount": 900, "costAmount": 300}],
    )
    assert prices["variantSetPrices"]["variant"]["prices"] == [
        {"currency": "USD", "amount": 900, "costAmount": 300}
    ]
    assert (
        data(as_manager, TRANSITION, id=product["id"], transition="ACTIVATE")["productTransition"]["product"][
            "status"
        ]
        == "ACTIVE"
    )
    assert "Socks" in names(reader_a)
    body = ask(as_manager, TRANSITION, id=product["id"], transition="UNARCHIVE")
    assert error_of(body)["extensions"]["code"] == "TRANSITION_NOT_ALLOWED"


def test_catalogue_structure_mutations_call_their_services(as_manager, shop):
    attribute = data(
        as_manager,
        """mutation($input: AttributeInput!) { attributeCreate(input: $input) {
             attribute { id slug type choices { slug name color } } } }""",
        input={"slug": "colour", "type": "SWATCH", "choices": [{"slug": "red", "color": "#ff0000"}]},
    )["attributeCreate"]["attribute"]
    assert attribute["choices"] == [{"slug": "red", "name": "red", "color": "#ff0000"}]
    product_type = data(
        as_manager,
        """mutation($input: ProductTypeInput!) { productTypeCreate(input: $input) {
             productType { slug attributes { attribute { slug } level } } } }""",
        input={"slug": "hat", "attributes": [{"attribute": "colour", "level": "VARIANT"}]},
    )["productTypeCreate"]["productType"]
    assert product_type["attributes"] == [{"attribute": {"slug": "colour"}, "level": "VARIANT"}]
    body = ask(
        as_manager,
        "mutation($id: ID!) { attributeDelete(id: $id) { ok } }",
        id=attribute["id"],
    )
    assert (
        error_of(body)["extensions"]["code"] == "CONFLICT"
        and error_of(body)["extensions"]["reason"] == "in_use"
    )
    category = data(
        as_manager,
        """mutation($input: ProductCategoryInput!) { productCategoryCreate(input: $input) {
             category { id name parent { name } } } }""",
        input={"translations": [{"language": "en", "name": "Hats"}], "parentId": shop["clothes"].pk},
    )["productCategoryCreate"]["category"]
    assert category["parent"] == {"name": "Clothes"}
    settings = data(
        as_manager,
        'mutation { shopSettingsUpdate(currencies: ["EUR"]) { defaultCurrency currencies } }',
    )["shopSettingsUpdate"]
    assert settings == {"defaultCurrency": "USD", "currencies": ["USD", "EUR"]}


def test_customers_cannot_write_the_catalogue(as_customer, shop):
    body = ask(as_customer, TRANSITION, id=shop["shirt"].pk, transition="ARCHIVE")
    assert error_of(body)["extensions"]["code"] == "PERMISSION_DENIED"


# --- the module, the other site ------------------------------------------------------------------


def test_root_fields_answer_module_disabled_while_the_catalogue_is_off(reader_a, tenant_a, shop):
    core.set_module_enabled(tenant=tenant_a, module="orders", enabled=False)  # it needs inventory
    core.set_module_enabled(tenant=tenant_a, module="inventory", enabled=False)
    core.set_module_enabled(tenant=tenant_a, module="orders", enabled=False)  # it needs catalog
    core.set_module_enabled(tenant=tenant_a, module="catalog", enabled=False)
    body = ask(reader_a, "{ site { slug } products { totalCount } shopSettings { defaultCurrency } }")
    assert body["data"] == {"site": {"slug": "alpha"}, "products": None, "shopSettings": None}
    assert {e["extensions"]["code"] for e in body["errors"]} == {"MODULE_DISABLED"}


def test_another_sites_product_is_not_found(as_manager, tenant_b):
    with schema_context("alpha"):
        taken = set(Product.objects.values_list("pk", flat=True))
    with schema_context("beta"):
        foreign = make_product(name="Foreign", status="active")
        while foreign.pk in taken:  # ids of two sites may meet: take one that is only the other's
            foreign = make_product(name="Foreign", status="active")
    assert data(as_manager, BY_ID, id=foreign.pk)["product"] is None
    body = ask(as_manager, TRANSITION, id=foreign.pk, transition="ARCHIVE")
    assert error_of(body)["extensions"]["code"] == "NOT_FOUND"
    assert error_of(body)["extensions"]["field"] == "id"
