"""Storefront addresses of the orders module, mounted at the root of each site's host (off: 404):
the cart and its forms, the checkout, and an order's page."""

from django.urls import path

from apps.orders.views import cart, checkout, order

urlpatterns = [
    path("cart/", cart.cart, name="cart"),
    path("cart/add/", cart.add, name="cart-add"),
    path("cart/lines/<int:line_id>/", cart.change_line, name="cart-line"),
    path("cart/lines/<int:line_id>/remove/", cart.remove_line, name="cart-line-remove"),
    path("cart/voucher/", cart.apply_voucher, name="cart-voucher"),
    path("cart/voucher/remove/", cart.remove_voucher, name="cart-voucher-remove"),
    path("checkout/", checkout.checkout, name="checkout"),
    path("orders/view/", order.order_view, name="order-view"),
]
