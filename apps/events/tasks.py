"""Celery tasks of the event bus: the relay of one tenant's outbox and the periodic sweep."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

log = logging.getLogger(__name__)


# A handler stuck on an outside call (a mail server that never answers) gets SoftTimeLimitExceeded
# raised inside it, which fails that handler's attempt like any error; the hard limit ends the
# worker process if even that does not return.
@shared_task(
    name="events.relay",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=settings.EVENTS_RELAY_TIME_LIMIT,
    time_limit=settings.EVENTS_RELAY_TIME_LIMIT + 30,
)
def relay() -> dict:
    """Deliver one bounded batch of the current tenant's due events; queue another if more wait."""
    from apps.events import services
    from apps.events.dispatch import forget, kick

    schema_name = connection.schema_name
    forget(schema_name)  # from here on, a new commit queues another relay
    result = services.relay()
    if result.more:
        kick(schema_name, guarded=False)
    return {"events": result.events, "dispatched": result.dispatched, "failed": result.failed}


@shared_task(name="events.sweep", acks_late=True, ignore_result=True)
def sweep() -> dict:
    """For every outbox (the platform's and every tenant's): queue a relay if events are due
    (missed relays, retries), and delete dispatched events older than EVENTS_RETENTION_DAYS, a
    bounded number at a time."""
    from apps.events import selectors, services
    from apps.events.dispatch import kick

    kicked = purged = 0
    for schema_name in selectors.outbox_schemas():
        with schema_context(schema_name):
            if selectors.has_due_events() and kick(schema_name, guarded=False):
                kicked += 1
            purged += services.purge_dispatched(older_than=dt.timedelta(days=settings.EVENTS_RETENTION_DAYS))
    if kicked or purged:
        log.info("events sweep: %s relay(s) queued, %s old event(s) deleted", kicked, purged)
    return {"relays": kicked, "purged": purged}
