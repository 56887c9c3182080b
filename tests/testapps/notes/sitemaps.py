"""The notes module's sitemap section: every published note, in its language."""

import datetime as dt

from rustok.sitemaps import Section
from tests.testapps.notes.models import Note

CHANGED = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)  # notes keep no time of change


class NoteSitemap(Section):
    def items(self):
        return Note.objects.filter(published=True).order_by("id")

    def location(self, note):
        return f"/notes/{note.pk}/"

    def lastmod(self, note):
        return CHANGED

    def get_languages_for_item(self, note):
        return [note.language or self.tenant.default_language]


sitemaps = {"notes": NoteSitemap}
