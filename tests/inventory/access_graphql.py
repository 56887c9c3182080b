"""The access matrix of the inventory's GraphQL (tests/access_matrix.py).

What apps/inventory/rules.py says: managers, admins and the owner see stock
(`inventory.view_stock`) and change it (`inventory.manage_stock`); nobody else sees a stock count.
The REST entries are in `access.py`.
The objects are those `access.py` builds (its `build`), with its REST entries.
"""

from __future__ import annotations

from apps.accounts.models import Role
from tests.access_matrix import On, graphql

STOCK_KEEPERS = frozenset({Role.OWNER.value, Role.ADMIN.value, Role.MANAGER.value})
VIEW = "inventory.view_stock"
MANAGE = "inventory.manage_stock"


def _stock_body(**given):
    return lambda world, refs: {"variant": refs["pk"], "location": refs["location"], **given}


def _on(obj: str, body=None) -> On:
    return On(obj.split(":", 1)[1], STOCK_KEEPERS, obj=obj, body=body)


ENTRIES = [
    graphql(
        "Query.stockLocations",
        VIEW,
        "query { stockLocations { id name priority isActive } }",
        On("all", STOCK_KEEPERS),
    ),
    graphql(
        "Query.stockLevels",
        VIEW,
        "query($variant: ID) { stockLevels(variant: $variant) "
        "{ onHand reserved available variant { sku } location { name } } }",
        _on("inventory:variant", lambda world, refs: {"variant": refs["pk"]}),
    ),
    graphql(
        "Query.stockMovements",
        VIEW,
        "query($variant: ID) { stockMovements(first: 5, variant: $variant) "
        "{ totalCount edges { node { reason deltaOnHand sku location { name } } } } }",
        _on("inventory:variant", lambda world, refs: {"variant": refs["pk"]}),
    ),
    graphql(
        "Mutation.stockLocationCreate",
        MANAGE,
        "mutation($input: StockLocationInput!) { stockLocationCreate(input: $input) { location { id } } }",
        On("new", STOCK_KEEPERS, body={"input": {"translations": [{"language": "en", "name": "Annex"}]}}),
    ),
    graphql(
        "Mutation.stockLocationUpdate",
        MANAGE,
        "mutation($id: ID!, $input: StockLocationInput!) "
        "{ stockLocationUpdate(id: $id, input: $input) { location { id priority } } }",
        _on("inventory:location", lambda world, refs: {"id": refs["pk"], "input": {"priority": 3}}),
    ),
    graphql(
        "Mutation.stockAdjust",
        MANAGE,
        "mutation($variant: ID!, $location: ID!) { stockAdjust(variantId: $variant, locationId: $location, "
        "delta: 2, reason: RECEIVED) { level { onHand } } }",
        _on("inventory:variant", _stock_body()),
    ),
    graphql(
        "Mutation.stockCount",
        MANAGE,
        "mutation($variant: ID!, $location: ID!) { stockCount(variantId: $variant, locationId: $location, "
        "onHand: 7) { level { onHand } } }",
        _on("inventory:variant", _stock_body()),
    ),
    graphql(
        "Mutation.stockThresholdSet",
        MANAGE,
        "mutation($variant: ID!) { stockThresholdSet(variantId: $variant, threshold: 2) { threshold low } }",
        _on("inventory:variant", lambda world, refs: {"variant": refs["pk"]}),
    ),
]
