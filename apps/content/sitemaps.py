"""Sitemap section of the content module: the published pages, in each language they have."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from apps.content.models import Node, Status
from apps.content.selectors import visible_nodes
from apps.content.texts import column
from apps.content.views import PAGE, node_url
from rustok.i18n import language_codes
from rustok.sitemaps import Section


class NodeSitemap(Section):
    """The published nodes of one kind, at their reader addresses (any reader sees them)."""

    kind = PAGE

    def items(self):
        nodes = visible_nodes(user=AnonymousUser(), tenant=self.tenant, kind=self.kind)
        return nodes.filter(status=Status.PUBLISHED).order_by("id")

    def location(self, node: Node) -> str:
        return node_url(node)

    def lastmod(self, node: Node):
        return node.updated_at

    def get_languages_for_item(self, node: Node) -> list[str]:
        """The languages the node has a title in: each has its own address."""
        return [code for code in language_codes() if getattr(node, column("title", code))]


sitemaps = {"pages": NodeSitemap}
