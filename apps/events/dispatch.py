"""Queue a relay of a tenant's outbox without ever making the write path wait or fail.

At most one relay per tenant waits in the queue: a key in Redis (SET NX with a TTL) says one is
queued, and the relay task drops the key before it reads the outbox. An event committed while
the key exists is therefore seen by the queued relay. If Redis or the broker is down, nothing is
queued and nothing fails: the events wait in the outbox for the periodic sweep. After
EVENTS_QUEUE_BREAKER_FAILURES failures in a row the circuit opens and, for
EVENTS_QUEUE_BREAKER_SECONDS, commits do not even try (no connection timeout per write).
"""

from __future__ import annotations

import json
import logging
import os
from uuid import UUID

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from django_tenants.utils import schema_context

from rustok.bulk import copy_rows
from rustok.resilience import CircuitOpen, breaker

log = logging.getLogger(__name__)

CACHE_ALIAS = "platform"


def append(*, type: str, version: int, payload: dict, request_id: str):
    """Write one event to the outbox of the current schema (rustok.events.publish calls this)."""
    from apps.events.models import OutboxEvent

    return OutboxEvent.objects.create(type=type, version=version, payload=payload, request_id=request_id)


def append_many(*, rows: list[tuple[str, int, dict]], request_id: str) -> None:
    """Write (type, version, payload) rows to the outbox of the current schema with one COPY, in
    their order (rustok.events.publish_many calls this): no model instance per event, so an
    import's hundred thousand events cost little more than the database's writes."""
    from apps.events.models import OutboxEvent

    now = timezone.now()
    noise = os.urandom(16 * len(rows))
    copy_rows(
        OutboxEvent,
        ["uuid", "type", "version", "payload", "request_id", "occurred_at", "next_attempt_at"],
        (
            (
                UUID(bytes=noise[16 * n : 16 * n + 16], version=4),
                type_,
                version,
                json.dumps(payload),
                request_id,
                now,
                now,
            )
            for n, (type_, version, payload) in enumerate(rows)
        ),
    )


def _key(schema_name: str) -> str:
    return f"events:relay-queued:{schema_name}"


def _queue_breaker():
    return breaker(
        "events.queue",
        fail_max=settings.EVENTS_QUEUE_BREAKER_FAILURES,
        reset_timeout=settings.EVENTS_QUEUE_BREAKER_SECONDS,
    )


def _queue(schema_name: str) -> bool:
    from apps.events.tasks import relay

    if not caches[CACHE_ALIAS].add(_key(schema_name), 1, settings.EVENTS_RELAY_QUEUED_SECONDS):
        return False  # one is queued already
    try:
        with schema_context(schema_name):
            relay.apply_async(retry=False)
    except Exception:
        forget(schema_name)
        raise
    return True


def kick(schema_name: str, *, guarded: bool = True) -> bool:
    """Queue a relay of `schema_name`'s outbox unless one is queued already; True if queued now.

    `guarded` (the write path): through the circuit breaker. The sweep and the relay itself pass
    False: they are the recovery path, run in the background, and must find out when Redis is
    back.
    """
    try:
        return _queue_breaker().call(_queue, schema_name) if guarded else _queue(schema_name)
    except CircuitOpen:
        return False  # Redis failed just now; the sweep delivers
    except Exception as exc:
        log.warning("events: cannot queue a relay of %s (%s); the sweep will deliver", schema_name, exc)
        return False


def forget(schema_name: str) -> None:
    """Say no relay of `schema_name` is queued any more (the relay task does, as it starts)."""
    try:
        caches[CACHE_ALIAS].delete(_key(schema_name))
    except Exception as exc:
        log.warning("events: cannot reach Redis to clear the relay mark of %s (%s)", schema_name, exc)
