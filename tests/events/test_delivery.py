"""Delivery end to end, with committed writes and a real Celery worker on a real Redis."""

import time

import pytest
from django_tenants.utils import schema_context

from apps.events.models import OutboxEvent
from apps.events.tasks import sweep
from tests.conftest import wait_until
from tests.testapps.notes.models import NoteTally
from tests.testapps.notes.services import create_note

pytestmark = pytest.mark.worker


def test_a_committed_write_is_delivered_by_the_worker(live_tenant, worker):
    worker()
    with schema_context("live_events"):
        note = create_note(text="delivered on commit")

        def applied():
            """the handler applied the note"""
            return NoteTally.objects.filter(note_id=note.pk, applied=1).exists()

        wait_until(applied)
        wait_until(lambda: not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists())


def test_with_redis_down_writes_commit_and_the_sweep_delivers_every_event_once_it_is_back(
    live_tenant, private_redis, worker
):
    private_redis.stop()
    with schema_context("live_events"):
        started = time.monotonic()
        notes = [create_note(text=f"while redis is down {n}") for n in range(3)]
        writing = time.monotonic() - started
        assert OutboxEvent.objects.filter(dispatched_at__isnull=True).count() == 3
        assert not NoteTally.objects.exists()
    assert writing < 10, f"the writes waited {writing:.1f}s on the broker"

    private_redis.start()
    worker()
    sweep.delay()  # what Celery beat sends every EVENTS_SWEEP_SECONDS
    with schema_context("live_events"):

        def all_applied():
            """every note applied by the handler"""
            return NoteTally.objects.filter(note_id__in=[n.pk for n in notes]).count() == 3

        wait_until(all_applied)
        wait_until(lambda: not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists())
        sweep.delay()  # a second sweep finds nothing to do and applies nothing twice
        time.sleep(1)
        assert sorted(NoteTally.objects.values_list("applied", flat=True)) == [1, 1, 1]


def test_after_repeated_failures_commits_stop_trying_to_queue_relays(live_tenant, private_redis):
    from rustok.resilience import breaker

    private_redis.stop()
    with schema_context("live_events"):
        for n in range(3):
            create_note(text=f"failure {n}")
        assert breaker("events.queue").current_state == "open"
        started = time.monotonic()
        create_note(text="skipped at once")
        assert time.monotonic() - started < 1  # no connection attempt while the circuit is open
        assert OutboxEvent.objects.filter(dispatched_at__isnull=True).count() == 4
