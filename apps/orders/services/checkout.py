"""Checkout: a cart's e-mail, addresses, shipping method, voucher and payment method, then
payment and the order, with no oversell and no double charge.

`checkout(cart=..., details=...)` runs in three steps, per DESIGN.md's "outside calls":

1. **Begin** (one transaction): the cart's row is locked, the cart checked (every refusal names
   its field), its stock reserved through inventory (`checkout:<token>` owns the reservation,
   for OrderSettings.reservation_minutes), and a payment recorded `pending` for the total. The
   transaction commits before any provider is called.
2. **Pay** (no transaction): the payments module asks the provider, with the payment's
   idempotency key. A decline is 402 `payment_declined`; a provider down or timing out is 503
   `payment_provider_unavailable` and the payment stays pending: calling `checkout` again asks
   with the same key, so a charge the provider did make is found, never made twice.
3. **Place** (one transaction): the cart's row is locked again; if an order of this checkout
   exists it is answered (the same checkout completed twice at once gives one order); else the
   stock is reserved again (a no-op when still held) and committed, the voucher counted, the
   next order number taken, and the order written with copies of its lines, addresses and
   totals.

Lock order (docs/orders.md): the cart row; inventory's owner lock, stock rows (ascending
variant, location), reservation rows and alerts; the voucher row; the order counter row last.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.inventory import services as inventory
from apps.orders import addresses
from apps.orders.carts import (
    SHIPPING_PROBLEMS,
    PricedCart,
    VoucherNotApplicable,
    order_settings,
    priced,
    quote,
    ready,
)
from apps.orders.events import CheckoutStarted
from apps.orders.models import Cart, Order, ShippingMethod
from apps.orders.selectors_config import voucher_by_code
from apps.orders.services.carts import CartClosed, lock_cart
from apps.orders.services.placing import place_order
from apps.payments import providers
from apps.payments import services as payments
from apps.payments.models import Payment
from apps.payments.models import Status as PaymentStatus
from rustok.errors import DomainError, InvalidInput
from rustok.events import publish
from rustok.tree import UNSET


def _email(value) -> str:
    text = value.strip() if isinstance(value, str) else None
    try:
        validate_email(text)
    except ValidationError:
        raise InvalidInput.for_field("email", _("Enter a valid e-mail address.")) from None
    return text


def _provider(value) -> str:
    names = list(providers.available())
    if value not in names:
        raise InvalidInput.for_field(
            "payment_provider", _("Choose one of: %(names)s.") % {"names": ", ".join(names)}
        )
    return value


@transaction.atomic
def update_checkout(
    *,
    cart: Cart,
    email=UNSET,
    shipping_address=UNSET,
    billing_address=UNSET,
    shipping_method=UNSET,
    payment_provider=UNSET,
    note=UNSET,
) -> Cart:
    """Set what is given; every refusal names its field (`shipping_address.postal_code`, ...)
    and nothing is written. `billing_address` None: the same as the shipping address.
    `shipping_method` is a method's id (None clears it) that ships to the shipping country in the
    cart's currency. A change while a payment is under way gives its reserved stock back."""
    cart = lock_cart(cart)
    changed: list[str] = []
    errors: dict[str, list[str]] = {}

    def attempt(name, check):
        try:
            value = check()
        except InvalidInput as exc:
            errors.update(exc.errors)
            return
        if getattr(cart, name) != value:
            setattr(cart, name, value)
            changed.append(name)

    if email is not UNSET:
        attempt("email", lambda: _email(email))
    if shipping_address is not UNSET:
        attempt("shipping_address", lambda: addresses.clean(shipping_address, "shipping_address"))
    if billing_address is not UNSET:
        attempt(
            "billing_address",
            lambda: None if billing_address is None else addresses.clean(billing_address, "billing_address"),
        )
    if payment_provider is not UNSET:
        attempt("payment_provider", lambda: _provider(payment_provider))
    if note is not UNSET:
        attempt("note", lambda: _note(note))
    if shipping_method is not UNSET:
        attempt("shipping_method", lambda: _method(cart, shipping_method))
    if errors:
        raise InvalidInput("; ".join(f"{f}: {m[0]}" for f, m in errors.items()), errors=errors)
    if changed:
        if cart.reserved_until is not None:
            inventory.release(owner=cart.owner)
            cart.reserved_until = None
            changed.append("reserved_until")
        cart.save(update_fields=[*changed, "updated_at"])
    return cart


def _note(value) -> str:
    if not isinstance(value, str):
        raise InvalidInput.for_field("note", _("Must be text."))
    if len(value) > 500:
        raise InvalidInput.for_field("note", _("At most 500 characters."))
    return value.strip()


def _method(cart: Cart, value) -> ShippingMethod | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput.for_field("shipping_method", _("Give a shipping method's id."))
    method = (
        ShippingMethod.objects.select_related("zone")
        .prefetch_related("weight_rates")
        .filter(pk=value)
        .first()
    )
    if method is None:
        raise InvalidInput.for_field("shipping_method", _("No such shipping method."))
    country = (cart.shipping_address or {}).get("country", "")
    _quote, problem = quote(method, country=country, currency=cart.currency, weight_grams=0)
    if problem and problem != "too_heavy":  # weight is checked on the whole cart when it is priced
        raise InvalidInput.for_field("shipping_method", _(SHIPPING_PROBLEMS[problem]))
    return method


@transaction.atomic
def apply_voucher(*, cart: Cart, code) -> Cart:
    """Apply the voucher of `code` (any case) to the cart. 400 `voucher_not_applicable` naming
    `voucher`, with `reason`: `unknown`, `inactive`, `not_started`, `expired`, `used_up`,
    `currency`, `limit_per_customer`, `min_subtotal`, `no_eligible_lines`."""
    cart = lock_cart(cart)
    voucher = voucher_by_code(code)
    if voucher is None:
        raise VoucherNotApplicable("unknown", _("No such voucher."))
    previous = cart.voucher_id
    cart.voucher = voucher
    problem = priced(cart).voucher_problem
    if problem is not None:
        raise problem
    if previous != voucher.pk:
        cart.save(update_fields=["voucher", "updated_at"])
    return cart


@transaction.atomic
def remove_voucher(*, cart: Cart) -> Cart:
    cart = lock_cart(cart)
    if cart.voucher_id is not None:
        cart.voucher = None
        cart.save(update_fields=["voucher", "updated_at"])
    return cart


def _reserve(cart: Cart, shown: PricedCart, settings) -> timezone.datetime:
    until = timezone.now() + timedelta(minutes=settings.reservation_minutes)
    inventory.reserve(
        lines=[(line.variant_id, line.quantity) for line in shown.lines],
        owner=cart.owner,
        ttl=timedelta(minutes=settings.reservation_minutes),
    )
    return until


def _open_payment(cart: Cart, total: int) -> Payment | None:
    """A payment of this checkout that still pays for it: pending or further on, for the total
    in the cart's currency through the chosen provider (asked again instead of a new one, so a
    second click pays nothing twice)."""
    return (
        Payment.objects.filter(
            reference=cart.owner,
            amount=total,
            currency=cart.currency,
            provider=cart.payment_provider,
            status__in=[PaymentStatus.PENDING, PaymentStatus.AUTHORIZED, PaymentStatus.CAPTURED],
        )
        .order_by("-created_at", "-id")
        .first()
    )


@transaction.atomic
def begin(*, cart: Cart, customer=None) -> Payment:
    """Step 1: check the cart, reserve its stock, and record its payment pending (or find the
    payment already under way for the same total). Commits before the provider is called."""
    cart = lock_cart(cart)
    settings = order_settings()
    shown = priced(cart, settings=settings)
    ready(shown)
    total = shown.totals.total
    if total <= 0:
        raise InvalidInput.for_field("total", _("There is nothing to pay."))
    cart.reserved_until = _reserve(cart, shown, settings)
    cart.save(update_fields=["reserved_until", "updated_at"])
    payment = _open_payment(cart, total)
    if payment is None:
        payment = payments.start_payment(
            provider=cart.payment_provider,
            amount=total,
            currency=cart.currency,
            reference=cart.owner,
            email=cart.email,
            customer=cart.customer,
        )
    publish(
        CheckoutStarted(
            cart_id=cart.pk,
            total=total,
            currency=cart.currency,
            reserved_until=cart.reserved_until.isoformat(),
        )
    )
    return payment


def checkout(*, cart: Cart, details=None, site_url: str = "") -> Order:
    """Pay for the cart and place its order (the three steps above); the order is answered.
    `site_url` is the address the shopper used ("https://shop.example/"), for the order's mails.
    Must not be called inside a transaction (the provider is called in step 2)."""
    try:
        payment = begin(cart=cart)
    except CartClosed:
        existing = Order.objects.filter(checkout_token=cart.token).first()
        if existing is None:
            raise
        return existing  # completed already (by this shopper's other click)
    if payment.status == PaymentStatus.PENDING:
        payment = payments.authorize(payment=payment, details=details)
    try:
        return place_order(cart=cart, payment=payment, site_url=site_url)
    except DomainError:
        _give_back(payment)
        raise


def _give_back(payment: Payment) -> None:
    """The order could not be placed (the cart changed, or its stock went meanwhile): money the
    payment took goes back, one it only holds is let go, outside any transaction."""
    payment = Payment.objects.get(pk=payment.pk)
    if payment.status == PaymentStatus.AUTHORIZED or payment.status == PaymentStatus.PENDING:
        payments.void(payment=payment)
    elif payment.status == PaymentStatus.CAPTURED and payment.refundable:
        payments.refund(payment=payment, amount=payment.refundable, actor=None)
