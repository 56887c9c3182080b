"""Reads of stock that other modules ask for (through hooks, never by importing this module)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Q, Sum

from apps.catalog.models import Variant
from apps.core.selectors import current_tenant, is_enabled
from apps.inventory.models import StockLevel


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
