"""Services of the orders module: the only code that writes its tables.

The order in which the checkout locks rows is in docs/orders.md ("Lock order").
"""
