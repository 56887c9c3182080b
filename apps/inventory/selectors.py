"""Reads of stock that other modules ask for (through hooks, never by importing this module)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from apps.catalog.models import Variant
from apps.core.selectors import current_tenant, is_enabled
from apps.inventory.models import StockAlert, StockLevel


def available_quantities(variant_ids: Iterable[int]) -> dict[int, int]:
    """Units available (on hand minus reserved, at active locations) of the tracked variants among
    `variant_ids`; nothing while inventory is off for this site (the catalogue then sells freely).
    Answers the catalogue's `availability` hook (apps.catalog.stock). Two queries."""
    tenant = current_tenant()
    ids = list(variant_ids)
    if not ids or tenant is None or not is_enabled(tenant, "inventory"):
        return {}
    tracked = list(Variant.objects.filter(pk__in=ids, track_inventory=True).values_list("pk", flat=True))
    totals = dict(
        StockLevel.objects.filter(variant_id__in=tracked, location__is_active=True)
        .values_list("variant_id")
        .annotate(available=Sum(F("on_hand") - F("reserved")))
        .filter(~Q(available=None))
    )
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
