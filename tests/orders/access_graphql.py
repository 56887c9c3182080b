"""The access matrix of the orders module's GraphQL (tests/access_matrix.py).

The shop's configuration: managers, admins and the owner read and write shipping
(`orders.manage_shipping`), tax rates (`orders.manage_taxes`), vouchers
(`orders.manage_vouchers`) and the order settings (`orders.manage_order_settings`); nobody else
sees any of it. The objects are those `access.py` builds (its `build`), with its REST entries.
"""

from __future__ import annotations

from tests.access_matrix import On, graphql
from tests.orders.access import MANAGERS, SETTINGS, SHIPPING, TAXES, VOUCHERS


def _on(obj: str, body=None) -> On:
    return On(obj.split(":", 1)[1], MANAGERS, obj=obj, body=body)


def _id(**extra):
    return lambda world, refs: {"id": refs["pk"], **extra}


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
]
