"""What the shop's pages share: the shopper's cart, the cookies that hold it and its count, the
addresses pages link to, and amounts as readers read them.

A guest's cart is held by the `rustok_cart` cookie (HttpOnly, SameSite=Lax, Secure outside
DEBUG), made on the first "Add to cart"; a signed-in customer uses their own cart (signing in
merges the guest's: apps.orders.signals). The number of lines is also kept in
`rustok_cart_count`, a cookie scripts may read (not HttpOnly): pages the page cache shares with
every reader show each reader's own count from it (static/rustok/storefront.js). Every change of
the cart sets it again; placing the order clears both.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.encoding import iri_to_uri
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from apps.orders import selectors, services
from apps.orders.models import Cart, CartStatus
from apps.orders.signals import COOKIE as CART_COOKIE
from rustok.errors import NotFound
from rustok.i18n import for_language
from rustok.money import format_minor
from rustok.storefront import page_url

COUNT_COOKIE = "rustok_cart_count"
COOKIE_DAYS = 60
SHOP_PATH = "/shop/"
# Set on the request by the shop's pages, which know the cart: the header shows its count.
COUNT_ATTRIBUTE = "_rustok_cart_count"


def url(name: str, *args, query: str = "") -> str:
    """The address of page `name` in the reader's language (`?lang=` unless the site's)."""
    return page_url(name, *args, query=query)


def find_cart(request, *, open_only: bool = True) -> Cart | None:
    """The shopper's cart: a signed-in customer's own open cart, else the guest's whose token the
    `rustok_cart` cookie holds (None without one, or for a cart that is not theirs: another
    customer's, or one of another site). `open_only`: None for a cart ordered or merged."""
    user = request.user
    try:
        if user.is_authenticated:
            cart = selectors.cart_for(user, selectors.CURRENT)
        else:
            token = request.COOKIES.get(CART_COOKIE, "").strip()
            if not token or token == selectors.CURRENT:
                return None
            cart = selectors.cart_for(user, token)
    except NotFound:
        return None
    if open_only and cart.status != CartStatus.OPEN:
        return None
    return cart


def cart_to_fill(request) -> Cart:
    """The shopper's open cart, made now if they have none (a guest's then needs its cookie:
    `remember`)."""
    return find_cart(request) or services.create_cart(customer=request.user, language=request.LANGUAGE_CODE)


def _cookie(response, name: str, value: str, *, httponly: bool) -> None:
    response.set_cookie(
        name,
        value,
        max_age=COOKIE_DAYS * 86400,
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=httponly,
        samesite="Lax",
    )


def remember(response, cart: Cart, count: int) -> None:
    """Keep the guest's cart in its cookie and its number of lines where scripts read it."""
    if cart.customer_id is None:
        _cookie(response, CART_COOKIE, str(cart.token), httponly=True)
    _cookie(response, COUNT_COOKIE, str(count), httponly=False)


def forget(response) -> None:
    """The order was placed: the next "Add to cart" starts a new cart."""
    response.delete_cookie(CART_COOKIE, path="/", samesite="Lax")
    response.delete_cookie(COUNT_COOKIE, path="/", samesite="Lax")


def line_count(cart: Cart) -> int:
    return cart.lines.count()


def show_count(request, count: int) -> None:
    """Tell the header this page's cart count (shown as it is, not from the cookie)."""
    setattr(request, COUNT_ATTRIBUTE, count)


def safe_next(request, fallback: str) -> str:
    """The `next` the form sent if it is an address of this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def money(amount: int | None, currency: str) -> str:
    """An amount in the reader's language (Babel), or "" for none."""
    return "" if amount is None else format_minor(amount, currency)


def shop_url() -> str:
    return iri_to_uri(for_language(SHOP_PATH))


def totals_rows(
    *,
    currency: str,
    subtotal: int,
    discount: int,
    shipping: int | None,
    taxes,
    prices_include_tax: bool,
    total: int,
    voucher: str = "",
) -> list[dict]:
    """The lines of a totals table as apps.orders.pricing computed them: subtotal, discount,
    shipping (None: not chosen yet, left out), the taxes per rate (included in the prices, or
    added), the total. Each is {label, amount, kind}."""
    rows = [{"label": _("Subtotal"), "amount": money(subtotal, currency), "kind": "subtotal"}]
    if discount:
        label = _("Discount (%(code)s)") % {"code": voucher} if voucher else _("Discount")
        rows.append({"label": label, "amount": money(-discount, currency), "kind": "discount"})
    if shipping is not None:
        rows.append({"label": _("Shipping"), "amount": money(shipping, currency), "kind": "shipping"})
    for tax in taxes:
        name, amount = (tax["name"], tax["tax"]) if isinstance(tax, dict) else (tax.name, tax.tax)
        label = _("Including %(tax)s") % {"tax": name} if prices_include_tax else name
        rows.append({"label": label, "amount": money(amount, currency), "kind": "tax"})
    rows.append({"label": _("Total"), "amount": money(total, currency), "kind": "total"})
    return rows
