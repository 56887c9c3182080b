"""Errors the payment services raise on purpose (rendered as problem+json, GraphQL codes)."""

from __future__ import annotations

from rustok.errors import Conflict, DomainError


class PaymentDeclined(DomainError):
    """The provider refused to authorise the payment (a declined card); the payment failed.
    `detail` is the provider's message."""

    code = "payment_declined"
    status = 402
    title = "Payment declined"


class PaymentProviderUnavailable(DomainError):
    """The provider did not answer (timeouts, down, or its circuit is open) after the retries.
    Nothing changed: the payment can be tried again (with the same idempotency key) after
    `retry_after` seconds."""

    code = "payment_provider_unavailable"
    status = 503
    title = "Payment provider unavailable"


class ProviderRefused(Conflict):
    """The provider refused a capture, void or refund (`detail`: its message); nothing changed."""

    code = "provider_refused"
    title = "Refused by the payment provider"


class RefundExceedsCaptured(Conflict):
    """A refund of more than what is left to refund (captured, less refunded)."""

    code = "refund_exceeds_captured"
    title = "Refund exceeds what was captured"
