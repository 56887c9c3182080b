"""Events of the test module `notes`."""

from rustok.events import Event


class NoteCreated(Event):
    type = "notes.note.created"
    version = 1

    note_id: int
    text: str
