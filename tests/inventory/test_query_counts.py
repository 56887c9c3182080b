"""Query counts of the inventory's REST lists (flat in their length) and of every write."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.inventory import services
from tests.catalog.test_query_counts import warm
from tests.conftest import ALPHA_HOST, bearer
from tests.inventory.factories import ManagerFactory, StockLocationFactory, VariantFactory, stock
from tests.queries import costs, flat

pytestmark = pytest.mark.django_db

BASE = "/api/v1/inventory/"
JSON = "application/json"


def results(response) -> int:
    assert response.status_code == 200, response.content
    return len(response.json()["results"])


@pytest.fixture
def keeper(tenant_a):
    with schema_context("alpha"):
        return {"actor": ManagerFactory(), "location": StockLocationFactory()}


@pytest.fixture
def client(tenant_a, keeper) -> Client:
    return Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, keeper["actor"]))


def add_stock(keeper, count: int) -> None:
    """`count` variants with stock, each low (threshold above what it has)."""
    with schema_context("alpha"):
        for _n in range(count):
            variant = VariantFactory()
            stock(variant, keeper["location"], 2, actor=keeper["actor"])
            services.set_threshold(actor=keeper["actor"], variant=variant, threshold=5)
            StockLocationFactory()


@pytest.mark.parametrize(
    ("path", "budget"), [("stock/", 4), ("movements/", 4), ("low-stock/", 6), ("locations/", 4)]
)
def test_the_inventory_lists_cost_the_same_for_few_and_many(
    client, keeper, path, budget, django_assert_max_num_queries
):
    add_stock(keeper, 2)
    # routing, the token's user, the count, the page (low stock: and what is available)
    flat(
        django_assert_max_num_queries,
        budget,
        ask=(ask := lambda: client.get(f"{BASE}{path}", {"limit": 100})),
        grow=warm(lambda: add_stock(keeper, 10), ask),
        size=results,
    )


def test_stock_writes_cost_a_fixed_number_of_queries(client, keeper, django_assert_max_num_queries):
    with schema_context("alpha"):
        variant = VariantFactory()
    where = {"variant": variant.pk, "location": keeper["location"].pk}
    adjusted = costs(
        django_assert_max_num_queries,
        25,
        lambda: client.post(
            f"{BASE}adjustments/", {**where, "delta": 4, "reason": "received"}, content_type=JSON
        ),
    )
    assert adjusted.status_code == 201, adjusted.content
    counted = costs(
        django_assert_max_num_queries,
        25,
        lambda: client.post(f"{BASE}counts/", {**where, "on_hand": 3}, content_type=JSON),
    )
    assert counted.status_code == 201, counted.content
    threshold = costs(
        django_assert_max_num_queries,
        20,
        lambda: client.put(f"{BASE}thresholds/{variant.pk}/", {"threshold": 3}, content_type=JSON),
    )
    assert threshold.json()["is_low"] is True


def test_location_writes_cost_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    created = costs(
        django_assert_max_num_queries,
        10,
        lambda: client.post(f"{BASE}locations/", {"name": "New", "country": "DE"}, content_type=JSON),
    )
    assert created.status_code == 201, created.content
    item = f"{BASE}locations/{created.json()['id']}/"
    changed = costs(
        django_assert_max_num_queries, 10, lambda: client.patch(item, {"priority": 4}, content_type=JSON)
    )
    assert changed.status_code == 200, changed.content
    assert costs(django_assert_max_num_queries, 14, lambda: client.delete(item)).status_code == 204
