"""Manifest of the inventory module: how many of each variant the shop holds, and where."""

from django.utils.translation import gettext_lazy as _

from rustok.modules import Module

module = Module(
    slug="inventory",
    name="Inventory",
    description="Stock locations, stock per variant and location with its history, reservations "
    "with expiry, and low-stock alerts.",
    version="0.1.0",
    depends_on=("core", "accounts", "events", "catalog"),
    admin_group=_("Shop"),
)
