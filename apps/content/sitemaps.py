"""Sitemap section of the content module: the published pages, in each language they are written
in, read from their documents (apps.content.readings) like every reader's page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from apps.content import readings
from apps.content.views import PAGE
from apps.index.models import Document
from rustok.i18n import current_language, language_codes
from rustok.per_request import remembered
from rustok.sitemaps import Section


@dataclass(frozen=True)
class Listed:
    """A published node as the sitemap lists it, from its documents: its address in each language
    it is written in (in the site's language order), its last change (a publication is one) and
    the keys its documents are selected by ("category:3", "tag:5", ...)."""

    id: int
    urls: dict[str, str]
    updated_at: dt.datetime
    keys: tuple[str, ...]


def listed(kind: str) -> list[Listed]:
    """The published nodes of `kind` by id, none while its module is off: one query on their
    documents in every language, read once per request however many sections ask (the blog's
    sections all list posts)."""
    return remembered(("content.sitemap", kind), lambda: _listed(kind))


def _listed(kind: str) -> list[Listed]:
    first: dict[int, Document] = {}  # a node's documents agree on all but the language's own texts
    urls: dict[int, dict[str, str]] = {}
    for document in readings.in_every_language(kind):
        node_id = document.data["id"]
        first.setdefault(node_id, document)
        if document.language in document.data["languages"]:
            urls.setdefault(node_id, {})[document.language] = document.url
    return [
        Listed(
            id=node_id,
            urls={code: urls[node_id][code] for code in language_codes() if code in urls[node_id]},
            updated_at=dt.datetime.fromisoformat(document.data["updated_at"]),
            keys=tuple(document.keys),
        )
        for node_id, document in sorted(first.items())
        if node_id in urls
    ]


class NodeSitemap(Section):
    """The published nodes of one kind, at the addresses their documents give."""

    kind = PAGE

    def items(self) -> list[Listed]:
        return listed(self.kind)

    def location(self, node: Listed) -> str:
        return node.urls[current_language()]  # the sitemap activates each language in turn

    def lastmod(self, node: Listed) -> dt.datetime:
        return node.updated_at

    def get_languages_for_item(self, node: Listed) -> list[str]:
        """The languages the node is written in: each has its own address."""
        return list(node.urls)


sitemaps = {"pages": NodeSitemap}
