"""The writes of the test module: create, change and delete a note, each publishing its event."""

from django.db import transaction

from rustok import events
from tests.testapps.notes.events import NoteChanged, NoteCreated, NoteDeleted
from tests.testapps.notes.models import Note


@transaction.atomic
def create_note(*, text: str, fail_after_publish: bool = False, **fields) -> Note:
    note = Note.objects.create(text=text, **fields)
    events.publish(NoteCreated(note_id=note.pk, text=text))
    if fail_after_publish:
        raise RuntimeError("the write failed after its event was published")
    return note


@transaction.atomic
def change_note(*, note: Note, **fields) -> Note:
    for name, value in fields.items():
        setattr(note, name, value)
    note.save()
    events.publish(NoteChanged(note_id=note.pk))
    return note


@transaction.atomic
def delete_note(*, note: Note) -> None:
    note_id = note.pk
    note.delete()
    events.publish(NoteDeleted(note_id=note_id))
