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
from apps.orders import links, services
from rustok.permissions import PERSON, PUBLIC, SIGNED_IN
from tests.access_matrix import ADMINS, EVERYONE, SECRET, Hidden, On, rest
from tests.catalog.factories import make_product
from tests.inventory.factories import StockLocationFactory, stock
from tests.orders.conftest import GERMAN_ADDRESS as ADDRESS
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
CART = f"{BASE}carts/{{token}}/"
ORDER = f"{BASE}orders/{{number}}/"
VIEW_ORDERS = "orders.view_orders"
MANAGE_ORDERS = "orders.manage_orders"
CUSTOMER_AND_STAFF = MANAGERS | {Role.CUSTOMER.value}
CUSTOMER = frozenset({Role.CUSTOMER.value})
SAVED = f"{BASE}addresses/{{pk}}/"
# A saved address is its owner's alone: anyone else, staff included, is told it does not exist.
# API tokens are refused before it is looked at (an address book is a person's: PERSON), even
# one that may see every order (the scope the matrix gives its `token` persona here).
OWNERS_ONLY = Hidden(CUSTOMER, VIEW_ORDERS)


def build(world) -> None:
    """A zone (Germany) with a weight-priced method and its bracket, a standard tax rate, an
    unused voucher."""
    zone = ShippingZoneFactory(name_en="Matrix zone", countries=["DE"])
    method = WeightRateFactory(method__zone=zone, method__name_en="Matrix parcel").method
    world.add("orders:zone", zone)
    world.add("orders:method", method, zone=zone.pk)
    world.add("orders:tax_rate", TaxRateFactory(country="DE", name="Matrix VAT"))
    world.add("orders:voucher", VoucherFactory(code="MATRIX10"))
    _build_shop(world, method)


def _build_shop(world, method) -> None:
    """Carts and orders: a guest's cart ready to check out (paid by hand, so no provider is
    called inside the matrix's transaction), the customer persona's cart and order, and orders of
    a guest placed, paid and fulfilled, for the staff's actions."""
    keeper = world.users[Role.MANAGER.value]
    variant = make_product(actor=keeper, status="active").variants.get()
    stock(variant, StockLocationFactory(), 50, actor=keeper)

    def ready(customer=None, email="guest@alpha.test"):
        cart = services.create_cart(customer=customer)
        services.add_line(cart=cart, variant_id=variant.pk, quantity=2)
        return services.update_checkout(
            cart=cart,
            email=email,
            shipping_address=ADDRESS,
            shipping_method=method.pk,
            payment_provider="manual",
        )

    world.add("orders:guest_cart", ready(), token=None, variant=variant.pk)
    world.refs["orders:guest_cart"]["token"] = str(world.objects["orders:guest_cart"].token)
    world.refs["orders:guest_cart"]["line_id"] = world.objects["orders:guest_cart"].lines.get().pk
    customer = world.users[Role.CUSTOMER.value]
    own = services.checkout(cart=ready(customer, customer.email))
    world.add("orders:own", own, number=own.number)
    mine = ready(customer, customer.email)
    world.add("orders:customer_cart", mine, token=str(mine.token))
    placed = services.checkout(cart=ready())
    world.add("orders:placed", placed, number=placed.number, key=links.guest_key(placed))
    paid = services.mark_paid(order=services.checkout(cart=ready()), actor=keeper)
    world.add("orders:paid", paid, number=paid.number)
    fulfilled = services.mark_paid(order=services.checkout(cart=ready()), actor=keeper)
    services.fulfil(order=fulfilled, actor=keeper)
    world.add("orders:fulfilled", fulfilled, number=fulfilled.number)
    world.add("orders:address", services.create_address(customer=customer, address=ADDRESS))


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
    # --- carts and checkout: a guest's cart is reached by its token, by anyone holding it ---------
    rest(f"POST {BASE}carts/", PUBLIC, On("new", EVERYONE, body={}), status=201),
    rest(f"GET {BASE}carts/mine/", SIGNED_IN, On("self", EVERYONE)),
    rest(
        f"GET {CART}",
        PUBLIC,
        On("guest", EVERYONE, obj="orders:guest_cart"),
        On(
            "customers",
            CUSTOMER_AND_STAFF,
            obj="orders:customer_cart",
            hidden=Hidden(CUSTOMER_AND_STAFF, VIEW_ORDERS),
        ),
    ),
    rest(
        f"PATCH {CART}", PUBLIC, On("guest", EVERYONE, obj="orders:guest_cart", body={"note": "Ring twice"})
    ),
    rest(
        f"POST {CART}lines/",
        PUBLIC,
        On("guest", EVERYONE, obj="orders:guest_cart", body=lambda world, refs: {"variant": refs["variant"]}),
        status=201,
    ),
    rest(
        f"PATCH {CART}lines/{{line_id}}/",
        PUBLIC,
        On("guest", EVERYONE, obj="orders:guest_cart", body={"quantity": 1}),
    ),
    rest(f"DELETE {CART}lines/{{line_id}}/", PUBLIC, On("guest", EVERYONE, obj="orders:guest_cart")),
    rest(
        f"POST {CART}voucher/",
        PUBLIC,
        On("guest", EVERYONE, obj="orders:guest_cart", body={"code": "matrix10"}),
    ),
    rest(f"DELETE {CART}voucher/", PUBLIC, On("guest", EVERYONE, obj="orders:guest_cart")),
    rest(f"GET {CART}shipping-methods/", PUBLIC, On("guest", EVERYONE, obj="orders:guest_cart")),
    rest(f"POST {CART}merge/", SIGNED_IN, On("guest", EVERYONE, obj="orders:guest_cart")),
    rest(
        f"POST {CART}checkout/", PUBLIC, On("guest", EVERYONE, obj="orders:guest_cart", body={}), status=201
    ),
    # --- orders: a customer's own, every order for staff; another's does not exist --------------
    rest(f"GET {BASE}orders/", SIGNED_IN, On("own", EVERYONE)),
    rest(
        f"GET {ORDER}",
        SIGNED_IN,
        On("own", CUSTOMER_AND_STAFF, obj="orders:own", hidden=Hidden(CUSTOMER_AND_STAFF, VIEW_ORDERS)),
        On("anothers", MANAGERS, obj="orders:placed", hidden=Hidden(MANAGERS, VIEW_ORDERS)),
    ),
    rest(f"GET {BASE}orders/guest/", PUBLIC, On("link", EVERYONE, obj="orders:placed"), query="key={key}"),
    rest(
        f"POST {BASE}orders/lookup/",
        PUBLIC,
        On(
            "any",
            EVERYONE,
            obj="orders:placed",
            body=lambda world, refs: {"number": refs["number"], "email": "x@y.z"},
        ),
        status=202,
    ),
    rest(f"POST {ORDER}mark-paid/", MANAGE_ORDERS, On("placed", MANAGERS, obj="orders:placed")),
    rest(
        f"POST {ORDER}fulfil/",
        MANAGE_ORDERS,
        On("paid", MANAGERS, obj="orders:paid", body={"carrier": "DHL"}),
    ),
    rest(f"POST {ORDER}complete/", MANAGE_ORDERS, On("fulfilled", MANAGERS, obj="orders:fulfilled")),
    rest(
        f"POST {ORDER}cancel/",
        MANAGE_ORDERS,
        On("placed", MANAGERS, obj="orders:placed", body={"reason": "asked"}),
    ),
    rest(
        f"POST {ORDER}refund/", MANAGE_ORDERS, On("paid", MANAGERS, obj="orders:paid", body={"amount": 100})
    ),
    rest(
        f"POST {ORDER}notes/",
        MANAGE_ORDERS,
        On("paid", MANAGERS, obj="orders:paid", body={"message": "Gift"}),
    ),
    # --- the address book: one's own (a person's, not an API token's) ---------------------------
    rest(f"GET {BASE}addresses/", PERSON, On("own", EVERYONE)),
    rest(f"POST {BASE}addresses/", PERSON, On("new", EVERYONE, body={"address": ADDRESS}), status=201),
    rest(f"GET {SAVED}", PERSON, On("customers", CUSTOMER, obj="orders:address", hidden=OWNERS_ONLY)),
    rest(
        f"PUT {SAVED}",
        PERSON,
        On("customers", CUSTOMER, obj="orders:address", hidden=OWNERS_ONLY, body={"address": ADDRESS}),
    ),
    rest(f"DELETE {SAVED}", PERSON, On("customers", CUSTOMER, obj="orders:address", hidden=OWNERS_ONLY)),
    rest(
        f"POST {SAVED}default/", PERSON, On("customers", CUSTOMER, obj="orders:address", hidden=OWNERS_ONLY)
    ),
]
