"""Admin of orders and carts, for the shop's managers and admins.

The order list (status badges, amounts in their currency, filters by status, date, payment
method and currency, search by number, e-mail or SKU, and the sums per currency of what is
listed); each order's page, read-only: its addresses and totals, then its lines, taxes per rate,
payments, shipments and history, and a button per operation its status allows. Every operation
(mark paid, fulfil, complete, cancel, refund, add a note) has a page of its own whose form calls
apps.orders.services; a refusal comes back on that form, on the field it names.

The operations are views of their own (get_urls), never a save of the change form: Django's
admin runs a change form's POST in a transaction, and the services call the payment provider
outside any transaction (docs/orders.md). Nothing here adds, edits or deletes an order.

The carts list (read-only) shows open, ordered and merged carts, whose and how full, to see the
abandoned ones.
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from apps.orders.addresses import one_line
from apps.orders.admin.operations import OPERATIONS, amount, operations_for
from apps.orders.models import Cart, CartLine, CartStatus, HistoryKind, Order, OrderStatus
from apps.orders.services.orders import payments_of
from apps.payments.models import Payment
from rustok import money, workflow
from rustok.admin import ObjectPermissionsModelAdmin, Panel, ReadOnly, TabularInline
from rustok.errors import DomainError
from rustok.permissions import can

MANAGE = "orders.manage_orders"

STATUS_TONES = {
    OrderStatus.PLACED: "warning",
    OrderStatus.PAID: "info",
    OrderStatus.PARTIALLY_FULFILLED: "info",
    OrderStatus.FULFILLED: "success",
    OrderStatus.COMPLETED: "success",
    OrderStatus.CANCELLED: "danger",
    OrderStatus.REFUNDED: "danger",
}
CART_TONES = {CartStatus.OPEN: "info", CartStatus.ORDERED: "success"}


# --- the list ------------------------------------------------------------------------------------


class WaitingFilter(admin.SimpleListFilter):
    """Orders that wait for staff: for their money, or to be shipped."""

    title = _("waiting")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("payment", _("For payment")), ("shipping", _("To be shipped"))]

    def queryset(self, request, queryset):
        if self.value() == "payment":
            return queryset.filter(status=OrderStatus.PLACED)
        if self.value() == "shipping":
            return queryset.filter(status__in=[OrderStatus.PAID, OrderStatus.PARTIALLY_FULFILLED])
        return queryset


@admin.register(Order)
class OrderAdmin(ObjectPermissionsModelAdmin):
    """Orders, newest first; each order's page is read-only, with its operations as buttons."""

    change_form_template = "admin/orders/order_change_form.html"
    list_before_template = "admin/orders/order_totals.html"
    list_display = [
        "order_number",
        "placed_at",
        "buyer",
        "order_status",
        "order_total",
        "order_paid",
        "order_refunded",
    ]
    list_display_links = ["order_number"]
    list_filter = ["status", WaitingFilter, "placed_at", "payment_provider", "currency"]
    search_fields = ["number__exact", "email", "lines__sku"]
    search_help_text = _("An order number (#1042: that order alone), an e-mail or a SKU.")
    ordering = ["-number"]
    list_per_page = 50
    actions = []
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "order_number",
                    "status",
                    "placed_at",
                    "buyer",
                    "language",
                    "payment_provider",
                    "shipping_method_name",
                    "voucher_code",
                    "note",
                ]
            },
        ),
        (_("Addresses"), {"fields": ["shipping_to", "billing_to"]}),
        (
            _("Totals"),
            {
                "fields": [
                    "order_subtotal",
                    "order_discount",
                    "order_shipping",
                    "order_tax",
                    "order_total",
                    "order_paid",
                    "order_refunded",
                    "prices_include_tax",
                ]
            },
        ),
        (_("Dates"), {"fields": ["paid_at", "fulfilled_at", "completed_at", "cancelled_at"]}),
    ]

    # --- what nobody does here --------------------------------------------------------------------
    def has_add_permission(self, request):
        return False  # orders come from checkouts

    def has_change_permission(self, request, obj=None):
        return False  # the page is read-only; the operations have pages of their own

    def has_delete_permission(self, request, obj=None):
        return False

    # --- columns and fields -------------------------------------------------------------------
    @display(description=_("number"), ordering="number")
    def order_number(self, order: Order) -> str:
        return f"#{order.number}"

    @display(description=_("customer"), ordering="email")
    def buyer(self, order: Order) -> str:
        return order.email if order.customer_id else f"{order.email} ({_('guest')})"

    @display(description=_("status"), ordering="status", label=STATUS_TONES)
    def order_status(self, order: Order):
        return order.status, order.get_status_display()

    @display(description=_("total"), ordering="total")
    def order_total(self, order: Order) -> str:
        return amount(order, order.total)

    @display(description=_("paid"), ordering="paid_amount")
    def order_paid(self, order: Order) -> str:
        return amount(order, order.paid_amount)

    @display(description=_("refunded"), ordering="refunded_amount")
    def order_refunded(self, order: Order) -> str:
        return amount(order, order.refunded_amount) if order.refunded_amount else "—"

    @display(description=_("subtotal"))
    def order_subtotal(self, order: Order) -> str:
        return amount(order, order.subtotal)

    @display(description=_("discount"))
    def order_discount(self, order: Order) -> str:
        code = f" ({order.voucher_code})" if order.voucher_code else ""
        return f"−{amount(order, order.discount)}{code}" if order.discount else "—"

    @display(description=_("shipping"))
    def order_shipping(self, order: Order) -> str:
        shown = amount(order, order.shipping)
        if order.shipping_tax:
            shown += " " + _("(tax %(tax)s)") % {"tax": amount(order, order.shipping_tax)}
        return shown

    @display(description=_("tax"))
    def order_tax(self, order: Order) -> str:
        return amount(order, order.tax)

    @display(description=_("ships to"))
    def shipping_to(self, order: Order) -> str:
        return one_line(order.shipping_address) or "—"

    @display(description=_("bill to"))
    def billing_to(self, order: Order) -> str:
        return one_line(order.billing_address) or "—"

    # --- the list: search by "#1001" too, and the sums of what is listed -------------------------
    def get_search_results(self, request, queryset, search_term):
        """`#1042` is that order alone; anything else is looked for in the number, the e-mail
        and the SKUs."""
        number = re.fullmatch(r"\s*#(\d{1,18})\s*", search_term or "")
        if number:
            return queryset.filter(number=int(number.group(1))), False
        return super().get_search_results(request, queryset, search_term)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context and "cl" in context:
            context["order_totals"] = totals_of(context["cl"].queryset)
        return response

    # --- the order's page -----------------------------------------------------------------------
    def get_queryset(self, request):
        return super().get_queryset(request).select_related("customer")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            lines = list(obj.lines.all())
            payments = payments_of(obj)
            context["extra_panels"] = order_panels(
                obj, lines, payments, may_see_payments=can(request.user, "payments.view_payment")
            )
            context["operations"] = (
                [
                    {
                        "name": name,
                        "label": OPERATIONS[name][1],
                        "url": self.admin_url("operation", obj.pk, name),
                        "direct": name in ("mark_paid", "complete"),
                    }
                    for name in operations_for(obj, payments)
                ]
                if can(request.user, MANAGE, obj)
                else []
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- the operations -------------------------------------------------------------------------
    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/operation/<str:name>/",
                self.admin_site.admin_view(self.operation_view),
                name=f"{info}_operation",
            ),
            *super().get_urls(),
        ]

    def admin_url(self, name: str, *args) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}",
            args=args,
            current_app=self.admin_site.name,
        )

    def operation_view(self, request, object_id, name):
        """An operation's page: its form (GET); its service called (POST), back to the order with
        a message when done, or the same form with the refusal on it. No transaction is open
        here: the services commit their own, and call the provider between them."""
        if name not in OPERATIONS:
            raise Http404(f"No operation '{name}'.")
        order = self.get_object(request, unquote(object_id))
        if order is None:
            raise Http404(f"No order with ID {object_id!r}.")
        if not (self.has_view_permission(request, order) and can(request.user, MANAGE, order)):
            raise PermissionDenied
        form_class, label, done, _transition = OPERATIONS[name]
        extra = {"lines": list(order.lines.all())} if name in ("fulfil", "refund") else {}
        if request.method == "POST":
            form = form_class(request.POST, order=order, **extra)
            if form.is_valid():
                try:
                    form.call(request.user)
                except DomainError as exc:
                    form.refused(exc)
                else:
                    self.message_user(
                        request,
                        _("Order #%(number)s %(done)s.") % {"number": order.number, "done": done},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(self.admin_url("change", order.pk))
        else:
            if name not in operations_for(order, payments_of(order)):
                allowed = ", ".join(workflow.allowed_transitions(order)) or "—"
                self.message_user(
                    request,
                    _("“%(operation)s” is not possible now (the order is %(status)s; allowed: %(allowed)s).")
                    % {"operation": label, "status": order.get_status_display(), "allowed": allowed},
                    messages.WARNING,
                )
                return HttpResponseRedirect(self.admin_url("change", order.pk))
            form = form_class(order=order, **extra)
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            "admin/orders/order_operation.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": order,
                "title": f"{label}: #{order.number}",
                "form": form,
                "operation": name,
                "label": label,
                "total": amount(order, order.total),
                "change_url": self.admin_url("change", order.pk),
            },
        )


def totals_of(queryset) -> list[dict]:
    """What the listed orders add up to, per currency (one query): how many, total, paid,
    refunded, each written in its currency."""
    rows = (
        queryset.order_by()
        .values("currency")
        .annotate(
            count=Count("pk"), total=Sum("total"), paid=Sum("paid_amount"), refunded=Sum("refunded_amount")
        )
        .order_by("currency")
    )
    return [
        {
            "currency": row["currency"],
            "count": row["count"],
            "total": money.format_minor(row["total"] or 0, row["currency"]),
            "paid": money.format_minor(row["paid"] or 0, row["currency"]),
            "refunded": money.format_minor(row["refunded"] or 0, row["currency"]),
        }
        for row in rows
    ]


# --- the order page's panels ---------------------------------------------------------------------


def _options(line) -> str:
    return ", ".join(
        f"{o.get('attribute')}: {o.get('value')}" for o in line.attributes if isinstance(o, dict)
    )


def _history_what(entry, order: Order) -> str:
    data = entry.data or {}
    parts = [entry.get_kind_display()]
    if entry.kind == HistoryKind.SHIPMENT:
        shipped = ", ".join(f"{x.get('quantity')} × {x.get('sku')}" for x in data.get("lines", []))
        parts.append(shipped)
        parts.append(" ".join(p for p in (data.get("carrier"), data.get("tracking_number")) if p))
    elif entry.kind == HistoryKind.RETURN:
        parts.append(", ".join(f"{x.get('quantity')} × {x.get('sku')}" for x in data.get("lines", [])))
        parts.append(_("restocked") if data.get("restocked") else _("not restocked"))
    elif entry.kind == HistoryKind.REFUND and data.get("amount"):
        parts.append(amount(order, data["amount"]))
    if entry.message:
        parts.append(entry.message)
    return " · ".join(str(p) for p in parts if p)


def _status_label(value: str) -> str:
    return str(OrderStatus(value).label) if value in OrderStatus.values else value


def order_panels(order: Order, lines, payments: list[Payment], *, may_see_payments: bool) -> list[Panel]:
    """The order page's tables: lines, taxes per rate, payments, shipments, history (the lines and
    payments given; one query each for shipments and history)."""
    panels = [
        Panel(
            key="lines",
            title=_("Lines"),
            columns=[
                _("SKU"),
                _("product"),
                _("options"),
                _("quantity"),
                _("unit price"),
                _("discount"),
                _("tax"),
                _("total"),
                _("shipped"),
                _("returned"),
            ],
            rows=[
                [
                    line.sku,
                    line.product_name + (f" ({line.variant_name})" if line.variant_name else ""),
                    _options(line) or "—",
                    line.quantity,
                    amount(order, line.unit_price),
                    amount(order, line.discount) if line.discount else "—",
                    f"{amount(order, line.tax)} ({line.tax_rate.normalize()}%)" if line.tax else "—",
                    amount(order, line.total),
                    line.quantity_fulfilled,
                    line.quantity_returned,
                ]
                for line in lines
            ],
            empty=_("No lines."),
        ),
        Panel(
            key="taxes",
            title=_("Taxes per rate"),
            columns=[_("tax"), _("rate"), _("taxed amount"), _("tax amount")],
            rows=[
                [
                    t.get("name", ""),
                    f"{t.get('rate', '')}%",
                    amount(order, t.get("base", 0)),
                    amount(order, t.get("tax", 0)),
                ]
                for t in order.taxes
                if isinstance(t, dict)
            ],
            empty=_("No tax on this order."),
        ),
    ]
    payment_rows = []
    for payment in payments:
        reference = (
            format_html(
                '<a href="{}">{}</a>', reverse("admin:payments_payment_change", args=[payment.pk]), payment.pk
            )
            if may_see_payments
            else payment.pk
        )
        payment_rows.append(
            [
                reference,
                payment.provider,
                payment.get_status_display(),
                amount(order, payment.amount),
                amount(order, payment.captured_amount),
                amount(order, payment.refunded_amount),
                timezone.localtime(payment.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    panels.append(
        Panel(
            key="payments",
            title=_("Payments"),
            columns=[
                _("payment"),
                _("method"),
                _("status"),
                _("amount"),
                _("captured"),
                _("refunded"),
                _("created"),
            ],
            rows=payment_rows,
            empty=_("No payment was recorded for this order."),
        )
    )
    shipments = order.shipments.prefetch_related("lines__line")
    panels.append(
        Panel(
            key="shipments",
            title=_("Shipments"),
            columns=[_("shipped"), _("carrier"), _("tracking number"), _("what")],
            rows=[
                [
                    timezone.localtime(s.created_at).strftime("%Y-%m-%d %H:%M"),
                    s.carrier or "—",
                    s.tracking_number or "—",
                    ", ".join(f"{x.quantity} × {x.line.sku}" for x in s.lines.all()),
                ]
                for s in shipments
            ],
            empty=_("Nothing has shipped yet."),
        )
    )
    history = order.history.select_related("actor").order_by("created_at", "id")
    panels.append(
        Panel(
            key="history",
            title=_("History"),
            columns=[_("when"), _("who"), _("what"), _("status")],
            rows=[
                [
                    timezone.localtime(h.created_at).strftime("%Y-%m-%d %H:%M"),
                    h.actor.email if h.actor else _("shopper or system"),
                    _history_what(h, order),
                    f"{_status_label(h.from_status)} → {_status_label(h.to_status)}" if h.from_status else "",
                ]
                for h in history
            ],
            empty=_("Nothing happened yet."),
        )
    )
    return panels


# --- carts ---------------------------------------------------------------------------------------


class AbandonedFilter(admin.SimpleListFilter):
    """Open carts with something in them that nobody touched for a day."""

    title = _("abandoned")
    parameter_name = "abandoned"

    def lookups(self, request, model_admin):
        return [("yes", _("Open, untouched for a day"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(
                status=CartStatus.OPEN,
                lines_counted__gt=0,
                updated_at__lt=timezone.now() - dt.timedelta(days=1),
            )
        return queryset


class CartLineInline(ReadOnly, TabularInline):
    model = CartLine
    fields = ["sku", "quantity", "price_when_added", "created_at", "updated_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    tab = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("variant")

    @display(description=_("SKU"))
    def sku(self, line: CartLine) -> str:
        return line.variant.sku


@admin.register(Cart)
class CartAdmin(ReadOnly, ObjectPermissionsModelAdmin):
    """Carts, last touched first: whose, how full, and whether they became an order."""

    list_display = ["cart", "cart_status", "owner_shown", "line_count", "currency", "updated_at"]
    list_filter = ["status", AbandonedFilter, "updated_at"]
    search_fields = ["email", "customer__email", "token__exact"]
    list_select_related = ["customer"]
    inlines = [CartLineInline]
    actions = []
    fields = [
        "token",
        "status",
        "owner_shown",
        "currency",
        "language",
        "payment_provider",
        "reserved_until",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(lines_counted=Count("lines"))

    @display(description=_("cart"), ordering="-updated_at")
    def cart(self, cart: Cart) -> str:
        return str(cart.token)[:8]

    @display(description=_("status"), ordering="status", label=CART_TONES)
    def cart_status(self, cart: Cart):
        return cart.status, cart.get_status_display()

    @display(description=_("customer"))
    def owner_shown(self, cart: Cart) -> str:
        if cart.customer_id:
            return cart.customer.email
        return f"{cart.email} ({_('guest')})" if cart.email else _("guest")

    @display(description=_("lines"), ordering="lines_counted")
    def line_count(self, cart: Cart) -> int:
        return getattr(cart, "lines_counted", 0)
