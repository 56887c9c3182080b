"""Comparing the documents projections keep with those a rebuild makes, field for field."""

from __future__ import annotations

from django.core.management import call_command
from django_tenants.utils import schema_context

from apps.index.models import WRITTEN_FIELDS, Document

COMPARED = [name for name in WRITTEN_FIELDS if name != "indexed_at"]


def documents() -> dict:
    """Every document of the schema by its key, with every field a projection writes and the
    search vector it gets."""
    rows = Document.objects.order_by("type", "object_id", "language").values(
        "type", "object_id", "language", "search_vector", *COMPARED
    )
    return {(row["type"], row["object_id"], row["language"]): row for row in rows}


def assert_a_rebuild_makes(kept: dict) -> None:
    """Spoil alpha's documents, rebuild them, and compare them with `kept` field for field."""
    with schema_context("alpha"):
        Document.objects.update(title="stale", data={}, detail={}, keys=[], search_vector=None)
    call_command("rustok", "index", "rebuild", "--tenant", "alpha")
    with schema_context("alpha"):
        rebuilt = documents()
    assert rebuilt.keys() == kept.keys()
    for key, row in kept.items():
        assert rebuilt[key] == row, key
