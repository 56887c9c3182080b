from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    """Orders: carts, checkout, orders with their fulfilment and refunds, shipping, taxes, vouchers."""

    name = "apps.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self):
        from apps.orders import signals  # noqa: F401  (the sign-in merges the guest's cart)
