"""The event bus: declare event types, publish them with the write, consume them in handlers.

    from rustok import events

    @transaction.atomic
    def enable(...):
        ...                                   # the write
        events.publish(ModuleEnabled(module=slug))

`publish` writes the event to the outbox table of the current schema (a tenant's, or the public
schema's for the platform's own writes), in the caller's transaction: the event exists if and
only if the write commits. After the commit a Celery task
relays the tenant's pending events to their handlers; a periodic sweep picks up whatever that
missed. The outbox and its relay belong to the events module, which provides the hooks below
(`outbox_append`, `outbox_append_many`, `relay_kick`) at start-up. See docs/events.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from rustok.events.bus import Envelope, all_handlers, event_delivered, handlers_for, subscribe
from rustok.events.types import (
    Event,
    EventPayloadError,
    PublishError,
    declared_types,
    event_type,
    is_declared,
)
from rustok.hooks import Hook

__all__ = [
    "Envelope",
    "Event",
    "EventPayloadError",
    "PublishError",
    "all_handlers",
    "declared_types",
    "event_delivered",
    "event_type",
    "handlers_for",
    "publish",
    "publish_many",
    "subscribe",
]

outbox_append = Hook(
    "events outbox",
    "(type=, version=, payload=, request_id=) -> the new outbox row of the current schema; "
    "provided by the events module.",
)
outbox_append_many = Hook(
    "events outbox, many at once",
    "(rows=[(type, version, payload)], request_id=) -> write the rows to the outbox of the current "
    "schema in as few statements as it can; provided by the events module.",
)
relay_kick = Hook(
    "events relay", "(schema_name) -> queue a relay of that schema's outbox; provided by the events module."
)


class _KickRelay:
    """The on-commit callback that queues a relay of one schema's outbox (once per transaction)."""

    def __init__(self, schema_name: str):
        self.schema_name = schema_name

    def __call__(self) -> None:
        relay_kick(self.schema_name)


def _check_publishable(event: Event) -> None:
    if not isinstance(event, Event) or not type(event).type:
        raise PublishError(f"Only declared events can be published, not {event!r}.")
    if not is_declared(type(event)):
        raise PublishError(f"Event type '{event.type}' is not declared in a module's events.py.")
    if not connection.in_atomic_block:
        raise PublishError(
            f"{event.type} published outside a transaction: call publish() inside the service's "
            "transaction.atomic block, so the event commits with the write or not at all."
        )


def _kick_on_commit() -> None:
    schema_name = connection.schema_name
    queued = any(
        isinstance(func, _KickRelay) and func.schema_name == schema_name
        for _sids, func, _robust in connection.run_on_commit
    )
    if not queued:
        transaction.on_commit(_KickRelay(schema_name), robust=True)


def publish(event: Event):
    """Write `event` to the outbox of the current tenant's schema, inside the current transaction.

    Raises EventPayloadError when a field does not match the event's declaration, and
    PublishError outside a transaction. Returns the outbox row.
    """
    from rustok.logs import current_request_id

    _check_publishable(event)
    row = outbox_append(
        type=event.type,
        version=event.version,
        payload=event.to_payload(),
        request_id=current_request_id() or "",
    )
    _kick_on_commit()
    return row


def publish_many(events: Iterable[Event]) -> int:
    """Publish many events at once, in their order, as `publish` would one by one (each checked
    against its declaration, inside the caller's transaction), but written to the outbox in a few
    statements: for writes of thousands of rows (an import). Returns how many were written."""
    from rustok.logs import current_request_id

    rows = []
    for event in events:
        _check_publishable(event)
        rows.append((event.type, event.version, event.to_payload()))
    if not rows:
        return 0
    outbox_append_many(rows=rows, request_id=current_request_id() or "")
    _kick_on_commit()
    return len(rows)
