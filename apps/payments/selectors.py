"""Reads of payments: what the orders module asks (by reference, by key), and what staff lists
show (REST, GraphQL and the admin read the same querysets)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db.models import QuerySet

from apps.payments.models import Payment, PaymentTransaction, Status


def payments(*, reference: str | None = None, status=None, provider: str | None = None) -> QuerySet:
    """Payments newest first, of `reference`, in `status` (one or a list), through `provider`."""
    found = Payment.objects.order_by("-created_at", "-id")
    if reference:
        found = found.filter(reference=reference)
    if status:
        found = found.filter(status__in=[status] if isinstance(status, str) else list(status))
    if provider:
        found = found.filter(provider=provider)
    return found


def payments_of(reference: str) -> list[Payment]:
    """Every payment made for `reference` ("checkout:<uuid>"), oldest first."""
    return list(Payment.objects.filter(reference=reference).order_by("created_at", "id"))


def payment_by_key(key) -> Payment | None:
    """The payment whose idempotency key base is `key` (a UUID or its text), or None."""
    try:
        key = key if isinstance(key, uuid.UUID) else uuid.UUID(str(key))
    except ValueError:
        return None
    return Payment.objects.filter(key=key).first()


def paid_amount(reference: str, currency: str) -> int:
    """What was captured for `reference` in `currency` and not refunded, in minor units."""
    rows = Payment.objects.filter(
        reference=reference,
        currency=currency,
        status__in=[Status.CAPTURED, Status.PARTIALLY_REFUNDED, Status.REFUNDED],
    ).values_list("captured_amount", "refunded_amount")
    return sum(captured - refunded for captured, refunded in rows)


def transactions_of_payments(payment_ids: Iterable[int]) -> dict[int, list[PaymentTransaction]]:
    """Each payment's transactions in the order they happened (one query); every id asked has a
    list."""
    ids = list(payment_ids)
    found: dict[int, list[PaymentTransaction]] = {pk: [] for pk in ids}
    for row in PaymentTransaction.objects.filter(payment_id__in=ids).order_by("created_at", "id"):
        found[row.payment_id].append(row)
    return found
