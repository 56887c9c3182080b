"""Sample data of the notes module, seeded by `rustok demo` (idempotent)."""

from tests.testapps.notes.models import Note


def seed(tenant) -> None:
    Note.objects.get_or_create(text=f"Welcome to {tenant.name}")
