import threading
import time

import psycopg
import pytest
from django.db import connection, connections
from django_tenants.utils import schema_context

from apps.core import services as core
from apps.events import services
from apps.index.models import Document
from tests.testapps.notes import projections as notes_proj
from tests.testapps.notes.models import Note
from tests.testapps.notes.services import change_note, create_note


@pytest.fixture
def live(django_db_setup, django_db_blocker, monkeypatch):
    import apps.events.dispatch as dispatch
    monkeypatch.setattr(dispatch, "kick", lambda schema_name: False)
    with django_db_blocker.unblock():
        tenant = core.create_tenant(slug="live_review", name="Live", domain="live-review.test")
        connection.set_schema_to_public()
        try:
            yield tenant
        finally:
            connection.set_schema_to_public()
            core.delete_tenant(tenant=tenant)


def in_thread(fn):
    out = {}
    def run():
        try:
            out["value"] = fn()
        except Exception as exc:
            out["error"] = exc
        finally:
            connections.close_all()
    t = threading.Thread(target=run)
    t.start()
    return t, out


def test_concurrent_relays_leave_a_stale_document(live, monkeypatch):
    with schema_context("live_review"):
        note = create_note(text="v1", title="first")
        services.relay()
        change_note(note=note, title="second")  # E1
    gate, reading_done = threading.Event(), threading.Event()
    real_docs = notes_proj.NotesProjection.documents
    slow_thread = {}

    def documents(self, ids):
        docs = list(real_docs(self, ids))
        if threading.get_ident() == slow_thread.get("id"):
            reading_done.set()
            gate.wait(10)
        return docs

    monkeypatch.setattr(notes_proj.NotesProjection, "documents", documents)

    def relay_a():
        slow_thread["id"] = threading.get_ident()
        with schema_context("live_review"):
            return services.relay()

    t, out = in_thread(relay_a)
    assert reading_done.wait(10)
    with schema_context("live_review"):
        change_note(note=Note.objects.get(pk=note.pk), title="third")  # E2
        services.relay()  # skips E1 (locked), delivers E2
        print("doc after R2:", Document.objects.get().title)
    gate.set()
    t.join(15)
    assert "error" not in out, out
    with schema_context("live_review"):
        services.relay()
        doc, n = Document.objects.get(), Note.objects.get(pk=note.pk)
        print("final doc:", doc.title, "note:", n.title)
        assert doc.title == n.title


def test_ready_hangs_when_an_outbox_table_is_locked(live):
    name = connection.settings_dict["NAME"]
    from rustok import health
    with psycopg.connect(dbname=name, host="127.0.0.1", user="postgres") as locker:
        locker.execute("LOCK TABLE live_review.events_outboxevent IN ACCESS EXCLUSIVE MODE")
        start = time.monotonic()
        t, out = in_thread(lambda: health.readiness())
        t.join(6)
        alive = t.is_alive()
        print("readiness still running after", round(time.monotonic() - start, 1), "s:", alive)
        locker.rollback()
    t.join(10)
    print("result", out)
    assert not alive
