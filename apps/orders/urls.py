"""Storefront addresses of the orders module, at the root of each site's host (off: 404)."""

from django.urls import path

from apps.orders import account_pages

urlpatterns = [
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
