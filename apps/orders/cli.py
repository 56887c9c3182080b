"""`rustok orders list|show|cancel --tenant SLUG`: a tenant's orders from the command line.

    rustok orders list --tenant shop --status paid --limit 20
    rustok orders show --tenant shop 1042
    rustok orders cancel --tenant shop 1042 --as manager@shop.example --reason "Asked by phone"

`cancel` goes through apps.orders.services.cancel, as the admin's button does: a payment still
waiting is let go, money taken goes back through the provider, the stock goes back where it was
taken from, and the order's history names the manager given with --as. An unknown number, an
order that cannot be cancelled from its status, or a user who may not manage orders is an error
(exit status 1) and changes nothing.
"""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.core.selectors import is_enabled
from apps.core.services import get_tenant
from apps.orders import services
from apps.orders.addresses import one_line
from apps.orders.models import Order, OrderStatus
from apps.orders.services.orders import payments_of
from rustok.cli import CommandGroup, Output
from rustok.money import format_minor


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"


def _tenant_schema(slug: str) -> str:
    tenant = get_tenant(slug)
    if not is_enabled(tenant, "orders"):
        raise CommandError(f"The orders module is off for tenant '{slug}'.")
    return tenant.schema_name


def _taken(line) -> int:
    """Units of a line that came from stock and have not come back yet (what cancelling puts back)."""
    return min(line.quantity - line.quantity_returned, sum(a.get("quantity", 0) for a in line.allocations))


def _order(number: str, slug: str) -> Order:
    digits = str(number).lstrip("#")
    order = Order.objects.filter(number=int(digits)).first() if digits.isdigit() else None
    if order is None:
        raise CommandError(f"No order #{digits} on tenant '{slug}'.")
    return order


class OrdersCommands(CommandGroup):
    name = "orders"
    help = "List a tenant's orders, show one, or cancel one (refunded and restocked)."

    def add_actions(self, actions) -> None:
        listing = actions.add_parser("list", help="The newest orders, one line each.")
        listing.add_argument("--tenant", required=True, help="Slug of the tenant.")
        listing.add_argument("--status", choices=OrderStatus.values, help="Only orders in this status.")
        listing.add_argument("--limit", type=int, default=50, help="At most this many (default 50).")

        show = actions.add_parser("show", help="One order: lines, totals, payments, shipments, history.")
        show.add_argument("number", help="The order's number (1042 or #1042).")
        show.add_argument("--tenant", required=True, help="Slug of the tenant.")

        cancel = actions.add_parser(
            "cancel", help="Cancel an order: money back through the provider, stock back where it was."
        )
        cancel.add_argument("number", help="The order's number (1042 or #1042).")
        cancel.add_argument("--tenant", required=True, help="Slug of the tenant.")
        cancel.add_argument(
            "--as", dest="as_email", required=True, help="E-mail of the owner, admin or manager cancelling."
        )
        cancel.add_argument("--reason", default="", help="Why, kept in the order's history.")

    def list(self, out: Output, tenant, status=None, limit=50, **_options) -> None:
        if limit < 1:
            raise CommandError("--limit: give 1 or more.")
        with schema_context(_tenant_schema(tenant)):
            orders = Order.objects.order_by("-number")
            if status:
                orders = orders.filter(status=status)
            total = orders.count()
            rows = [
                [
                    f"#{o.number}",
                    _when(o.placed_at),
                    o.status,
                    o.email,
                    format_minor(o.total, o.currency, "en"),
                    format_minor(o.paid_amount, o.currency, "en"),
                    format_minor(o.refunded_amount, o.currency, "en") if o.refunded_amount else "-",
                ]
                for o in orders[:limit]
            ]
        if not rows:
            out.line(f"No orders{f' in status {status}' if status else ''} on {tenant}.")
            return
        out.table(["NUMBER", "PLACED", "STATUS", "E-MAIL", "TOTAL", "PAID", "REFUNDED"], rows)
        out.line(f"{len(rows)} of {total} order(s)")

    def show(self, out: Output, number, tenant, **_options) -> None:
        with schema_context(_tenant_schema(tenant)):
            order = _order(number, tenant)
            self._show(out, order)

    def _show(self, out: Output, order: Order) -> None:
        def money(amount: int) -> str:
            return format_minor(amount, order.currency, "en")

        guest = "" if order.customer_id else " (guest)"
        out.line(f"Order #{order.number}  {order.status}  placed {_when(order.placed_at)}")
        out.line(f"  customer   {order.email}{guest}")
        out.line(f"  ships to   {one_line(order.shipping_address) or '-'}")
        out.line(f"  shipping   {order.shipping_method_name or '-'}  payment {order.payment_provider}")
        if order.note:
            out.line(f"  note       {order.note}")
        out.line("")
        out.table(
            ["SKU", "PRODUCT", "QTY", "UNIT", "DISCOUNT", "TAX", "TOTAL", "SHIPPED", "RETURNED"],
            [
                [
                    line.sku,
                    line.product_name + (f" ({line.variant_name})" if line.variant_name else ""),
                    line.quantity,
                    money(line.unit_price),
                    money(line.discount) if line.discount else "-",
                    money(line.tax) if line.tax else "-",
                    money(line.total),
                    line.quantity_fulfilled,
                    line.quantity_returned,
                ]
                for line in order.lines.all()
            ],
        )
        out.line("")
        totals = [
            ("subtotal", order.subtotal),
            ("discount", -order.discount),
            ("shipping", order.shipping),
            ("tax", order.tax),
            ("total", order.total),
            ("paid", order.paid_amount),
            ("refunded", order.refunded_amount),
        ]
        for label, value in totals:
            out.line(f"  {label:<10} {money(value)}")
        for tax in order.taxes:
            out.line(f"    {tax.get('name', '')} {tax.get('rate', '')}%: {money(tax.get('tax', 0))}")
        payments = payments_of(order)
        out.line("")
        if payments:
            out.table(
                ["PAYMENT", "PROVIDER", "STATUS", "AMOUNT", "CAPTURED", "REFUNDED", "CREATED"],
                [
                    [
                        p.pk,
                        p.provider,
                        p.status,
                        money(p.amount),
                        money(p.captured_amount),
                        money(p.refunded_amount),
                        _when(p.created_at),
                    ]
                    for p in payments
                ],
            )
        else:
            out.line("No payments.")
        shipments = order.shipments.prefetch_related("lines__line")
        for shipment in shipments:
            what = ", ".join(f"{x.quantity} x {x.line.sku}" for x in shipment.lines.all())
            tracking = " ".join(p for p in (shipment.carrier, shipment.tracking_number) if p) or "-"
            out.line(f"  shipped {_when(shipment.created_at)}: {what} ({tracking})")
        out.line("")
        out.table(
            ["WHEN", "WHO", "WHAT", "STATUS", "MESSAGE"],
            [
                [
                    _when(h.created_at),
                    h.actor.email if h.actor else "-",
                    h.kind,
                    f"{h.from_status} -> {h.to_status}" if h.from_status else "",
                    h.message,
                ]
                for h in order.history.select_related("actor").order_by("created_at", "id")
            ],
        )

    def cancel(self, out: Output, number, tenant, as_email, reason="", **_options) -> None:
        with schema_context(_tenant_schema(tenant)):
            actor = User.objects.filter(email__iexact=as_email.strip(), is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user with the e-mail '{as_email}' on tenant '{tenant}'.")
            order = _order(number, tenant)
            out.step(f"cancelling #{order.number} ({order.status}) as {actor.email}")
            units = sum(_taken(line) for line in order.lines.all())
            order = services.cancel(order=order, actor=actor, reason=reason)
            if order.refunded_amount:
                out.step(f"refunded {format_minor(order.refunded_amount, order.currency, 'en')}")
            out.step(f"{units} unit(s) back in stock")
        out.line(out.style.SUCCESS(f"Order #{order.number} cancelled."))


group = OrdersCommands()
