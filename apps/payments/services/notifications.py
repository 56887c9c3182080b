"""Notifications from providers: verified, recorded once, applied.

The webhook hands the raw body and headers here. The provider checks the signature
(InvalidSignature, 400, when it does not verify) and says what happened. The payment's row is
locked, and a notification already recorded (the same provider and notification id: providers
deliver again until they hear 200) changes nothing; otherwise it is recorded and the payment
moves as it says: a pending charge captured, authorised, failed, voided. A notification that
arrives after the payment moved on (a late or repeated message) is recorded without moving it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from django.db import IntegrityError, transaction

from apps.payments import providers
from apps.payments.models import Kind, Outcome, Payment, PaymentTransaction, Status
from apps.payments.services import records
from rustok.errors import NotFound

# What each notification event does to the payment: its transition (by the status it is in).
MOVES = {
    "authorized": {Status.PENDING: "authorize"},
    "captured": {Status.PENDING: "charge", Status.AUTHORIZED: "capture"},
    "failed": {Status.PENDING: "fail"},
    "voided": {Status.PENDING: "void", Status.AUTHORIZED: "void"},
}


def _payment_of(notification: providers.Notification, provider: str) -> Payment:
    found = Payment.objects.filter(provider=provider)
    if notification.payment_key:
        try:
            found = found.filter(key=uuid.UUID(notification.payment_key))
        except ValueError:
            found = found.none()
    elif notification.provider_reference:
        found = found.filter(provider_reference=notification.provider_reference)
    else:
        found = found.none()
    payment = found.order_by("pk").first()
    if payment is None:
        raise NotFound("No payment of this site matches the notification.", reason="unknown_payment")
    return payment


def handle_notification(*, provider, body: bytes, headers: Mapping[str, str]) -> Payment:
    """Verify and apply a notification `provider` sent (`body` as received, its `headers`).
    Returns the payment. The same notification twice changes nothing the second time.

    Refused: an unknown provider (404 `not_found`), a signature that does not verify (400
    `invalid_signature`), a body that is not the provider's notification (400 `invalid`), a
    payment this site does not have (404 `not_found`, `reason: unknown_payment`)."""
    chosen = providers.known(provider)
    if chosen is None:
        raise NotFound(f"No payment provider '{provider}'.")
    notification = chosen.parse_notification(bytes(body), headers)
    try:
        return _apply(chosen.name, notification)
    except IntegrityError:
        # The same notification recorded by a concurrent delivery: nothing more to do.
        return _payment_of(notification, chosen.name)


@transaction.atomic
def _apply(provider: str, notification: providers.Notification) -> Payment:
    payment = records.locked(_payment_of(notification, provider).pk)
    seen = PaymentTransaction.objects.filter(provider=provider, notification_id=notification.id)
    if seen.exists():
        return payment
    amount = notification.amount or payment.amount
    outcome = Outcome.FAILED if notification.event == "failed" else Outcome.SUCCESS
    with transaction.atomic():  # a savepoint: a duplicate id is an IntegrityError the caller answers
        records.write(
            payment,
            Kind.NOTIFICATION,
            outcome,
            amount=amount,
            notification_id=notification.id,
            raw=notification.raw,
            error=notification.message if outcome == Outcome.FAILED else "",
        )
    if notification.provider_reference and not payment.provider_reference:
        payment.provider_reference = notification.provider_reference
    if notification.message:
        payment.message = notification.message[:255]
    transition = MOVES.get(notification.event, {}).get(payment.status, "")
    args = (min(amount, payment.amount),) if transition in ("charge", "capture") else ()
    if transition and records.move(payment, transition, *args):
        payment.save()
        records.announce(payment, transition)
    else:
        payment.save(update_fields=["provider_reference", "message", "updated_at"])
    return payment
