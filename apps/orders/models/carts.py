"""Carts: what a guest (by token) or a customer is about to buy, and the checkout's details."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CartStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MERGED = "merged", _("Merged into the customer's cart")
    ORDERED = "ordered", _("Ordered")


class Cart(models.Model):
    """A cart and its checkout. A guest holds it by `token` (cookie or header); a customer has at
    most one open cart, and a guest's cart merges into it on sign-in. Prices are read from the
    catalogue until the order is placed."""

    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="carts",
    )
    status = models.CharField(_("status"), max_length=8, choices=CartStatus.choices, default=CartStatus.OPEN)
    currency = models.CharField(_("currency"), max_length=3)
    language = models.CharField(_("language"), max_length=8, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    shipping_address = models.JSONField(_("shipping address"), null=True, blank=True)
    billing_address = models.JSONField(_("billing address"), null=True, blank=True)
    shipping_method = models.ForeignKey(
        "orders.ShippingMethod",
        verbose_name=_("shipping method"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    voucher = models.ForeignKey(
        "orders.Voucher", verbose_name=_("voucher"), null=True, blank=True, on_delete=models.SET_NULL
    )
    payment_provider = models.CharField(_("payment method"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Set while a payment is under way: the checkout's stock is reserved until then.
    reserved_until = models.DateTimeField(_("stock held until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("cart")
        verbose_name_plural = _("carts")
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=Q(status="open"), name="orders_cart_one_open_per_customer"
            )
        ]

    def __str__(self) -> str:
        return str(self.token)

    @property
    def owner(self) -> str:
        """Whom inventory's reservations of this checkout belong to."""
        return f"checkout:{self.token}"


class CartLine(models.Model):
    """A variant in a cart, with the unit price shown when it was added (to say when it changed)."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    price_when_added = models.BigIntegerField(_("price when added"), null=True, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="orders_cartline_variant_uniq"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="orders_cartline_quantity_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.variant_id}"
