"""Orders: what a checkout placed, frozen (lines, addresses, totals), and what happened to it since.

Status is a state machine (django-fsm, applied through rustok.workflow):

    placed ──pay──▶ paid ──fulfil──▶ partially_fulfilled ──fulfil──▶ fulfilled ──complete──▶ completed
      │              │  └──────────────fulfil──────────────────────────▲
      └──cancel──▶ cancelled ◀──cancel (with refund)──┘
    paid, partially_fulfilled, fulfilled, completed ──refund (all of it)──▶ refunded

A partial refund (a return of some lines) keeps the status and adds to `refunded_amount`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Placed")
    PAID = "paid", _("Paid")
    PARTIALLY_FULFILLED = "partially_fulfilled", _("Partially fulfilled")
    FULFILLED = "fulfilled", _("Fulfilled")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


PAID_STATES = [
    OrderStatus.PAID,
    OrderStatus.PARTIALLY_FULFILLED,
    OrderStatus.FULFILLED,
    OrderStatus.COMPLETED,
]


class Order(models.Model):
    """A placed order. Amounts are minor units of `currency`; lines, addresses and totals are
    copies made when it was placed, so later catalogue changes do not change it."""

    number = models.PositiveBigIntegerField(_("number"), unique=True, editable=False)
    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    # The checkout it was placed from: one order per checkout, whatever happens at once.
    checkout_token = models.UUIDField(_("checkout"), unique=True, editable=False)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8)
    currency = models.CharField(_("currency"), max_length=3)
    status = FSMField(_("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.PLACED)
    shipping_address = models.JSONField(_("shipping address"))
    billing_address = models.JSONField(_("billing address"))
    shipping_method = models.ForeignKey(
        "orders.ShippingMethod",
        verbose_name=_("shipping method"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    shipping_method_name = models.CharField(_("shipping"), max_length=120)
    voucher = models.ForeignKey(
        "orders.Voucher", verbose_name=_("voucher"), null=True, blank=True, on_delete=models.SET_NULL
    )
    voucher_code = models.CharField(_("voucher code"), max_length=40, blank=True)
    payment_provider = models.CharField(_("payment method"), max_length=40)
    prices_include_tax = models.BooleanField(_("prices include tax"))
    subtotal = models.BigIntegerField(_("subtotal"))
    discount = models.BigIntegerField(_("discount"), default=0)
    shipping = models.BigIntegerField(_("shipping"), default=0)
    shipping_tax = models.BigIntegerField(_("shipping tax"), default=0)
    tax = models.BigIntegerField(_("tax"), default=0)
    total = models.BigIntegerField(_("total"))
    # Tax per rate as placed: [{"name", "rate", "base", "tax"}], rate a decimal string.
    taxes = models.JSONField(_("taxes"), default=list)
    paid_amount = models.BigIntegerField(_("paid"), default=0)
    refunded_amount = models.BigIntegerField(_("refunded"), default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The address of the site the shopper ordered on ("https://shop.example/"), for the links
    # its mails carry.
    site_url = models.CharField(_("site address"), max_length=200, blank=True)
    placed_at = models.DateTimeField(_("placed"), default=timezone.now, db_index=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("fulfilled"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [
            models.Index(fields=["customer", "-number"], name="orders_order_customer_idx"),
            models.Index(fields=["status", "-number"], name="orders_order_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(subtotal__gte=0)
                & Q(discount__gte=0)
                & Q(shipping__gte=0)
                & Q(shipping_tax__gte=0)
                & Q(tax__gte=0)
                & Q(total__gte=0),
                name="orders_order_amounts_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(paid_amount__gte=0)
                & Q(refunded_amount__gte=0)
                & Q(refunded_amount__lte=F("paid_amount")),
                name="orders_order_refunded_within_paid",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number}"

    @property
    def refundable(self) -> int:
        """What may still be refunded: paid less refunded."""
        return self.paid_amount - self.refunded_amount

    @transition(field=status, source=OrderStatus.PLACED, target=OrderStatus.PAID)
    def pay(self):
        self.paid_at = timezone.now()

    @transition(
        field=status,
        source=[OrderStatus.PAID, OrderStatus.PARTIALLY_FULFILLED],
        target=RETURN_VALUE(OrderStatus.PARTIALLY_FULFILLED, OrderStatus.FULFILLED),
    )
    def fulfil(self, *, everything: bool):
        if everything:
            self.fulfilled_at = timezone.now()
            return OrderStatus.FULFILLED
        return OrderStatus.PARTIALLY_FULFILLED

    @transition(field=status, source=OrderStatus.FULFILLED, target=OrderStatus.COMPLETED)
    def complete(self):
        self.completed_at = timezone.now()

    @transition(field=status, source=[OrderStatus.PLACED, OrderStatus.PAID], target=OrderStatus.CANCELLED)
    def cancel(self):
        self.cancelled_at = timezone.now()

    @transition(field=status, source=PAID_STATES, target=OrderStatus.REFUNDED)
    def refund(self):
        pass


class OrderLine(models.Model):
    """A line as placed: what was bought (names, SKU, options copied), at what unit price, with
    its discount and tax; what of it has shipped and come back."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalog.Variant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    product_name = models.CharField(_("product"), max_length=255)
    variant_name = models.CharField(_("variant"), max_length=255, blank=True)
    sku = models.CharField(_("SKU"), max_length=64)
    # The variant's options as placed: [{"attribute": "Size", "value": "M"}].
    attributes = models.JSONField(_("options"), default=list)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.BigIntegerField(_("unit price"))
    subtotal = models.BigIntegerField(_("subtotal"))
    discount = models.BigIntegerField(_("discount"), default=0)
    tax_name = models.CharField(_("tax"), max_length=60, blank=True)
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=6, decimal_places=3, default=0)
    tax = models.BigIntegerField(_("tax amount"), default=0)
    total = models.BigIntegerField(_("total"))
    quantity_fulfilled = models.PositiveIntegerField(_("shipped"), default=0)
    quantity_returned = models.PositiveIntegerField(_("returned"), default=0)
    # Where its stock was taken from: [{"location_id", "quantity"}], to restock exactly that.
    allocations = models.JSONField(_("taken from"), default=list)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="orders_orderline_quantity_gte_1"),
            models.CheckConstraint(
                condition=Q(quantity_fulfilled__lte=F("quantity")) & Q(quantity_returned__lte=F("quantity")),
                name="orders_orderline_fulfilled_within_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.sku}"


class Shipment(models.Model):
    """A parcel sent: which lines and how many of each, with the carrier and tracking number."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    carrier = models.CharField(_("carrier"), max_length=80, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("shipped"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}".strip() or f"#{self.pk}"


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="shipped")
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="orders_shipmentline_quantity_gte_1")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.line_id}"


class HistoryKind(models.TextChoices):
    PLACED = "placed", _("Placed")
    STATUS = "status", _("Status changed")
    PAYMENT = "payment", _("Payment")
    SHIPMENT = "shipment", _("Shipped")
    RETURN = "return", _("Returned")
    REFUND = "refund", _("Refunded")
    NOTE = "note", _("Note")
    MAIL = "mail", _("Mail sent")


class OrderHistory(models.Model):
    """One thing that happened to an order: who (none: the shopper or the system), when, what.
    Only added to, never changed."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(_("what"), max_length=10, choices=HistoryKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("order history entry")
        verbose_name_plural = _("order history")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class DailySales(models.Model):
    """The staff dashboard's read model: orders placed and money taken per day and currency,
    kept by the orders' own event handlers (rebuildable from the orders)."""

    day = models.DateField(_("day"))
    currency = models.CharField(_("currency"), max_length=3)
    orders = models.PositiveIntegerField(_("orders"), default=0)
    revenue = models.BigIntegerField(_("revenue"), default=0)
    refunded = models.BigIntegerField(_("refunded"), default=0)

    class Meta:
        ordering = ["-day", "currency"]
        verbose_name = _("daily sales")
        verbose_name_plural = _("daily sales")
        constraints = [models.UniqueConstraint(fields=["day", "currency"], name="orders_dailysales_day_uniq")]

    def __str__(self) -> str:
        return f"{self.day} {self.currency}"
