"""Events of the payments module: `payments.payment.<what happened>`.

Every event carries the payment's id, its `reference` (what it pays for: the orders module finds
its checkout or order by it), provider, amount, currency and the status it left. `captured`
comes however the money was taken: the provider capturing at once, staff capturing or marking a
payment paid, or a notification confirming a charge that was pending.
"""

import dataclasses

from rustok.events import Event


@dataclasses.dataclass(frozen=True, kw_only=True)
class PaymentEvent(Event):
    """What every payment event carries (abstract: it declares no `type`)."""

    payment_id: int
    reference: str
    provider: str
    amount: int
    currency: str
    status: str


class PaymentStarted(PaymentEvent):
    """A payment was recorded, pending, before the provider was asked anything."""

    type = "payments.payment.started"
    version = 1


class PaymentAuthorized(PaymentEvent):
    """The provider holds the amount."""

    type = "payments.payment.authorized"
    version = 1


class PaymentCaptured(PaymentEvent):
    """The money was taken: `captured_amount` of `amount`."""

    type = "payments.payment.captured"
    version = 1
    captured_amount: int


class PaymentFailed(PaymentEvent):
    """The provider declined or refused the payment (`message`: its words)."""

    type = "payments.payment.failed"
    version = 1
    message: str


class PaymentVoided(PaymentEvent):
    """The payment was cancelled before any money was taken."""

    type = "payments.payment.voided"
    version = 1


class PaymentRefunded(PaymentEvent):
    """`refund_amount` went back; `refunded_amount` in all, `fully_refunded` when that is all
    that was captured."""

    type = "payments.payment.refunded"
    version = 1
    refund_amount: int
    refunded_amount: int
    fully_refunded: bool
