from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from rustok.api import serializers as strict
from rustok.permissions import PUBLIC
from tests.testapps.notes.models import Note


class NoteSerializer(strict.ModelSerializer):
    class Meta:
        model = Note
        fields = ["id", "text"]


class NoteViewSet(viewsets.ModelViewSet):
    access = {"list": PUBLIC, "retrieve": PUBLIC, "default": "notes.change_note"}
    queryset = Note.objects.order_by("id")
    serializer_class = NoteSerializer


router = SimpleRouter()
router.register("notes", NoteViewSet, basename="note")


class Boom(APIView):
    """A view with a bug, for the 500 answer."""

    access = PUBLIC

    @extend_schema(exclude=True)
    def get(self, request):
        raise RuntimeError("bug")


urlpatterns = [*router.urls, path("boom/", Boom.as_view())]
