"""What the catalogue knows of stock: whether variants can be bought, answered by the inventory
module when it is installed (the catalogue does not import it: imports go one way).

    # apps/inventory/apps.py
    def ready(self):
        from apps.catalog.stock import availability
        availability.provide(selectors.available_quantities)

The provider gets variant ids and answers {variant id: units available} for the variants whose
stock it tracks in this site (not for untracked variants, nor while inventory is off). Without a
provider, or for variants it does not answer for, a variant can be bought.
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
