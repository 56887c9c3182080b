"""Page cache tags of documents (rustok.page_cache.depends_on): what a page that reads documents
says it shows, and what writing documents invalidates.

- `of_object("product", 12)`: `product#12`, the product's own page (any of its documents);
- `of_key("product", "category:5")`: `product/category:5`, pages listing the documents with that
  key (a category page lists `category:5`, its facets count them);
- `of_type("product")`: `product`, pages listing documents of the type whatever their keys (the
  shop's first page, search).

Writing or deleting a document invalidates its object's tag, its type's, and the tags of its
keys before and after the write (a product leaving category 5 leaves that category's page too).
"""

from __future__ import annotations


def of_object(document_type: str, object_id) -> str:
    return f"{document_type}#{object_id}"


def of_key(document_type: str, key: str) -> str:
    return f"{document_type}/{key}"


def of_type(document_type: str) -> str:
    return document_type
