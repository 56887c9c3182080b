"""Tax rates: per tax class (the catalogue's) and country."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class TaxRate(models.Model):
    """The rate a tax class is taxed at in a country, in percent. The rate without a class is the
    country's standard rate: for products without a class and shipping without one."""

    tax_class = models.ForeignKey(
        "catalog.TaxClass",
        verbose_name=_("tax class"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rates",
        help_text=_("Empty: the standard rate of the country."),
    )
    country = CountryField(_("country"))
    rate = models.DecimalField(_("rate (%)"), max_digits=6, decimal_places=3)
    name = models.CharField(_("name"), max_length=60, help_text=_("As invoices show it: VAT 20%, НДС 20%."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["country", "tax_class_id", "id"]
        verbose_name = _("tax rate")
        verbose_name_plural = _("tax rates")
        constraints = [
            models.UniqueConstraint(
                fields=["tax_class", "country"],
                name="orders_taxrate_class_country_uniq",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=100), name="orders_taxrate_rate_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"
