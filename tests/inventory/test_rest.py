"""REST: /api/v1/inventory/ as managers and admins keep stock, and what everyone else gets."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from apps.core.services import set_module_enabled
from apps.events.models import OutboxEvent
from apps.inventory.models import StockLevel, StockLocation, StockMovement
from tests.accounts.factories import EditorFactory, UserFactory
from tests.conftest import problem_of, signed_in
from tests.inventory.factories import ManagerFactory, StockLocationFactory, VariantFactory, stock

pytestmark = pytest.mark.django_db

BASE = "/api/v1/inventory/"
JSON = "application/json"


@pytest.fixture
def people(tenant_a):
    with schema_context("alpha"):
        return {"manager": ManagerFactory(), "customer": UserFactory(), "editor": EditorFactory()}


@pytest.fixture
def as_(tenant_a, people):
    return lambda who: signed_in(tenant_a, people[who])


@pytest.fixture
def shelf(people):
    """Two locations; a variant with 5 at the first and 2 at the second, threshold 3."""
    with schema_context("alpha"):
        main, spare = StockLocationFactory(name_en="Main"), StockLocationFactory(name_en="Spare", priority=1)
        variant, other = VariantFactory(), VariantFactory()
        stock(variant, main, 5, actor=people["manager"])
        stock(variant, spare, 2, actor=people["manager"])
        stock(other, main, 9, actor=people["manager"])
    return {"main": main, "spare": spare, "variant": variant, "other": other}


def fields_of(response) -> set[str]:
    return {error["field"] for error in problem_of(response)["errors"]}


def levels() -> list[tuple]:
    with schema_context("alpha"):
        return list(StockLevel.objects.values_list("variant_id", "location_id", "on_hand", "reserved"))


def test_a_manager_creates_changes_and_deletes_a_location(as_):
    manager = as_("manager")
    made = manager.post(
        f"{BASE}locations/",
        {"name": "Berlin", "translations": {"ru": {"name": "Берлин"}}, "country": "de", "priority": 2},
        content_type=JSON,
    )
    assert made.status_code == 201, made.content
    location = made.json()
    assert (location["country"], location["translations"]["ru"]["name"]) == ("DE", "Берлин")
    changed = manager.patch(f"{BASE}locations/{location['id']}/", {"is_active": False}, content_type=JSON)
    assert changed.json()["is_active"] is False
    assert manager.delete(f"{BASE}locations/{location['id']}/").status_code == 204


def test_a_location_with_stock_is_kept(as_, shelf):
    body = problem_of(as_("manager").delete(f"{BASE}locations/{shelf['main'].pk}/"), 409)
    assert body["reason"] == "in_use"


def test_bad_location_input_names_each_field_and_writes_nothing(as_):
    manager = as_("manager")
    cases = [
        ({"name": "X", "country": "XX"}, "country"),
        ({"name": " "}, "name"),
        ({"name": "X", "priority": -1}, "priority"),
        ({"name": "X", "priority": 1.5}, "priority"),
        ({"name": "X", "translations": {"de": {"name": "Y"}}}, "translations"),
        ({"name": "X", "colour": "red"}, "colour"),
    ]
    for payload, field in cases:
        assert field in fields_of(manager.post(f"{BASE}locations/", payload, content_type=JSON)), payload
    with schema_context("alpha"):
        assert not StockLocation.objects.exists()


def test_stock_levels_are_listed_and_filtered(as_, shelf):
    manager = as_("manager")
    variant, main = shelf["variant"], shelf["main"]
    rows = manager.get(f"{BASE}stock/", {"variant": variant.pk}).json()["results"]
    assert sorted((r["location"], r["on_hand"], r["available"]) for r in rows) == sorted(
        [(main.pk, 5, 5), (shelf["spare"].pk, 2, 2)]
    )
    assert len(manager.get(f"{BASE}stock/", {"location": main.pk}).json()["results"]) == 2
    assert manager.get(f"{BASE}stock/", {"low": "true"}).json()["count"] == 0
    manager.put(f"{BASE}thresholds/{variant.pk}/", {"threshold": 7}, content_type=JSON)
    low = manager.get(f"{BASE}stock/", {"low": "true"}).json()["results"]
    assert {r["variant"] for r in low} == {variant.pk}
    assert fields_of(manager.get(f"{BASE}stock/", {"variant": "x"})) == {"variant"}


def test_adjustments_and_counts_change_stock_and_write_the_history(as_, shelf):
    manager = as_("manager")
    variant, main = shelf["variant"], shelf["main"]
    added = manager.post(
        f"{BASE}adjustments/",
        {"variant": variant.pk, "location": main.pk, "delta": 3, "reason": "received", "note": "Delivery"},
        content_type=JSON,
    )
    assert added.status_code == 201, added.content
    assert (added.json()["on_hand"], added.json()["available"]) == (8, 8)
    counted = manager.post(
        f"{BASE}counts/", {"variant": variant.pk, "location": main.pk, "on_hand": 6}, content_type=JSON
    )
    assert counted.json()["on_hand"] == 6
    history = manager.get(f"{BASE}movements/", {"variant": variant.pk, "location": main.pk}).json()["results"]
    assert [(m["reason"], m["delta_on_hand"], m["on_hand_after"]) for m in history] == [
        ("counted", -2, 6),
        ("received", 3, 8),
        ("received", 5, 5),
    ]
    assert history[1]["note"] == "Delivery"
    assert manager.get(f"{BASE}movements/", {"reason": "counted"}).json()["count"] == 1
    assert fields_of(manager.get(f"{BASE}movements/", {"reason": "stolen"})) == {"reason"}


def test_bad_stock_input_names_each_field_and_writes_nothing(as_, shelf):
    manager = as_("manager")
    variant, main = shelf["variant"].pk, shelf["main"].pk
    before = levels()
    with schema_context("alpha"):
        movements, events = StockMovement.objects.count(), OutboxEvent.objects.count()
    adjustments = [
        ({"variant": variant, "location": main, "delta": 1.5, "reason": "received"}, "delta"),
        ({"variant": variant, "location": main, "delta": "3", "reason": "received"}, "delta"),
        ({"variant": variant, "location": main, "delta": -3, "reason": "received"}, "delta"),
        ({"variant": variant, "location": main, "delta": 0, "reason": "correction"}, "delta"),
        ({"variant": variant, "location": main, "delta": 3, "reason": "sold"}, "reason"),
        ({"variant": 999999, "location": main, "delta": 3, "reason": "received"}, "variant"),
        ({"variant": variant, "location": 999999, "delta": 3, "reason": "received"}, "location"),
    ]
    for payload, field in adjustments:
        response = manager.post(f"{BASE}adjustments/", payload, content_type=JSON)
        assert field in fields_of(response), (payload, response.content)
    counts = [
        ({"variant": variant, "location": main, "on_hand": -1}, "on_hand"),
        ({"variant": variant, "location": main, "on_hand": 2.5}, "on_hand"),
        ({"variant": variant, "location": main}, "on_hand"),
    ]
    for payload, field in counts:
        assert field in fields_of(manager.post(f"{BASE}counts/", payload, content_type=JSON)), payload
    threshold = manager.put(f"{BASE}thresholds/{variant}/", {"threshold": -1}, content_type=JSON)
    assert fields_of(threshold) == {"threshold"}
    too_many = manager.post(
        f"{BASE}adjustments/",
        {"variant": variant, "location": main, "delta": -6, "reason": "damaged"},
        content_type=JSON,
    )
    assert problem_of(too_many, 409)["reason"] == "insufficient_stock"
    assert levels() == before
    with schema_context("alpha"):
        assert (StockMovement.objects.count(), OutboxEvent.objects.count()) == (movements, events)


def test_thresholds_and_the_low_stock_list(as_, shelf):
    manager = as_("manager")
    variant = shelf["variant"]
    answer = manager.put(f"{BASE}thresholds/{variant.pk}/", {"threshold": 7}, content_type=JSON)
    assert answer.json() == {"variant": variant.pk, "threshold": 7, "is_low": True}
    [low] = manager.get(f"{BASE}low-stock/").json()["results"]
    assert (low["variant"], low["sku"], low["available"], low["threshold"]) == (variant.pk, variant.sku, 7, 7)
    removed = manager.put(f"{BASE}thresholds/{variant.pk}/", {"threshold": None}, content_type=JSON)
    assert removed.json()["threshold"] is None
    assert manager.get(f"{BASE}low-stock/").json()["count"] == 0
    assert manager.put(f"{BASE}thresholds/999999/", {"threshold": 1}, content_type=JSON).status_code == 404


@pytest.mark.parametrize("who", ["customer", "editor"])
def test_stock_is_for_managers_and_admins_only(as_, shelf, who):
    client = as_(who)
    for path in ("stock/", "movements/", "locations/", "low-stock/"):
        assert problem_of(client.get(f"{BASE}{path}"), 403)["code"] == "permission_denied"
    refused = client.post(
        f"{BASE}adjustments/",
        {"variant": shelf["variant"].pk, "location": shelf["main"].pk, "delta": 1, "reason": "received"},
        content_type=JSON,
    )
    assert problem_of(refused, 403)["permission"] == "inventory.manage_stock"


def test_reservations_have_no_route(as_):
    assert problem_of(as_("manager").get(f"{BASE}reservations/"), 404)["code"] == "not_found"


def test_every_route_is_404_module_disabled_when_inventory_is_off(tenant_a, as_, shelf):
    set_module_enabled(tenant=tenant_a, module="orders", enabled=False)  # it needs inventory
    set_module_enabled(tenant=tenant_a, module="inventory", enabled=False)
    manager = as_("manager")
    for path in ("stock/", "movements/", f"locations/{shelf['main'].pk}/", "low-stock/"):
        body = problem_of(manager.get(f"{BASE}{path}"), 404)
        assert (body["code"], body["module"]) == ("module_disabled", "inventory")
    refused = manager.put(f"{BASE}thresholds/{shelf['variant'].pk}/", {"threshold": 1}, content_type=JSON)
    assert problem_of(refused, 404)["code"] == "module_disabled"


def test_another_sites_locations_are_not_found_here(tenant_b, as_):
    with schema_context("beta"):
        theirs = StockLocationFactory(name_en="Beta depot")
    manager = as_("manager")
    assert manager.get(f"{BASE}locations/{theirs.pk}/").status_code == 404
    assert "Beta depot" not in manager.get(f"{BASE}locations/").content.decode()
