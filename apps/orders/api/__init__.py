"""REST of the orders module under /api/v1/orders/ (tag `orders`): the shop's shipping, taxes,
vouchers and settings for managers (apps.orders.api.config), carts, checkout and orders
(apps.orders.api.shop), a customer's address book (apps.orders.api.address_book)."""

from apps.orders.api import address_book, config, shop

urlpatterns = [*config.urlpatterns, *shop.urlpatterns, *address_book.urlpatterns]
