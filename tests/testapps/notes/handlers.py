"""Handlers of the test modules: one counts its applications, one fails when told to."""

from django.db.models import F

from rustok.events import Envelope, subscribe
from tests.testapps.notes.models import HandlerFault, NoteTally


def fail_if_planned(name: str, envelope: Envelope) -> None:
    fault = HandlerFault.objects.filter(handler=name).first()
    if fault is not None and envelope.attempt <= fault.fail_times:
        raise RuntimeError(f"planned failure of {name} on attempt {envelope.attempt}")


@subscribe("notes.note.created", name="notes.tally")
def tally(envelope: Envelope) -> None:
    fail_if_planned("notes.tally", envelope)
    NoteTally.objects.get_or_create(note_id=envelope.event.note_id)
    NoteTally.objects.filter(note_id=envelope.event.note_id).update(applied=F("applied") + 1)
