"""Reads about the outboxes: backlog, lag and dead letters, per tenant or across all of them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from apps.events.models import Delivery, OutboxEvent


@dataclass(frozen=True)
class OutboxState:
    """The state of one tenant's outbox."""

    schema_name: str
    pending: int
    oldest_pending: dt.datetime | None
    dead_letters: int
    oldest_due: dt.datetime | None = None  # the earliest `next_attempt_at` that has passed

    @property
    def relay_lag_seconds(self) -> float:
        """How long the most overdue event has waited for a relay since it became due."""
        if self.oldest_due is None:
            return 0.0
        return max((timezone.now() - self.oldest_due).total_seconds(), 0.0)

    @property
    def lag_seconds(self) -> float:
        """How long the oldest pending event has waited (0 without one)."""
        if self.oldest_pending is None:
            return 0.0
        return max((timezone.now() - self.oldest_pending).total_seconds(), 0.0)


def tenant_schemas() -> list[str]:
    """The schemas of every tenant, without the public schema."""
    from apps.core.models import Tenant

    return list(
        Tenant.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME)
        .order_by("schema_name")
        .values_list("schema_name", flat=True)
    )


def schemas_for(slug: str | None, *, with_public: bool) -> list[str]:
    """The schema of the tenant `slug` (NotFound if none), or every schema: the commands' --tenant.

    With `with_public`, "public" names the platform's own schema and "every" includes it.
    """
    from apps.core.services import get_tenant

    if slug is None:
        return outbox_schemas() if with_public else tenant_schemas()
    if with_public and slug == settings.PUBLIC_SCHEMA_NAME:
        return [slug]
    return [get_tenant(slug).schema_name]


def outbox_schemas() -> list[str]:
    """Every schema with an outbox: the public schema (the platform's own events), then tenants."""
    return [settings.PUBLIC_SCHEMA_NAME, *tenant_schemas()]


def outbox_states(schemas: list[str] | None = None) -> list[OutboxState]:
    """The outbox state of each schema (every outbox by default), in one query."""
    schemas = outbox_schemas() if schemas is None else schemas
    if not schemas:
        return []
    outbox, deliveries = OutboxEvent._meta.db_table, Delivery._meta.db_table
    quote = connection.ops.quote_name
    # Schema names are tenant slugs (validated identifiers), quoted as identifiers here.
    parts = [
        f"SELECT %s, (SELECT count(*) FROM {quote(s)}.{quote(outbox)} WHERE dispatched_at IS NULL), "  # noqa: S608
        f"(SELECT min(occurred_at) FROM {quote(s)}.{quote(outbox)} WHERE dispatched_at IS NULL), "
        f"(SELECT count(*) FROM {quote(s)}.{quote(deliveries)} WHERE status = 'dead'), "
        f"(SELECT min(next_attempt_at) FROM {quote(s)}.{quote(outbox)} "
        "WHERE dispatched_at IS NULL AND next_attempt_at <= now())"
        for s in schemas
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), schemas)
        return [OutboxState(*row) for row in cursor.fetchall()]


def has_due_events() -> bool:
    """Whether the current schema has an event a relay should deliver now."""
    from apps.events.services import due_events

    return due_events().exists()
