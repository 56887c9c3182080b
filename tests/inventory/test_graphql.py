"""The inventory over GraphQL: managers read and change stock, shoppers see only whether a
variant is in stock, refusals name their fields and write nothing, the module switched off."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from apps.catalog.models import Variant
from apps.core import services as core
from apps.inventory.models import StockLevel, StockMovement
from tests.accounts.factories import UserFactory
from tests.conftest import signed_in
from tests.inventory.factories import ManagerFactory, StockLocationFactory, VariantFactory, stock

pytestmark = pytest.mark.django_db

LEVELS = """query($variant: ID, $location: ID, $low: Boolean) {
  stockLevels(variant: $variant, location: $location, low: $low) {
    onHand reserved available threshold low variant { sku } location { name } } }"""
MOVEMENTS = """query($variant: ID, $first: Int, $after: String, $reason: StockReason) {
  stockMovements(variant: $variant, first: $first, after: $after, reason: $reason) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { reason deltaOnHand onHandAfter sku note location { name } variant { sku } } } } }"""
ADJUST = """mutation($variant: ID!, $location: ID!, $delta: Int!, $reason: StockAdjustReason!) {
  stockAdjust(variantId: $variant, locationId: $location, delta: $delta, reason: $reason, note: "delivery") {
    level { onHand available } } }"""
COUNT = """mutation($variant: ID!, $location: ID!, $onHand: Int!) {
  stockCount(variantId: $variant, locationId: $location, onHand: $onHand) { level { onHand } } }"""
THRESHOLD = """mutation($variant: ID!, $threshold: Int) {
  stockThresholdSet(variantId: $variant, threshold: $threshold) { threshold low } }"""
LOCATION_CREATE = """mutation($input: StockLocationInput!) {
  stockLocationCreate(input: $input) { location { id name country priority isActive } } }"""


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


@pytest.fixture
def store(tenant_a):
    """A variant with 5 on hand at a warehouse."""
    with schema_context("alpha"):
        manager = ManagerFactory()
        location = StockLocationFactory(name_en="Warehouse")
        variant = VariantFactory(sku="TEE-1")
        stock(variant, location, 5, actor=manager)
    return {"manager": manager, "location": location, "variant": variant}


@pytest.fixture
def as_manager(tenant_a, store):
    return signed_in(tenant_a, store["manager"])


def test_a_manager_reads_levels_and_the_history(as_manager, store):
    levels = data(as_manager, LEVELS, variant=store["variant"].pk)["stockLevels"]
    assert levels == [
        {
            "onHand": 5,
            "reserved": 0,
            "available": 5,
            "threshold": None,
            "low": False,
            "variant": {"sku": "TEE-1"},
            "location": {"name": "Warehouse"},
        }
    ]
    movements = data(as_manager, MOVEMENTS, variant=store["variant"].pk)["stockMovements"]
    assert movements["totalCount"] == 1
    assert movements["edges"][0]["node"]["reason"] == "RECEIVED"


def test_a_manager_adjusts_counts_and_sets_a_threshold(as_manager, store):
    ids = {"variant": store["variant"].pk, "location": store["location"].pk}
    adjusted = data(as_manager, ADJUST, **ids, delta=-2, reason="DAMAGED")["stockAdjust"]["level"]
    assert adjusted == {"onHand": 3, "available": 3}
    assert data(as_manager, COUNT, **ids, onHand=9)["stockCount"]["level"] == {"onHand": 9}
    alert = data(as_manager, THRESHOLD, variant=store["variant"].pk, threshold=10)["stockThresholdSet"]
    assert alert == {"threshold": 10, "low": True}
    assert [level["low"] for level in data(as_manager, LEVELS, low=True)["stockLevels"]] == [True]
    history = data(as_manager, MOVEMENTS, variant=store["variant"].pk, first=2)["stockMovements"]
    assert history["totalCount"] == 3 and history["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["reason"] for e in history["edges"]] == ["COUNTED", "DAMAGED"]
    assert history["edges"][1]["node"]["note"] == "delivery"
    assert data(as_manager, MOVEMENTS, reason="COUNTED")["stockMovements"]["totalCount"] == 1


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        ({"delta": 3, "reason": "DAMAGED"}, "INVALID", "delta"),
        ({"delta": 0, "reason": "CORRECTION"}, "INVALID", "delta"),
        ({"delta": -9, "reason": "CORRECTION"}, "CONFLICT", None),
    ],
)
def test_a_refused_adjustment_names_its_field_and_writes_nothing(as_manager, store, variables, code, field):
    ids = {"variant": store["variant"].pk, "location": store["location"].pk}
    body = ask(as_manager, ADJUST, **ids, **variables)
    [error] = body["errors"]
    assert error["extensions"]["code"] == code
    if field:
        assert list(error["extensions"]["fields"]) == [field]
    else:
        assert error["extensions"]["reason"] == "insufficient_stock"
    with schema_context("alpha"):
        assert StockLevel.objects.get().on_hand == 5
        assert StockMovement.objects.count() == 1


def test_a_location_with_a_bad_country_is_invalid_and_not_written(as_manager, store):
    body = ask(
        as_manager,
        LOCATION_CREATE,
        input={"translations": [{"language": "en", "name": "Annex"}], "country": "XX", "priority": -1},
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "INVALID"
    assert set(error["extensions"]["fields"]) == {"country", "priority"}
    made = data(
        as_manager,
        LOCATION_CREATE,
        input={"translations": [{"language": "en", "name": "Annex"}], "country": "fr"},
    )["stockLocationCreate"]["location"]
    assert made["name"] == "Annex" and made["country"] == "FR" and made["isActive"] is True


def test_another_sites_variant_is_not_found(as_manager, store):
    with schema_context("alpha"):
        taken = set(Variant.objects.values_list("pk", flat=True))
    with schema_context("beta"):
        foreign = VariantFactory()
        while foreign.pk in taken:  # ids of two sites may meet: take one that is only the other's
            foreign = VariantFactory()
    body = ask(as_manager, COUNT, variant=foreign.pk, location=store["location"].pk, onHand=1)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "NOT_FOUND" and error["extensions"]["field"] == "variantId"
    assert data(as_manager, LEVELS, variant=foreign.pk)["stockLevels"] == []


def test_shoppers_and_editors_cannot_read_stock(tenant_a, client_a, store):
    with schema_context("alpha"):
        customer = UserFactory(role="customer")
    body = ask(client_a, LEVELS)
    assert body["errors"][0]["extensions"]["code"] == "NOT_AUTHENTICATED"
    body = ask(signed_in(tenant_a, customer), LEVELS)
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert body["data"] == {"stockLevels": None}


def test_root_fields_answer_module_disabled_while_inventory_is_off(as_manager, tenant_a, store):
    core.set_module_enabled(tenant=tenant_a, module="orders", enabled=False)  # it needs inventory
    core.set_module_enabled(tenant=tenant_a, module="inventory", enabled=False)
    body = ask(as_manager, "{ site { slug } stockLocations { id } }")
    assert body["data"] == {"site": {"slug": "alpha"}, "stockLocations": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["MODULE_DISABLED"]
