from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """The catalogue: product types and attributes, products, variants, prices, categories, collections."""

    name = "apps.catalog"
    label = "catalog"
    verbose_name = "Catalogue"
