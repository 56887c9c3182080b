"""Delivery of a tenant's outbox to the handlers, and the operator's actions on it.

Every function works on the schema of the current connection (a relay task runs in its tenant's
schema; commands wrap calls in schema_context).

Delivery of one event happens in one transaction that holds the event's row lock (other relays
skip it). Each handler runs in a savepoint together with the insert of its `Delivery` record:
either both commit or neither, so a handler is applied once however often the event is relayed.
A handler that raises is rolled back to its savepoint, its failure recorded, and retried with
exponential backoff until EVENTS_MAX_ATTEMPTS, then its delivery becomes a dead letter.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from apps.core.selectors import current_tenant
from apps.events.models import Delivery, OutboxEvent
from rustok.events import Envelope, event_delivered, event_type, handlers_for
from rustok.events.bus import Handler
from rustok.modules import registry

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (done, total)


@dataclass
class RelayResult:
    """What one relay pass did."""

    events: int = 0  # events looked at
    dispatched: int = 0  # events every handler has now settled
    applied: int = 0  # handler runs that succeeded
    failed: int = 0  # handler runs that raised (retrying or dead now)
    dead: int = 0  # deliveries that became dead letters in this pass
    more: bool = False  # due events were left for another pass
    errors: list[str] = field(default_factory=list)

    def add(self, other: RelayResult) -> None:
        for name in ("events", "dispatched", "applied", "failed", "dead"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)


def backoff(attempt: int) -> dt.timedelta:
    """Wait before retry number `attempt` + 1: base * 2^(attempt-1), at most the configured cap."""
    seconds = settings.EVENTS_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0)
    return dt.timedelta(seconds=min(seconds, settings.EVENTS_RETRY_MAX_SECONDS))


def due_events(now: dt.datetime | None = None):
    """Pending events whose next attempt is due, oldest first."""
    return OutboxEvent.objects.filter(
        dispatched_at__isnull=True, next_attempt_at__lte=now or timezone.now()
    ).order_by("id")


def relay(*, batch_size: int | None = None, now: dt.datetime | None = None) -> RelayResult:
    """Deliver at most `batch_size` due events of the current schema (one bounded batch)."""
    batch_size = batch_size or settings.EVENTS_BATCH_SIZE
    now = now or timezone.now()
    ids = list(due_events(now).values_list("id", flat=True)[: batch_size + 1])
    result = RelayResult(more=len(ids) > batch_size)
    tenant = current_tenant()
    for event_id in ids[:batch_size]:
        result.add(_deliver(event_id, tenant=tenant, now=now))
    return result


def relay_all(*, progress: Progress | None = None, now: dt.datetime | None = None) -> RelayResult:
    """Deliver every due event of the current schema, batch after batch (commands use this)."""
    total = due_events(now).count()
    result = RelayResult()
    while True:
        batch = relay(now=now)
        result.add(batch)
        if progress:
            progress(min(result.events, total), total)
        if not batch.more or batch.events == 0:
            return result


def _handler_enabled(handler: Handler, tenant) -> bool:
    """Whether the handler runs here: its module is on, and in the public schema (the platform's
    own events) only handlers whose tables exist there."""
    from apps.core.selectors import is_enabled
    from rustok.tenancy import tenant_only_app

    if (tenant is None or tenant.is_public) and tenant_only_app(handler.app_label):
        return False
    module = registry.for_app(handler.app_label)
    return module is None or module.core or is_enabled(tenant, module.slug)


def _deliver(event_id: int, *, tenant, now: dt.datetime) -> RelayResult:
    result = RelayResult()
    with transaction.atomic():
        event = (
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(pk=event_id, dispatched_at__isnull=True)
            .first()
        )
        if event is None:  # another relay holds it or has finished it
            return result
        result.events = 1
        records = {record.handler: record for record in event.deliveries.all()}
        envelope_error = None
        try:
            envelope = _envelope(event, attempt=1)
        except Exception as exc:  # unknown type, or a stored version the code no longer reads
            envelope, envelope_error = None, f"{type(exc).__name__}: {exc}"
        waiting: list[dt.datetime] = []
        for handler in handlers_for(event.type):
            if envelope is not None and handler.name not in records and not handler.wants(envelope):
                continue  # routed elsewhere: this handler has nothing to do with the event
            record = records.get(handler.name) or Delivery(event=event, handler=handler.name)
            if record.status in (Delivery.Status.DONE, Delivery.Status.DEAD, Delivery.Status.SKIPPED):
                continue
            if record.next_attempt_at and record.next_attempt_at > now:
                waiting.append(record.next_attempt_at)
                continue
            if not _handler_enabled(handler, tenant):
                _save(record, status=Delivery.Status.SKIPPED, next_attempt_at=None)
                continue
            record.attempts += 1
            try:
                if envelope_error:
                    raise LookupError(envelope_error)
                with transaction.atomic():
                    handler.func(_with_attempt(envelope, record.attempts))
                    _save(record, status=Delivery.Status.DONE, next_attempt_at=None, last_error="")
                result.applied += 1
            except Exception as exc:
                result.failed += 1
                error = "".join(traceback.format_exception_only(exc)).strip()
                log.warning(
                    "events: handler %s failed on %s #%s (attempt %s): %s",
                    handler.name,
                    event.type,
                    event.pk,
                    record.attempts,
                    error,
                )
                result.errors.append(f"{handler.name}: {error}")
                detail = "".join(traceback.format_exception(exc))[-4000:]
                if record.attempts >= settings.EVENTS_MAX_ATTEMPTS:
                    result.dead += 1
                    _save(record, status=Delivery.Status.DEAD, next_attempt_at=None, last_error=detail)
                else:
                    retry_at = now + backoff(record.attempts)
                    _save(
                        record, status=Delivery.Status.RETRYING, next_attempt_at=retry_at, last_error=detail
                    )
                    waiting.append(retry_at)
        if waiting:
            event.next_attempt_at = min(waiting)
            event.save(update_fields=["next_attempt_at"])
        else:
            event.dispatched_at = now
            event.save(update_fields=["dispatched_at"])
            result.dispatched = 1
            if envelope is not None:
                schema_name = connection.schema_name
                transaction.on_commit(lambda: _announce(envelope, schema_name))
    return result


def _save(record: Delivery, **values) -> None:
    for name, value in values.items():
        setattr(record, name, value)
    record.save()


def _envelope(event: OutboxEvent, *, attempt: int) -> Envelope:
    cls = event_type(event.type)
    if event.version != cls.version:
        raise LookupError(
            f"{event.type} is stored as version {event.version}; the code reads version {cls.version}."
        )
    return Envelope(
        id=event.uuid,
        sequence=event.pk,
        type=event.type,
        version=event.version,
        event=cls.from_payload(event.payload),
        occurred_at=event.occurred_at,
        schema_name=connection.schema_name,
        request_id=event.request_id,
        attempt=attempt,
    )


def _with_attempt(envelope: Envelope, attempt: int) -> Envelope:
    from dataclasses import replace

    return replace(envelope, attempt=attempt)


def _announce(envelope: Envelope, schema_name: str) -> None:
    for receiver, response in event_delivered.send_robust(
        sender=type(envelope.event), envelope=envelope, schema_name=schema_name
    ):
        if isinstance(response, Exception):
            log.error("events: receiver %r of event_delivered failed: %s", receiver, response)


@transaction.atomic
def retry_deliveries(deliveries: Iterable[Delivery]) -> int:
    """Give dead letters (or waiting retries) a fresh set of attempts, due now; returns how many."""
    now = timezone.now()
    ids = [d.pk for d in deliveries if d.status in (Delivery.Status.DEAD, Delivery.Status.RETRYING)]
    rows = Delivery.objects.select_for_update().filter(pk__in=ids)
    event_ids = set(rows.values_list("event_id", flat=True))
    count = rows.update(status=Delivery.Status.RETRYING, attempts=0, next_attempt_at=now)
    OutboxEvent.objects.filter(pk__in=event_ids).update(dispatched_at=None, next_attempt_at=now)
    _kick_after_commit()
    return count


@transaction.atomic
def replay(
    *,
    since: dt.datetime,
    until: dt.datetime | None = None,
    types: Iterable[str] = (),
    handler: str | None = None,
) -> int:
    """Deliver the events that occurred since `since` again (to one handler or to all).

    Their processed-event records are removed, so each handler applies them once more: for
    handlers that recompute state (projections) this repairs what a bug or a lost update left.
    Returns the number of events queued.
    """
    events = OutboxEvent.objects.filter(occurred_at__gte=since)
    if until is not None:
        events = events.filter(occurred_at__lt=until)
    if types:
        events = events.filter(type__in=list(types))
    if handler:
        events = events.filter(type__in=[h.event_type for h in _all_named(handler)])
    deliveries = Delivery.objects.filter(event__in=events)
    if handler:
        deliveries = deliveries.filter(handler=handler)
    deliveries.delete()
    count = events.update(dispatched_at=None, next_attempt_at=timezone.now())
    _kick_after_commit()
    return count


def _all_named(name: str) -> list[Handler]:
    from rustok.events import all_handlers

    found = [h for h in all_handlers() if h.name == name]
    if not found:
        from rustok.errors import InvalidInput

        raise InvalidInput.for_field("handler", f"No handler is named '{name}'.")
    return found


def purge_dispatched(*, older_than: dt.timedelta, limit: int = 1000) -> int:
    """Delete at most `limit` events dispatched longer than `older_than` ago (and their records).

    Events with a dead letter are kept until it is retried: an operator still has to see it.
    """
    cutoff = timezone.now() - older_than
    dead = Delivery.objects.filter(event=OuterRef("pk"), status=Delivery.Status.DEAD)
    ids = list(
        OutboxEvent.objects.filter(dispatched_at__lt=cutoff)
        .exclude(Exists(dead))
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    if not ids:
        return 0
    with transaction.atomic():
        Delivery.objects.filter(event_id__in=ids).delete()
        deleted, _ = OutboxEvent.objects.filter(pk__in=ids).delete()
    return len(ids) if deleted else 0


def _kick_after_commit() -> None:
    from apps.events.dispatch import kick

    schema_name = connection.schema_name
    transaction.on_commit(lambda: kick(schema_name), robust=True)
