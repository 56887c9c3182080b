"""The tenant admin's read-only view of the search documents: what search finds, and when each
document was last written."""

from django.contrib import admin

from apps.index.models import WRITTEN_FIELDS, Document
from rustok.admin import ObjectPermissionsModelAdmin, ReadOnly


@admin.register(Document)
class DocumentAdmin(ReadOnly, ObjectPermissionsModelAdmin):
    list_display = ["title", "type", "object_id", "language", "published_at", "indexed_at"]
    list_filter = ["type", "language"]
    search_fields = ["title", "=object_id"]
    readonly_fields = ["type", "object_id", "language", *WRITTEN_FIELDS]
    exclude = ["search_vector"]
