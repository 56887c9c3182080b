"""Projections keep documents current from events; a rebuild gives the same documents."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_context

from apps.core import services as core
from apps.events import services as bus
from apps.index import projections
from apps.index.models import Document
from tests.testapps.notes.models import Note
from tests.testapps.notes.services import change_note, create_note, delete_note


@pytest.fixture
def alpha(tenant_a):
    with schema_context("alpha"):
        yield tenant_a


def documents():
    """Everything a reader of the index sees, without row ids and times."""
    return sorted(
        Document.objects.extra(select={"vector": "search_vector::text"}).values_list(
            "type",
            "object_id",
            "language",
            "config",
            "title",
            "body",
            "url",
            "data",
            "categories",
            "tags",
            "price",
            "availability",
            "published_at",
            "vector",
        )
    )


def add_ghost() -> None:
    """A document of a note that does not exist, written long ago: a rebuild deletes it."""
    Document.objects.create(
        type="note",
        object_id="999999",
        language="en",
        config="english",
        title="ghost",
        indexed_at="2020-01-01T00:00Z",
    )


def test_a_published_note_becomes_a_document_once_its_event_is_relayed(alpha):
    note = create_note(text="Running dogs", category="pets", tags="a, b", price=Decimal("12.50"))
    assert not Document.objects.exists()  # the write path only queued an event
    bus.relay()
    doc = Document.objects.get()
    assert (doc.type, doc.object_id, doc.language, doc.config) == ("note", str(note.pk), "en", "english")
    assert (doc.title, doc.categories, doc.tags, doc.price) == (
        "Running dogs",
        ["pets"],
        ["a", "b"],
        Decimal("12.50"),
    )
    assert (
        "'run'" in Document.objects.extra(select={"v": "search_vector::text"}).values_list("v", flat=True)[0]
    )


def test_changes_unpublishing_and_deletion_follow(alpha):
    note = create_note(text="first")
    bus.relay()
    change_note(note=note, text="second")
    bus.relay()
    assert Document.objects.get().body == "second"
    change_note(note=note, published=False)
    bus.relay()
    assert not Document.objects.exists()
    change_note(note=note, published=True)
    bus.relay()
    assert Document.objects.exists()
    delete_note(note=note)
    bus.relay()
    assert not Document.objects.exists()


def test_a_rebuild_gives_the_same_documents_as_the_live_updates(alpha):
    notes = [
        create_note(text=f"note number {n}", category=f"c{n % 2}", tags="x,y", price=Decimal(n * 10))
        for n in range(6)
    ]
    change_note(note=notes[0], text="changed text", title="A title")
    change_note(note=notes[1], published=False)
    delete_note(note=notes[2])
    change_note(note=notes[3], language="ru", text="по-русски")
    bus.relay()
    live = documents()
    assert len(live) == 4

    # Lose some documents and invent one: the rebuild repairs both.
    Document.objects.filter(object_id=str(notes[4].pk)).delete()
    add_ghost()
    call_command("rustok", "index", "rebuild", "--tenant", "alpha", "--projection", "notes")
    assert documents() == live


def test_rebuild_command_shows_progress_per_tenant(alpha, capsys):
    for n in range(3):
        Note.objects.create(text=f"made without events {n}")
    call_command("rustok", "index", "rebuild", "--tenant", "alpha")
    out = capsys.readouterr().out
    assert "alpha: notes: 3/3" in out
    assert "alpha: notes: 3 document(s)" in out
    call_command("rustok", "index", "status", "--tenant", "alpha")
    out = capsys.readouterr().out
    assert "alpha   notes       note  en        3" in out


def test_an_unknown_projection_is_refused_naming_the_known_ones(alpha):
    from django.core.management.base import CommandError

    known = r"Known: catalog\.products, content\.page, content\.post, notes\."
    with pytest.raises(CommandError, match=r"projection: No projection 'nope'\. " + known):
        call_command("rustok", "index", "rebuild", "--tenant", "alpha", "--projection", "nope")


def test_switching_a_module_off_removes_its_documents_and_on_brings_them_back(alpha):
    create_note(text="visible")
    bus.relay()
    core.set_module_enabled(tenant=alpha, module="notes", enabled=False)
    bus.relay()
    assert not Document.objects.exists()
    core.set_module_enabled(tenant=alpha, module="notes", enabled=True)
    bus.relay()
    assert Document.objects.get().body == "visible"


def test_documents_are_written_in_the_schema_of_the_tenant(alpha):
    create_note(text="alpha only")
    bus.relay()
    with schema_context("beta"):
        assert not Document.objects.exists()
    assert projections.get("notes").document_type == "note"


def test_switch_events_handled_out_of_order_leave_the_documents_of_the_current_state(alpha):
    from django.utils import timezone

    from apps.events.models import OutboxEvent

    create_note(text="visible")
    bus.relay()
    core.set_module_enabled(tenant=alpha, module="notes", enabled=False)
    core.set_module_enabled(tenant=alpha, module="notes", enabled=True)
    # The "disabled" event is delayed (a retry, another relay holding it) past the "enabled" one.
    disabled = OutboxEvent.objects.get(type="core.module.disabled")
    later = timezone.now() + timezone.timedelta(hours=1)
    OutboxEvent.objects.filter(pk=disabled.pk).update(next_attempt_at=later)
    bus.relay()
    bus.relay(now=timezone.now() + timezone.timedelta(hours=2))
    assert OutboxEvent.objects.filter(dispatched_at__isnull=True).count() == 0
    assert Document.objects.get().body == "visible"  # the module is on: its documents stay


def test_control_characters_of_the_text_never_reach_a_document(alpha):
    create_note(text="garden \x02 mark \x03 end")
    bus.relay()
    assert Document.objects.get().body == "garden  mark  end"


def test_admins_see_the_documents_read_only_in_the_admin(alpha, client_a):
    from tests.accounts.factories import EditorFactory, OwnerFactory

    create_note(text="indexed words", title="Indexed")
    bus.relay()
    owner, editor = OwnerFactory(email="owner@alpha.test"), EditorFactory(email="ed@alpha.test")
    client_a.force_login(owner)
    page = client_a.get("/admin/index/document/")
    assert page.status_code == 200
    assert "Indexed" in page.content.decode()
    assert client_a.get("/admin/index/document/add/").status_code == 403
    client_a.force_login(editor)
    assert client_a.get("/admin/index/document/").status_code == 403


def test_a_rebuild_shared_among_processes_makes_what_one_process_makes(live_tenant):
    """`rustok index rebuild --workers N`: forked processes, each on its own connection."""
    with schema_context("live_events"):
        for n in range(7):
            create_note(text=f"note number {n}", category=f"c{n % 2}", tags="x,y", price=Decimal(n))
        bus.relay()
        live = documents()
        Document.objects.update(title="stale", search_vector=None)
        add_ghost()
        told = []
        written = projections.rebuild(
            projections.get("notes"),
            batch_size=2,
            workers=2,
            progress=lambda done, total: told.append((done, total)),
        )
        assert written == 7
        assert documents() == live
    # A line per batch (of 2, 2, 2 and 1 notes), in the order they end: counting up to all 7.
    done = [d for d, _total in told]
    assert len(told) == 4 and done == sorted(done) and told[-1] == (7, 7)
    assert {total for _done, total in told} == {7}


def test_a_batch_failing_in_a_worker_process_stops_the_rebuild_with_its_error(live_tenant, monkeypatch):
    from tests.testapps.notes.projections import NotesProjection

    def broken(self, ids):
        raise RuntimeError(f"cannot read notes {ids}")

    with schema_context("live_events"):
        for n in range(4):
            Note.objects.create(text=f"made without events {n}")
        monkeypatch.setattr(NotesProjection, "documents", broken)  # the forks inherit it
        with pytest.raises(RuntimeError, match="cannot read notes"):
            projections.rebuild(projections.get("notes"), batch_size=1, workers=2)
        assert not Document.objects.exists()


def test_rebuild_refuses_fewer_than_one_worker(alpha):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--workers: give 1 or more processes, not 0"):
        call_command("rustok", "index", "rebuild", "--tenant", "alpha", "--workers", "0")
