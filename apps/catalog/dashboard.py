"""The catalogue's panel on the admin's dashboard (rustok.dashboard): products by status.

Shown to those who manage the catalogue; one query (the counts per status), each line linking to
the product list filtered to that status.
"""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.catalog.models import Product, Status
from rustok.dashboard import Item, Panel
from rustok.permissions import can


def panels(request) -> list[Panel]:
    if not can(request.user, "catalog.view_catalog"):
        return []
    counts = dict(Product.objects.order_by().values_list("status").annotate(n=Count("pk")))
    listed = reverse("admin:catalog_product_changelist")
    items = [
        Item(
            label=f"{status.label}: {counts.get(status.value, 0)}",
            url=f"{listed}?status__exact={status.value}",
        )
        for status in (Status.ACTIVE, Status.DRAFT, Status.ARCHIVED)
    ]
    return [
        Panel(
            key="products",
            title=_("Products"),
            items=items,
            count=sum(counts.values()),
            link=listed,
            link_label=_("All products"),
        )
    ]
