"""The events module's panels on the admin's dashboard (rustok.dashboard): the backlog of the
outbox and the dead letters, for those who may see the site's events (admins and the owner).
Three queries, whatever the size of the outbox."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.events.models import Delivery, OutboxEvent
from rustok.dashboard import PANEL_ITEMS, Item, Panel
from rustok.permissions import can


def _when(value) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else ""


def panels(request) -> list[Panel]:
    if not can(request.user, "events.view_events"):
        return []
    backlog = OutboxEvent.objects.aggregate(
        pending=Count("id", filter=Q(dispatched_at__isnull=True)),
        oldest=Min("occurred_at", filter=Q(dispatched_at__isnull=True)),
    )
    lagging = backlog["oldest"] is not None and (
        (timezone.now() - backlog["oldest"]).total_seconds() > settings.EVENTS_LAG_LIMIT_SECONDS
    )
    pending_items = (
        [Item(label=_("Oldest waiting since %(at)s") % {"at": _when(backlog["oldest"])})]
        if backlog["oldest"]
        else []
    )
    dead = Delivery.objects.filter(status=Delivery.Status.DEAD)
    letters = list(dead.select_related("event").order_by("-updated_at", "-id")[:PANEL_ITEMS])
    dead_count = len(letters) if len(letters) < PANEL_ITEMS else dead.count()
    return [
        Panel(
            key="event-backlog",
            title=_("Event backlog"),
            items=pending_items,
            count=backlog["pending"],
            link=reverse("admin:events_outboxevent_changelist") + "?dispatched_at__isempty=1",
            link_label=_("Show the waiting events"),
            empty=_("Every event has been delivered."),
            tone="warning" if lagging else "",
        ),
        Panel(
            key="dead-letters",
            title=_("Dead letters"),
            items=[
                Item(
                    label=f"{letter.event.type} → {letter.handler}",
                    url=reverse("admin:events_deadletter_change", args=[letter.pk]),
                    detail=_when(letter.updated_at),
                )
                for letter in letters
            ],
            count=dead_count,
            link=reverse("admin:events_deadletter_changelist"),
            link_label=_("Send them again from the list of dead letters"),
            empty=_("No dead letters."),
            tone="warning" if dead_count else "",
        ),
    ]
