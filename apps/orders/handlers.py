"""What the orders module does on events, after the write committed (the event bus's worker).

- **Payments settle orders.** A payment of a checkout captured or refunded on its own (a pending
  card confirmed by the provider's notification, a refund made on the payment's page) moves the
  order on through `services.settle`, as the orders' own services do.
- **Mails to the shopper**, in the language they ordered in: confirmation (with the guest link),
  payment received, shipped (carrier and tracking number), cancelled, refunded. Sent through the
  mail circuit breaker; a failed send fails the attempt and the bus retries it (at least once).
- **The staff dashboard's daily sales** (`DailySales`): orders placed and money taken per day
  and currency, kept from the order events.
"""

from __future__ import annotations

from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.orders import links
from apps.orders.models import DailySales, Order
from apps.orders.services.orders import settle
from apps.site.selectors import site_name
from rustok.events import Envelope, subscribe
from rustok.money import format_minor
from rustok.resilience import breaker

CHECKOUT = "checkout:"


def _order_of_payment(envelope: Envelope) -> Order | None:
    reference = envelope.event.reference
    if not reference.startswith(CHECKOUT):
        return None
    return Order.objects.filter(checkout_token=reference[len(CHECKOUT) :]).first()


def _is_checkout(envelope: Envelope) -> bool:
    return envelope.event.reference.startswith(CHECKOUT)


@subscribe("payments.payment.captured", name="orders.settle_captured", when=_is_checkout)
def settle_captured(envelope: Envelope) -> None:
    order = _order_of_payment(envelope)
    if order is not None:
        settle(order=order)


@subscribe("payments.payment.refunded", name="orders.settle_refunded", when=_is_checkout)
def settle_refunded(envelope: Envelope) -> None:
    order = _order_of_payment(envelope)
    if order is not None:
        settle(order=order)


# --- mails ---------------------------------------------------------------------------------------


def _send(order: Order, subject: str, body: str) -> None:
    breaker("mail").call(send_mail, subject, body, None, [order.email])


def _money(order: Order, amount: int) -> str:
    return format_minor(amount, order.currency, order.language)


def _lines(order: Order) -> str:
    return "\n".join(
        f"{line.quantity} × {line.product_name}{f' ({line.variant_name})' if line.variant_name else ''}"
        f" [{line.sku}]: {_money(order, line.subtotal)}"
        for line in order.lines.all()
    )


def _mail(envelope: Envelope, subject, body) -> None:
    """Mail the order's shopper: `subject` (lazy, so it is translated here) and `body(order,
    context)`, both in the language they ordered in."""
    order = Order.objects.filter(pk=envelope.event.order_id).first()
    if order is None or not order.email:
        return
    with translation.override(order.language):
        context = {
            "site": site_name(),
            "number": order.number,
            "total": _money(order, order.total),
            "link": links.guest_url(order),
        }
        _send(order, subject % context, body(order, context))


@subscribe("orders.order.placed", name="orders.mail_confirmation")
def mail_confirmation(envelope: Envelope) -> None:
    def body(order, context):
        return (
            _("Thank you for your order #%(number)s at %(site)s.") % context
            + "\n\n"
            + _lines(order)
            + "\n\n"
            + _("Shipping: %(shipping)s") % {"shipping": _money(order, order.shipping)}
            + "\n"
            + (
                _("Discount: %(discount)s") % {"discount": _money(order, order.discount)} + "\n"
                if order.discount
                else ""
            )
            + _("Tax: %(tax)s") % {"tax": _money(order, order.tax)}
            + "\n"
            + _("Total: %(total)s") % context
            + "\n\n"
            + _("See your order at any time:\n%(link)s") % context
        )

    _mail(envelope, gettext_lazy("Your order #%(number)s at %(site)s"), body)


@subscribe("orders.order.link_requested", name="orders.mail_guest_link")
def mail_guest_link(envelope: Envelope) -> None:
    _mail(
        envelope,
        gettext_lazy("Your order #%(number)s"),
        lambda order, context: _("Open your order here:\n%(link)s") % context,
    )


@subscribe("orders.order.paid", name="orders.mail_paid")
def mail_paid(envelope: Envelope) -> None:
    _mail(
        envelope,
        gettext_lazy("Payment received for order #%(number)s"),
        lambda order, context: _("We received %(total)s for your order #%(number)s.\n\n%(link)s") % context,
    )


@subscribe("orders.order.fulfilled", name="orders.mail_shipped")
def mail_shipped(envelope: Envelope) -> None:
    shipment = envelope.event.shipment_id

    def body(order, context):
        found = order.shipments.filter(pk=shipment).first()
        tracking = ""
        if found is not None and (found.carrier or found.tracking_number):
            tracking = "\n" + _("Carrier: %(carrier)s, tracking number: %(tracking)s") % {
                "carrier": found.carrier or "-",
                "tracking": found.tracking_number or "-",
            }
        return _("Your order #%(number)s is on its way.") % context + tracking + "\n\n" + context["link"]

    _mail(envelope, gettext_lazy("Order #%(number)s has shipped"), body)


@subscribe("orders.order.cancelled", name="orders.mail_cancelled")
def mail_cancelled(envelope: Envelope) -> None:
    refunded = envelope.event.refunded

    def body(order, context):
        text = _("Your order #%(number)s has been cancelled.") % context
        if refunded:
            text += "\n" + _("%(amount)s will be refunded to you.") % {"amount": _money(order, refunded)}
        return text + "\n\n" + context["link"]

    _mail(envelope, gettext_lazy("Order #%(number)s cancelled"), body)


@subscribe("orders.order.refunded", name="orders.mail_refunded")
def mail_refunded(envelope: Envelope) -> None:
    amount = envelope.event.amount

    def body(order, context):
        return (
            _("We refunded %(amount)s for your order #%(number)s.")
            % {**context, "amount": _money(order, amount)}
            + "\n\n"
            + context["link"]
        )

    _mail(envelope, gettext_lazy("Refund for order #%(number)s"), body)


# --- the dashboard's daily sales -----------------------------------------------------------------


def _add(day, currency: str, **amounts) -> None:
    DailySales.objects.get_or_create(day=day, currency=currency)
    DailySales.objects.filter(day=day, currency=currency).update(
        **{field: F(field) + value for field, value in amounts.items()}
    )


def _day(envelope: Envelope):
    return timezone.localdate(envelope.occurred_at)


@subscribe("orders.order.placed", name="orders.count_placed")
def count_placed(envelope: Envelope) -> None:
    _add(_day(envelope), envelope.event.currency, orders=1)


@subscribe("orders.order.paid", name="orders.count_paid")
def count_paid(envelope: Envelope) -> None:
    _add(_day(envelope), envelope.event.currency, revenue=envelope.event.amount)


@subscribe("orders.order.refunded", name="orders.count_refunded")
def count_refunded(envelope: Envelope) -> None:
    _add(_day(envelope), envelope.event.currency, refunded=envelope.event.amount)
