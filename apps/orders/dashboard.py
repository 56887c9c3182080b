"""The orders' panels on the admin's dashboard (rustok.dashboard): sales and orders waiting.

Shown to those who see every order (`orders.view_orders`: managers, admins, the owner).

- **Sales**: orders placed and money taken per day for the last 14 days, per currency, from the
  `DailySales` read model (kept by apps.orders.handlers from the order events), with the
  fortnight's sums first; each day links to the orders placed that day. One query.
- **Orders waiting**: orders waiting for their money (placed) and to be shipped (paid, or shipped
  in part), each linking to the order list filtered to them. One query.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.orders.models import DailySales, Order, OrderStatus
from rustok.dashboard import Item, Panel
from rustok.money import format_minor
from rustok.permissions import can

DAYS = 14
TO_SHIP = [OrderStatus.PAID, OrderStatus.PARTIALLY_FULFILLED]


def _sales(orders: int, revenue: int, refunded: int, currency: str) -> str:
    text = ngettext("%(count)d order", "%(count)d orders", orders) % {"count": orders}
    text += " · " + _("%(amount)s taken") % {"amount": format_minor(revenue, currency)}
    if refunded:
        text += " · " + _("%(amount)s refunded") % {"amount": format_minor(refunded, currency)}
    return text


def sales_panel(listed: str) -> Panel:
    today = timezone.localdate()
    first = today - dt.timedelta(days=DAYS - 1)
    rows = list(DailySales.objects.filter(day__range=(first, today)).order_by("-day", "currency"))
    per_day: dict[dt.date, list[DailySales]] = {}
    sums: dict[str, list[int]] = {}
    for row in rows:
        per_day.setdefault(row.day, []).append(row)
        total = sums.setdefault(row.currency, [0, 0, 0])
        total[0] += row.orders
        total[1] += row.revenue
        total[2] += row.refunded
    items = [
        Item(
            label=_("%(days)d days, %(currency)s") % {"days": DAYS, "currency": code}, detail=_sales(*s, code)
        )
        for code, s in sorted(sums.items())
    ]
    for offset in range(DAYS):
        day = today - dt.timedelta(days=offset)
        found = per_day.get(day, [])
        detail = "; ".join(_sales(r.orders, r.revenue, r.refunded, r.currency) for r in found)
        items.append(
            Item(
                label=formats.date_format(day, "D j M"),
                # The day in the site's time zone (a date lookup), not a naive midnight.
                url=f"{listed}?placed_at__date={day.isoformat()}",
                detail=detail or _("no orders"),
            )
        )
    return Panel(
        key="sales",
        title=_("Sales, last %(days)d days") % {"days": DAYS},
        items=items,
        count=sum(s[0] for s in sums.values()),
        link=listed,
        link_label=_("All orders"),
    )


def waiting_panel(listed: str) -> Panel:
    counts = Order.objects.filter(status__in=[OrderStatus.PLACED, *TO_SHIP]).aggregate(
        payment=Count("pk", filter=Q(status=OrderStatus.PLACED)),
        shipping=Count("pk", filter=Q(status__in=TO_SHIP)),
    )
    items = [
        Item(
            label=_("Waiting for payment: %(count)d") % {"count": counts["payment"]},
            url=f"{listed}?waiting=payment",
        ),
        Item(
            label=_("To be shipped: %(count)d") % {"count": counts["shipping"]},
            url=f"{listed}?waiting=shipping",
        ),
    ]
    return Panel(
        key="orders-waiting",
        title=_("Orders waiting"),
        items=items,
        count=counts["payment"] + counts["shipping"],
        link=listed,
        link_label=_("All orders"),
    )


def panels(request) -> list[Panel]:
    if not can(request.user, "orders.view_orders"):
        return []
    listed = reverse("admin:orders_order_changelist")
    return [sales_panel(listed), waiting_panel(listed)]
