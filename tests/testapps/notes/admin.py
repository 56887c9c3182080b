from django.contrib import admin

from rustok.admin import ObjectPermissionsModelAdmin
from tests.testapps.notes.models import Note


@admin.register(Note)
class NoteAdmin(ObjectPermissionsModelAdmin):
    list_display = ["id", "text"]
