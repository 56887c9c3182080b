"""Reads of stock: what other modules ask for (through hooks, never by importing this module), and
what managers' lists show."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from apps.catalog.models import Variant
from apps.core.selectors import current_tenant, is_enabled
from apps.inventory.models import Reservation, StockAlert, StockLevel, StockLocation, StockMovement


def _counted() -> bool:
    """Whether stock is counted in the current site (the inventory module is on)."""
    tenant = current_tenant()
    return tenant is not None and is_enabled(tenant, "inventory")


def available_quantities(variant_ids: Iterable[int], *, holder: str | None = None) -> dict[int, int]:
    """Units available (on hand minus reserved, at active locations) of the tracked variants among
    `variant_ids`; nothing while inventory is off for this site (the catalogue then sells freely).
    With a `holder`, what that owner's reservations hold counts as available too (a checkout's own
    stock is its to buy). Answers the catalogue's `availability` hook (apps.catalog.stock). Two
    queries, three with a holder."""
    ids = list(variant_ids)
    if not ids or not _counted():
        return {}
    tracked = list(Variant.objects.filter(pk__in=ids, track_inventory=True).values_list("pk", flat=True))
    return _available(tracked, holder)


def stock_counts(variant_ids: Iterable[int]) -> dict[int, tuple[int, int | None]]:
    """Units available and the low-stock threshold (None without one) of the tracked variants
    among `variant_ids`; nothing while inventory is off for this site. Answers the catalogue's
    `counts` hook (product documents: "only a few left"). Two queries, as `available_quantities`."""
    ids = list(variant_ids)
    if not ids or not _counted():
        return {}
    thresholds = dict(
        Variant.objects.filter(pk__in=ids, track_inventory=True).values_list("pk", "stock_alert__threshold")
    )
    available = _available(list(thresholds), None)
    return {pk: (available[pk], thresholds[pk]) for pk in thresholds}


def _available(tracked: list[int], holder: str | None) -> dict[int, int]:
    totals = dict(
        StockLevel.objects.filter(variant_id__in=tracked, location__is_active=True)
        .values_list("variant_id")
        .annotate(available=Sum(F("on_hand") - F("reserved")))
        .filter(~Q(available=None))
    )
    if holder:
        held = (
            Reservation.objects.filter(owner=holder, variant_id__in=tracked, location__is_active=True)
            .values_list("variant_id")
            .annotate(held=Sum("quantity"))
        )
        for pk, quantity in held:
            totals[pk] = totals.get(pk, 0) + quantity
    return {pk: totals.get(pk, 0) for pk in tracked}


def available_of(variant: str = "variant_id"):
    """Units available of the row's variant (the outer query's `variant`) over the active
    locations (0 without stock), as a subquery."""
    found = (
        StockLevel.objects.filter(variant_id=OuterRef(variant), location__is_active=True)
        .order_by()
        .values("variant_id")
        .annotate(n=Sum(F("on_hand") - F("reserved")))
        .values("n")
    )
    return Coalesce(Subquery(found, output_field=IntegerField()), Value(0))


def threshold_of(variant: str = "variant_id"):
    """The low-stock threshold of the row's variant (None without one), as a subquery."""
    return Subquery(StockAlert.objects.filter(variant_id=OuterRef(variant)).values("threshold")[:1])


def levels_of_variants(variant_ids: Iterable[int]) -> dict[int, list[StockLevel]] | None:
    """Each variant's stock rows with their locations, in the locations' order (one query); every
    variant asked has a list, empty without stock. None while inventory is off for this site.
    Answers the catalogue's `levels` hook."""
    if not _counted():
        return None
    ids = list(variant_ids)
    found: dict[int, list[StockLevel]] = {pk: [] for pk in ids}
    rows = (
        StockLevel.objects.filter(variant_id__in=ids)
        .select_related("location")
        .order_by("variant_id", "location__priority", "location_id")
    )
    for level in rows:
        found[level.variant_id].append(level)
    return found


def sold_out_ids() -> QuerySet | None:
    """The ids of the tracked variants with nothing available at the active locations, as a
    queryset for filters; None while inventory is off. Answers the catalogue's `sold_out` hook."""
    if not _counted():
        return None
    available = Coalesce(
        Sum(
            F("stock_levels__on_hand") - F("stock_levels__reserved"),
            filter=Q(stock_levels__location__is_active=True),
        ),
        Value(0),
    )
    return (
        Variant.objects.filter(track_inventory=True)
        .annotate(units=available)
        .filter(units__lte=0)
        .values("pk")
    )


# --- managers' lists -----------------------------------------------------------------------------


def locations() -> QuerySet[StockLocation]:
    """Every stock location, in the order reservations take from them."""
    return StockLocation.objects.order_by("priority", "id")


def levels(*, variant_id: int | None = None, location_id: int | None = None, low: bool | None = None):
    """Stock rows, by variant and location; `low`: only those of variants at or below their
    low-stock threshold (or, False, of the others)."""
    found = StockLevel.objects.select_related("location").order_by(
        "variant_id", "location__priority", "location_id"
    )
    if variant_id is not None:
        found = found.filter(variant_id=variant_id)
    if location_id is not None:
        found = found.filter(location_id=location_id)
    if low is not None:
        lows = StockAlert.objects.filter(is_low=True).values("variant_id")
        found = found.filter(variant_id__in=lows) if low else found.exclude(variant_id__in=lows)
    return found


def movements(
    *, variant_id: int | None = None, location_id: int | None = None, reason: str | None = None
) -> QuerySet[StockMovement]:
    """The history, newest first."""
    found = StockMovement.objects.order_by("-created_at", "-id")
    if variant_id is not None:
        found = found.filter(variant_id=variant_id)
    if location_id is not None:
        found = found.filter(location_id=location_id)
    if reason is not None:
        found = found.filter(reason=reason)
    return found


def thresholds_of_variants(variant_ids: Iterable[int]) -> dict[int, StockAlert]:
    """Each variant's low-stock alert (one query)."""
    return {alert.variant_id: alert for alert in StockAlert.objects.filter(variant_id__in=list(variant_ids))}
