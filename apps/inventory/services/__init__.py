"""Services of the inventory module: the only code that writes its tables.

The order in which they lock rows is in docs/inventory.md ("Lock order") and at the top of
apps.inventory.services.stock.
"""

from apps.inventory.services.locations import create_location, delete_location, update_location
from apps.inventory.services.reservations import (
    OutOfStock,
    commit,
    release,
    release_expired,
    reserve,
    restock,
)
from apps.inventory.services.stock import adjust, count, set_threshold

__all__ = [
    "OutOfStock",
    "adjust",
    "commit",
    "count",
    "create_location",
    "delete_location",
    "release",
    "release_expired",
    "reserve",
    "restock",
    "set_threshold",
    "update_location",
]
