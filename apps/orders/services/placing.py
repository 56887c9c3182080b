"""Placing an order: a paid-for (or payable) checkout becomes an order in one transaction.

Step 3 of apps.orders.services.checkout. The order is a copy of the cart as priced at that moment
(names, SKU, options, unit price, discount and tax per line; addresses; totals), so later changes
to the catalogue, rates or vouchers do not change it. Its number is the next of the site's
counter, taken last in the transaction: numbers have no gaps and no duplicates.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from apps.inventory import services as inventory
from apps.orders.carts import PricedCart, VoucherNotApplicable, order_settings, priced, ready, used_by
from apps.orders.events import OrderPaid, OrderPlaced
from apps.orders.models import (
    Cart,
    CartStatus,
    HistoryKind,
    Order,
    OrderCounter,
    OrderHistory,
    OrderLine,
    Voucher,
    VoucherUse,
)
from apps.orders.services.carts import CartClosed
from apps.payments.models import Payment
from apps.payments.models import Status as PaymentStatus
from rustok.errors import Conflict, NotFound
from rustok.events import publish

PAYABLE = (PaymentStatus.PENDING, PaymentStatus.AUTHORIZED, PaymentStatus.CAPTURED)


class PaymentMismatch(Conflict):
    """The cart changed after its payment started: the payment no longer pays for it."""

    code = "payment_mismatch"
    title = "The payment does not match the cart"


def next_number() -> int:
    """The next order number: the counter's row locked (the last lock of a placement) and moved
    on in this transaction, so a placement that rolls back gives its number back."""
    OrderCounter.objects.get_or_create(pk=OrderCounter.ONLY)
    counter = OrderCounter.objects.select_for_update().get(pk=OrderCounter.ONLY)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def order_event_fields(order: Order) -> dict:
    return {
        "order_id": order.pk,
        "number": order.number,
        "customer_id": order.customer_id,
        "email": order.email,
        "currency": order.currency,
        "total": order.total,
    }


def history(order: Order, kind: str, *, actor=None, message: str = "", before: str = "", **data) -> None:
    """Write down one thing that happened to the order (who, when, what)."""
    OrderHistory.objects.create(
        order=order,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        from_status=before,
        to_status=order.status if before else "",
        message=message[:500],
        data=data,
    )


def _count_voucher(voucher_id: int | None, cart: Cart, shown: PricedCart) -> Voucher | None:
    """Lock the voucher's row (after the stock: the lock order) and count this use, checking its
    limits again under the lock: overall, and per customer (two carts of one shopper racing)."""
    if voucher_id is None or not shown.totals.discount:
        return None
    voucher = Voucher.objects.select_for_update().filter(pk=voucher_id).first()
    if voucher is None:
        raise VoucherNotApplicable("unknown", _("No such voucher."))
    if voucher.usage_limit is not None and voucher.used >= voucher.usage_limit:
        raise VoucherNotApplicable("used_up", _("This voucher has been used up."))
    if voucher.per_customer_limit is not None and used_by(voucher, cart) >= voucher.per_customer_limit:
        raise VoucherNotApplicable("limit_per_customer", _("You have already used this voucher."))
    voucher.used += 1
    voucher.save(update_fields=["used"])
    return voucher


@transaction.atomic
def place_order(*, cart: Cart, payment: Payment, site_url: str = "") -> Order:
    """The order of this checkout, placed now, or the one placed already (idempotent)."""
    locked = Cart.objects.select_for_update().filter(pk=cart.pk).first()
    if locked is None:
        raise NotFound(_("No such cart."))
    existing = Order.objects.filter(checkout_token=locked.token).first()
    if existing is not None:
        return existing
    if locked.status != CartStatus.OPEN:
        raise CartClosed(locked)
    cart = locked
    payment = Payment.objects.get(pk=payment.pk)
    settings = order_settings()
    shown = priced(cart, settings=settings)
    totals = shown.totals
    ready(shown)  # what changed since the payment began is named first (stock, voucher, ...)
    if (
        payment.reference != cart.owner
        or payment.status not in PAYABLE
        or payment.amount != totals.total
        or payment.currency != cart.currency
    ):
        raise PaymentMismatch(
            _("The cart changed after its payment started; start the payment again."),
            payment_id=payment.pk,
            payment_status=payment.status,
            payment_amount=payment.amount,
            total=totals.total,
        )
    # Hold the stock again (nothing changes when the reservation is still held; it is taken
    # anew if it expired meanwhile, or refused as out of stock), then make it a sale.
    inventory.reserve(
        lines=[(line.variant_id, line.quantity) for line in shown.lines],
        owner=cart.owner,
        ttl=timedelta(minutes=settings.reservation_minutes),
    )
    taken = inventory.commit(owner=cart.owner)
    voucher = _count_voucher(cart.voucher_id, cart, shown)

    billing = cart.billing_address or cart.shipping_address
    order = Order.objects.create(
        number=next_number(),
        checkout_token=cart.token,
        customer=cart.customer,
        email=cart.email,
        language=cart.language or "en",
        currency=cart.currency,
        shipping_address=cart.shipping_address,
        billing_address=billing,
        shipping_method=shown.shipping_method,
        shipping_method_name=shown.shipping_method.name if shown.shipping_method else "",
        voucher=voucher,
        voucher_code=voucher.code if voucher else "",
        payment_provider=payment.provider,
        prices_include_tax=totals.prices_include_tax,
        subtotal=totals.subtotal,
        discount=totals.discount,
        shipping=totals.shipping,
        shipping_tax=totals.shipping_tax,
        tax=totals.tax,
        total=totals.total,
        taxes=[{"name": t.name, "rate": str(t.rate), "base": t.base, "tax": t.tax} for t in totals.taxes],
        note=cart.note,
        site_url=site_url[:200],
    )
    allocations: dict[int, list[dict]] = defaultdict(list)
    for reservation in taken:
        allocations[reservation.variant_id].append(
            {"location_id": reservation.location_id, "quantity": reservation.quantity}
        )
    OrderLine.objects.bulk_create(
        [
            OrderLine(
                order=order,
                variant_id=line.variant_id,
                product_id=line.line.variant.product_id,
                product_name=line.product_name,
                variant_name=line.variant_name,
                sku=line.sku,
                attributes=line.options,
                quantity=line.quantity,
                unit_price=line.totals.unit_price,
                subtotal=line.totals.subtotal,
                discount=line.totals.discount,
                tax_name=line.totals.tax_name,
                tax_rate=line.totals.tax_rate,
                tax=line.totals.tax,
                total=line.totals.total,
                allocations=allocations.get(line.variant_id, []),
                position=n,
            )
            for n, line in enumerate(shown.lines)
        ]
    )
    if voucher is not None:
        VoucherUse.objects.create(voucher=voucher, order=order, customer=cart.customer, email=cart.email)
    cart.status = CartStatus.ORDERED
    cart.reserved_until = None
    cart.save(update_fields=["status", "reserved_until", "updated_at"])
    history(order, HistoryKind.PLACED, message=f"#{order.number}", payment_id=payment.pk)
    publish(OrderPlaced(**order_event_fields(order)))
    if payment.status == PaymentStatus.CAPTURED and payment.captured_amount >= order.total:
        mark_paid_now(order, amount=payment.captured_amount - payment.refunded_amount)
    return order


def mark_paid_now(order: Order, *, amount: int, actor=None) -> None:
    """In the caller's transaction: the order is paid (`amount` received)."""
    from rustok import workflow

    before = order.status
    workflow.apply(order, "pay")
    order.paid_amount = amount
    order.save(update_fields=["status", "paid_at", "paid_amount", "updated_at"])
    history(order, HistoryKind.STATUS, actor=actor, before=before, amount=amount)
    publish(OrderPaid(**order_event_fields(order), amount=amount))
