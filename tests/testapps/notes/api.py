from django.urls import path
from rest_framework import serializers, viewsets
from rest_framework.routers import SimpleRouter

from tests.testapps.notes.models import Note


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = ["id", "text"]


class NoteViewSet(viewsets.ModelViewSet):
    queryset = Note.objects.order_by("id")
    serializer_class = NoteSerializer


router = SimpleRouter()
router.register("notes", NoteViewSet, basename="note")


def boom(request):
    """A view with a bug, for the 500 answer."""
    raise RuntimeError("bug")


urlpatterns = [*router.urls, path("boom/", boom)]
