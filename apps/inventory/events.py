"""Events of the inventory module: stock changing at a location, running low, and locations.

`inventory.stock.changed` is published once per (variant, location) a call changed, with the
state it left there and whether the variant can still be sold anywhere (`in_stock`, summed over
the active locations; always true for a variant whose stock is not tracked) and could before
(`was_in_stock`): what a product page or a search facet follows. `inventory.stock.low` is
published when a variant's available stock falls to its threshold, and not again until it has
risen above it; `inventory.stock.recovered` when it has (or its alert was removed while it was
low). Product pages follow both ("only a few left").
"""

from rustok.events import Event


class StockChanged(Event):
    """A variant's stock at a location changed (`reason`: received, counted, reserved, sold, ...)."""

    type = "inventory.stock.changed"
    version = 1
    variant_id: int
    product_id: int
    location_id: int
    on_hand: int
    reserved: int
    available: int
    in_stock: bool
    was_in_stock: bool
    reason: str


class StockLow(Event):
    """A variant's available stock (all active locations) fell to its threshold or below."""

    type = "inventory.stock.low"
    version = 1
    variant_id: int
    product_id: int
    available: int
    threshold: int


class StockRecovered(Event):
    """A variant that was low is no longer: its available stock rose above its threshold, the
    threshold was lowered below it, or removed (`threshold` None)."""

    type = "inventory.stock.recovered"
    version = 1
    variant_id: int
    product_id: int
    available: int
    threshold: int | None


class LocationCreated(Event):
    type = "inventory.location.created"
    version = 1
    location_id: int
    actor_id: int


class LocationUpdated(Event):
    """A location changed; `changed` names the fields (`name_en`, `priority`, `is_active`, ...)."""

    type = "inventory.location.updated"
    version = 1
    location_id: int
    actor_id: int
    changed: list[str]


class LocationDeleted(Event):
    type = "inventory.location.deleted"
    version = 1
    location_id: int
    actor_id: int
