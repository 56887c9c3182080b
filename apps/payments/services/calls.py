"""Calling a provider: never inside a database transaction, through a breaker, with retries.

DESIGN.md, "outside calls": the payment is recorded `pending` and committed first; the provider is
called with no transaction open (no row lock held while the network is slow, and no charge made
by a call whose transaction then rolls back); the answer is recorded afterwards by a service of
its own. `call` enforces the middle step: asked inside an atomic block it refuses with
CallInTransaction, a programming error.

Each provider has a circuit breaker (`payments.<name>`, per process): after
PAYMENTS_BREAKER_FAILURES failed calls in a row it is not called for PAYMENTS_BREAKER_SECONDS.
A call that times out or finds the provider down is tried again, PAYMENTS_CALL_ATTEMPTS times
at most, pausing PAYMENTS_RETRY_BACKOFF seconds and then twice as long each time, always with
the same idempotency key, so the provider acts at most once. When the tries are spent or the
circuit is open, `call` raises Unreachable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from apps.payments.providers import Provider, ProviderTimeout, ProviderUnavailable, Result
from rustok.resilience import CircuitOpen, call_with_retries


class CallInTransaction(RuntimeError):
    """A provider was about to be called inside a database transaction (a bug in the caller)."""


class Unreachable(Exception):
    """The provider did not answer: timeouts or down after the retries, or its circuit open."""

    def __init__(self, message: str, *, circuit_open: bool = False):
        super().__init__(message)
        self.circuit_open = circuit_open


def in_transaction() -> bool:
    """Whether a transaction is open on the default connection.

    A test's own wrapping transaction (Django's TestCase, pytest-django's `db`) stands for the
    committed database and does not count, as Django's durable atomic blocks treat it.
    """
    if not connection.in_atomic_block:
        return False
    blocks = connection.atomic_blocks
    return not (blocks and getattr(blocks[-1], "_from_testcase", False))


def call(provider: Provider, operation: str, *args, **kwargs) -> Result:
    """`provider.<operation>(*args, **kwargs)`, outside any transaction, through its breaker and
    retries (see the module's docstring). Raises CallInTransaction or Unreachable."""
    if provider.remote and in_transaction():
        raise CallInTransaction(
            f"payments: {provider.name}.{operation} called inside a database transaction; record the "
            "payment and commit first, call the provider outside transaction.atomic, then record "
            "its answer (docs/payments.md, 'Two phases')."
        )
    method = getattr(provider, operation)
    if not provider.remote:
        return method(*args, **kwargs)
    try:
        return call_with_retries(
            f"payments.{provider.name}",
            method,
            *args,
            retry_on=(ProviderTimeout, ProviderUnavailable),
            attempts=settings.PAYMENTS_CALL_ATTEMPTS,
            backoff=settings.PAYMENTS_RETRY_BACKOFF,
            fail_max=settings.PAYMENTS_BREAKER_FAILURES,
            reset_timeout=settings.PAYMENTS_BREAKER_SECONDS,
            **kwargs,
        )
    except CircuitOpen:
        raise Unreachable(
            f"The payment provider '{provider.name}' failed repeatedly just now; not tried.",
            circuit_open=True,
        ) from None
    except (ProviderTimeout, ProviderUnavailable) as exc:
        raise Unreachable(f"The payment provider '{provider.name}' did not answer: {exc}") from exc
