"""The checkout: one page in sections (contact, shipping address, billing address, shipping method,
payment, review) and one form, sent with "Place order", or with "Update" to show the form for
another country (the address fields it needs, the shipping methods of its zone) without
JavaScript.

"Place order" sets the details through `services.update_checkout` (every refusal names its
field: `shipping_address.postal_code`, ...), then pays and places through `services.checkout`,
as REST's checkout does. A refusal shows the page again with each message next to its input (and
in a summary above the form), everything typed kept but the card's number and code. A declined
card or a provider that does not answer is told at the payment section; the cart stays as it is
and can be paid again. The same form sent twice (a double click, a resubmission) places one
order: the services lock the cart and answer a completed checkout's order, and a second POST that
finds the cart ordered goes to that order's page.

A signed-in customer's checkout starts with their default address and offers their saved
addresses (`shipping_saved`: one of theirs, or "new" for the typed fields); "Save this address in
my address book" adds a new one to the book once the order is placed.
"""

from __future__ import annotations

import contextlib
import copy
import re

from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from apps.orders import links, selectors, services
from apps.orders.address_forms import (
    address_fields,
    address_from,
    is_blank,
    shipping_countries,
    starting_country,
)
from apps.orders.addresses import FIELDS, one_line
from apps.orders.carts import VoucherNotApplicable, offered_methods, priced, shipping_choices
from apps.orders.models import Cart, Order
from apps.orders.views.cart import line_rows, number, refusal, totals_of
from apps.orders.views.common import find_cart, forget, remember, show_count, url
from apps.payments import providers
from apps.payments.errors import PaymentDeclined, PaymentProviderUnavailable
from apps.payments.providers import demo
from rustok.errors import DomainError, InvalidInput

SHIPPING, BILLING = "shipping_address", "billing_address"
SAVED_CHOICE, NEW = "shipping_saved", "new"  # the radio of a customer's saved addresses
LOGIN_PATH = "/account/login/"
CARD_FIELDS = ("card_number", "card_expiry", "card_cvc", "card_name")
FORM_SALT = "rustok.orders.checkout-form"
DECLINED = "Your card was declined."  # the demo provider's word for a plain refusal
FORM_KEY_SECONDS = 86400
EXPIRY = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*$")


def provider_label(name: str) -> str:
    """How the checkout names a payment provider, in the reader's language."""
    known = {"demo": _("Card"), "manual": _("Bank transfer")}
    if name in known:
        return known[name]
    found = providers.known(name)
    return getattr(found, "label", "") or name


def provider_note(name: str) -> str:
    return {
        "demo": _("Pay now by card."),
        "manual": _(
            "Pay by bank transfer: we send the details with the order's confirmation and ship once "
            "the money has arrived."
        ),
    }.get(name, "")


def test_cards() -> list[tuple[str, str]]:
    """The demo provider's test cards (docs/payments.md), shown while it is offered."""
    spaced = lambda number: " ".join(number[i : i + 4] for i in range(0, len(number), 4))  # noqa: E731
    return [
        (spaced(demo.SUCCEEDS), _("success: paid at once")),
        (spaced(demo.DECLINED), _("declined")),
        (spaced(demo.PENDING_THEN_SUCCEEDS), _("pending: the bank checks, paid a little later")),
        (spaced(demo.TIMES_OUT), _("timeout: the provider answers late, charged once")),
        (spaced(demo.PROVIDER_DOWN), _("provider down: try again later")),
    ]


def card_details(post) -> tuple[dict, dict[str, list[str]]]:
    """The card as the provider takes it (never stored), and what is wrong with it."""
    errors: dict[str, list[str]] = {}
    digits = "".join(post.get("card_number", "").split())
    if not digits:
        errors["payment.card_number"] = [_("Enter the card number.")]
    elif not digits.isdigit() or not 12 <= len(digits) <= 19:
        errors["payment.card_number"] = [_("A card number is 12 to 19 digits.")]
    month = year = None
    expiry = EXPIRY.match(post.get("card_expiry", ""))
    if expiry and 1 <= int(expiry.group(1)) <= 12:
        month, year = int(expiry.group(1)), int(expiry.group(2))
        year = year + 2000 if year < 100 else year
    else:
        errors["payment.card_expiry"] = [_("Enter the expiry date as MM/YY.")]
    cvc = post.get("card_cvc", "").strip()
    if not (cvc.isdigit() and 3 <= len(cvc) <= 4):
        errors["payment.card_cvc"] = [_("Enter the 3 or 4 digits on the back of the card.")]
    details = {
        "number": digits,
        "exp_month": month,
        "exp_year": year,
        "cvc": cvc,
        "name": post.get("card_name", ""),
    }
    return details, errors


def _typed(post) -> dict:
    """What the form sent, as the page shows it again."""
    same = post.get("billing_same") == "on"
    return {
        "email": post.get("email", "").strip(),
        SHIPPING: address_from(post, SHIPPING),
        BILLING: None if same else address_from(post, BILLING),
        "billing_same": same,
        "shipping_method": number(post.get("shipping_method")) or None,
        "payment_provider": post.get("payment_provider", ""),
        "note": post.get("note", ""),
        "card_expiry": post.get("card_expiry", ""),
        "card_name": post.get("card_name", ""),
        "saved_choice": post.get(SAVED_CHOICE, ""),
        "save_address": post.get("save_address") == "on",
    }


def _same_address(one: dict | None, other: dict | None) -> bool:
    """Whether two addresses say the same (a field left out is an empty one)."""
    one, other = one or {}, other or {}
    return all(str(one.get(name) or "").strip() == str(other.get(name) or "").strip() for name in FIELDS)


def _book(request: HttpRequest) -> list:
    """The signed-in customer's saved addresses (none for a guest, without a query)."""
    return list(selectors.addresses_of(request.user)) if request.user.is_authenticated else []


def _choose_saved(book: list, values: dict) -> None:
    """Ship to the saved address the shopper chose (`saved_choice`, one of their own), in place of
    the typed fields; "new" (or nothing chosen) keeps what was typed."""
    chosen = next((entry for entry in book if str(entry.pk) == values["saved_choice"]), None)
    if chosen is not None:
        values[SHIPPING] = dict(chosen.address)
        values["save_address"] = False
    elif values["saved_choice"] != NEW:
        values["saved_choice"] = ""


def _saved(cart: Cart, book: list) -> dict:
    """The cart's details as the page shows them."""
    shipping = cart.shipping_address
    if not shipping and book:  # a customer's checkout starts with their default address
        shipping = book[0].address
    country = (shipping or {}).get("country") or starting_country()
    return {
        "email": cart.email or (cart.customer.email if cart.customer_id else ""),
        SHIPPING: {**(shipping or {}), "country": country},
        BILLING: cart.billing_address,
        "billing_same": cart.billing_address is None,
        "shipping_method": cart.shipping_method_id,
        "payment_provider": cart.payment_provider or next(iter(providers.available()), ""),
        "note": cart.note,
        "card_expiry": "",
        "card_name": "",
        "saved_choice": "",
        "save_address": False,
    }


def _saved_rows(book: list, values: dict) -> list[dict]:
    """The saved addresses offered in place of the fields, the one shipped to chosen (the one
    the fields hold, unless the shopper chose a new address); the choice is noted in `values`
    (`saved_choice`) for the "new address" radio."""
    choice = values["saved_choice"]
    if not choice:
        match = next((e for e in book if _same_address(e.address, values[SHIPPING])), None)
        choice = str(match.pk) if match is not None else NEW
        values["saved_choice"] = choice
    return [
        {
            "id": entry.pk,
            "line": one_line(entry.address),
            "country": entry.address.get("country", ""),
            "is_default": entry.is_default,
            "chosen": str(entry.pk) == choice,
        }
        for entry in book
    ]


def _with_country(cart: Cart, country: str) -> Cart:
    """The cart as it would be priced shipping to `country`, a copy that is never saved."""
    preview = copy.copy(cart)
    preview.shipping_address = {**(cart.shipping_address or {}), "country": country}
    return preview


def _page(
    request: HttpRequest,
    cart: Cart,
    values: dict,
    *,
    errors: dict[str, list[str]] | None = None,
    general: list[str] | None = None,
    status: int = 200,
    book: list | None = None,
) -> HttpResponse:
    errors = errors or {}
    book = _book(request) if book is None else book
    cart = Cart.objects.select_related("voucher").get(pk=cart.pk)  # as the services left it
    country = (values[SHIPPING] or {}).get("country", "")
    preview = _with_country(cart, country)
    # The cart priced once, without a method; each method offered carries the totals the order
    # would have with it, so the review shows the chosen one's and the script another's when the
    # choice changes (the first one offered is chosen to start with).
    preview.shipping_method_id = None
    shown = priced(preview)
    choices = offered_methods(shown, with_totals=True) if country else []
    offered_ids = [choice["id"] for choice in choices]
    if values["shipping_method"] not in offered_ids and not errors.get("shipping_method"):
        values["shipping_method"] = offered_ids[0] if offered_ids else None
    for choice in choices:
        choice["chosen"] = choice["id"] == values["shipping_method"]
        choice["summary"] = totals_of(shown, with_shipping=True, totals=choice["totals"])
    chosen = next((choice for choice in choices if choice["chosen"]), None)
    billing = values[BILLING] or {}
    offered = list(providers.available())
    count = len(shown.lines)
    show_count(request, count)

    def first(name):
        return (errors.get(name) or [""])[0]

    offered_countries = shipping_countries()
    shipping_fields = address_fields(country, values[SHIPPING], errors, SHIPPING, offered_countries)
    billing_fields = address_fields(
        billing.get("country") or country, billing, errors, BILLING, offered_countries
    )
    labels = {
        "email": _("E-mail address"),
        "shipping_method": _("Shipping method"),
        "payment_provider": _("Payment"),
        "payment": _("Payment"),
        "payment.card_number": _("Card number"),
        "payment.card_expiry": _("Expiry date"),
        "payment.card_cvc": _("Security code (CVC)"),
        "note": _("Note"),
        "voucher": _("Voucher"),
        **{f"{SHIPPING}.{f.name}": f"{_('Shipping address')}: {f.label}" for f in shipping_fields},
        **{f"{BILLING}.{f.name}": f"{_('Billing address')}: {f.label}" for f in billing_fields},
    }
    summary = [
        {"field": name.replace(".", "-"), "label": labels[name], "message": messages[0]}
        for name, messages in errors.items()
        if name in labels
    ]
    placed = {item["field"] for item in summary}
    general = [
        *(general or ()),
        *(m[0] for name, m in errors.items() if name.replace(".", "-") not in placed),
    ]
    context = {
        "page_title": _("Checkout"),
        "values": values,
        "summary": summary,
        "general": general,
        "email_error": first("email"),
        "login_url": f"{LOGIN_PATH}?{urlencode({'next': url('checkout')})}",
        "signed_in": request.user.is_authenticated,
        "saved_addresses": _saved_rows(book, values),
        "priced_country": country,
        "shipping_fields": shipping_fields,
        "billing_fields": billing_fields,
        "choices": choices,
        "chosen_method": chosen,
        "shipping_error": first("shipping_method"),
        "providers": [
            {"name": name, "label": provider_label(name), "note": provider_note(name)} for name in offered
        ],
        "provider_error": first("payment_provider"),
        "payment_error": first("payment"),
        "card_errors": {name: first(f"payment.{name}") for name in CARD_FIELDS},
        "test_cards": test_cards() if "demo" in offered else [],
        "note_error": first("note"),
        "voucher_error": first("voucher"),
        "lines": line_rows(shown),
        "totals": chosen["summary"] if chosen else totals_of(shown, with_shipping=True),
        "action": url("checkout"),
        "form_key": form_key(cart),
        "cart_url": url("cart"),
    }
    response = render(request, "storefront/orders/checkout.html", context, status=status)
    remember(response, cart, count)
    return response


def _order_url(order: Order) -> str:
    return url("order-view", query=urlencode({"key": links.guest_key(order)}))


def _placed(request: HttpRequest, order: Order) -> HttpResponse:
    """Off to the order's page; the cart is done with (its cookies cleared)."""
    response = redirect(_order_url(order))
    forget(response)
    return response


def _details(values: dict, *, partial: bool) -> dict:
    """What update_checkout is given: everything when placing the order; only what was filled in
    when updating the form (a half-typed form saves what it can)."""
    given = {
        "email": values["email"],
        "shipping_address": values[SHIPPING],
        "billing_address": values[BILLING],
        "shipping_method": values["shipping_method"],
        "payment_provider": values["payment_provider"],
        "note": values["note"],
    }
    if partial:
        if not given["email"]:
            given.pop("email")
        if is_blank(given["shipping_address"]):
            given.pop("shipping_address")
        if given["billing_address"] is not None and is_blank(given["billing_address"]):
            given.pop("billing_address")
        if not given["payment_provider"]:
            given.pop("payment_provider")
    return given


def form_key(cart: Cart) -> str:
    """What the form carries to find its order when it is sent again after the order was placed
    (the cart's cookie cleared by then): the cart's token, signed. It finds an order, nothing else."""
    return signing.dumps(str(cart.token), salt=FORM_SALT, compress=False)


def _completed(request: HttpRequest) -> Order | None:
    """The order the form sent placed already (a second click, a resubmission), if any."""
    tokens = []
    held = find_cart(request, open_only=False)
    if held is not None:
        tokens.append(held.token)
    with contextlib.suppress(signing.BadSignature):
        posted = request.POST.get("form_key", "")
        tokens.append(signing.loads(posted, salt=FORM_SALT, max_age=FORM_KEY_SECONDS))
    for token in tokens:
        order = Order.objects.filter(checkout_token=str(token)).first()
        if order is not None:
            return order
    return None


@never_cache
def checkout(request: HttpRequest) -> HttpResponse:
    """The checkout page (GET) and its form (POST: `action` is `update` or `place`)."""
    if request.method == "POST":
        done = _completed(request)
        if done is not None:  # the same form sent again: its order
            return _placed(request, done)
    cart = find_cart(request)
    if cart is None or not cart.lines.exists():
        return redirect(url("cart"))
    book = _book(request)
    if request.method != "POST":
        return _page(request, cart, _saved(cart, book), book=book)
    values = _typed(request.POST)
    _choose_saved(book, values)
    if request.POST.get("action") != "place":
        return _update(request, cart, values, book)
    return _place(request, cart, values, book)


def _update(request: HttpRequest, cart: Cart, values: dict, book: list) -> HttpResponse:
    """Save what can be saved and show the form again (for the country chosen)."""
    country = values[SHIPPING].get("country", "")
    offered = (
        {choice["id"] for choice in shipping_choices(_with_country(cart, country))} if country else set()
    )
    if values["shipping_method"] not in offered:
        values["shipping_method"] = None
    try:
        cart = services.update_checkout(cart=cart, **_details(values, partial=True))
    except InvalidInput:
        pass  # half typed: shown again as typed, nothing said before "Place order"
    except DomainError as error:
        return _page(request, cart, values, general=[refusal(error)], status=400, book=book)
    return _page(request, cart, values, book=book)


def _place(request: HttpRequest, cart: Cart, values: dict, book: list) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    card = None
    if values["payment_provider"] == "demo":
        card, errors = card_details(request.POST)
    try:
        cart = services.update_checkout(cart=cart, **_details(values, partial=False))
    except InvalidInput as error:
        errors.update(error.errors)
        if values["shipping_method"] is None:
            errors.setdefault("shipping_method", [_("Choose a shipping method.")])
    except DomainError as error:
        return _again(request, cart, values, error)
    if errors:
        return _page(request, cart, values, errors=errors, status=400)
    try:
        order = services.checkout(cart=cart, details=card, site_url=request.build_absolute_uri("/"))
    except PaymentDeclined as error:
        message = _("Your card was declined: nothing was charged. Try another card.")
        if error.detail and error.detail != DECLINED:  # the provider's reason, when it gives one
            message = f"{message} ({error.detail})"
        return _page(request, cart, values, errors={"payment": [message]}, status=400)
    except PaymentProviderUnavailable:
        message = _(
            "The payment service is not answering just now. Please try again in a moment: "
            "you will not be charged twice."
        )
        return _page(request, cart, values, errors={"payment": [message]}, status=400)
    except VoucherNotApplicable as error:
        return _page(request, cart, values, errors={"voucher": error.errors["voucher"]}, status=400)
    except InvalidInput as error:
        return _page(request, cart, values, errors=error.errors, status=400)
    except DomainError as error:
        return _again(request, cart, values, error)
    if values["save_address"]:
        _keep_address(request, book, values[SHIPPING])
    return _placed(request, order)


def _keep_address(request: HttpRequest, book: list, address: dict) -> None:
    """Save the address the order was shipped to in the customer's address book, as they asked
    (once: an address the book holds already is not added again). The order is placed whatever
    happens here; a full book is said on the order's page."""
    if any(_same_address(entry.address, address) for entry in book):
        return
    try:
        services.create_address(customer=request.user, address=address)
    except DomainError as error:
        messages.warning(request, _("The address was not saved: %(reason)s") % {"reason": error.detail})
    else:
        messages.success(request, _("The address is saved in your address book."))


def _again(request: HttpRequest, cart: Cart, values: dict, error: DomainError) -> HttpResponse:
    """A refusal about the cart as a whole (stock gone, a product no longer sold, the cart changed
    while paying): said above the form; the cart is as it was."""
    if error.code == "payment_mismatch":
        message = _(
            "Your cart changed while you paid: nothing was charged. Check it and place the order again."
        )
    elif error.code in ("out_of_stock", "cart_not_orderable"):
        message = _("Some items in your cart cannot be ordered as they are now: see your cart.")
    else:
        message = refusal(error)
    return _page(
        request, Cart.objects.select_related("voucher").get(pk=cart.pk), values, general=[message], status=400
    )
