"""Events of the test module `notes`."""

from rustok.events import Event


class NoteCreated(Event):
    type = "notes.note.created"
    version = 1

    note_id: int
    text: str


class NoteChanged(Event):
    type = "notes.note.changed"
    version = 1

    note_id: int


class NoteDeleted(Event):
    type = "notes.note.deleted"
    version = 1

    note_id: int
