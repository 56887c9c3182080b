"""Publishing: an event exists if and only if its write commits, and matches its declaration."""

import datetime as dt
from decimal import Decimal
from uuid import UUID

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django_tenants.utils import schema_context

from apps.accounts.services import register_customer
from apps.core import services as core
from apps.events.models import OutboxEvent
from rustok import events
from rustok.events import Event, EventPayloadError, PublishError
from tests.testapps.notes.events import NoteCreated
from tests.testapps.notes.models import Note
from tests.testapps.notes.services import create_note


def test_a_write_publishes_its_event_in_the_tenants_own_outbox(tenant_a):
    with schema_context("alpha"):
        note = create_note(text="hello")
        event = OutboxEvent.objects.get()
    assert (event.type, event.version) == ("notes.note.created", 1)
    assert event.payload == {"note_id": note.pk, "text": "hello"}
    assert event.dispatched_at is None
    with schema_context("beta"):
        assert not OutboxEvent.objects.exists()


def test_a_write_that_fails_after_publishing_leaves_no_event(tenant_a):
    with schema_context("alpha"), pytest.raises(RuntimeError, match="failed after"):
        create_note(text="doomed", fail_after_publish=True)
    with schema_context("alpha"):
        assert not Note.objects.filter(text="doomed").exists()
        assert not OutboxEvent.objects.exists()


def test_a_payload_that_does_not_match_its_declaration_is_refused_naming_the_field(tenant_a):
    with schema_context("alpha"), pytest.raises(EventPayloadError) as refused:
        events.publish(NoteCreated(note_id="7", text="x"))
    assert "notes.note.created.note_id: expected int, got str '7'" in str(refused.value)
    with schema_context("alpha"):
        assert not OutboxEvent.objects.exists()


def test_a_refused_payload_rolls_the_write_back(tenant_a):
    from django.db import transaction

    with schema_context("alpha"):
        with pytest.raises(EventPayloadError), transaction.atomic():
            Note.objects.create(text="half-written")
            events.publish(NoteCreated(note_id=1, text=None))
        assert not Note.objects.filter(text="half-written").exists()


def test_publishing_outside_a_transaction_is_an_error(tenant_a, django_db_blocker):
    # The test's own transaction is left aside: a connection in autocommit mode, as in a script.
    from django.db import connections
    from django.db.utils import ConnectionHandler

    handler = ConnectionHandler(connections.settings)
    conn = handler["default"]
    try:
        conn.set_schema("alpha")
        assert not conn.in_atomic_block
        with pytest.raises(PublishError, match="outside a transaction"):
            _publish_on(conn, NoteCreated(note_id=1, text="x"))
    finally:
        conn.close()


def _publish_on(conn, event):
    """Call publish() with `conn` as the default connection of this thread."""
    from django.db import connections

    saved = connections["default"]
    connections["default"] = conn
    try:
        return events.publish(event)
    finally:
        connections["default"] = saved


def test_the_platforms_own_events_go_to_the_public_schemas_outbox(platform_client, db, mailoutbox):
    from apps.events.services import relay
    from tests.accounts.factories import OperatorFactory

    platform_client.force_login(OperatorFactory(email="operator@platform.test"))
    response = platform_client.post(
        "/admin/accounts/user/add/", {"email": "second@platform.test", "display_name": "", "role": "admin"}
    )
    assert response.status_code == 302
    assert connection.schema_name == "public"
    event = OutboxEvent.objects.get(type="accounts.user.created")
    assert event.payload["email"] == "second@platform.test"
    result = relay()  # as the worker does in the public schema
    assert result.dispatched == 1
    [invitation] = mailoutbox
    assert invitation.to == ["second@platform.test"]
    assert "http://platform.test/account/reset/?uid=" in invitation.body


def test_an_undeclared_event_cannot_be_published(tenant_a):
    with schema_context("alpha"), pytest.raises(PublishError, match="Only declared events"):
        events.publish({"type": "notes.note.created"})


def test_a_transaction_queues_one_relay_however_many_events_it_publishes(
    tenant_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, schema_context("alpha"):
        for n in range(3):
            create_note(text=f"note {n}")
    assert len(callbacks) == 1


def test_declarations_are_checked_when_the_module_loads():
    with pytest.raises(ImproperlyConfigured, match=r"must be '<module>\.<aggregate>\.<verb>'"):

        class Bad(Event):
            type = "notes-created"

    with pytest.raises(ImproperlyConfigured, match="cannot be carried by an event"):

        class Unserialisable(Event):
            type = "notes.thing.happened"
            thing: object

    with pytest.raises(ImproperlyConfigured, match="declared twice"):

        class Twice(Event):
            type = "notes.note.created"
            note_id: int


class Rich(Event):
    type = "notes.rich.changed"
    at: dt.datetime
    day: dt.date
    price: Decimal
    ref: UUID
    tags: list[str]
    sizes: dict[str, int]
    parent: int | None = None


def test_typed_fields_survive_the_round_trip_through_the_outbox():
    event = Rich(
        at=dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC),
        day=dt.date(2026, 11, 25),
        price=Decimal("9.90"),
        ref=UUID("12345678-1234-5678-1234-567812345678"),
        tags=["a", "b"],
        sizes={"s": 1},
    )
    assert Rich.from_payload(event.to_payload()) == event


def test_naive_datetimes_and_wrong_list_items_are_refused():
    with pytest.raises(EventPayloadError, match="timezone-aware"):
        Rich(
            at=dt.datetime(2026, 11, 25),
            day=dt.date(2026, 11, 25),
            price=Decimal(1),
            ref=UUID(int=1),
            tags=[],
            sizes={},
        ).validate()
    with pytest.raises(EventPayloadError, match=r"notes.rich.changed.tags\[1\]: expected str, got int"):
        Rich(
            at=dt.datetime(2026, 11, 25, tzinfo=dt.UTC),
            day=dt.date(2026, 11, 25),
            price=Decimal(1),
            ref=UUID(int=1),
            tags=["a", 2],
            sizes={},
        ).validate()


def test_switching_a_module_publishes_its_event_in_the_tenants_schema(tenant_a):
    core.set_module_enabled(tenant=tenant_a, module="digest", enabled=True)
    core.set_module_enabled(tenant=tenant_a, module="digest", enabled=False)
    with schema_context("alpha"):
        published = list(OutboxEvent.objects.order_by("id").values_list("type", "payload"))
    assert published == [
        ("core.module.enabled", {"module": "digest"}),
        ("core.module.disabled", {"module": "digest"}),
    ]


def test_signing_up_publishes_user_registered(tenant_a):
    tenant_a.allow_signup = True
    with schema_context("alpha"):
        user = register_customer(tenant=tenant_a, email="new@alpha.test", password="correct-horse-battery")
        event = OutboxEvent.objects.get(type="accounts.user.registered")
    assert event.payload == {"user_id": user.pk, "email": "new@alpha.test", "preferred_language": ""}


def test_publish_many_writes_every_event_in_order_with_the_same_checks(tenant_a):
    from django.db import transaction

    with schema_context("alpha"):
        with transaction.atomic():
            assert events.publish_many(NoteCreated(note_id=n, text=f"n{n}") for n in range(3)) == 3
        notes = OutboxEvent.objects.order_by("id").values_list("payload__note_id", flat=True)
        assert list(notes) == [0, 1, 2]
        with pytest.raises(EventPayloadError), transaction.atomic():
            events.publish_many([NoteCreated(note_id=9, text="ok"), NoteCreated(note_id="x", text="bad")])
        assert OutboxEvent.objects.count() == 3
