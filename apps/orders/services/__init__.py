"""Services of the orders module: the only code that writes its tables.

The order in which the checkout locks rows is in docs/orders.md ("Lock order").
"""

# --- the shop's configuration: shipping, taxes, vouchers, order settings --------------------------
from apps.orders.services.settings import order_settings, update_order_settings
from apps.orders.services.shipping import (
    create_shipping_method,
    create_shipping_zone,
    delete_shipping_method,
    delete_shipping_zone,
    set_weight_rates,
    update_shipping_method,
    update_shipping_zone,
)
from apps.orders.services.taxes import create_tax_rate, delete_tax_rate, update_tax_rate
from apps.orders.services.vouchers import create_voucher, delete_voucher, update_voucher

__all__ = [
    "create_shipping_method",
    "create_shipping_zone",
    "create_tax_rate",
    "create_voucher",
    "delete_shipping_method",
    "delete_shipping_zone",
    "delete_tax_rate",
    "delete_voucher",
    "order_settings",
    "set_weight_rates",
    "update_order_settings",
    "update_shipping_method",
    "update_shipping_zone",
    "update_tax_rate",
    "update_voucher",
]
