"""Two updates of one object at once: the document ends as the object is (real commits)."""

import threading
import time

from django.db import connection
from django_tenants.utils import schema_context

from apps.index.models import Document
from apps.index.projections import apply
from tests.testapps.notes.models import Note
from tests.testapps.notes.projections import NotesProjection


def test_the_update_that_read_last_writes_last(live_tenant):
    with schema_context("live_events"):
        note = Note.objects.create(text="first")
    has_read, go_on = threading.Event(), threading.Event()

    class SlowProjection(NotesProjection):
        """Reads the note, then stalls before writing: a relay on a busy worker."""

        def documents(self, ids):
            docs = list(super().documents(ids))
            has_read.set()
            go_on.wait(10)
            return docs

    def update(projection):
        try:
            with schema_context("live_events"):
                apply(projection, [note.pk])
        finally:
            connection.close()

    slow = threading.Thread(target=update, args=(SlowProjection(),))
    slow.start()
    assert has_read.wait(10)
    with schema_context("live_events"):
        Note.objects.filter(pk=note.pk).update(text="second")
    fast = threading.Thread(target=update, args=(NotesProjection(),))
    fast.start()
    time.sleep(0.5)  # the fast update has read "second" by now, unless it waits its turn
    go_on.set()
    slow.join(10)
    fast.join(10)

    with schema_context("live_events"):
        assert Document.objects.get(object_id=str(note.pk)).body == "second"
