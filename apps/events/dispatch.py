"""Queue a relay of a tenant's outbox without ever making the write path wait or fail.

At most one relay per tenant waits in the queue: a key in Redis (SET NX with a TTL) says one is
queued, and the relay task drops the key before it reads the outbox. An event committed while
the key exists is therefore seen by the queued relay. If Redis or the broker is down, nothing is
queued and nothing fails: the events wait in the outbox for the periodic sweep.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import caches
from django_tenants.utils import schema_context

log = logging.getLogger(__name__)

CACHE_ALIAS = "platform"


def _key(schema_name: str) -> str:
    return f"events:relay-queued:{schema_name}"


def kick(schema_name: str) -> bool:
    """Queue a relay of `schema_name`'s outbox unless one is queued already; True if queued now."""
    from apps.events.tasks import relay

    cache = caches[CACHE_ALIAS]
    try:
        if not cache.add(_key(schema_name), 1, settings.EVENTS_RELAY_QUEUED_SECONDS):
            return False
    except Exception as exc:
        log.warning(
            "events: cannot reach Redis to queue a relay of %s (%s); the sweep will", schema_name, exc
        )
        return False
    try:
        with schema_context(schema_name):
            relay.apply_async(retry=False)
    except Exception as exc:
        log.warning("events: cannot queue a relay of %s (%s); the sweep will", schema_name, exc)
        forget(schema_name)
        return False
    return True


def forget(schema_name: str) -> None:
    """Say no relay of `schema_name` is queued any more (the relay task does, as it starts)."""
    try:
        caches[CACHE_ALIAS].delete(_key(schema_name))
    except Exception as exc:
        log.warning("events: cannot reach Redis to clear the relay mark of %s (%s)", schema_name, exc)
