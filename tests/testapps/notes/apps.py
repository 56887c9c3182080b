from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "tests.testapps.notes"
    label = "notes"
