"""Relaying the outbox to handlers: once per handler, retries with backoff, dead letters."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.core import services as core
from apps.events import services
from apps.events.models import Delivery, OutboxEvent
from rustok.events import event_delivered
from tests.testapps.notes.events import NoteCreated
from tests.testapps.notes.models import HandlerFault, NoteTally
from tests.testapps.notes.services import create_note


@pytest.fixture
def alpha(tenant_a):
    with schema_context("alpha"):
        yield tenant_a


def applied(note) -> int:
    return NoteTally.objects.get(note_id=note.pk).applied


def test_relay_applies_each_handler_and_marks_the_event_dispatched(alpha):
    note = create_note(text="hello")
    result = services.relay()
    assert (result.events, result.dispatched, result.applied) == (1, 1, 2)
    assert applied(note) == 1
    event = OutboxEvent.objects.get()
    assert event.dispatched_at is not None
    assert dict(event.deliveries.values_list("handler", "status")) == {
        "notes.tally": "done",
        "digest.collect": "skipped",  # the digest module is off for alpha
        "index.notes": "done",  # the notes projection
    }


def test_a_redelivered_event_is_applied_once(alpha):
    note = create_note(text="hello")
    services.relay()
    # As if the relay's acknowledgement was lost: the event is pending again.
    OutboxEvent.objects.update(dispatched_at=None)
    services.relay()
    services.relay()
    assert applied(note) == 1


def test_a_handler_of_a_module_switched_on_receives_the_event(alpha):
    core.set_module_enabled(tenant=alpha, module="digest", enabled=True)
    note = create_note(text="hello")
    services.relay()
    assert NoteTally.objects.filter(note_id=-note.pk).exists()


def test_a_failing_handler_is_retried_with_exponential_backoff(alpha, settings):
    settings.EVENTS_RETRY_BASE_SECONDS = 30
    HandlerFault.objects.create(handler="notes.tally", fail_times=2)
    note = create_note(text="hello")
    now = timezone.now()

    first = services.relay(now=now)
    assert (first.failed, first.dispatched) == (1, 0)
    delivery = Delivery.objects.get(handler="notes.tally")
    assert delivery.status == "retrying"
    assert delivery.next_attempt_at == now + dt.timedelta(seconds=30)
    assert "planned failure of notes.tally on attempt 1" in delivery.last_error

    assert services.relay(now=now + dt.timedelta(seconds=29)).events == 0  # not due yet
    services.relay(now=now + dt.timedelta(seconds=31))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("retrying", 2)
    assert delivery.next_attempt_at == now + dt.timedelta(seconds=31 + 60)

    services.relay(now=now + dt.timedelta(seconds=92))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("done", 3)
    assert applied(note) == 1
    assert OutboxEvent.objects.get().dispatched_at is not None


def test_backoff_doubles_up_to_its_cap(settings):
    settings.EVENTS_RETRY_BASE_SECONDS = 10
    settings.EVENTS_RETRY_MAX_SECONDS = 60
    assert [services.backoff(n).total_seconds() for n in range(1, 6)] == [10, 20, 40, 60, 60]


def _exhaust(now, attempts):
    for n in range(attempts):
        services.relay(now=now + dt.timedelta(hours=n))


def test_a_handler_failing_every_attempt_dead_letters_then_succeeds_on_manual_retry(alpha, settings):
    settings.EVENTS_MAX_ATTEMPTS = 3
    HandlerFault.objects.create(handler="notes.tally", fail_times=99)
    note = create_note(text="hello")
    _exhaust(timezone.now(), 3)

    delivery = Delivery.objects.get(handler="notes.tally")
    assert (delivery.status, delivery.attempts) == ("dead", 3)
    assert OutboxEvent.objects.get().dispatched_at is not None  # settled: nothing more is tried
    assert services.relay(now=timezone.now() + dt.timedelta(days=1)).events == 0

    HandlerFault.objects.update(fail_times=0)
    assert services.retry_deliveries([delivery]) == 1
    services.relay()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("done", 1)
    assert applied(note) == 1


def test_one_handler_failing_does_not_hold_back_the_others(alpha):
    core.set_module_enabled(tenant=alpha, module="digest", enabled=True)
    HandlerFault.objects.create(handler="notes.tally", fail_times=1)
    note = create_note(text="hello")
    services.relay()
    assert NoteTally.objects.filter(note_id=-note.pk).exists()
    assert not NoteTally.objects.filter(note_id=note.pk).exists()


def test_relays_work_in_bounded_batches_oldest_first(alpha):
    notes = [create_note(text=f"n{n}") for n in range(5)]
    result = services.relay(batch_size=2)
    assert (result.events, result.more) == (2, True)
    assert set(NoteTally.objects.values_list("note_id", flat=True)) == {notes[0].pk, notes[1].pk}
    services.relay(batch_size=2)
    last = services.relay(batch_size=2)
    assert (last.events, last.more) == (1, False)


def test_a_signal_follows_each_delivered_event(alpha, django_capture_on_commit_callbacks):
    received = []

    def listener(sender, envelope, schema_name, **kwargs):
        received.append((sender, envelope.event, schema_name))

    event_delivered.connect(listener)
    try:
        note = create_note(text="hello")
        with django_capture_on_commit_callbacks(execute=True):
            services.relay()
    finally:
        event_delivered.disconnect(listener)
    assert received == [(NoteCreated, NoteCreated(note_id=note.pk, text="hello"), "alpha")]


def test_replay_delivers_past_events_again(alpha):
    note = create_note(text="hello")
    services.relay()
    assert services.replay(since=timezone.now() - dt.timedelta(hours=1), handler="notes.tally") == 1
    services.relay()
    assert applied(note) == 2
    assert services.replay(since=timezone.now() + dt.timedelta(hours=1)) == 0


def test_an_event_stored_in_a_version_the_code_no_longer_reads_is_dead_lettered(alpha, settings):
    settings.EVENTS_MAX_ATTEMPTS = 1
    create_note(text="hello")
    OutboxEvent.objects.update(version=9)
    services.relay()
    delivery = Delivery.objects.get(handler="notes.tally")
    assert delivery.status == "dead"
    assert "stored as version 9; the code reads version 1" in delivery.last_error


def test_old_dispatched_events_are_purged(alpha):
    create_note(text="old")
    services.relay()
    OutboxEvent.objects.update(dispatched_at=timezone.now() - dt.timedelta(days=40))
    create_note(text="pending")
    assert services.purge_dispatched(older_than=dt.timedelta(days=30)) == 1
    assert list(OutboxEvent.objects.values_list("payload__text", flat=True)) == ["pending"]


def test_events_commands_show_status_relay_and_dead_letters(alpha, settings, capsys):
    settings.EVENTS_MAX_ATTEMPTS = 1
    HandlerFault.objects.create(handler="notes.tally", fail_times=1)
    note = create_note(text="hello")

    call_command("rustok", "events", "status", "--tenant", "alpha")
    out = capsys.readouterr().out
    assert "alpha" in out
    assert "1 pending, 0 dead letter(s) in 1 outbox(es)" in out

    call_command("rustok", "events", "relay", "--tenant", "alpha")
    out = capsys.readouterr().out
    assert "alpha: delivering: 1/1" in out
    assert "1 event(s) looked at, 1 handler run(s) applied, 1 failed, 1 now dead letters" in out

    call_command("rustok", "events", "dead-letters", "--tenant", "alpha", "--since", "1h")
    out = capsys.readouterr().out
    assert "notes.note.created" in out
    assert "RuntimeError: planned failure of notes.tally on attempt 1" in out
    assert "1 dead letter(s)" in out

    HandlerFault.objects.update(fail_times=0)  # the handler is fixed
    call_command("rustok", "events", "dead-letters", "--tenant", "alpha", "--retry")
    assert "alpha: 1 dead letter(s) sent again" in capsys.readouterr().out
    assert applied(note) == 1
    assert Delivery.objects.get(handler="notes.tally").status == "done"


def test_replay_command_redelivers_with_progress(alpha, capsys):
    note = create_note(text="hello")
    services.relay()
    call_command(
        "rustok", "events", "replay", "--tenant", "alpha", "--since", "1h", "--type", "notes.note.created"
    )
    out = capsys.readouterr().out
    assert "alpha: 1 event(s) to deliver again" in out
    assert "alpha: delivering: 1/1" in out
    assert applied(note) == 2


def test_since_accepts_dates_datetimes_and_ages():
    from django.core.management.base import CommandError

    from rustok.cli import parse_since

    assert parse_since("2026-11-01") == dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    assert parse_since("2026-11-01T10:30") == dt.datetime(2026, 11, 1, 10, 30, tzinfo=dt.UTC)
    assert abs((timezone.now() - parse_since("2h")).total_seconds() - 7200) < 5
    with pytest.raises(CommandError, match="--since: 'soon'"):
        parse_since("soon")


def test_dead_letters_are_kept_past_the_retention_of_dispatched_events(alpha, settings):
    settings.EVENTS_MAX_ATTEMPTS = 1
    HandlerFault.objects.create(handler="notes.tally", fail_times=1)
    create_note(text="dead")
    services.relay()
    OutboxEvent.objects.update(dispatched_at=timezone.now() - dt.timedelta(days=40))
    assert services.purge_dispatched(older_than=dt.timedelta(days=30)) == 0
    assert Delivery.objects.filter(status="dead").count() == 1
