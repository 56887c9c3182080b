"""What every page of a customer's account shares, whichever module it belongs to.

- `account_page`: the page needs a signed-in user (else the sign-in page, coming back with
  `next`) and answers `Cache-Control: private, no-store`: never kept by the page cache, a
  proxy or the browser's history.
- `private`: the same header for the pages of signing in and out (their forms hold a CSRF token).
- `account_context`: the account's sections (the `account_links` hook of the enabled modules),
  the current one marked, for templates/storefront/account/layout.html.
- `safe_next`: where to go after signing in: only a path of this site.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from rustok import storefront
from rustok.storefront import page_url

NO_STORE = "private, no-store"


def url(name: str, *args) -> str:
    """The address of the storefront page `name`, in the reader's language (`?lang=` if needed)."""
    return page_url(name, *args)


def safe_next(request: HttpRequest, default: str = "") -> str:
    """The `next` the request carries if it is a path of this site (not `//elsewhere`, not another
    host or scheme), else `default` (the account's overview)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and url_has_allowed_host_and_scheme(target, allowed_hosts=set())
    ):
        return target
    return default or url("account")


def login_url(request: HttpRequest) -> str:
    """The sign-in page, sending the reader back to this page afterwards."""
    base = url("account-login")
    return f"{base}{'&' if '?' in base else '?'}{urlencode({'next': request.get_full_path()})}"


def private(view):
    """Answer `Cache-Control: private, no-store` (whatever the page answers)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = NO_STORE
        return response

    return wrapped


def account_page(view):
    """A page of the signed-in customer's account: the sign-in page first for anyone else."""

    @private
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return HttpResponseRedirect(login_url(request))
        return view(request, *args, **kwargs)

    return wrapped


def account_sections(request: HttpRequest) -> list[storefront.MenuItem]:
    """The account's sections from the enabled modules, the one shown (or containing it) marked."""
    items = storefront.collect("account_links", request)
    overview = reverse("account")
    for item in items:
        own = item.url.split("?", 1)[0]
        item.current = own == request.path or (own != overview and request.path.startswith(own))
    return items


def account_context(request: HttpRequest, **context) -> dict:
    """What storefront/account/layout.html needs beside the page's own: its sections."""
    return {"account_sections": account_sections(request), **context}
