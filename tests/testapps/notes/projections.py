"""The notes projection: published notes become search documents of type `note`."""

from apps.core.selectors import current_tenant
from apps.index.projections import Doc, Projection
from tests.testapps.notes.models import Note


class NotesProjection(Projection):
    name = "notes"
    document_type = "note"
    events = ("notes.note.created", "notes.note.changed", "notes.note.deleted")

    def affected(self, envelope):
        return [envelope.event.note_id]

    def documents(self, ids):
        default = current_tenant().default_language
        for note in Note.objects.filter(pk__in=ids, published=True):
            yield Doc(
                object_id=note.pk,
                language=note.language or default,
                title=note.title or note.text[:50],
                body=note.text,
                url=f"/notes/{note.pk}/",
                data={"title": note.title},
                categories=[note.category] if note.category else [],
                tags=[t.strip() for t in note.tags.split(",") if t.strip()],
                price=note.price,
                availability=note.availability,
            )

    def all_ids(self):
        return Note.objects.values_list("pk", flat=True)


projections = [NotesProjection()]
