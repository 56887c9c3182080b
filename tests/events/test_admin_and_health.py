"""Dead letters in the tenant admin, and the event backlog in /health/ready."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.events import services
from apps.events.models import Delivery, OutboxEvent
from tests.accounts.factories import EditorFactory, OperatorFactory, OwnerFactory
from tests.conftest import ALPHA_HOST
from tests.testapps.notes.models import HandlerFault, NoteTally
from tests.testapps.notes.services import create_note


@pytest.fixture
def dead_letter(tenant_a, settings):
    settings.EVENTS_MAX_ATTEMPTS = 1
    with schema_context("alpha"):
        HandlerFault.objects.create(handler="notes.tally", fail_times=1)
        note = create_note(text="hello")
        services.relay()
        return note, Delivery.objects.get(handler="notes.tally", status="dead")


def _signed_in(factory, email):
    client = Client(HTTP_HOST=ALPHA_HOST)
    with schema_context("alpha"):
        client.force_login(factory(email=email))
    return client


def test_an_admin_sees_dead_letters_and_sends_them_again(dead_letter):
    note, delivery = dead_letter
    admin = _signed_in(OwnerFactory, "owner@alpha.test")

    page = admin.get("/admin/events/deadletter/")
    assert page.status_code == 200
    assert "notes.tally" in page.content.decode()
    assert "planned failure of notes.tally on attempt 1" in page.content.decode()

    with schema_context("alpha"):
        HandlerFault.objects.update(fail_times=0)
    response = admin.post(
        "/admin/events/deadletter/", {"action": "retry", "_selected_action": [delivery.pk]}, follow=True
    )
    assert "1 dead letter sent again." in response.content.decode()
    with schema_context("alpha"):
        assert Delivery.objects.get(pk=delivery.pk).status == "retrying"
        services.relay()
        assert Delivery.objects.get(pk=delivery.pk).status == "done"
        assert NoteTally.objects.get(note_id=note.pk).applied == 1


def test_the_outbox_is_read_only_in_the_admin(dead_letter):
    admin = _signed_in(OwnerFactory, "owner@alpha.test")
    with schema_context("alpha"):
        event = OutboxEvent.objects.get()
    page = admin.get(f"/admin/events/outboxevent/{event.pk}/change/")
    assert page.status_code == 200
    assert "notes.note.created" in page.content.decode()
    assert "notes.tally" in page.content.decode()  # each handler's delivery, with its state
    assert admin.get("/admin/events/outboxevent/add/").status_code == 403
    assert admin.post(f"/admin/events/outboxevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403


def test_an_editor_cannot_see_the_events(dead_letter):
    editor = _signed_in(EditorFactory, "editor@alpha.test")
    assert editor.get("/admin/events/deadletter/").status_code == 403
    assert "events" not in editor.get("/admin/").content.decode().lower()


def test_the_platform_admin_does_not_offer_tenant_only_tables(platform_client, db):
    platform_client.force_login(OperatorFactory(email="operator@platform.test"))
    index = platform_client.get("/admin/").content.decode()
    assert "/admin/events/" not in index
    assert "/admin/notes/" not in index
    assert platform_client.get("/admin/events/outboxevent/").status_code == 404


def test_ready_reports_the_event_backlog(client, tenant_a):
    with schema_context("alpha"):
        create_note(text="waiting")
    body = client.get("/health/ready", HTTP_HOST="unknown.test").json()
    assert body["status"] == "ok"
    assert body["checks"]["events"]["status"] == "ok"
    assert body["checks"]["events"]["backlog"] == 1


def test_ready_is_degraded_but_serving_past_the_backlog_limit(client, tenant_a, settings):
    settings.EVENTS_BACKLOG_LIMIT = 2
    with schema_context("alpha"):
        for n in range(3):
            create_note(text=f"waiting {n}")
    response = client.get("/health/ready", HTTP_HOST="unknown.test")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["degraded"] == ["events"]
    assert body["checks"]["events"]["reason"] == "3 pending events (limit 2)"


def test_ready_is_degraded_when_a_due_event_waits_too_long_for_a_relay(client, tenant_a, settings):
    settings.EVENTS_LAG_LIMIT_SECONDS = 60
    ten_minutes_ago = timezone.now() - dt.timedelta(minutes=10)
    with schema_context("alpha"):
        create_note(text="old")
        OutboxEvent.objects.update(occurred_at=ten_minutes_ago, next_attempt_at=ten_minutes_ago)
    events = client.get("/health/ready", HTTP_HOST="unknown.test").json()["checks"]["events"]
    assert events["status"] == "degraded"
    assert events["oldest_pending_seconds"] >= 600
    assert events["relay_lag_seconds"] >= 600
    assert "a due event has waited" in events["reason"]


def test_an_event_waiting_out_a_retry_backoff_is_not_a_late_relay(client, tenant_a, settings):
    settings.EVENTS_LAG_LIMIT_SECONDS = 60
    with schema_context("alpha"):
        create_note(text="failing handler")
        OutboxEvent.objects.update(
            occurred_at=timezone.now() - dt.timedelta(minutes=10),
            next_attempt_at=timezone.now() + dt.timedelta(minutes=5),
        )
    events = client.get("/health/ready", HTTP_HOST="unknown.test").json()["checks"]["events"]
    assert events["status"] == "ok"
    assert events["oldest_pending_seconds"] >= 600


def test_a_locked_outbox_cannot_make_readiness_hang(client, tenant_a, settings):
    import time

    import psycopg
    from django.db import connection

    settings.HEALTH_CHECK_TIMEOUT = 0.5
    params = connection.get_connection_params()
    other = psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"})
    try:
        other.execute('LOCK TABLE "alpha"."events_outboxevent" IN ACCESS EXCLUSIVE MODE')
        started = time.monotonic()
        response = client.get("/health/ready", HTTP_HOST="unknown.test")
        waited = time.monotonic() - started
    finally:
        other.rollback()
        other.close()
    assert response.status_code == 200  # the backlog is information, never a reason to be unready
    assert response.json()["checks"]["events"]["status"] == "unknown"
    assert waited < 5
