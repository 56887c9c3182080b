"""What the catalogue knows of stock: whether variants can be bought, answered by the inventory
module when it is installed (the catalogue does not import it: imports go one way).

    # apps/inventory/apps.py
    def ready(self):
        from apps.catalog.stock import availability
        availability.provide(selectors.available_quantities)

The provider gets variant ids and answers {variant id: units available} for the variants whose
stock it tracks in this site (not for untracked variants, nor while inventory is off). Without a
provider, or for variants it does not answer for, a variant can be bought. Inventory answers
`counts` the same way, with each variant's low-stock threshold, so a product page can say "only a
few left" (`stock_state`).

Managers' answers also show each variant's stock per location (`levels`), and their lists filter
by availability (`sold_out`): inventory provides both the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

from rustok.hooks import Hook

availability = Hook(
    "stock availability", "(variant_ids) -> {variant_id: units available} of tracked variants"
)


def available(variant_ids: Iterable[int]) -> dict[int, int | None]:
    """Units available per variant id; None where stock is not counted (always buyable)."""
    ids = list(variant_ids)
    counted = availability(ids) if availability.provided and ids else {}
    return {pk: counted.get(pk) for pk in ids}


def in_stock(quantity: int | None) -> bool:
    return quantity is None or quantity > 0


counts = Hook(
    "stock counts",
    "(variant_ids) -> {variant_id: (units available, low-stock threshold or None)} of tracked variants",
)

IN_STOCK, LOW_STOCK, OUT_OF_STOCK = "in_stock", "low_stock", "out_of_stock"


def available_and_thresholds(variant_ids: Iterable[int]) -> tuple[dict[int, int | None], dict[int, int]]:
    """Units available per variant id as `available` answers them, and the low-stock threshold of
    those that have one, read together (what product documents show: `stock_state`)."""
    ids = list(variant_ids)
    if not counts.provided:
        return available(ids), {}
    found = counts(ids) if ids else {}
    quantities = {pk: found[pk][0] if pk in found else None for pk in ids}
    return quantities, {pk: threshold for pk, (_n, threshold) in found.items() if threshold is not None}


def stock_state(quantity: int | None, threshold: int | None) -> str:
    """What a shopper is told: `in_stock`, `low_stock` (available units at or below the variant's
    low-stock threshold, above zero) or `out_of_stock`; uncounted stock is in stock."""
    if not in_stock(quantity):
        return OUT_OF_STOCK
    if quantity is not None and threshold is not None and quantity <= threshold:
        return LOW_STOCK
    return IN_STOCK


levels = Hook(
    "stock levels",
    "(variant_ids) -> {variant_id: [level, ...]} with each level's location_id, location (name, "
    "is_active), on_hand, reserved and available; None while stock is not counted",
)
sold_out = Hook("sold-out variants", "() -> a queryset of the ids of tracked variants with nothing available")


def stock_levels(variant_ids: Iterable[int]) -> dict[int, list] | None:
    """Each variant's stock per location (one query), for managers' answers; None while stock is
    not counted (no inventory, or inventory off for the site)."""
    ids = list(variant_ids)
    if not ids or not levels.provided:
        return None
    return levels(ids)


def sold_out_variants():
    """A queryset of the ids of the variants that cannot be bought now (tracked, nothing
    available), for filters; None while stock is not counted (every variant can be bought)."""
    return sold_out() if sold_out.provided else None


def level_in_stock(tracked: bool, found: list | None) -> bool:
    """Whether a variant can be bought, from its levels as `stock_levels` answers them."""
    if not tracked or found is None:
        return True
    return sum(level.available for level in found if level.location.is_active) > 0
