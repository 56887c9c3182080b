from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """The catalogue: product types and attributes, products, variants, prices, categories, collections."""

    name = "apps.catalog"
    label = "catalog"
    verbose_name = _("Catalogue")
