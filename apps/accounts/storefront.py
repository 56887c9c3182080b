"""The accounts module's part of the storefront's frame (rustok.storefront's hooks).

`header_links`: "Sign in" for a reader who is not signed in (the only link pages kept by the page
cache can show: they are anonymous ones), "Account" for a signed-in one. `account_links`: the
account's own section (profile and password); other modules add theirs (orders, addresses).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.accounts.views.pages import url
from rustok.storefront import HeaderLink, MenuItem


def header_links(request) -> list[HeaderLink]:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return [HeaderLink(label=_("Account"), url=url("account"))]
    return [HeaderLink(label=_("Sign in"), url=url("account-login"))]


def account_links(request) -> list[MenuItem]:
    return [MenuItem(label=_("Profile and password"), url=url("account-profile"))]
