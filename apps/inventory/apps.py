from django.apps import AppConfig


class InventoryConfig(AppConfig):
    """Inventory: stock per variant and location, its history, reservations and low-stock alerts."""

    name = "apps.inventory"
    label = "inventory"
    verbose_name = "Inventory"

    def ready(self):
        from apps.catalog.stock import availability
        from apps.inventory.selectors import available_quantities

        availability.provide(available_quantities)
