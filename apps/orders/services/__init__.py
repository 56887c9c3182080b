"""Services of the orders module: the only code that writes its tables.

The order in which the checkout locks rows is in docs/orders.md ("Lock order").
"""

from apps.orders.services.carts import add_line, create_cart, merge, remove_line, set_currency, set_quantity

__all__ = ["add_line", "create_cart", "merge", "remove_line", "set_currency", "set_quantity"]
