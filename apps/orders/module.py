"""Manifest of the orders module: carts, checkout, orders, shipping, taxes and vouchers."""

from django.utils.translation import gettext_lazy as _

from rustok.modules import Module

module = Module(
    slug="orders",
    name="Orders",
    description="Carts for guests and customers, checkout with stock reservations and payment, "
    "orders with fulfilment, cancellation and refunds, shipping zones and rates, tax rates per "
    "country, and vouchers.",
    version="0.1.0",
    depends_on=("core", "accounts", "events", "catalog", "inventory", "payments"),
    admin_group=_("Shop"),
)
