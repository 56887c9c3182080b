"""Recording what a provider answered: the transaction row, the transition, the event, at once.

`record` runs in a transaction of its own, after the provider call (calls.py). It locks the
payment's row, writes one PaymentTransaction, moves the payment through the transition the
answer means (rustok.workflow) and publishes the event, so the three commit together or not at
all. An answer recorded already (the same operation and idempotency key, answered success or
failed: a retry, or two callers racing on one payment) changes nothing the second time.
"""

from __future__ import annotations

import copy
import logging

from django.db import transaction
from django_fsm import can_proceed

from apps.payments import events
from apps.payments.models import Kind, Outcome, Payment, PaymentTransaction, Status
from apps.payments.providers import FAILED, PENDING, SUCCESS, Result
from rustok.events import publish
from rustok.workflow import apply

log = logging.getLogger(__name__)


def common(payment: Payment) -> dict:
    """The fields every payment event carries."""
    return {
        "payment_id": payment.pk,
        "reference": payment.reference,
        "provider": payment.provider,
        "amount": payment.amount,
        "currency": payment.currency,
        "status": str(payment.status),
    }


def check(payment: Payment, transition: str) -> None:
    """Raise TransitionNotAllowed (409) unless `payment`'s status allows `transition` (nothing
    changes: it is tried on a copy)."""
    apply(copy.copy(payment), transition, *([0] if transition in AMOUNT_TRANSITIONS else []))


AMOUNT_TRANSITIONS = {"capture", "charge", "refund", "refund_part"}


def locked(payment_id: int) -> Payment:
    return Payment.objects.select_for_update().get(pk=payment_id)


def answered_before(payment: Payment, kind: str, key: str) -> bool:
    """Whether a definite answer (success or failed) to this operation and key is recorded."""
    return (
        bool(key)
        and PaymentTransaction.objects.filter(
            payment=payment, kind=kind, idempotency_key=key, result__in=[Outcome.SUCCESS, Outcome.FAILED]
        ).exists()
    )


def write(
    payment: Payment,
    kind: str,
    outcome: str,
    *,
    amount: int = 0,
    key: str = "",
    result=None,
    error: str = "",
    actor=None,
    notification_id: str = "",
    raw=None,
) -> PaymentTransaction:
    """Append one transaction row of `payment`."""
    return PaymentTransaction.objects.create(
        payment=payment,
        provider=payment.provider,
        kind=kind,
        amount=amount,
        currency=payment.currency,
        result=outcome,
        provider_reference=getattr(result, "provider_reference", "") or "",
        idempotency_key=key,
        raw_response=raw if raw is not None else (getattr(result, "raw", None) or {}),
        error=error,
        notification_id=notification_id,
        actor=actor if getattr(actor, "pk", None) else None,
    )


def move(payment: Payment, transition: str, *args) -> bool:
    """Apply `transition` if the payment's status allows it now; False (logged) if not: the row
    recording the answer stays, the status does not change."""
    if not can_proceed(getattr(payment, transition)):
        log.warning(
            "payment %s: %s not possible from %s; answer recorded only",
            payment.pk,
            transition,
            payment.status,
        )
        return False
    apply(payment, transition, *args)
    return True


def announce(payment: Payment, transition: str, *, amount: int = 0) -> None:
    """Publish the event of `transition`, just applied to `payment`."""
    fields = common(payment)
    if transition == "authorize":
        publish(events.PaymentAuthorized(**fields))
    elif transition in ("capture", "charge"):
        publish(events.PaymentCaptured(**fields, captured_amount=payment.captured_amount))
    elif transition == "fail":
        publish(events.PaymentFailed(**fields, message=payment.message))
    elif transition == "void":
        publish(events.PaymentVoided(**fields))
    elif transition in ("refund", "refund_part"):
        publish(
            events.PaymentRefunded(
                **fields,
                refund_amount=amount,
                refunded_amount=payment.refunded_amount,
                fully_refunded=payment.status == Status.REFUNDED,
            )
        )


def transition_for(payment: Payment, kind: str, amount: int) -> tuple[str, tuple]:
    """The transition a successful `kind` of `amount` means for `payment` ("" for none)."""
    if kind == Kind.AUTHORIZE:
        return "authorize", ()
    if kind == Kind.CAPTURE:
        return ("capture" if payment.status == Status.AUTHORIZED else "charge"), (amount,)
    if kind == Kind.MANUAL:
        return "charge", (amount,)
    if kind == Kind.VOID:
        return "void", ()
    if kind == Kind.REFUND:
        full = payment.refunded_amount + amount >= payment.captured_amount
        return ("refund" if full else "refund_part"), (amount,)
    return "", ()


@transaction.atomic
def record(*, payment: Payment, kind: str, result: Result, key: str, amount: int = 0, actor=None) -> Payment:
    """Record `result`, the provider's answer to `kind` (authorize, capture, void, refund,
    manual) called with `key`, and apply what it means. Returns the payment as it is now."""
    payment = locked(payment.pk)
    if answered_before(payment, kind, key):
        return payment
    outcome = result.status if result.status in (SUCCESS, FAILED, PENDING) else Outcome.ERROR
    done = amount or result.amount
    write(
        payment,
        kind,
        outcome,
        amount=done,
        key=key,
        result=result,
        actor=actor,
        error=result.message if outcome == FAILED else "",
    )
    changed = ["message", "updated_at"]
    payment.message = (result.message or "")[:255]
    if result.provider_reference and not payment.provider_reference:
        payment.provider_reference = result.provider_reference
        changed.append("provider_reference")
    if result.details and kind == Kind.AUTHORIZE:
        payment.details = dict(result.details)
        changed.append("details")
    transition, args = "", ()
    if outcome == SUCCESS:
        transition, args = transition_for(payment, kind, done)
    elif outcome == FAILED and kind == Kind.AUTHORIZE:
        transition = "fail"
    if transition and move(payment, transition, *args):
        changed += ["status", "captured_amount", "refunded_amount"]
    else:
        transition = ""
    payment.save(update_fields=changed)
    if transition:
        announce(payment, transition, amount=done)
    return payment


@transaction.atomic
def record_unanswered(
    *, payment: Payment, kind: str, key: str, error: str, amount: int = 0, actor=None
) -> None:
    """Record a call the provider did not answer (timeouts, down, circuit open); the payment's
    status does not change."""
    payment = locked(payment.pk)
    write(payment, kind, Outcome.ERROR, amount=amount, key=key, error=error, actor=actor)
