"""Reading orders: a customer's own or every order for staff, and one order with what its page
shows, in a fixed number of queries. The shop's configuration is read through
apps.orders.selectors_config; a cart through apps.orders.carts."""

from __future__ import annotations

import uuid

from django.db.models import Prefetch, QuerySet, Sum
from django.utils.translation import gettext as _

from apps.orders.models import Cart, CustomerAddress, HistoryKind, Order, OrderHistory, OrderStatus, Shipment
from rustok.errors import NotFound
from rustok.permissions import can

VIEW_ALL = "orders.view_orders"
# What an order's answer shows besides the order: its lines, shipments and history.
ORDER_RELATIONS = (
    "lines",
    Prefetch("shipments", Shipment.objects.prefetch_related("lines").order_by("created_at", "id")),
    Prefetch("history", OrderHistory.objects.select_related("actor").order_by("created_at", "id")),
)


CURRENT = "current"


def cart_for(user, token, *, reading: bool = False, carried: str = "") -> Cart:
    """The cart of `token`: a guest's to whoever holds the token, a customer's to that customer
    (and, `reading`, to staff who see orders); NotFound otherwise, as for no cart at all.

    The token `current` is the cart the request carries (`carried`: its `X-Cart-Token` header or
    `rustok_cart` cookie), else the signed-in customer's open cart."""
    if token == CURRENT:
        if carried:
            token = carried
        elif getattr(user, "is_authenticated", False):
            mine = Cart.objects.select_related("voucher").filter(customer=user, status="open").first()
            if mine is None:
                raise NotFound(_("No such cart."))
            return mine
        else:
            raise NotFound(_("No cart: send its token (the X-Cart-Token header or the rustok_cart cookie)."))
    try:
        token = uuid.UUID(str(token))
    except ValueError:
        raise NotFound(_("No such cart.")) from None
    cart = Cart.objects.select_related("voucher").filter(token=token).first()
    if cart is None:
        raise NotFound(_("No such cart."))
    theirs = cart.customer_id and not (user.is_authenticated and user.pk == cart.customer_id)
    if theirs and not (reading and can(user, VIEW_ALL)):
        raise NotFound(_("No such cart."))
    return cart


def orders_for(user, *, status: str | None = None, email: str | None = None) -> QuerySet[Order]:
    """Orders newest first: every order for staff (`orders.view_orders`), else the user's own;
    of one `status`, of one `email` (staff)."""
    found = Order.objects.annotate(items=Sum("lines__quantity")).order_by("-number")
    if not can(user, VIEW_ALL):
        found = found.filter(customer_id=user.pk)
    if status in OrderStatus.values:
        found = found.filter(status=status)
    if email:
        found = found.filter(email__iexact=email.strip())
    return found


def may_read(user, order: Order) -> bool:
    """Staff who see orders read every order; a customer their own."""
    if can(user, VIEW_ALL):
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


# What a customer sees of an order's history: what happened to it, not the shop's notes and mails.
CUSTOMER_HISTORY = (
    HistoryKind.PLACED,
    HistoryKind.STATUS,
    HistoryKind.PAYMENT,
    HistoryKind.SHIPMENT,
    HistoryKind.RETURN,
    HistoryKind.REFUND,
)


def customer_history(order: Order) -> list[OrderHistory]:
    """The entries of `order`'s history its customer may see (from order_detail's prefetch)."""
    return [entry for entry in order.history.all() if entry.kind in CUSTOMER_HISTORY]


def customer_orders(user) -> QuerySet[Order]:
    """A signed-in customer's own orders, newest first, with their shipments' tracking (one
    query for a page of orders, one for their shipments), whoever the user is (staff too)."""
    return (
        Order.objects.filter(customer_id=user.pk)
        .order_by("-number")
        .prefetch_related(Prefetch("shipments", Shipment.objects.order_by("created_at", "id")))
    )


def addresses_of(user) -> QuerySet[CustomerAddress]:
    """A customer's saved addresses, the default one first, then in the order they were added."""
    if not getattr(user, "is_authenticated", False):
        return CustomerAddress.objects.none()
    return CustomerAddress.objects.filter(customer_id=user.pk).order_by("-is_default", "created_at", "id")


def default_address(user) -> dict | None:
    """A customer's default shipping address (the dict a checkout takes), None if they have none."""
    if not getattr(user, "is_authenticated", False):
        return None
    found = CustomerAddress.objects.filter(customer_id=user.pk, is_default=True).values_list(
        "address", flat=True
    )
    return found.first()
