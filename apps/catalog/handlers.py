"""What the catalogue does on its own events: pages that show the category tree or a category's
name and description (the shop's lists), and those that show a collection's, are dropped from
the page cache when those change, and those that filter by the attributes when one changes.
Products' pages follow their documents (apps.index)."""

from __future__ import annotations

from apps.catalog.lists import ATTRIBUTES_TAG, CATEGORIES_TAG, COLLECTIONS_TAG
from rustok import page_cache
from rustok.events import Envelope, subscribe

CATEGORY_EVENTS = ("catalog.category.created", "catalog.category.updated", "catalog.category.deleted")
COLLECTION_EVENTS = ("catalog.collection.created", "catalog.collection.updated", "catalog.collection.deleted")


def _categories_changed(envelope: Envelope) -> None:
    page_cache.invalidate_tags([CATEGORIES_TAG], envelope.schema_name, strict=True)


def _collections_changed(envelope: Envelope) -> None:
    page_cache.invalidate_tags([COLLECTIONS_TAG], envelope.schema_name, strict=True)


@subscribe("catalog.attribute.changed", name="catalog.invalidate_attribute_pages")
def _attributes_changed(envelope: Envelope) -> None:
    """The lists' filters name the filterable attributes and their choices."""
    page_cache.invalidate_tags([ATTRIBUTES_TAG], envelope.schema_name, strict=True)


for _type in CATEGORY_EVENTS:
    subscribe(_type, name="catalog.invalidate_category_pages")(_categories_changed)
for _type in COLLECTION_EVENTS:
    subscribe(_type, name="catalog.invalidate_collection_pages")(_collections_changed)
