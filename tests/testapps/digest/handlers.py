"""A handler of the `digest` module, which is off by default: its deliveries are skipped then."""

from rustok.events import Envelope, subscribe
from tests.testapps.notes.models import NoteTally


@subscribe("notes.note.created", name="digest.collect")
def collect(envelope: Envelope) -> None:
    NoteTally.objects.get_or_create(note_id=-envelope.event.note_id)
