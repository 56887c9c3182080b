"""The access matrix of the inventory (tests/access_matrix.py): every REST route of
/api/v1/inventory/. Managers, admins and the owner see stock (`inventory.view_stock`) and change
it (`inventory.manage_stock`); nobody else reaches any of it. Reservations have no route."""

from __future__ import annotations

from apps.accounts.models import Role
from tests.access_matrix import ADMINS, SECRET, On, rest
from tests.inventory.factories import StockLocationFactory, VariantFactory, stock

MANAGERS = ADMINS | {Role.MANAGER.value}
VIEW = "inventory.view_stock"
MANAGE = "inventory.manage_stock"
BASE = "/api/v1/inventory/"


def build(world) -> None:
    """A location with a variant's stock (5), and a location that never held any."""
    location = StockLocationFactory(name_en="Matrix depot")
    variant = VariantFactory()
    stock(variant, location, 5, actor=world.users[Role.MANAGER])
    world.add("inventory:location", location)
    world.add("inventory:empty_location", StockLocationFactory(name_en="Matrix spare"))
    world.add("inventory:variant", variant, variant_id=variant.pk, location=location.pk)


def build_foreign() -> None:
    """The other site's location and stock, which no answer here may show."""
    location = StockLocationFactory(name_en=SECRET)
    stock(VariantFactory(sku="BETA-ONLY"), location, 1)


def _change(world, refs) -> dict:
    return {
        "variant": world.refs["inventory:variant"]["pk"],
        "location": world.refs["inventory:location"]["pk"],
        "delta": 2,
        "reason": "received",
    }


def _count(world, refs) -> dict:
    return {
        "variant": world.refs["inventory:variant"]["pk"],
        "location": world.refs["inventory:location"]["pk"],
        "on_hand": 3,
    }


LOCATION = f"{BASE}locations/{{pk}}/"

ENTRIES = [
    rest(f"GET {BASE}locations/", VIEW, On("all", MANAGERS)),
    rest(f"POST {BASE}locations/", MANAGE, On("new", MANAGERS, body={"name": "New"}), status=201),
    rest(f"GET {LOCATION}", VIEW, On("location", MANAGERS, obj="inventory:location")),
    rest(
        f"PATCH {LOCATION}", MANAGE, On("location", MANAGERS, obj="inventory:location", body={"priority": 3})
    ),
    rest(f"DELETE {LOCATION}", MANAGE, On("empty", MANAGERS, obj="inventory:empty_location")),
    rest(f"GET {BASE}stock/", VIEW, On("all", MANAGERS)),
    rest(f"GET {BASE}movements/", VIEW, On("all", MANAGERS)),
    rest(f"GET {BASE}low-stock/", VIEW, On("all", MANAGERS)),
    rest(f"POST {BASE}adjustments/", MANAGE, On("new", MANAGERS, body=_change), status=201),
    rest(f"POST {BASE}counts/", MANAGE, On("new", MANAGERS, body=_count), status=201),
    rest(
        f"PUT {BASE}thresholds/{{variant_id}}/",
        MANAGE,
        On("variant", MANAGERS, obj="inventory:variant", body={"threshold": 2}),
    ),
]
