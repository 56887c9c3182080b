"""What staff do with an order after it was placed: record the money, ship it (in parts), complete,
cancel or refund it (a return of some lines, restocked or not).

The money an order has received and given back is the payments module's to know: after every
provider call `settle` copies the sums of the checkout's payments onto the order (what was
captured, what was refunded) and moves the order on (placed → paid when the total has come in;
→ refunded when all of it went back). The payments' own events (a pending card confirmed by the
provider's notification, a refund made on the payment's page) settle the order the same way
(apps.orders.handlers).

Calls to the provider (void, refund, mark paid) run first and outside any transaction, as the
shop's own doing (the payments module is not asked for its permission: `orders.manage_orders`
was checked, and the order's history names who acted); the
order's own change follows in one transaction that locks the order's row first, then stock rows
(restocking), then the voucher's row.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import can_proceed

from apps.inventory import services as inventory
from apps.orders.events import (
    GuestLinkRequested,
    OrderCancelled,
    OrderCompleted,
    OrderFulfilled,
    OrderRefunded,
)
from apps.orders.models import (
    PAID_STATES,
    HistoryKind,
    Order,
    OrderLine,
    OrderStatus,
    Shipment,
    ShipmentLine,
    Voucher,
    VoucherUse,
)
from apps.orders.services.carts import MAX_ID
from apps.orders.services.placing import history, mark_paid_now, order_event_fields
from apps.orders.services.settings import whole
from apps.payments import services as payments
from apps.payments.models import Payment
from apps.payments.models import Status as PaymentStatus
from rustok import money, workflow
from rustok.errors import Conflict, InvalidInput, NotFound
from rustok.events import publish
from rustok.permissions import require

PERM = "orders.manage_orders"


class RefundExceedsPaid(Conflict):
    """More than the order has left to refund (paid less refunded)."""

    code = "refund_exceeds_paid"
    title = "Refund exceeds what was paid"


def reference(order: Order) -> str:
    """What the order's payments are for (the checkout it was placed from)."""
    return f"checkout:{order.checkout_token}"


def payments_of(order: Order) -> list[Payment]:
    return list(Payment.objects.filter(reference=reference(order)).order_by("created_at", "id"))


def _lock(order: Order) -> Order:
    locked = Order.objects.select_for_update().filter(pk=order.pk).first()
    if locked is None:
        raise NotFound(_("No such order."))
    return locked


def _allowed(order: Order, name: str) -> None:
    """Refuse a transition the order's status does not allow (409, naming the allowed ones)
    before any money moves."""
    if not can_proceed(getattr(order, name)):
        workflow.apply(order, name)  # raises TransitionNotAllowed with the allowed transitions


@transaction.atomic
def settle(*, order: Order, actor=None) -> Order:
    """Copy what the order's payments captured and refunded onto it, and move it on: placed →
    paid once the total came in; paid (or further) → refunded once all of it went back. Safe to
    call any number of times."""
    order = _lock(order)
    sums = Payment.objects.filter(reference=reference(order), currency=order.currency).aggregate(
        captured=Sum("captured_amount"), refunded=Sum("refunded_amount")
    )
    captured, refunded = sums["captured"] or 0, sums["refunded"] or 0
    if order.status == OrderStatus.PLACED and captured >= order.total:
        mark_paid_now(order, amount=captured, actor=actor)
    elif captured != order.paid_amount:
        order.paid_amount = captured
        order.save(update_fields=["paid_amount", "updated_at"])
    newly = refunded - order.refunded_amount
    if newly > 0:
        before = order.status
        order.refunded_amount = refunded
        everything = refunded >= order.paid_amount > 0
        fields = ["refunded_amount", "updated_at"]
        if everything and order.status in PAID_STATES:
            workflow.apply(order, "refund")
            fields.append("status")
        order.save(update_fields=fields)
        history(
            order, HistoryKind.REFUND, actor=actor, before=before if "status" in fields else "", amount=newly
        )
        publish(
            OrderRefunded(
                **order_event_fields(order),
                amount=newly,
                refunded=refunded,
                everything=everything,
                actor_id=getattr(actor, "pk", None),
            )
        )
    return order


def mark_paid(*, order: Order, actor) -> Order:
    """Staff received the money of an order paid by hand (bank transfer, cash on delivery)."""
    require(actor, PERM, order)
    _allowed(order, "pay")
    pending = [p for p in payments_of(order) if p.status == PaymentStatus.PENDING]
    if not pending:
        raise Conflict(_("This order has no payment waiting to be marked paid."), reason="no_pending_payment")
    payments.mark_paid(payment=pending[-1], actor=None)  # orders.manage_orders was checked
    return settle(order=order, actor=actor)


def _quantities(order: Order, lines, *, left, message: str) -> list[tuple[OrderLine, int]]:
    """`[{"line": id, "quantity": n}]` as (line, quantity) pairs of this order, at most `left(line)`
    of each (else `message` with what is left); 400 naming `lines.<n>.line` or
    `lines.<n>.quantity`."""
    if not isinstance(lines, list) or not lines:
        raise InvalidInput.for_field("lines", _("List the lines and their quantities."))
    own = {line.pk: line for line in order.lines.all()}
    errors: dict[str, list[str]] = {}
    chosen: dict[int, int] = {}
    for n, item in enumerate(lines):
        item = item if isinstance(item, dict) else {}
        try:
            line_id = whole(item.get("line"), f"lines.{n}.line", minimum=1, maximum=MAX_ID)
            quantity = whole(item.get("quantity"), f"lines.{n}.quantity", minimum=1, maximum=MAX_ID)
        except InvalidInput as exc:
            errors.update(exc.errors)
            continue
        line = own.get(line_id)
        if line is None:
            errors[f"lines.{n}.line"] = [_("Not a line of this order.")]
            continue
        chosen[line_id] = chosen.get(line_id, 0) + quantity
        if chosen[line_id] > left(line):
            errors[f"lines.{n}.quantity"] = [_(message) % {"left": left(line)}]
    if errors:
        raise InvalidInput("; ".join(f"{f}: {m[0]}" for f, m in errors.items()), errors=errors)
    return [(own[line_id], q) for line_id, q in chosen.items()]


def _unshipped(line: OrderLine) -> int:
    return line.quantity - line.quantity_fulfilled


def _shipment_lines(order: Order, lines) -> list[tuple[OrderLine, int]]:
    """What to ship: the given lines, or everything not yet shipped."""
    if lines is not None:
        return _quantities(order, lines, left=_unshipped, message=gettext_noop("Only %(left)s left to ship."))
    chosen = [(line, _unshipped(line)) for line in order.lines.all() if _unshipped(line) > 0]
    if not chosen:
        raise Conflict(_("Everything of this order has shipped."), reason="nothing_to_ship")
    return chosen


def _text(value, field: str, limit: int) -> str:
    if not isinstance(value, str):
        raise InvalidInput.for_field(field, _("Must be text."))
    value = value.strip()
    if len(value) > limit:
        raise InvalidInput.for_field(field, _("At most %(limit)s characters.") % {"limit": limit})
    return value


@transaction.atomic
def fulfil(*, order: Order, actor, lines=None, carrier: str = "", tracking_number: str = "") -> Shipment:
    """Ship `lines` (`[{"line": id, "quantity": n}]`; default: everything not shipped yet) in one
    shipment with its carrier and tracking number. The order becomes partially fulfilled, or
    fulfilled once every line has shipped."""
    require(actor, PERM, order)
    order = _lock(order)
    _allowed(order, "fulfil")
    carrier = _text(carrier, "carrier", 80)
    tracking_number = _text(tracking_number, "tracking_number", 120)
    chosen = _shipment_lines(order, lines)
    shipment = Shipment.objects.create(
        order=order, carrier=carrier, tracking_number=tracking_number, created_by=actor
    )
    ShipmentLine.objects.bulk_create(
        [ShipmentLine(shipment=shipment, line=line, quantity=q) for line, q in chosen]
    )
    for line, quantity in chosen:
        line.quantity_fulfilled += quantity
        line.save(update_fields=["quantity_fulfilled"])
    everything = all(line.quantity_fulfilled == line.quantity for line in order.lines.all())
    before = order.status
    workflow.apply(order, "fulfil", everything=everything)
    order.save(update_fields=["status", "fulfilled_at", "updated_at"])
    history(
        order,
        HistoryKind.SHIPMENT,
        actor=actor,
        before=before,
        shipment_id=shipment.pk,
        carrier=carrier,
        tracking_number=tracking_number,
        lines=[{"sku": line.sku, "quantity": q} for line, q in chosen],
    )
    publish(OrderFulfilled(**order_event_fields(order), shipment_id=shipment.pk, everything=everything))
    return shipment


@transaction.atomic
def complete(*, order: Order, actor) -> Order:
    """A fulfilled order is done (delivered, nothing left to do)."""
    require(actor, PERM, order)
    order = _lock(order)
    before = order.status
    workflow.apply(order, "complete")
    order.save(update_fields=["status", "completed_at", "updated_at"])
    history(order, HistoryKind.STATUS, actor=actor, before=before)
    publish(OrderCompleted(**order_event_fields(order)))
    return order


def _restock_lines(order: Order, returned: Iterable[tuple[OrderLine, int]]) -> None:
    """Put `quantity` of each line back where its stock was taken from (its allocations, first
    to last), in one inventory call."""
    back: list[tuple[int, int, int]] = []
    for line, quantity in returned:
        left = quantity
        for allocation in line.allocations:
            take = min(left, allocation["quantity"])
            if take > 0 and line.variant_id is not None:
                back.append((line.variant_id, allocation["location_id"], take))
            left -= take
            if left <= 0:
                break
    if back:
        inventory.restock(lines=back, owner=f"order:{order.number}", note=f"#{order.number}")


def cancel(*, order: Order, actor, reason: str = "") -> Order:
    """Cancel a placed or paid order: a payment waiting is let go, money taken goes back (through
    the provider, first), the stock the order took goes back where it came from, and the voucher
    use is given back."""
    require(actor, PERM, order)
    reason = _text(reason, "reason", 500)
    _allowed(order, "cancel")
    for payment in payments_of(order):
        if payment.status in (PaymentStatus.PENDING, PaymentStatus.AUTHORIZED):
            payments.void(payment=payment, actor=None)
        elif payment.refundable > 0:
            payments.refund(payment=payment, amount=payment.refundable, actor=None)
    return _cancelled(order, actor=actor, reason=reason)


@transaction.atomic
def _cancelled(order: Order, *, actor, reason: str) -> Order:
    order = _lock(order)
    before = order.status
    workflow.apply(order, "cancel")
    order.save(update_fields=["status", "cancelled_at", "updated_at"])
    order = settle(order=order, actor=actor)  # the money given back, now it is cancelled
    lines = list(order.lines.all())
    _restock_lines(order, [(line, line.quantity - line.quantity_returned) for line in lines])
    for line in lines:
        line.quantity_returned = line.quantity
    OrderLine.objects.bulk_update(lines, ["quantity_returned"])
    use = VoucherUse.objects.filter(order=order).first()
    if use is not None:
        voucher = Voucher.objects.select_for_update().get(pk=use.voucher_id)
        voucher.used = max(voucher.used - 1, 0)
        voucher.save(update_fields=["used"])
        use.delete()
    history(
        order, HistoryKind.STATUS, actor=actor, before=before, message=reason, refunded=order.refunded_amount
    )
    publish(
        OrderCancelled(
            **order_event_fields(order), actor_id=getattr(actor, "pk", None), refunded=order.refunded_amount
        )
    )
    return order


def _returned_lines(order: Order, lines) -> list[tuple[OrderLine, int]]:
    if lines is None:
        return []
    return _quantities(
        order,
        lines,
        left=lambda line: line.quantity - line.quantity_returned,
        message=gettext_noop("Only %(left)s can come back."),
    )


def refund(*, order: Order, actor, amount, lines=None, restock: bool = False, note: str = "") -> Order:
    """Give `amount` back to the shopper (at most what was paid and not refunded yet: 409
    `refund_exceeds_paid` naming `amount`), for returned `lines` (`[{"line", "quantity"}]`,
    restocked when `restock`) or none. Once all of it is refunded the order is `refunded`."""
    require(actor, PERM, order)
    amount = money.minor_amount(amount, "amount")
    if amount == 0:
        raise InvalidInput.for_field("amount", _("Must be more than zero."))
    note = _text(note, "note", 500)
    if not isinstance(restock, bool):
        raise InvalidInput.for_field("restock", _("Must be true or false."))
    order = Order.objects.get(pk=order.pk)
    if order.status not in PAID_STATES:
        _allowed(order, "refund")
    returned = _returned_lines(order, lines)
    if amount > order.refundable:
        message = _("At most %(left)s can be refunded.") % {
            "left": money.format_minor(order.refundable, order.currency)
        }
        raise RefundExceedsPaid(message, errors={"amount": [message]}, refundable=order.refundable)
    left = amount
    for payment in reversed(payments_of(order)):
        take = min(left, payment.refundable)
        if take > 0:
            payments.refund(payment=payment, amount=take, actor=None)
            left -= take
    return _refunded(order, actor=actor, returned=returned, restock=restock, note=note)


@transaction.atomic
def _refunded(order: Order, *, actor, returned, restock: bool, note: str) -> Order:
    order = _lock(order)
    if returned:
        for line, quantity in returned:
            line.quantity_returned += quantity
        OrderLine.objects.bulk_update([line for line, _q in returned], ["quantity_returned"])
        if restock:
            _restock_lines(order, returned)
        history(
            order,
            HistoryKind.RETURN,
            actor=actor,
            message=note,
            restocked=restock,
            lines=[{"sku": line.sku, "quantity": q} for line, q in returned],
        )
    return settle(order=order, actor=actor)


@transaction.atomic
def add_note(*, order: Order, actor, message: str) -> Order:
    """A note for the staff in the order's history."""
    require(actor, PERM, order)
    message = _text(message, "message", 500)
    if not message:
        raise InvalidInput.for_field("message", _("Write something."))
    history(_lock(order), HistoryKind.NOTE, actor=actor, message=message)
    return order


@transaction.atomic
def request_guest_link(*, number, email) -> None:
    """Mail the link to the order numbered `number` to `email` if they belong together (the mail
    goes from the event's handler, after the commit). Says nothing either way."""
    if isinstance(number, bool) or not isinstance(number, int) or not 0 < number < 2**63:
        return
    if not isinstance(email, str) or not email.strip():
        return
    order = Order.objects.filter(number=number, email__iexact=email.strip()).first()
    if order is not None:
        publish(GuestLinkRequested(order_id=order.pk))
