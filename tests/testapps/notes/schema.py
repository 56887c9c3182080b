import graphene

from rustok.permissions import PUBLIC, declare
from tests.testapps.notes.models import Note


class NoteType(graphene.ObjectType):
    id = graphene.ID(required=True)
    text = graphene.String(required=True)


class Query(graphene.ObjectType):
    # Root fields of optional modules are nullable, so a disabled module nulls only its own field.
    notes = graphene.List(graphene.NonNull(NoteType))

    @staticmethod
    @declare(PUBLIC)
    def resolve_notes(root, info):
        return Note.objects.order_by("id")


class AddNote(graphene.Mutation):
    """Refuses blank text through a service-style DomainError, to test error codes in GraphQL."""

    access = "notes.change_note"

    class Arguments:
        text = graphene.String(required=True)

    note = graphene.Field(NoteType)

    @staticmethod
    def mutate(root, info, text):
        from rustok.errors import InvalidInput

        if not text.strip():
            raise InvalidInput.for_field("text", "Write something.")
        return AddNote(note=Note.objects.create(text=text))


class Mutation(graphene.ObjectType):
    add_note = AddNote.Field()
