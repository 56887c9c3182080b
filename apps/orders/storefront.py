"""The orders module's part of the storefront's frame (rustok.storefront's hooks)."""

from apps.orders.account_pages import account_links  # noqa: F401
