"""Storefront addresses of the orders module, at the root of each site's host (off: 404): the
cart and its forms, the checkout, an order's page (apps.orders.views), and the customer's account
(apps.orders.account_pages)."""

from django.urls import path

from apps.orders import account_pages
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
    # The customer's account (apps.orders.account_pages)
    path("account/orders/", account_pages.orders, name="account-orders"),
    path("account/orders/<int:number>/", account_pages.order, name="account-order"),
    path("account/addresses/", account_pages.addresses, name="account-addresses"),
    path("account/addresses/add/", account_pages.address_add, name="account-address-add"),
    path("account/addresses/<int:address_id>/", account_pages.address_edit, name="account-address-edit"),
    path(
        "account/addresses/<int:address_id>/delete/",
        account_pages.address_delete,
        name="account-address-delete",
    ),
    path(
        "account/addresses/<int:address_id>/default/",
        account_pages.address_default,
        name="account-address-default",
    ),
]
