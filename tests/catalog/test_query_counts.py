"""Query counts of the catalogue's REST lists (flat in their length) and of every write.

Budgets count everything a request does: routing (the search path), the caller's token, the
view's reads, and a write with its outbox events. A reader's product list is one query for the
page and one for the count, whatever it shows.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.catalog import services
from tests.catalog.factories import make_attribute, make_product, make_product_type
from tests.conftest import ALPHA_HOST, bearer, deliver
from tests.queries import costs, flat

pytestmark = pytest.mark.django_db

BASE = "/api/v1/catalog/"
PRODUCTS = f"{BASE}products/"
JSON = "application/json"


def warm(grow, ask):
    """`grow`, then `ask` once: what the growing took long enough to let expire (the routes a
    process keeps for a few seconds) is read again before the second measure."""

    def grown():
        grow()
        ask()

    return grown


def results(response) -> int:
    assert response.status_code == 200, response.content
    return len(response.json()["results"])


@pytest.fixture
def staff(tenant_a):
    """A manager, a product type, a category and a collection to file products in."""
    with schema_context("alpha"):
        from tests.catalog.factories import manager

        actor = manager()
        colour = make_attribute(actor=actor, slug="colour", filterable=True, choices=[{"slug": "red"}])
        size = make_attribute(actor=actor, slug="size")
        kind = make_product_type(
            actor=actor, slug="shirt", attributes=[(colour, "product"), (size, "variant")]
        )
        category = services.create_category(actor=actor, texts={"en": {"name": "Shirts"}})
        collection = services.create_collection(actor=actor, texts={"en": {"name": "Picks"}})
    return {"actor": actor, "type": kind, "category": category, "collection": collection}


@pytest.fixture
def manager_client(tenant_a, staff) -> Client:
    return Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, staff["actor"]))


def add_products(staff, count: int, start: int = 0) -> None:
    """`count` active products with two variants each, filed in the category and collection."""
    with schema_context("alpha"):
        actor = staff["actor"]
        made = []
        for n in range(start, start + count):
            product = make_product(
                actor=actor,
                name=f"Shirt {n}",
                product_type=staff["type"],
                categories=[staff["category"]],
                attributes={"colour": "red"},
                status="active",
            )
            services.create_variant(
                actor=actor,
                product=product,
                sku=f"SHIRT-{n}-L",
                attributes={"size": "l"},
                prices=[{"currency": "USD", "amount": 1500, "cost_amount": 700}],
            )
            made.append(product)
        services.update_collection(
            actor=actor, collection=staff["collection"], products=[*staff["collection"].products.all(), *made]
        )
    deliver("alpha")


def test_the_readers_product_list_costs_the_same_for_5_and_50_products(
    client_a, staff, django_assert_max_num_queries
):
    add_products(staff, 5)
    # routing (the search path), the count, the page of documents
    flat(
        django_assert_max_num_queries,
        3,
        ask=(ask := lambda: client_a.get(PRODUCTS, {"limit": 100, "category": staff["category"].pk})),
        grow=warm(lambda: add_products(staff, 45, start=5), ask),
        size=results,
    )


def test_a_readers_product_page_is_one_query(client_a, staff, django_assert_max_num_queries):
    add_products(staff, 1)
    with schema_context("alpha"):
        product = staff["category"].products.get()
    client_a.get(f"{PRODUCTS}{product.pk}/")
    with django_assert_max_num_queries(2):  # routing, the document
        assert client_a.get(f"{PRODUCTS}{product.pk}/").json()["variants"]
    with django_assert_max_num_queries(2):
        assert client_a.get(f"{PRODUCTS}by-slug/{product.slug}/").status_code == 200


def test_the_managers_product_list_costs_the_same_for_5_and_50_products(
    manager_client, staff, django_assert_max_num_queries
):
    add_products(staff, 5)
    # routing, the token's user, the count, the products and their categories, collections, images,
    # values (and their choices), variants, prices, variant values (and their choices), the shop's
    # currency, the stock (tracked variants, their levels)
    flat(
        django_assert_max_num_queries,
        17,
        ask=(
            ask := lambda: manager_client.get(
                PRODUCTS, {"limit": 100, "attribute.colour": "red", "ordering": "price"}
            )
        ),
        grow=warm(lambda: add_products(staff, 45, start=5), ask),
        size=results,
    )


@pytest.mark.parametrize(
    "path", ["product-types/", "attributes/", "categories/", "collections/", "tax-classes/"]
)
def test_the_catalogues_other_lists_cost_the_same_for_few_and_many(
    client_a, manager_client, staff, path, django_assert_max_num_queries
):
    def grow():
        with schema_context("alpha"):
            actor = staff["actor"]
            for n in range(8):
                if path == "product-types/":
                    make_product_type(
                        actor=actor,
                        slug=f"more-{n}",
                        attributes=[(staff["type"].attributes.first(), "product")],
                    )
                elif path == "attributes/":
                    make_attribute(actor=actor, slug=f"more-{n}")
                elif path == "categories/":
                    services.create_category(actor=actor, texts={"en": {"name": f"More {n}"}})
                elif path == "collections/":
                    services.create_collection(actor=actor, texts={"en": {"name": f"More {n}"}})
                else:
                    services.create_tax_class(actor=actor, slug=f"more-{n}", texts={"en": {"name": "More"}})

    if path == "tax-classes/":
        with schema_context("alpha"):
            services.create_tax_class(
                actor=staff["actor"], slug="standard", texts={"en": {"name": "Standard"}}
            )
    # routing, the count, the rows, their choices / attributes / tree / products
    ask = lambda: client_a.get(f"{BASE}{path}")  # noqa: E731
    flat(django_assert_max_num_queries, 4, ask=ask, grow=warm(grow, ask), size=results)


# --- writes ---------------------------------------------------------------------------------------


@pytest.fixture
def draft(staff):
    with schema_context("alpha"):
        return make_product(actor=staff["actor"], product_type=staff["type"])


def test_product_writes_cost_a_fixed_number_of_queries(
    manager_client, staff, draft, django_assert_max_num_queries
):
    created = costs(
        django_assert_max_num_queries,
        45,
        lambda: manager_client.post(
            PRODUCTS,
            {
                "product_type": staff["type"].pk,
                "name": "New",
                "categories": [staff["category"].pk],
                "attributes": {"colour": "red"},
            },
            content_type=JSON,
        ),
    )
    assert created.status_code == 201, created.content
    changed = costs(
        django_assert_max_num_queries,
        40,
        lambda: manager_client.patch(f"{PRODUCTS}{draft.pk}/", {"name": "Renamed"}, content_type=JSON),
    )
    assert changed.status_code == 200, changed.content
    activated = costs(
        django_assert_max_num_queries, 35, lambda: manager_client.post(f"{PRODUCTS}{draft.pk}/activate/")
    )
    assert activated.json()["status"] == "active"
    variant = costs(
        django_assert_max_num_queries,
        50,
        lambda: manager_client.post(
            f"{PRODUCTS}{draft.pk}/variants/",
            {"sku": "NEW-S", "attributes": {"size": "s"}, "prices": [{"currency": "USD", "amount": 100}]},
            content_type=JSON,
        ),
    )
    assert variant.status_code == 201, variant.content
    variant_id = variant.json()["id"]
    patched = costs(
        django_assert_max_num_queries,
        30,
        lambda: manager_client.patch(f"{BASE}variants/{variant_id}/", {"barcode": "1"}, content_type=JSON),
    )
    assert patched.status_code == 200, patched.content
    priced = costs(
        django_assert_max_num_queries,
        30,
        lambda: manager_client.put(
            f"{BASE}variants/{variant_id}/prices/",
            {"prices": [{"currency": "USD", "amount": 200}]},
            content_type=JSON,
        ),
    )
    assert priced.status_code == 200, priced.content
    assert (
        costs(
            # 26: the order lines that sold it keep their copy and let go of the link (orders).
            django_assert_max_num_queries,
            26,
            lambda: manager_client.delete(f"{BASE}variants/{variant_id}/"),
        ).status_code
        == 204
    )
    assert (
        costs(
            django_assert_max_num_queries,
            30,
            lambda: manager_client.delete(f"{PRODUCTS}{created.json()['id']}/"),
        ).status_code
        == 204
    )


@pytest.mark.parametrize(
    ("path", "body", "budget"),
    [
        ("product-types/", {"slug": "new", "attributes": [{"attribute": "colour"}]}, 20),
        (
            "attributes/",
            {"slug": "new", "input_type": "choice", "choices": [{"slug": "a"}, {"slug": "b"}]},
            20,
        ),
        ("categories/", {"name": "New"}, 20),
        ("collections/", {"name": "New"}, 20),
        ("tax-classes/", {"slug": "new", "name": "New"}, 15),
    ],
)
def test_group_writes_cost_a_fixed_number_of_queries(
    manager_client, staff, path, body, budget, django_assert_max_num_queries
):
    created = costs(
        django_assert_max_num_queries,
        budget,
        lambda: manager_client.post(f"{BASE}{path}", body, content_type=JSON),
    )
    assert created.status_code == 201, created.content
    item = f"{BASE}{path}{created.json()['id']}/"
    changed = costs(
        django_assert_max_num_queries,
        budget,
        lambda: manager_client.patch(item, {"translations": {"ru": {"name": "Новое"}}}, content_type=JSON),
    )
    assert changed.status_code == 200, changed.content
    assert (
        costs(django_assert_max_num_queries, budget, lambda: manager_client.delete(item)).status_code == 204
    )


def test_changing_the_shop_settings_costs_a_fixed_number_of_queries(
    manager_client, django_assert_max_num_queries
):
    manager_client.get(f"{BASE}settings/")  # the host's route and modules, read by a first request
    answer = costs(
        django_assert_max_num_queries,
        12,
        lambda: manager_client.patch(f"{BASE}settings/", {"currencies": ["EUR"]}, content_type=JSON),
    )
    assert answer.json()["currencies"] == ["EUR"]
