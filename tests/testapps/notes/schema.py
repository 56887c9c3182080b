import graphene

from tests.testapps.notes.models import Note


class NoteType(graphene.ObjectType):
    id = graphene.ID(required=True)
    text = graphene.String(required=True)


class Query(graphene.ObjectType):
    notes = graphene.List(graphene.NonNull(NoteType), required=True)

    @staticmethod
    def resolve_notes(root, info):
        return Note.objects.order_by("id")
