from django.contrib import admin

from tests.testapps.notes.models import Note

admin.site.register(Note)
