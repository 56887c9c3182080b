"""Services of the orders module: the only code that writes its tables.

The order in which the checkout locks rows is in docs/orders.md ("Lock order").
"""

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
    settle,
)
from apps.orders.services.placing import PaymentMismatch, place_order

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
    "create_cart",
    "fulfil",
    "mark_paid",
    "merge",
    "place_order",
    "refund",
    "remove_line",
    "remove_voucher",
    "set_currency",
    "set_quantity",
    "settle",
    "update_checkout",
]
