"""The orders module in the tenant admin, in the "Shop" section: orders first, then carts, then
the shop's shipping zones, tax rates, vouchers and order settings. Every write goes through
apps.orders.services."""

# isort: off
from apps.orders.admin import shop  # noqa: F401  (registers first: the section's order)
from apps.orders.admin import config  # noqa: F401

# isort: on
