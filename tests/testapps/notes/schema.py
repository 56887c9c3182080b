import graphene

from tests.testapps.notes.models import Note


class NoteType(graphene.ObjectType):
    id = graphene.ID(required=True)
    text = graphene.String(required=True)


class Query(graphene.ObjectType):
    # Root fields of optional modules are nullable, so a disabled module nulls only its own field.
    notes = graphene.List(graphene.NonNull(NoteType))

    @staticmethod
    def resolve_notes(root, info):
        return Note.objects.order_by("id")
