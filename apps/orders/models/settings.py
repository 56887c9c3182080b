"""The site's order settings (one row) and the order-number counter."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class OrderSettings(models.Model):
    """How the site sells: whether catalogue prices include tax, how long a checkout holds stock,
    how many of one variant a cart line may hold. One row (id 1), made on first read."""

    ONLY = 1

    prices_include_tax = models.BooleanField(
        _("prices include tax"),
        default=True,
        help_text=_(
            "On: catalogue prices are what shoppers pay, tax included. Off: tax is added at checkout."
        ),
    )
    default_country = CountryField(
        _("default country"),
        blank=True,
        help_text=_("Taxes and shipping are estimated for this country until the shopper gives an address."),
    )
    reservation_minutes = models.PositiveIntegerField(
        _("reservation (minutes)"),
        default=15,
        help_text=_("How long a checkout that started payment holds its stock."),
    )
    max_line_quantity = models.PositiveIntegerField(
        _("most of one item"), default=99, help_text=_("The largest quantity of one variant a cart may hold.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("order settings")
        verbose_name_plural = _("order settings")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="orders_ordersettings_one_row"),
            models.CheckConstraint(
                condition=Q(reservation_minutes__gte=1), name="orders_settings_reservation_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(max_line_quantity__gte=1), name="orders_settings_max_line_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Order settings"))


class OrderCounter(models.Model):
    """The last order number given (one row). Placing an order locks the row and takes the next
    number in the order's own transaction, so numbers have no gaps and no duplicates: a rolled
    back placement gives its number back."""

    ONLY = 1

    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="orders_ordercounter_one_row")]

    def __str__(self) -> str:
        return str(self.last)
