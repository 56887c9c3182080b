"""Inventory in the tenant admin: stock per variant and location with its adjust and count form,
thresholds and the low-stock list, locations, and the read-only movements and reservations."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django_tenants.utils import schema_context

from apps.core.services import set_module_enabled
from apps.inventory import services
from apps.inventory.models import StockAlert, StockLevel, StockLocation, StockMovement
from tests.accounts.factories import EditorFactory
from tests.catalog.factories import make_product, make_product_type
from tests.conftest import admin_session
from tests.inventory.factories import ManagerFactory, StockLocationFactory, stock

pytestmark = pytest.mark.django_db

LEVELS = "/admin/inventory/stocklevel/"
ALERTS = "/admin/inventory/stockalert/"


@pytest.fixture
def people(tenant_a):
    with schema_context("alpha"):
        return {"manager": ManagerFactory(), "editor": EditorFactory()}


@pytest.fixture
def as_(people):
    return lambda who: admin_session(people[who])


@pytest.fixture
def shelf(people):
    """A variant with 10 units at a warehouse, 3 of them reserved."""
    with schema_context("alpha"):
        variant = make_product(actor=people["manager"], name="Tea").variants.get()
        warehouse = StockLocationFactory(name_en="Warehouse")
        level = stock(variant, warehouse, 10, actor=people["manager"])
        services.reserve(lines=[(variant.pk, 3)], owner="checkout:1", ttl=timedelta(minutes=15))
        level.refresh_from_db()
        return variant, warehouse, level


def text(response) -> str:
    return html.unescape(response.content.decode())


def change(**fields) -> dict:
    return {"operation": "adjust", "delta": "", "reason": "received", "counted": "", "note": "", **fields}


def test_the_stock_list_shows_on_hand_reserved_and_available(as_, shelf):
    listing = as_("manager").get(LEVELS)
    assert listing.status_code == 200
    (row,) = listing.context["cl"].result_list
    assert (row.on_hand, row.reserved, row.available) == (10, 3, 7)
    assert "Warehouse" in text(listing)


@pytest.mark.parametrize("count", [5, 30])
def test_the_stock_list_costs_the_same_for_5_and_30_rows(as_, people, count, django_assert_max_num_queries):
    with schema_context("alpha"):
        product_type = make_product_type(actor=people["manager"])
        warehouse = StockLocationFactory()
        for number in range(count):
            variant = make_product(actor=people["manager"], name=f"P{number}", product_type=product_type)
            stock(variant.variants.get(), warehouse, number + 1, actor=people["manager"])
    manager = as_("manager")
    manager.get(LEVELS)
    with django_assert_max_num_queries(12):
        response = manager.get(LEVELS)
    assert len(response.context["cl"].result_list) == count


def test_the_adjust_form_goes_through_the_service(as_, shelf, people):
    _variant, _warehouse, level = shelf
    response = as_("manager").post(
        f"{LEVELS}{level.pk}/change/", change(delta="5", reason="received", note="Delivery 42")
    )
    assert response.status_code == 302, text(response)[:3000]
    with schema_context("alpha"):
        level.refresh_from_db()
        assert level.on_hand == 15
        movement = StockMovement.objects.filter(reason="received").latest("id")
        assert (movement.delta_on_hand, movement.note, movement.actor) == (
            5,
            "Delivery 42",
            people["manager"],
        )


def test_removing_more_than_is_free_is_refused_and_nothing_is_written(as_, shelf):
    _variant, _warehouse, level = shelf
    response = as_("manager").post(f"{LEVELS}{level.pk}/change/", change(delta="-9", reason="damaged"))
    assert response.status_code == 200
    assert "3 of this stock are reserved" in text(response)
    with schema_context("alpha"):
        level.refresh_from_db()
        assert level.on_hand == 10
        assert not StockMovement.objects.filter(reason="damaged").exists()


def test_a_delta_of_the_wrong_sign_is_refused_on_its_field(as_, shelf):
    _variant, _warehouse, level = shelf
    response = as_("manager").post(f"{LEVELS}{level.pk}/change/", change(delta="2", reason="damaged"))
    assert response.context["adminform"].form.errors["delta"] == ["Must be negative for 'damaged'."]


def test_a_count_sets_what_is_on_hand(as_, shelf):
    _variant, _warehouse, level = shelf
    response = as_("manager").post(f"{LEVELS}{level.pk}/change/", change(operation="count", counted="8"))
    assert response.status_code == 302, text(response)[:3000]
    with schema_context("alpha"):
        level.refresh_from_db()
        assert level.on_hand == 8
        assert StockMovement.objects.filter(reason="counted", delta_on_hand=-2).exists()
    refused = as_("manager").post(f"{LEVELS}{level.pk}/change/", change(operation="count", counted="-1"))
    assert refused.context["adminform"].form.errors["counted"] == ["Must be at least 0."]


def test_stock_comes_to_a_new_location_through_the_add_form(as_, shelf):
    variant, _warehouse, _level = shelf
    with schema_context("alpha"):
        shop = StockLocationFactory(name_en="Shop")
    response = as_("manager").post(
        f"{LEVELS}add/", change(variant=str(variant.pk), location=str(shop.pk), delta="4")
    )
    assert response.status_code == 302, text(response)[:3000]
    with schema_context("alpha"):
        assert StockLevel.objects.get(variant=variant, location=shop).on_hand == 4


def test_movements_and_reservations_are_read_only(as_, shelf):
    manager = as_("manager")
    with schema_context("alpha"):
        movement = StockMovement.objects.first()
    listing = manager.get("/admin/inventory/stockmovement/")
    assert listing.status_code == 200 and "received" in text(listing).lower()
    assert manager.get("/admin/inventory/stockmovement/add/").status_code == 403
    page = text(manager.get(f"/admin/inventory/stockmovement/{movement.pk}/change/"))
    assert 'name="_save"' not in page
    assert (
        manager.post(f"/admin/inventory/stockmovement/{movement.pk}/change/", {"note": "x"}).status_code
        == 403
    )
    assert (
        manager.post(f"/admin/inventory/stockmovement/{movement.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert manager.get("/admin/inventory/reservation/").status_code == 200
    assert manager.get("/admin/inventory/reservation/add/").status_code == 403


def test_thresholds_are_set_through_the_service_and_the_low_stock_list_shows_them(as_, shelf):
    variant, _warehouse, _level = shelf
    manager = as_("manager")
    response = manager.post(f"{ALERTS}add/", {"variant": str(variant.pk), "threshold": "7"})
    assert response.status_code == 302, text(response)[:3000]
    with schema_context("alpha"):
        alert = StockAlert.objects.get(variant=variant)
        assert (alert.threshold, alert.is_low) == (7, True)
    low = manager.get(ALERTS, {"low": "yes"}).context["cl"].result_list
    assert [a.variant_id for a in low] == [variant.pk]
    low_levels = manager.get(LEVELS, {"low": "yes"}).context["cl"].result_list
    assert [level.variant_id for level in low_levels] == [variant.pk]
    dashboard = text(manager.get("/admin/"))
    assert 'id="panel-low-stock"' in dashboard and "7 available, threshold 7" in dashboard

    manager.post(f"{ALERTS}{alert.pk}/change/", {"threshold": "2"})
    assert list(manager.get(ALERTS, {"low": "yes"}).context["cl"].result_list) == []
    refused = manager.post(f"{ALERTS}{alert.pk}/change/", {"threshold": "-1"})
    assert "threshold" in refused.context["adminform"].form.errors


def test_a_location_is_made_and_a_bad_country_is_refused_on_its_field(as_):
    data = {
        "name_en": "Depot",
        "name_ru": "",
        "address_line1": "",
        "address_line2": "",
        "city": "Berlin",
        "postal_code": "",
        "country": "XX",
        "priority": "1",
        "is_active": "on",
    }
    manager = as_("manager")
    refused = manager.post("/admin/inventory/stocklocation/add/", data)
    assert refused.context["adminform"].form.errors["country"] == [
        "Must be an ISO 3166 alpha-2 country code, such as DE."
    ]
    with schema_context("alpha"):
        assert not StockLocation.objects.exists()
    response = manager.post("/admin/inventory/stocklocation/add/", {**data, "country": "de"})
    assert response.status_code == 302, text(response)[:3000]
    with schema_context("alpha"):
        assert StockLocation.objects.get().country == "DE"


def test_an_editor_may_not_see_stock(as_, shelf):
    editor = as_("editor")
    assert editor.get(LEVELS).status_code == 403
    assert editor.get("/admin/inventory/stockmovement/").status_code == 403


def test_inventory_switched_off_leaves_the_shop_and_its_pages_answer_404(as_, shelf, tenant_a):
    _variant, _warehouse, level = shelf
    manager = as_("manager")
    set_module_enabled(tenant=tenant_a, module="orders", enabled=False)  # it needs inventory
    set_module_enabled(tenant=tenant_a, module="inventory", enabled=False)
    for url in (LEVELS, f"{LEVELS}{level.pk}/change/", ALERTS, "/admin/inventory/stockmovement/"):
        assert manager.get(url).status_code == 404, url
    response = manager.post(f"{LEVELS}{level.pk}/change/", change(delta="5"))
    assert response.status_code == 404
    with schema_context("alpha"):
        level.refresh_from_db()
        assert level.on_hand == 10
    assert 'id="panel-low-stock"' not in text(manager.get("/admin/"))


# --- the catalogue's variant page ------------------------------------------------------------------


def test_the_variant_page_shows_its_stock_per_location(as_, shelf):
    variant = shelf[0]
    with schema_context("alpha"):
        shop = StockLocationFactory(name_en="Shop floor")
        stock(variant, shop, 4, actor=ManagerFactory())
    page = text(as_("manager").get(f"/admin/catalog/variant/{variant.pk}/change/"))
    assert 'id="panel-stock"' in page and "Stock per location" in page
    assert "<td>Warehouse</td><td>10</td><td>3</td><td>7</td>" in page
    assert "<td>Shop floor</td><td>4</td><td>0</td><td>4</td>" in page


def test_the_stock_panel_leaves_with_the_inventory_module(as_, shelf, tenant_a):
    variant = shelf[0]
    set_module_enabled(tenant=tenant_a, module="orders", enabled=False)  # it needs inventory
    set_module_enabled(tenant=tenant_a, module="inventory", enabled=False)
    response = as_("manager").get(f"/admin/catalog/variant/{variant.pk}/change/")
    assert response.status_code == 200 and 'id="panel-stock"' not in text(response)


def test_the_stock_panel_costs_the_same_for_one_location_and_five(as_, shelf):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    variant = shelf[0]
    manager = as_("manager")
    url = f"/admin/catalog/variant/{variant.pk}/change/"
    manager.get(url)
    with CaptureQueriesContext(connection) as one:
        manager.get(url)
    with schema_context("alpha"):
        actor = ManagerFactory()
        for number in range(4):
            stock(variant, StockLocationFactory(name_en=f"Shop {number}"), 1, actor=actor)
    manager.get(url)  # the connection back on the site's schema after the writes, as before `one`
    with CaptureQueriesContext(connection) as five:
        page = text(manager.get(url))
    assert page.count("<td>Shop ") == 4
    assert len(five) == len(one)
