"""Vouchers: codes a shopper enters for a discount, and each use of one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class VoucherKind(models.TextChoices):
    PERCENTAGE = "percentage", _("Percentage")
    FIXED = "fixed", _("Fixed amount")


class VoucherScope(models.TextChoices):
    ORDER = "order", _("The whole order")
    PRODUCTS = "products", _("Chosen products and categories")


class Voucher(models.Model):
    """A discount code: a percentage or a fixed amount off the order, or off the lines of chosen
    products and categories; with a minimum subtotal, a time window and usage limits."""

    code = models.CharField(_("code"), max_length=40, unique=True, help_text=_("Kept upper-case."))
    name = models.CharField(_("name"), max_length=120, blank=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=VoucherKind.choices, default=VoucherKind.PERCENTAGE
    )
    percent = models.DecimalField(_("percent off"), max_digits=5, decimal_places=2, null=True, blank=True)
    amount = models.BigIntegerField(_("amount off"), null=True, blank=True, help_text=_("In minor units."))
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("Of the amount off and the minimum subtotal.")
    )
    scope = models.CharField(
        _("applies to"), max_length=10, choices=VoucherScope.choices, default=VoucherScope.ORDER
    )
    products = models.ManyToManyField(
        "catalog.Product", verbose_name=_("products"), blank=True, related_name="+"
    )
    categories = models.ManyToManyField(
        "catalog.ProductCategory", verbose_name=_("categories"), blank=True, related_name="+"
    )
    min_subtotal = models.BigIntegerField(_("minimum subtotal"), null=True, blank=True)
    starts_at = models.DateTimeField(_("valid from"), null=True, blank=True)
    ends_at = models.DateTimeField(_("valid until"), null=True, blank=True)
    usage_limit = models.PositiveIntegerField(_("uses in all"), null=True, blank=True)
    per_customer_limit = models.PositiveIntegerField(_("uses per customer"), null=True, blank=True)
    used = models.PositiveIntegerField(_("used"), default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="percentage") & Q(percent__gt=0) & Q(percent__lte=100))
                | (Q(kind="fixed") & Q(amount__gt=0) & ~Q(currency="")),
                name="orders_voucher_value",
            ),
            models.CheckConstraint(
                condition=Q(min_subtotal__isnull=True) | (Q(min_subtotal__gte=0) & ~Q(currency="")),
                name="orders_voucher_min_subtotal",
            ),
            models.CheckConstraint(
                condition=Q(usage_limit__isnull=True) | Q(used__lte=models.F("usage_limit")),
                name="orders_voucher_used_within_limit",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class VoucherUse(models.Model):
    """A voucher used by a placed order (counted against its limits; given back if the order is
    cancelled before it was paid)."""

    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="uses")
    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="voucher_use")
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(_("e-mail"))
    created_at = models.DateTimeField(_("used"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("voucher use")
        verbose_name_plural = _("voucher uses")
        indexes = [models.Index(fields=["voucher", "email"], name="orders_voucheruse_email_idx")]

    def __str__(self) -> str:
        return f"{self.voucher_id} → {self.order_id}"
