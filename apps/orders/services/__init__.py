"""Services of the orders module: the only code that writes its tables.

The order in which the checkout locks rows is in docs/orders.md ("Lock order").
"""

from apps.orders.services.address_book import (
    create_address,
    delete_address,
    set_default_address,
    update_address,
)
from apps.orders.services.carts import add_line, create_cart, merge, remove_line, set_currency, set_quantity
from apps.orders.services.checkout import apply_voucher, begin, checkout, remove_voucher, update_checkout
from apps.orders.services.orders import (
    RefundExceedsPaid,
    add_note,
    cancel,
    complete,
    fulfil,
    mark_paid,
    refund,
    request_guest_link,
    settle,
)
from apps.orders.services.placing import PaymentMismatch, place_order

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
    "PaymentMismatch",
    "RefundExceedsPaid",
    "add_line",
    "add_note",
    "apply_voucher",
    "begin",
    "cancel",
    "checkout",
    "complete",
    "create_address",
    "create_cart",
    "create_shipping_method",
    "create_shipping_zone",
    "create_tax_rate",
    "create_voucher",
    "delete_address",
    "delete_shipping_method",
    "delete_shipping_zone",
    "delete_tax_rate",
    "delete_voucher",
    "fulfil",
    "mark_paid",
    "merge",
    "order_settings",
    "place_order",
    "refund",
    "remove_line",
    "remove_voucher",
    "request_guest_link",
    "set_currency",
    "set_default_address",
    "set_quantity",
    "set_weight_rates",
    "settle",
    "update_address",
    "update_checkout",
    "update_order_settings",
    "update_shipping_method",
    "update_shipping_zone",
    "update_tax_rate",
    "update_voucher",
]
