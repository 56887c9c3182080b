"""The inventory's panel on the admin's dashboard (rustok.dashboard): variants low on stock.

Shown to those who keep stock; two queries at most (the first variants at or below their
low-stock threshold, and their count when there are more), highlighted when there are any.
"""

from __future__ import annotations

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.inventory.models import StockAlert
from apps.inventory.selectors import available_of
from rustok.dashboard import PANEL_ITEMS, Item, Panel
from rustok.permissions import can


def panels(request) -> list[Panel]:
    if not can(request.user, "inventory.view_stock"):
        return []
    low = (
        StockAlert.objects.annotate(available=available_of())
        .filter(available__lte=F("threshold"))
        .select_related("variant__product")
        .order_by("available", "variant__sku")
    )
    shown = list(low[:PANEL_ITEMS])
    items = [
        Item(
            label=f"{alert.variant.sku} · {alert.variant.product}",
            url=reverse("admin:inventory_stockalert_change", args=[alert.pk]),
            detail=_("%(available)d available, threshold %(threshold)d")
            % {"available": alert.available, "threshold": alert.threshold},
        )
        for alert in shown
    ]
    count = len(items) if len(items) < PANEL_ITEMS else low.count()
    return [
        Panel(
            key="low-stock",
            title=_("Low stock"),
            items=items,
            count=count,
            link=f"{reverse('admin:inventory_stockalert_changelist')}?low=yes",
            link_label=_("Show them in the list"),
            empty=_("No variant is low on stock."),
            tone="warning" if count else "",
        )
    ]
