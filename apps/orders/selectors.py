"""Reading orders: a customer's own or every order for staff, and one order with what its page
shows, in a fixed number of queries. The shop's configuration is read through
apps.orders.selectors_config; a cart through apps.orders.carts."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet, Sum

from apps.orders.models import Order, OrderHistory, OrderStatus, Shipment
from rustok.permissions import can


def orders_for(user, *, status: str | None = None, email: str | None = None) -> QuerySet[Order]:
    """Orders newest first: every order for staff (`orders.view_orders`), else the user's own;
    of one `status`, of one `email` (staff)."""
    found = Order.objects.annotate(items=Sum("lines__quantity")).order_by("-number")
    if not can(user, "orders.view_orders"):
        found = found.filter(customer_id=user.pk)
    if status in OrderStatus.values:
        found = found.filter(status=status)
    if email:
        found = found.filter(email__iexact=email.strip())
    return found


def may_read(user, order: Order) -> bool:
    """Staff who see orders read every order; a customer their own."""
    if can(user, "orders.view_orders"):
        return True
    return bool(order.customer_id) and order.customer_id == getattr(user, "pk", None)


def order_detail(order_id: int) -> Order:
    """An order with its lines, shipments (and their lines) and history (and who): four queries
    beside the order's."""
    return Order.objects.prefetch_related(
        "lines",
        Prefetch("shipments", Shipment.objects.prefetch_related("lines").order_by("created_at", "id")),
        Prefetch("history", OrderHistory.objects.select_related("actor").order_by("created_at", "id")),
    ).get(pk=order_id)
