"""Handlers of the content module's events."""

from __future__ import annotations

from rustok import page_cache
from rustok.events import Envelope, subscribe

TAXONOMY_EVENTS = (
    "content.category.created",
    "content.category.updated",
    "content.category.deleted",
    "content.tag.created",
    "content.tag.updated",
    "content.tag.deleted",
)


def invalidate_pages(envelope: Envelope) -> None:
    """Drop the site's cached pages: categories and tags are shown (names, addresses, lists)
    also where no published node's document changes with them (the category's own page, the
    taxonomy lists of the API)."""
    page_cache.invalidate(envelope.schema_name, strict=True)


for _event_type in TAXONOMY_EVENTS:
    subscribe(_event_type, name="content.invalidate_pages")(invalidate_pages)
