"""Changing stock: locking the rows, writing the change and its movement, publishing events.

Every service that changes stock goes through `lock_stock` and `apply`, so all of them take row
locks in the one order written down in docs/inventory.md (section "Lock order"):

1. (reservations only) the owner's advisory lock, see services.reservations;
2. the StockLevel rows of every variant the call touches, at every location, in ONE
   `SELECT ... FOR UPDATE` ordered by (variant_id, location_id), before any quantity is read;
3. the Reservation rows, only once the stock rows are locked;
4. the StockAlert rows of those variants, ordered by variant_id.

Nothing outside the database is called while the transaction is open: events go to the outbox
(`publish` is part of the transaction) and what follows them runs after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from apps.catalog.models import Variant
from apps.inventory.events import StockChanged, StockLow, StockRecovered
from apps.inventory.models import Reason, StockAlert, StockLevel, StockLocation, StockMovement
from rustok.errors import Conflict, InvalidInput, NotFound
from rustok.events import publish
from rustok.permissions import require

PERM = "inventory.manage_stock"

# Reasons an adjustment may give, and the sign its delta must have (0: either).
ADJUST_REASONS = {
    Reason.RECEIVED: 1,
    Reason.RETURNED: 1,
    Reason.DAMAGED: -1,
    Reason.CORRECTION: 0,
}


def whole_number(value, field: str, *, minimum: int | None = None) -> int:
    """`value` as an int, refusing bools, floats, strings and numbers below `minimum`
    (InvalidInput naming `field`)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput.for_field(field, "A whole number is required.")
    if minimum is not None and value < minimum:
        raise InvalidInput.for_field(field, f"Must be at least {minimum}.")
    return value


@dataclass
class Change:
    """What one call does to one StockLevel row."""

    level: StockLevel
    reason: str
    on_hand: int = 0
    reserved: int = 0


class Stock:
    """The locked StockLevel rows of some variants, with what the services need to know of them."""

    def __init__(self, variant_ids: Iterable[int]):
        ids = sorted(set(variant_ids))
        # LOCK ORDER (docs/inventory.md): every StockLevel row of these variants, at every
        # location, in one query ordered by (variant_id, location_id), before reading quantities.
        rows = list(
            StockLevel.objects.select_for_update()
            .filter(variant_id__in=ids)
            .order_by("variant_id", "location_id")
        )
        self.levels: dict[tuple[int, int], StockLevel] = {(r.variant_id, r.location_id): r for r in rows}
        self.variants = {v["id"]: v for v in Variant.objects.filter(pk__in=ids).values(*VARIANT_FIELDS)}
        self.locations = {
            loc["id"]: loc for loc in StockLocation.objects.values("id", "priority", "is_active")
        }

    def of(self, variant_id: int) -> list[StockLevel]:
        """The variant's rows at active locations, in the order reservations take from them."""
        rows = [
            level
            for (v, loc), level in self.levels.items()
            if v == variant_id and self.locations.get(loc, {}).get("is_active")
        ]
        return sorted(rows, key=lambda r: (self.locations[r.location_id]["priority"], r.location_id))

    def available(self, variant_id: int) -> int:
        """What the variant has available over its active locations."""
        return sum(level.available for level in self.of(variant_id))

    def in_stock(self, variant_id: int) -> bool:
        variant = self.variants.get(variant_id)
        return variant is None or not variant["track_inventory"] or self.available(variant_id) > 0


VARIANT_FIELDS = ("id", "sku", "product_id", "track_inventory")


def ensure_levels(pairs: Iterable[tuple[int, int]]) -> None:
    """Insert the StockLevel rows missing for these (variant_id, location_id) pairs, at zero.

    ON CONFLICT DO NOTHING takes no lock on rows that exist; it waits only for a concurrent
    transaction inserting the same pair, and every service inserts before it locks, so this
    cannot close a cycle with the lock order.
    """
    StockLevel.objects.bulk_create(
        [StockLevel(variant_id=v, location_id=loc) for v, loc in sorted(set(pairs))], ignore_conflicts=True
    )


def apply(stock: Stock, changes: list[Change], *, actor=None, note: str = "", owner: str = "") -> None:
    """Write `changes` to the locked rows of `stock`: the rows, one movement each, one
    `inventory.stock.changed` per row whose quantities changed, and low-stock alerts."""
    variant_ids = sorted({c.level.variant_id for c in changes})
    was_in_stock = {v: stock.in_stock(v) for v in variant_ids}
    movements = []
    for change in changes:
        level = change.level
        level.on_hand += change.on_hand
        level.reserved += change.reserved
        if change.on_hand or change.reserved:
            level.save(update_fields=["on_hand", "reserved", "updated_at"])
        variant = stock.variants[level.variant_id]
        movements.append(
            StockMovement(
                variant_id=level.variant_id,
                sku=variant["sku"],
                location_id=level.location_id,
                reason=change.reason,
                delta_on_hand=change.on_hand,
                delta_reserved=change.reserved,
                on_hand_after=level.on_hand,
                reserved_after=level.reserved,
                actor=actor,
                note=note,
                owner=owner,
            )
        )
    StockMovement.objects.bulk_create(movements)
    for change in changes:
        if not (change.on_hand or change.reserved):
            continue
        level = change.level
        publish(
            StockChanged(
                variant_id=level.variant_id,
                product_id=stock.variants[level.variant_id]["product_id"],
                location_id=level.location_id,
                on_hand=level.on_hand,
                reserved=level.reserved,
                available=level.available,
                in_stock=stock.in_stock(level.variant_id),
                was_in_stock=was_in_stock[level.variant_id],
                reason=change.reason,
            )
        )
    check_alerts(stock, variant_ids)


def check_alerts(stock: Stock, variant_ids: list[int]) -> None:
    """Raise `inventory.stock.low` for the variants whose available stock is now at or below
    their threshold and was not at the last check, `inventory.stock.recovered` for those that were
    and are back above."""
    # LOCK ORDER: alerts come last, after the stock rows, ordered by variant_id.
    alerts = StockAlert.objects.select_for_update().filter(variant_id__in=variant_ids).order_by("variant_id")
    for alert in alerts:
        variant = stock.variants.get(alert.variant_id)
        if variant is None or not variant["track_inventory"]:
            continue
        available = stock.available(alert.variant_id)
        is_low = available <= alert.threshold
        if is_low == alert.is_low:
            continue
        alert.is_low = is_low
        alert.save(update_fields=["is_low", "updated_at"])
        crossing = StockLow if is_low else StockRecovered
        publish(
            crossing(
                variant_id=alert.variant_id,
                product_id=variant["product_id"],
                available=available,
                threshold=alert.threshold,
            )
        )


def insufficient(level: StockLevel, on_hand: int) -> Conflict:
    return Conflict(
        f"On hand cannot go to {on_hand}: {level.reserved} of this stock are reserved.",
        reason="insufficient_stock",
        on_hand=level.on_hand,
        reserved=level.reserved,
        available=level.available,
    )


def _existing(variant: Variant, location: StockLocation) -> None:
    if not Variant.objects.filter(pk=variant.pk).exists():
        raise NotFound("This variant no longer exists.")
    if not StockLocation.objects.filter(pk=location.pk).exists():
        raise NotFound("This stock location no longer exists.")


@transaction.atomic
def adjust(
    *, actor, variant: Variant, location: StockLocation, delta: int, reason: str, note: str = ""
) -> StockLevel:
    """Add `delta` units (negative: remove) of `variant` at `location`, for `reason` (received,
    returned: delta > 0; damaged: delta < 0; correction: either). On hand cannot go below zero
    nor below what is reserved there (409 `conflict`, `reason: insufficient_stock`)."""
    require(actor, PERM)
    delta = whole_number(delta, "delta")
    if delta == 0:
        raise InvalidInput.for_field("delta", "Must not be zero.")
    if reason not in ADJUST_REASONS:
        allowed = ", ".join(ADJUST_REASONS)
        raise InvalidInput.for_field("reason", f"Must be one of {allowed}; counts are made with count().")
    sign = ADJUST_REASONS[Reason(reason)]
    if sign and (delta > 0) != (sign > 0):
        word = "positive" if sign > 0 else "negative"
        raise InvalidInput.for_field("delta", f"Must be {word} for '{reason}'.")
    _existing(variant, location)
    ensure_levels([(variant.pk, location.pk)])
    stock = Stock([variant.pk])
    level = stock.levels[variant.pk, location.pk]
    on_hand = level.on_hand + delta
    if on_hand < 0 or on_hand < level.reserved:
        raise insufficient(level, on_hand)
    apply(stock, [Change(level, reason, on_hand=delta)], actor=actor, note=str(note or ""))
    return level


@transaction.atomic
def count(*, actor, variant: Variant, location: StockLocation, on_hand: int, note: str = "") -> StockLevel:
    """Record a stock count: `on_hand` units of `variant` are at `location` now. A count below
    what is reserved there is refused (409 `conflict`, `reason: insufficient_stock`)."""
    require(actor, PERM)
    on_hand = whole_number(on_hand, "on_hand", minimum=0)
    _existing(variant, location)
    ensure_levels([(variant.pk, location.pk)])
    stock = Stock([variant.pk])
    level = stock.levels[variant.pk, location.pk]
    if on_hand < level.reserved:
        raise insufficient(level, on_hand)
    apply(
        stock,
        [Change(level, Reason.COUNTED, on_hand=on_hand - level.on_hand)],
        actor=actor,
        note=str(note or ""),
    )
    return level


@transaction.atomic
def set_threshold(*, actor, variant: Variant, threshold: int | None) -> StockAlert | None:
    """Alert when `variant`'s available stock falls to `threshold` or below; None removes the
    alert. A variant already at or below a new threshold is announced (`inventory.stock.low`), one
    no longer low under the new one or without one too (`inventory.stock.recovered`)."""
    require(actor, PERM)
    if threshold is not None:
        threshold = whole_number(threshold, "threshold", minimum=0)
    if not Variant.objects.filter(pk=variant.pk).exists():
        raise NotFound("This variant no longer exists.")
    stock = Stock([variant.pk])
    if threshold is None:
        alert = StockAlert.objects.select_for_update().filter(variant_id=variant.pk).first()
        if alert is not None:
            alert.delete()
            if alert.is_low:
                publish(
                    StockRecovered(
                        variant_id=variant.pk,
                        product_id=stock.variants[variant.pk]["product_id"],
                        available=stock.available(variant.pk),
                        threshold=None,
                    )
                )
        return None
    alert = StockAlert.objects.select_for_update().filter(variant_id=variant.pk).first()
    if alert is None:
        alert = StockAlert.objects.create(variant_id=variant.pk, threshold=threshold)
    elif alert.threshold != threshold:
        alert.threshold = threshold
        alert.save(update_fields=["threshold", "updated_at"])
    check_alerts(stock, [variant.pk])
    alert.refresh_from_db()
    return alert
