"""The orders module's part of the storefront frame (rustok.storefront): where a product page's
"Add to cart" posts, the cart's link in the header with its count, and the customer's account
sections (apps.orders.account_pages).

Pages the page cache shares with every reader cannot hold a reader's count: their link names the
`rustok_cart_count` cookie and storefront.js shows the reader's own. A page that is the reader's
own (a signed-in customer's, or one of the shop's pages, never cached) shows the count itself.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from apps.orders.account_pages import account_links  # noqa: F401
from apps.orders.models import CartLine, CartStatus
from apps.orders.views.common import COUNT_ATTRIBUTE, COUNT_COOKIE, url
from rustok.storefront import BuyAction, HeaderLink


def buy_action(request: HttpRequest) -> BuyAction:
    return BuyAction(url=url("cart-add"), label=_("Add to cart"))


def _count(request: HttpRequest) -> int | None:
    """The cart's number of lines when the page is the reader's own, else None."""
    known = getattr(request, COUNT_ATTRIBUTE, None)
    if known is not None:
        return known
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return CartLine.objects.filter(cart__customer=user, cart__status=CartStatus.OPEN).count()
    return None


def header_links(request: HttpRequest) -> list[HeaderLink]:
    count = _count(request)
    return [
        HeaderLink(
            label=_("Cart"),
            url=url("cart"),
            count=count,
            count_cookie="" if count is not None else COUNT_COOKIE,
            count_label=_("items in the cart"),
        )
    ]
