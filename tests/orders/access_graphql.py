"""The access matrix of the orders module's GraphQL (tests/access_matrix.py).

The shop's configuration: managers, admins and the owner read and write shipping
(`orders.manage_shipping`), tax rates (`orders.manage_taxes`), vouchers
(`orders.manage_vouchers`) and the order settings (`orders.manage_order_settings`); nobody else
sees any of it. A saved address is its owner's alone (`myAddresses`, `address*`): anyone else,
staff included, is told it does not exist, and no API token reaches an address book. The objects
are those `access.py` builds (its `build`), with its REST entries.
"""

from __future__ import annotations

from graphene.utils.str_converters import to_camel_case

from rustok.permissions import PERSON, PUBLIC, SIGNED_IN
from tests.access_matrix import EVERYONE, NULL, Hidden, On, graphql
from tests.orders.access import (
    ADDRESS,
    CUSTOMER,
    CUSTOMER_AND_STAFF,
    MANAGE_ORDERS,
    MANAGERS,
    OWNERS_ONLY,
    SETTINGS,
    SHIPPING,
    TAXES,
    VIEW_ORDERS,
    VOUCHERS,
)


def _on(obj: str, body=None) -> On:
    return On(obj.split(":", 1)[1], MANAGERS, obj=obj, body=body)


def _id(**extra):
    return lambda world, refs: {"id": refs["pk"], **extra}


GRAPHQL_ADDRESS = {to_camel_case(name): value for name, value in ADDRESS.items()}
NAMED = [{"language": "en", "name": "Alps"}]

ENTRIES = [
    graphql(
        "Query.shippingZones",
        SHIPPING,
        "query { shippingZones { id name countries methods { name weightRates { upToGrams } } } }",
        On("all", MANAGERS),
    ),
    graphql(
        "Query.shippingMethods",
        SHIPPING,
        "query { shippingMethods { id name kind price offered } }",
        On("all", MANAGERS),
    ),
    graphql("Query.taxRates", TAXES, "query { taxRates { id country rate name } }", On("all", MANAGERS)),
    graphql(
        "Query.vouchers",
        VOUCHERS,
        "query { vouchers(first: 10) { totalCount edges { node { code name used } } } }",
        On("all", MANAGERS),
    ),
    graphql(
        "Query.orderSettings",
        SETTINGS,
        "query { orderSettings { pricesIncludeTax reservationMinutes } }",
        On("all", MANAGERS),
    ),
    graphql(
        "Mutation.shippingZoneCreate",
        SHIPPING,
        "mutation($input: ShippingZoneInput!) { shippingZoneCreate(input: $input) { zone { id } } }",
        On("new", MANAGERS, body={"input": {"translations": NAMED, "countries": ["AT"]}}),
    ),
    graphql(
        "Mutation.shippingZoneUpdate",
        SHIPPING,
        "mutation($id: ID!, $input: ShippingZoneInput!) "
        "{ shippingZoneUpdate(id: $id, input: $input) { zone { position } } }",
        _on("orders:zone", _id(input={"position": 4})),
    ),
    graphql(
        "Mutation.shippingZoneDelete",
        SHIPPING,
        "mutation($id: ID!) { shippingZoneDelete(id: $id) { ok } }",
        _on("orders:zone", _id()),
    ),
    graphql(
        "Mutation.shippingMethodCreate",
        SHIPPING,
        "mutation($input: ShippingMethodCreateInput!) "
        "{ shippingMethodCreate(input: $input) { method { id } } }",
        _on(
            "orders:method",
            lambda world, refs: {"input": {"zoneId": refs["zone"], "translations": NAMED, "price": 500}},
        ),
    ),
    graphql(
        "Mutation.shippingMethodUpdate",
        SHIPPING,
        "mutation($id: ID!, $input: ShippingMethodInput!) "
        "{ shippingMethodUpdate(id: $id, input: $input) { method { isActive } } }",
        _on("orders:method", _id(input={"isActive": False})),
    ),
    graphql(
        "Mutation.shippingMethodSetWeightRates",
        SHIPPING,
        "mutation($id: ID!) { shippingMethodSetWeightRates(id: $id, "
        "weightRates: [{upToGrams: 3000, price: 800}]) { method { id } } }",
        _on("orders:method", _id()),
    ),
    graphql(
        "Mutation.shippingMethodDelete",
        SHIPPING,
        "mutation($id: ID!) { shippingMethodDelete(id: $id) { ok } }",
        _on("orders:method", _id()),
    ),
    graphql(
        "Mutation.taxRateCreate",
        TAXES,
        'mutation { taxRateCreate(input: {country: "AT", rate: "20", name: "USt"}) { taxRate { id } } }',
        On("new", MANAGERS),
    ),
    graphql(
        "Mutation.taxRateUpdate",
        TAXES,
        'mutation($id: ID!) { taxRateUpdate(id: $id, input: {rate: "7"}) { taxRate { rate } } }',
        _on("orders:tax_rate", _id()),
    ),
    graphql(
        "Mutation.taxRateDelete",
        TAXES,
        "mutation($id: ID!) { taxRateDelete(id: $id) { ok } }",
        _on("orders:tax_rate", _id()),
    ),
    graphql(
        "Mutation.voucherCreate",
        VOUCHERS,
        'mutation { voucherCreate(input: {code: "NEW5", percent: "5"}) { voucher { id } } }',
        On("new", MANAGERS),
    ),
    graphql(
        "Mutation.voucherUpdate",
        VOUCHERS,
        "mutation($id: ID!) { voucherUpdate(id: $id, input: {isActive: false}) { voucher { isActive } } }",
        _on("orders:voucher", _id()),
    ),
    graphql(
        "Mutation.voucherDelete",
        VOUCHERS,
        "mutation($id: ID!) { voucherDelete(id: $id) { ok } }",
        _on("orders:voucher", _id()),
    ),
    graphql(
        "Mutation.orderSettingsUpdate",
        SETTINGS,
        "mutation { orderSettingsUpdate(input: {maxLineQuantity: 5}) { maxLineQuantity } }",
        On("all", MANAGERS),
    ),
    # --- carts, checkout and orders ---------------------------------------------------------------
    graphql(
        "Query.cart",
        PUBLIC,
        "query($token: ID!) { cart(token: $token) { token quantity totals { total } } }",
        On("guest", EVERYONE, obj="orders:guest_cart", body=lambda world, refs: {"token": refs["token"]}),
        On(
            "customers",
            CUSTOMER_AND_STAFF,
            obj="orders:customer_cart",
            body=lambda world, refs: {"token": refs["token"]},
            hidden=Hidden(CUSTOMER_AND_STAFF, VIEW_ORDERS, answer=NULL),
        ),
    ),
    graphql("Query.myCart", SIGNED_IN, "query { myCart { token } }", On("self", EVERYONE)),
    graphql(
        "Query.orders",
        SIGNED_IN,
        "query { orders(first: 5) { totalCount edges { node { number } } } }",
        On("own", EVERYONE),
    ),
    graphql(
        "Query.order",
        SIGNED_IN,
        "query($n: Int!) { order(number: $n) { number totals { total } } }",
        On(
            "own",
            CUSTOMER_AND_STAFF,
            obj="orders:own",
            body=lambda world, refs: {"n": refs["number"]},
            hidden=Hidden(CUSTOMER_AND_STAFF, VIEW_ORDERS, answer=NULL),
        ),
        On(
            "anothers",
            MANAGERS,
            obj="orders:placed",
            body=lambda world, refs: {"n": refs["number"]},
            hidden=Hidden(MANAGERS, VIEW_ORDERS, answer=NULL),
        ),
    ),
    graphql(
        "Query.guestOrder",
        PUBLIC,
        "query($k: String!) { guestOrder(key: $k) { number } }",
        On("link", EVERYONE, obj="orders:placed", body=lambda world, refs: {"k": refs["key"]}),
    ),
    graphql("Mutation.cartCreate", PUBLIC, "mutation { cartCreate { cart { token } } }", On("new", EVERYONE)),
    graphql(
        "Mutation.cartLineAdd",
        PUBLIC,
        "mutation($t: ID!, $v: ID!) { cartLineAdd(token: $t, variantId: $v) { cart { quantity } } }",
        On(
            "guest",
            EVERYONE,
            obj="orders:guest_cart",
            body=lambda world, refs: {"t": refs["token"], "v": refs["variant"]},
        ),
    ),
    graphql(
        "Mutation.cartLineUpdate",
        PUBLIC,
        "mutation($t: ID!, $l: ID!) "
        "{ cartLineUpdate(token: $t, lineId: $l, quantity: 1) { cart { quantity } } }",
        On(
            "guest",
            EVERYONE,
            obj="orders:guest_cart",
            body=lambda world, refs: {"t": refs["token"], "l": refs["line_id"]},
        ),
    ),
    graphql(
        "Mutation.cartUpdate",
        PUBLIC,
        'mutation($t: ID!) { cartUpdate(token: $t, input: {note: "Ring twice"}) { cart { note } } }',
        On("guest", EVERYONE, obj="orders:guest_cart", body=lambda world, refs: {"t": refs["token"]}),
    ),
    graphql(
        "Mutation.cartVoucherApply",
        PUBLIC,
        'mutation($t: ID!) { cartVoucherApply(token: $t, code: "matrix10") { cart { voucher } } }',
        On("guest", EVERYONE, obj="orders:guest_cart", body=lambda world, refs: {"t": refs["token"]}),
    ),
    graphql(
        "Mutation.cartVoucherRemove",
        PUBLIC,
        "mutation($t: ID!) { cartVoucherRemove(token: $t) { cart { voucher } } }",
        On("guest", EVERYONE, obj="orders:guest_cart", body=lambda world, refs: {"t": refs["token"]}),
    ),
    graphql(
        "Mutation.cartMerge",
        SIGNED_IN,
        "mutation($t: ID!) { cartMerge(token: $t) { cart { token } } }",
        On("guest", EVERYONE, obj="orders:guest_cart", body=lambda world, refs: {"t": refs["token"]}),
    ),
    graphql(
        "Mutation.checkoutComplete",
        PUBLIC,
        "mutation($t: ID!) { checkoutComplete(token: $t) { order { number } } }",
        On("guest", EVERYONE, obj="orders:guest_cart", body=lambda world, refs: {"t": refs["token"]}),
    ),
    graphql(
        "Mutation.orderMarkPaid",
        MANAGE_ORDERS,
        "mutation($n: Int!) { orderMarkPaid(number: $n) { order { status } } }",
        On("placed", MANAGERS, obj="orders:placed", body=lambda world, refs: {"n": refs["number"]}),
    ),
    graphql(
        "Mutation.orderFulfil",
        MANAGE_ORDERS,
        "mutation($n: Int!) { orderFulfil(number: $n) { order { status } } }",
        On("paid", MANAGERS, obj="orders:paid", body=lambda world, refs: {"n": refs["number"]}),
    ),
    graphql(
        "Mutation.orderComplete",
        MANAGE_ORDERS,
        "mutation($n: Int!) { orderComplete(number: $n) { order { status } } }",
        On("fulfilled", MANAGERS, obj="orders:fulfilled", body=lambda world, refs: {"n": refs["number"]}),
    ),
    graphql(
        "Mutation.orderCancel",
        MANAGE_ORDERS,
        "mutation($n: Int!) { orderCancel(number: $n) { order { status } } }",
        On("placed", MANAGERS, obj="orders:placed", body=lambda world, refs: {"n": refs["number"]}),
    ),
    graphql(
        "Mutation.orderRefund",
        MANAGE_ORDERS,
        "mutation($n: Int!) { orderRefund(number: $n, amount: 100) { order { refunded } } }",
        On("paid", MANAGERS, obj="orders:paid", body=lambda world, refs: {"n": refs["number"]}),
    ),
    graphql(
        "Mutation.orderNoteAdd",
        MANAGE_ORDERS,
        'mutation($n: Int!) { orderNoteAdd(number: $n, message: "Gift") { order { number } } }',
        On("paid", MANAGERS, obj="orders:paid", body=lambda world, refs: {"n": refs["number"]}),
    ),
    # --- the address book: one's own (a person's, not an API token's); another's, staff's
    # included, is NOT_FOUND, as one that does not exist ----------------------------------------
    graphql(
        "Query.myAddresses",
        PERSON,
        "query { myAddresses { id isDefault address { line1 } } }",
        On("own", EVERYONE),
    ),
    graphql(
        "Mutation.addressCreate",
        PERSON,
        "mutation($a: AddressInput!) { addressCreate(input: $a) { address { id } } }",
        On("new", EVERYONE, body={"a": GRAPHQL_ADDRESS}),
    ),
    graphql(
        "Mutation.addressUpdate",
        PERSON,
        "mutation($id: ID!, $a: AddressInput!) { addressUpdate(id: $id, input: $a) { address { id } } }",
        On(
            "customers",
            CUSTOMER,
            obj="orders:address",
            hidden=OWNERS_ONLY,
            body=lambda world, refs: {"id": refs["pk"], "a": GRAPHQL_ADDRESS},
        ),
    ),
    graphql(
        "Mutation.addressSetDefault",
        PERSON,
        "mutation($id: ID!) { addressSetDefault(id: $id) { address { isDefault } } }",
        On("customers", CUSTOMER, obj="orders:address", hidden=OWNERS_ONLY, body=_id()),
    ),
    graphql(
        "Mutation.addressDelete",
        PERSON,
        "mutation($id: ID!) { addressDelete(id: $id) { id } }",
        On("customers", CUSTOMER, obj="orders:address", hidden=OWNERS_ONLY, body=_id()),
    ),
]
