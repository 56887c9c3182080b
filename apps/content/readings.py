"""What readers read: published nodes as their read-model documents (apps.index), not the tables.

Storefront pages, feeds and the anonymous lists of the APIs read these. A document already holds
what a page or list item shows in its language (apps.content.projections), so a list is one query
on the documents and no per-item work beyond formatting; editors, drafts and the answer to a
writer's own write keep reading the write side (apps.content.selectors).

Documents follow the writes through the event relay: a page shows a publication once the worker
has handled its event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.db.models import F, QuerySet
from django.utils.safestring import SafeString, mark_safe

from apps.content import kinds
from apps.index.models import Document
from rustok.i18n import current_language, fallback_order

# Columns readers never read (the text search reads them), and those lists do not read either.
SEARCH_COLUMNS = ("body", "search_vector")
LIST_DEFERRED = ("detail", *SEARCH_COLUMNS)


@dataclass(frozen=True)
class Link:
    """Something a page links to: its label and its address."""

    label: str
    url: str


class Reading:
    """A published node as readers of one language see it, from its document."""

    def __init__(self, document: Document):
        self.document = document
        self.data = document.data

    def __repr__(self) -> str:
        return f"<Reading {self.document}>"

    # --- what lists show -------------------------------------------------------------------
    @property
    def id(self) -> int:
        return self.data["id"]

    pk = id

    @property
    def kind(self) -> str:
        return self.data["kind"]

    @property
    def title(self) -> str:
        return self.document.title

    @property
    def url(self) -> str:
        return self.document.url

    @property
    def language(self) -> str:
        """The language the text is in (a fallback's, when the node has none in the reader's)."""
        return self.data["language"]

    @property
    def languages(self) -> list[str]:
        return self.data["languages"]

    @property
    def slug(self) -> str:
        return self.data["slug"]

    @property
    def excerpt(self) -> str:
        return self.data["excerpt"]

    @property
    def summary(self) -> str:
        return self.data["summary"]

    @property
    def reading_time(self) -> int:
        return self.data["reading_time"]

    @property
    def author_name(self) -> str:
        return self.data["author"]

    @property
    def author_id(self) -> int | None:
        return self.data["author_id"]

    @property
    def image(self) -> str:
        """The original featured image's address ("" for none): og:image, REST, GraphQL."""
        return self.data["image"]

    @property
    def picture(self) -> dict | None:
        """The featured image as pages show it: `{url, width, height, renditions: [{url, width,
        height, type}]}` (rustok.renditions), None without one (or in a document written before
        renditions existed, until a rebuild)."""
        return self.data.get("picture")

    @property
    def published_at(self) -> dt.datetime | None:
        return self.document.published_at

    @cached_property
    def created_at(self) -> dt.datetime | None:
        return _time(self.data["created_at"])

    @cached_property
    def updated_at(self) -> dt.datetime | None:
        return _time(self.data["updated_at"])

    @property
    def parent_id(self) -> int | None:
        return self.data["parent"]

    @property
    def position(self) -> int:
        return self.data["position"]

    @property
    def show_in_menus(self) -> bool:
        return self.data["show_in_menus"]

    @cached_property
    def categories(self) -> list[Link]:
        return [Link(c["name"], c["url"]) for c in self.data["categories"]]

    @cached_property
    def tags(self) -> list[Link]:
        return [Link(t["name"], t["url"]) for t in self.data["tags"]]

    # --- what the node's own page adds (documents read with `detail`) ----------------------
    @property
    def detail(self) -> dict:
        return self.document.detail

    @property
    def body(self) -> SafeString:
        """The body's HTML to insert as is: rendered and reduced to the allowlist of
        rustok.markup when it was written, the one text a template shows unescaped."""
        return mark_safe(self.detail["body_html"])  # noqa: S308

    @property
    def seo_title(self) -> str:
        return self.detail["seo_title"]

    @property
    def description(self) -> str:
        return self.detail["description"]

    @property
    def alternates(self) -> list[dict]:
        """{code, url} of each language the node is written in (hreflang links)."""
        return self.detail["alternates"]


def _time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def documents(
    kind: str | None = None, *, language: str | None = None, detail: bool = False
) -> QuerySet[Document]:
    """The documents of published nodes of `kind` (of every kind whose module is on, for None)
    for readers of `language` (default: the active one); none while the kind's module is off;
    without the page texts unless `detail`, never with the search text and vector."""
    found = _of_kind(kind).filter(language=language or current_language())
    return found.defer(*SEARCH_COLUMNS) if detail else found.defer(*LIST_DEFERRED)


def in_every_language(kind: str) -> QuerySet[Document]:
    """The documents of published nodes of `kind` for readers of every language (one per node
    and language), none while the kind's module is off; without the page texts."""
    return _of_kind(kind).defer(*LIST_DEFERRED)


def _of_kind(kind: str | None) -> QuerySet[Document]:
    """The documents of `kind` (every kind whose module is on, for None) if its module is on."""
    from apps.core.selectors import current_tenant

    enabled = kinds.enabled_kinds(current_tenant())
    return Document.objects.filter(type__in=[k for k in ([kind] if kind else enabled) if k in enabled])


def newest_first(found: QuerySet[Document]) -> QuerySet[Document]:
    return found.order_by("-published_at", F("data__id").desc())


def in_tree_order(found: QuerySet[Document]) -> QuerySet[Document]:
    return found.order_by(F("data__position").asc(), F("data__id").asc())


def with_key(found: QuerySet[Document], key: str) -> QuerySet[Document]:
    """The documents that carry `key` ("category:3", "tag:5", "parent:7", "top", "menu")."""
    return found.filter(keys__contains=[key])


def readings(found: QuerySet[Document]) -> list[Reading]:
    return [Reading(document) for document in found]


def by_slug(kind: str, slug: str, language: str | None = None) -> Reading | None:
    """The node of `kind` whose slug is `slug` in the reader's language, else in a fallback
    language, as readers of that language see it (one query, with its page texts)."""
    if "\x00" in slug:
        return None
    order = fallback_order(language)
    keys = [f"slug:{code}:{slug}" for code in order]
    found = list(documents(kind, language=language, detail=True).filter(keys__overlap=keys))
    if not found:
        return None
    rank = {key: place for place, key in enumerate(keys)}
    best = min(found, key=lambda doc: min(rank.get(key, len(keys)) for key in doc.keys))
    return Reading(best)


def by_id(kind: str, node_id: int, language: str | None = None) -> Reading | None:
    """The published node `node_id` of `kind` for readers, with its page texts."""
    document = documents(kind, language=language, detail=True).filter(object_id=str(node_id)).first()
    return Reading(document) if document else None
