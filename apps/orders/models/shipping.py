"""Shipping: zones of countries, and the methods each zone offers with their rates."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class ShippingZone(models.Model):
    """Countries shipped to alike. A country belongs to at most one zone (the services check it)."""

    name = models.CharField(_("name"), max_length=120)
    countries = CountryField(_("countries"), multiple=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("shipping zone")
        verbose_name_plural = _("shipping zones")

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"


class RateKind(models.TextChoices):
    FLAT = "flat", _("Flat rate")
    WEIGHT = "weight", _("By weight")


class ShippingMethod(models.Model):
    """A way to ship to a zone, priced in one currency: a flat price, or a price per weight
    bracket; free when the order's subtotal after discounts reaches `free_above`."""

    zone = models.ForeignKey(
        ShippingZone, verbose_name=_("zone"), on_delete=models.CASCADE, related_name="methods"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=255, blank=True)
    kind = models.CharField(_("rate"), max_length=8, choices=RateKind.choices, default=RateKind.FLAT)
    currency = models.CharField(_("currency"), max_length=3)
    price = models.BigIntegerField(_("price"), default=0, help_text=_("Of a flat rate, in minor units."))
    free_above = models.BigIntegerField(
        _("free from"),
        null=True,
        blank=True,
        help_text=_("Free when the subtotal after discounts reaches this."),
    )
    tax_class = models.ForeignKey(
        "catalog.TaxClass",
        verbose_name=_("tax class"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Empty: the country's standard rate."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("shipping method")
        verbose_name_plural = _("shipping methods")
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="orders_shippingmethod_price_gte_0"),
            models.CheckConstraint(
                condition=Q(free_above__isnull=True) | Q(free_above__gte=0),
                name="orders_shippingmethod_free_above_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"


class WeightRate(models.Model):
    """One bracket of a weight-priced method: up to `up_to_grams` (inclusive) costs `price`. An
    order heavier than every bracket cannot use the method."""

    method = models.ForeignKey(ShippingMethod, on_delete=models.CASCADE, related_name="weight_rates")
    up_to_grams = models.PositiveIntegerField(_("up to (g)"))
    price = models.BigIntegerField(_("price"))

    class Meta:
        ordering = ["up_to_grams"]
        verbose_name = _("weight rate")
        verbose_name_plural = _("weight rates")
        constraints = [
            models.UniqueConstraint(fields=["method", "up_to_grams"], name="orders_weightrate_bracket_uniq"),
            models.CheckConstraint(condition=Q(price__gte=0), name="orders_weightrate_price_gte_0"),
        ]

    def __str__(self) -> str:
        return f"≤ {self.up_to_grams} g"
