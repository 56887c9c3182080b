from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    """Inventory: stock per variant and location, its history, reservations and low-stock alerts."""

    name = "apps.inventory"
    label = "inventory"
    verbose_name = _("Inventory")

    def ready(self):
        from apps.catalog import stock
        from apps.inventory import selectors

        stock.availability.provide(selectors.available_quantities)
        stock.counts.provide(selectors.stock_counts)
        stock.levels.provide(selectors.levels_of_variants)
        stock.sold_out.provide(selectors.sold_out_ids)
