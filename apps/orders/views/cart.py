"""The cart page and its forms: add (from a product page), change a quantity, remove a line, apply
or remove a voucher. Every form is a POST with Django's CSRF token; a success redirects (to the
product page the shopper came from, or the cart) with a message; a refusal shows the cart again
with the message next to what it is about (the line, the voucher field).

The page shows the cart as apps.orders.carts.priced reads it now, as REST and GraphQL do: the
lines at today's prices with a notice where something changed since they were added, and the
totals computed by apps.orders.pricing.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from apps.catalog import selectors as catalog
from apps.inventory.services import OutOfStock
from apps.orders import services
from apps.orders.carts import PricedCart, VoucherNotApplicable, priced
from apps.orders.models import Cart
from apps.orders.views.common import (
    COUNT_COOKIE,
    cart_to_fill,
    find_cart,
    line_count,
    money,
    remember,
    safe_next,
    shop_url,
    show_count,
    totals_rows,
    url,
)
from rustok.errors import DomainError

THUMB_WIDTH = 96


def number(value, default: int | None = None):
    """A form's whole number as an int; anything else is handed on as it came, so the service
    refuses it naming its field."""
    text = (value or "").strip() if isinstance(value, str) else value
    if text in ("", None) and default is not None:
        return default
    return int(text) if isinstance(text, str) and text.isdigit() and len(text) < 19 else text


def refusal(error: DomainError) -> str:
    """What to tell the shopper of a refused change, in their language."""
    if isinstance(error, OutOfStock):
        available = max(min((line.get("available") or 0) for line in error.lines), 0)
        if available <= 0:
            return _("Sorry, this item is out of stock.")
        return _("Sorry, only %(available)s of this item are in stock.") % {"available": available}
    if error.errors:
        return next(iter(error.errors.values()))[0]
    return error.detail


def thumbnail(picture: dict | None) -> dict | None:
    """The smallest rendition of a product's picture wide enough for the cart's list."""
    if not picture:
        return None
    chosen = {"url": picture["url"], "width": picture.get("width"), "height": picture.get("height")}
    wide_enough = [r for r in picture.get("renditions") or () if r.get("width", 0) >= THUMB_WIDTH]
    if wide_enough:
        smallest = min(wide_enough, key=lambda r: r["width"])
        chosen = {"url": smallest["url"], "width": smallest["width"], "height": smallest.get("height")}
    if chosen["width"] and chosen["height"] and chosen["width"] > THUMB_WIDTH:  # drawn smaller, never larger
        chosen["height"] = round(chosen["height"] * THUMB_WIDTH / chosen["width"])
        chosen["width"] = THUMB_WIDTH
    return {**chosen, "alt": picture.get("alt") or ""}


def notices(line, currency: str) -> list[str]:
    """What changed about a line since it was added (apps.orders.carts' problems), as sentences."""
    said = []
    for problem in line.problems:
        if problem == "price_changed":
            said.append(
                _("The price changed from %(before)s to %(now)s since you added it.")
                % {"before": money(line.price_when_added, currency), "now": money(line.unit_price, currency)}
            )
        elif problem == "unavailable":
            said.append(_("This product is no longer for sale: remove it to check out."))
        elif problem == "no_price":
            said.append(_("This product cannot be bought in %(currency)s now.") % {"currency": currency})
        elif problem == "out_of_stock":
            said.append(_("Out of stock: remove it to check out."))
        elif problem == "insufficient_stock":
            said.append(
                _("Only %(available)s in stock: lower the quantity to check out.")
                % {"available": line.available}
            )
    return said


def line_rows(shown: PricedCart, errors: dict[int, str] | None = None) -> list[dict]:
    """The cart's lines as its page shows them, with each product's address and picture from its
    document (one query for all the lines)."""
    currency = shown.cart.currency
    ids = {str(line.line.variant.product_id) for line in shown.lines}
    documents = {doc.object_id: doc for doc in (catalog.documents().filter(object_id__in=ids) if ids else ())}
    rows = []
    for line in shown.lines:
        document = documents.get(str(line.line.variant.product_id))
        data = document.data if document else {}
        figures = line.totals
        rows.append(
            {
                "id": line.id,
                "name": line.product_name,
                "variant_name": line.variant_name if line.variant_name != line.product_name else "",
                "sku": line.sku,
                "options": line.options,
                "url": document.url if document else "",
                "picture": thumbnail(data.get("picture")),
                "quantity": line.quantity,
                "unit_price": money(line.unit_price, currency),
                "total": money(figures.subtotal if figures else None, currency),
                "buyable": line.buyable,
                "notices": notices(line, currency),
                "error": (errors or {}).get(line.id, ""),
                "change_url": url("cart-line", line.id),
                "remove_url": url("cart-line-remove", line.id),
            }
        )
    return rows


def totals_of(shown: PricedCart, *, with_shipping: bool, totals=None) -> list[dict]:
    """The rows of the cart's totals table; `totals` (pricing.Totals) in place of the cart's own,
    for the same cart with another shipping method (the shipping row always shown then)."""
    cart = shown.cart
    with_method = shown.shipping_method is not None or totals is not None
    totals = totals or shown.totals
    return totals_rows(
        currency=cart.currency,
        subtotal=totals.subtotal,
        discount=totals.discount,
        shipping=totals.shipping if with_shipping and with_method else None,
        taxes=totals.taxes,
        prices_include_tax=totals.prices_include_tax,
        total=totals.total,
        voucher=cart.voucher.code if cart.voucher_id and cart.voucher else "",
    )


def _page(
    request: HttpRequest,
    cart: Cart | None,
    *,
    voucher_error: str = "",
    voucher_code: str = "",
    line_errors: dict[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    shown = priced(cart) if cart is not None else None
    count = len(shown.lines) if shown else 0
    show_count(request, count)
    problem = shown.voucher_problem if shown else None
    context = {
        "page_title": _("Your cart"),
        "cart": cart,
        "shown": shown,
        "lines": line_rows(shown, line_errors) if shown else [],
        "totals": totals_of(shown, with_shipping=True) if shown and shown.lines else [],
        "orderable": bool(shown and shown.lines and all(line.buyable for line in shown.lines)),
        "voucher": cart.voucher.code if cart is not None and cart.voucher_id and cart.voucher else "",
        "voucher_error": voucher_error or (problem.errors["voucher"][0] if problem else ""),
        "voucher_code": voucher_code,
        "voucher_url": url("cart-voucher"),
        "voucher_remove_url": url("cart-voucher-remove"),
        "shop_url": shop_url(),
        "checkout_url": url("checkout"),
        "next": request.get_full_path(),
    }
    response = render(request, "storefront/orders/cart.html", context, status=status)
    if cart is not None:
        remember(response, cart, count)
    elif COUNT_COOKIE in request.COOKIES:
        response.delete_cookie(COUNT_COOKIE, path="/", samesite="Lax")
    return response


@never_cache
@require_GET
def cart(request: HttpRequest) -> HttpResponse:
    """The shopper's cart: its lines, notices, voucher and totals; or that it is empty."""
    return _page(request, find_cart(request))


def _back_to_cart(request: HttpRequest, cart: Cart | None) -> HttpResponse:
    response = redirect(url("cart"))
    if cart is not None:
        remember(response, cart, line_count(cart))
    return response


@never_cache
@require_POST
def add(request: HttpRequest) -> HttpResponse:
    """Add `quantity` (default 1) of `variant`; back to `next` (the product page) or the cart."""
    cart = cart_to_fill(request)
    try:
        services.add_line(
            cart=cart,
            variant_id=number(request.POST.get("variant")),
            quantity=number(request.POST.get("quantity"), default=1),
        )
    except DomainError as error:
        messages.error(request, refusal(error))
    else:
        messages.success(request, _("Added to your cart."))
    response = redirect(safe_next(request, url("cart")))
    remember(response, cart, line_count(cart))
    return response


@never_cache
@require_POST
def change_line(request: HttpRequest, line_id: int) -> HttpResponse:
    """Set a line's quantity (0 removes it)."""
    cart = find_cart(request)
    if cart is None:
        return _back_to_cart(request, None)
    try:
        services.set_quantity(cart=cart, line_id=line_id, quantity=number(request.POST.get("quantity")))
    except DomainError as error:
        return _page(request, cart, line_errors={line_id: refusal(error)}, status=400)
    messages.success(request, _("Your cart was updated."))
    return _back_to_cart(request, cart)


@never_cache
@require_POST
def remove_line(request: HttpRequest, line_id: int) -> HttpResponse:
    cart = find_cart(request)
    if cart is None:
        return _back_to_cart(request, None)
    try:
        services.remove_line(cart=cart, line_id=line_id)
    except DomainError as error:
        messages.error(request, refusal(error))
    else:
        messages.success(request, _("The item was removed from your cart."))
    return _back_to_cart(request, cart)


@never_cache
@require_POST
def apply_voucher(request: HttpRequest) -> HttpResponse:
    """Apply the voucher whose code was typed; a refusal says why next to the field."""
    cart = find_cart(request)
    if cart is None:
        return _back_to_cart(request, None)
    code = request.POST.get("code", "")
    try:
        services.apply_voucher(cart=cart, code=code.strip())
    except VoucherNotApplicable as error:
        return _page(request, cart, voucher_error=error.errors["voucher"][0], voucher_code=code, status=400)
    except DomainError as error:
        return _page(request, cart, voucher_error=refusal(error), voucher_code=code, status=400)
    messages.success(request, _("The voucher was applied."))
    return _back_to_cart(request, cart)


@never_cache
@require_POST
def remove_voucher(request: HttpRequest) -> HttpResponse:
    cart = find_cart(request)
    if cart is not None:
        services.remove_voucher(cart=cart)
        messages.success(request, _("The voucher was removed."))
    return _back_to_cart(request, cart)
