"""The access matrix of the orders module (tests/access_matrix.py): its REST routes under
/api/v1/orders/.

The shop's configuration (what apps/orders/rules.py says): managers, admins and the owner read
and write the shipping zones and methods (`orders.manage_shipping`), the tax rates
(`orders.manage_taxes`), the vouchers (`orders.manage_vouchers`) and the order settings
(`orders.manage_order_settings`); nobody else reaches any of it, and the other site's never
shows. The GraphQL entries are in `access_graphql.py`.
"""

from __future__ import annotations

from decimal import Decimal

from apps.accounts.models import Role
from tests.access_matrix import ADMINS, SECRET, On, rest
from tests.orders.factories import (
    ShippingMethodFactory,
    ShippingZoneFactory,
    TaxRateFactory,
    VoucherFactory,
    WeightRateFactory,
)

MANAGERS = ADMINS | {Role.MANAGER.value}
SHIPPING = "orders.manage_shipping"
TAXES = "orders.manage_taxes"
VOUCHERS = "orders.manage_vouchers"
SETTINGS = "orders.manage_order_settings"
BASE = "/api/v1/orders/"


def build(world) -> None:
    """A zone (Germany) with a weight-priced method and its bracket, a standard tax rate, an
    unused voucher."""
    zone = ShippingZoneFactory(name_en="Matrix zone", countries=["DE"])
    method = WeightRateFactory(method__zone=zone, method__name_en="Matrix parcel").method
    world.add("orders:zone", zone)
    world.add("orders:method", method, zone=zone.pk)
    world.add("orders:tax_rate", TaxRateFactory(country="DE", name="Matrix VAT"))
    world.add("orders:voucher", VoucherFactory(code="MATRIX10"))


def build_foreign() -> None:
    """The other site's configuration, which no answer here may show."""
    zone = ShippingZoneFactory(name_en=SECRET, name_ru=SECRET, countries=["FR"])
    ShippingMethodFactory(zone=zone, name_en=SECRET, name_ru=SECRET)
    TaxRateFactory(country="FR", name=SECRET, rate=Decimal(20))
    VoucherFactory(code="BETA10", name_en=SECRET, name_ru=SECRET)


def _on(name: str, body=None) -> On:
    return On(name.split(":", 1)[1], MANAGERS, obj=name, body=body)


def _new_method(world, refs) -> dict:
    return {"zone": world.refs["orders:zone"]["pk"], "name": "Express", "price": 990}


ZONE = f"{BASE}shipping-zones/{{pk}}/"
METHOD = f"{BASE}shipping-methods/{{pk}}/"
RATE = f"{BASE}tax-rates/{{pk}}/"
VOUCHER = f"{BASE}vouchers/{{pk}}/"
BRACKETS = {"weight_rates": [{"up_to_grams": 2000, "price": 690}]}

ENTRIES = [
    rest(f"GET {BASE}shipping-zones/", SHIPPING, On("all", MANAGERS)),
    rest(
        f"POST {BASE}shipping-zones/",
        SHIPPING,
        On("new", MANAGERS, body={"name": "Alps", "countries": ["AT", "CH"]}),
        status=201,
    ),
    rest(f"GET {ZONE}", SHIPPING, _on("orders:zone")),
    rest(f"PATCH {ZONE}", SHIPPING, _on("orders:zone", {"name": "Germany", "position": 2})),
    rest(f"DELETE {ZONE}", SHIPPING, _on("orders:zone")),
    rest(f"GET {BASE}shipping-methods/", SHIPPING, On("all", MANAGERS)),
    rest(f"POST {BASE}shipping-methods/", SHIPPING, On("new", MANAGERS, body=_new_method), status=201),
    rest(f"GET {METHOD}", SHIPPING, _on("orders:method")),
    rest(f"PATCH {METHOD}", SHIPPING, _on("orders:method", BRACKETS)),
    rest(f"DELETE {METHOD}", SHIPPING, _on("orders:method")),
    rest(f"GET {BASE}tax-rates/", TAXES, On("all", MANAGERS)),
    rest(
        f"POST {BASE}tax-rates/",
        TAXES,
        On("new", MANAGERS, body={"country": "AT", "rate": "20", "name": "USt 20%"}),
        status=201,
    ),
    rest(f"GET {RATE}", TAXES, _on("orders:tax_rate")),
    rest(f"PATCH {RATE}", TAXES, _on("orders:tax_rate", {"rate": "19.5"})),
    rest(f"DELETE {RATE}", TAXES, _on("orders:tax_rate")),
    rest(f"GET {BASE}vouchers/", VOUCHERS, On("all", MANAGERS)),
    rest(
        f"POST {BASE}vouchers/",
        VOUCHERS,
        On("new", MANAGERS, body={"code": "NEW5", "percent": "5"}),
        status=201,
    ),
    rest(f"GET {VOUCHER}", VOUCHERS, _on("orders:voucher")),
    rest(f"PATCH {VOUCHER}", VOUCHERS, _on("orders:voucher", {"is_active": False})),
    rest(f"DELETE {VOUCHER}", VOUCHERS, _on("orders:voucher")),
    rest(f"GET {BASE}settings/", SETTINGS, On("all", MANAGERS)),
    rest(f"PATCH {BASE}settings/", SETTINGS, On("all", MANAGERS, body={"reservation_minutes": 20})),
]
