"""The payment services: start, authorise, capture, void, refund, mark paid.

Every one that talks to a provider works in the two phases of DESIGN.md ("outside calls"): what is
to be done is checked and the payment is committed as it is; the provider is called with no
transaction open (calls.call: breaker, bounded retries, one idempotency key per operation);
then its answer is recorded by records.record in a transaction of its own, which writes the
transaction row, applies the transition and publishes the event. So none of these may be
called inside transaction.atomic (CallInTransaction), but for the manual provider's, which call
nothing outside.

Idempotency keys are the payment's `key` and the operation: `<key>:authorize`, `<key>:capture`,
`<key>:void`, and for a refund `<key>:refund:<refunded so far>+<amount>`. Asking again after
an answer was lost (a timeout) sends the same key, so the provider acts once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from apps.payments import events, providers
from apps.payments.errors import (
    PaymentDeclined,
    PaymentProviderUnavailable,
    ProviderRefused,
    RefundExceedsCaptured,
)
from apps.payments.models import Kind, Payment, Status
from apps.payments.providers import FAILED, Result
from apps.payments.services import calls, records
from rustok import money
from rustok.errors import Conflict, InvalidInput, NotFound
from rustok.events import publish
from rustok.permissions import require

PERM = "payments.manage_payments"
REFERENCE_MAX = 100


def _text(value, field: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput.for_field(field, "Must be a string.")
    value = value.strip()
    if len(value) > limit:
        raise InvalidInput.for_field(field, f"At most {limit} characters.")
    return value


def _email(value) -> str:
    value = _text(value, "email", 254)
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise InvalidInput.for_field("email", "Enter a valid e-mail address.") from None
    return value


@transaction.atomic
def start_payment(*, provider, amount, currency, reference, email="", customer=None, method="") -> Payment:
    """Record a payment of `amount` minor units of `currency` for `reference` through `provider`,
    pending and committed before the provider hears of it. Publishes `payments.payment.started`.

    Refused naming the field (400 `invalid`): an unknown provider, an amount that is not a whole
    number above zero, a currency that is not ISO 4217, an empty or over-long reference.
    """
    chosen = providers.get(provider, "provider")
    amount = money.minor_amount(amount, "amount")
    if amount == 0:
        raise InvalidInput.for_field("amount", "Must be more than zero.")
    currency = money.currency_code(currency, "currency")
    reference = _text(reference, "reference", REFERENCE_MAX)
    if not reference:
        raise InvalidInput.for_field("reference", "Say what the payment is for.")
    email = _email(email)
    method = _text(method, "method", 40) or chosen.method
    if customer is not None and not getattr(customer, "pk", None):
        raise InvalidInput.for_field("customer", "Must be a saved user.")
    payment = Payment.objects.create(
        provider=chosen.name,
        method=method,
        amount=amount,
        currency=currency,
        reference=reference,
        email=email,
        customer=customer,
    )
    publish(events.PaymentStarted(**records.common(payment)))
    return payment


def _fresh(payment: Payment) -> Payment:
    found = Payment.objects.filter(pk=getattr(payment, "pk", None)).first()
    if found is None:
        raise NotFound("This payment does not exist.")
    return found


def _retry_after() -> float:
    return float(settings.PAYMENTS_RETRY_AFTER)


def _call(
    payment: Payment, kind: str, operation: str, *args, key: str, amount: int = 0, actor=None, **kwargs
) -> Result:
    """Call the payment's provider (calls.call); when it does not answer, record that and raise
    PaymentProviderUnavailable (503, Retry-After): the payment is as it was."""
    provider = providers.get(payment.provider)
    try:
        return calls.call(provider, operation, payment, *args, key=key, **kwargs)
    except calls.Unreachable as exc:
        records.record_unanswered(
            payment=payment, kind=kind, key=key, error=str(exc), amount=amount, actor=actor
        )
        raise PaymentProviderUnavailable(
            f"{exc} Nothing was changed; try again in a moment.",
            retry_after=_retry_after(),
            provider=payment.provider,
        ) from exc


# Past authorisation: a call to authorise such a payment answers it as it is.
DONE = (Status.CAPTURED, Status.PARTIALLY_REFUNDED, Status.REFUNDED)


def authorize(*, payment: Payment, details=None) -> Payment:
    """Ask the provider to authorise `payment` (pending), and to capture it at once when the
    provider captures on authorisation. `details` is what the provider needs (a card), never
    stored; what may be shown of it (brand, last 4 digits) is, from the provider's answer.

    Declined: the payment fails and PaymentDeclined (402 `payment_declined`, the provider's
    message) is raised. No answer after the retries, or the provider's circuit open:
    PaymentProviderUnavailable (503) and the payment stays pending; calling again asks with the
    same key, so a charge the provider made meanwhile is found, never made twice. A pending
    answer (the bank checks) leaves the payment pending until the provider's notification.
    Calling it on an authorised payment of a provider that captures at once finishes the capture;
    on one authorised (otherwise) or captured already, by a call at the same time or an earlier
    one, it answers the payment as it is and asks the provider nothing.
    """
    payment = _fresh(payment)
    provider = providers.get(payment.provider)
    if details is not None and not isinstance(details, dict):
        raise InvalidInput.for_field("details", "Must be an object.")
    if payment.status in DONE or (payment.status == Status.AUTHORIZED and not provider.auto_capture):
        # Authorised already (another call with the same key, a second click): nothing to ask.
        return payment
    if not (payment.status == Status.AUTHORIZED and provider.auto_capture):
        records.check(payment, "authorize")
        key = f"{payment.key}:authorize"
        result = _call(
            payment, Kind.AUTHORIZE, "authorize", key=key, amount=payment.amount, details=dict(details or {})
        )
        payment = records.record(
            payment=payment, kind=Kind.AUTHORIZE, result=result, key=key, amount=payment.amount
        )
        if payment.status == Status.FAILED:
            raise PaymentDeclined(result.message or "The payment was declined.", provider=payment.provider)
    if payment.status == Status.AUTHORIZED and provider.auto_capture:
        payment = _capture(payment, payment.amount, actor=None)
    return payment


def _capture(payment: Payment, amount: int, *, actor) -> Payment:
    key = f"{payment.key}:capture"
    result = _call(payment, Kind.CAPTURE, "capture", amount, key=key, amount=amount, actor=actor)
    payment = records.record(
        payment=payment, kind=Kind.CAPTURE, result=result, key=key, amount=amount, actor=actor
    )
    _refused(result)
    return payment


def _refused(result: Result) -> None:
    if result.status == FAILED:
        raise ProviderRefused(result.message or "The payment provider refused.", reason="provider_refused")


def capture(*, payment: Payment, amount=None, actor=None) -> Payment:
    """Take `amount` (default: all) of an authorised payment. With an `actor`, they need
    `payments.manage_payments`; without one it is the shop's own doing (the orders module
    capturing when it ships). More than was authorised is refused naming `amount`; a refusal of
    the provider is 409 `provider_refused`; an illegal state 409 `transition_not_allowed`."""
    if actor is not None:
        require(actor, PERM)
    payment = _fresh(payment)
    records.check(payment, "capture")
    amount = payment.amount if amount is None else money.minor_amount(amount, "amount")
    if not 0 < amount <= payment.amount:
        raise InvalidInput.for_field("amount", f"Between 1 and the authorised {payment.amount}.")
    return _capture(payment, amount, actor=actor)


def void(*, payment: Payment, actor=None) -> Payment:
    """Cancel a payment before any money was taken (pending or authorised). With an `actor`, they
    need `payments.manage_payments`."""
    if actor is not None:
        require(actor, PERM)
    payment = _fresh(payment)
    records.check(payment, "void")
    key = f"{payment.key}:void"
    result = _call(payment, Kind.VOID, "void", key=key, actor=actor)
    payment = records.record(payment=payment, kind=Kind.VOID, result=result, key=key, actor=actor)
    _refused(result)
    return payment


def refund(*, payment: Payment, amount, actor) -> Payment:
    """Give `amount` of what was captured back: partially refunded, or refunded once all of it
    is. `actor` needs `payments.manage_payments`; None is the shop's own doing (the checkout
    giving back a payment whose order could not be placed). More than is left to refund is 409
    `refund_exceeds_captured` naming `amount`; the provider refusing is 409 `provider_refused`."""
    if actor is not None:
        require(actor, PERM)
    payment = _fresh(payment)
    amount = money.minor_amount(amount, "amount")
    if amount == 0:
        raise InvalidInput.for_field("amount", "Must be more than zero.")
    records.check(payment, "refund")
    if amount > payment.refundable:
        message = (
            f"At most {payment.refundable} can be refunded ({payment.captured_amount} captured, "
            f"{payment.refunded_amount} refunded)."
        )
        raise RefundExceedsCaptured(message, errors={"amount": [message]}, refundable=payment.refundable)
    key = f"{payment.key}:refund:{payment.refunded_amount}+{amount}"
    result = _call(payment, Kind.REFUND, "refund", amount, key=key, amount=amount, actor=actor)
    payment = records.record(
        payment=payment, kind=Kind.REFUND, result=result, key=key, amount=amount, actor=actor
    )
    _refused(result)
    return payment


def mark_paid(*, payment: Payment, actor) -> Payment:
    """Staff received the money of a manual payment (bank transfer, cash): it is captured in full.
    `actor` needs `payments.manage_payments`; a payment of a provider that is not paid by hand is
    409 `conflict` (`reason: not_manual`). None is the shop's own doing (the orders module, which
    checked its own permission and writes who in the order's history)."""
    if actor is not None:
        require(actor, PERM)
    payment = _fresh(payment)
    provider = providers.get(payment.provider)
    if not provider.marks_paid:
        raise Conflict(
            f"Payments through '{payment.provider}' are paid through the provider, not marked paid.",
            reason="not_manual",
        )
    records.check(payment, "charge")
    key = f"{payment.key}:manual"
    result = _call(
        payment, Kind.MANUAL, "capture", payment.amount, key=key, amount=payment.amount, actor=actor
    )
    payment = records.record(
        payment=payment, kind=Kind.MANUAL, result=result, key=key, amount=payment.amount, actor=actor
    )
    _refused(result)
    return payment
