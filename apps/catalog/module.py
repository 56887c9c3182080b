"""Manifest of the catalogue module: what the shop sells (products, variants, prices)."""

from django.utils.translation import gettext_lazy as _

from rustok.modules import Module

module = Module(
    slug="catalog",
    name="Catalogue",
    description="Product types and attributes, products with variants and prices per currency, "
    "categories and collections.",
    version="0.1.0",
    depends_on=("core", "accounts", "events", "index", "site"),
    admin_group=_("Shop"),
)
