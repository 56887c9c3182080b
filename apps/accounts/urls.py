"""Storefront addresses of the customer's account, at the root of each site's host.

The other modules' account pages (orders, addresses) live under /account/ too, in their own
urls.py; the account's overview lists them through the `account_links` hook.
"""

from django.urls import path

from apps.accounts.views import account

urlpatterns = [
    path("account/", account.overview, name="account"),
    path("account/login/", account.login, name="account-login"),
    path("account/logout/", account.logout, name="account-logout"),
    path("account/register/", account.register, name="account-register"),
    path("account/password-reset/", account.password_reset, name="account-password-reset"),
    path("account/reset/", account.reset, name="account-reset"),
    path("account/profile/", account.profile, name="account-profile"),
]
