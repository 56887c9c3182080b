"""The one write of the test module: create a note and publish its event."""

from django.db import transaction

from rustok import events
from tests.testapps.notes.events import NoteCreated
from tests.testapps.notes.models import Note


@transaction.atomic
def create_note(*, text: str, fail_after_publish: bool = False) -> Note:
    note = Note.objects.create(text=text)
    events.publish(NoteCreated(note_id=note.pk, text=text))
    if fail_after_publish:
        raise RuntimeError("the write failed after its event was published")
    return note
