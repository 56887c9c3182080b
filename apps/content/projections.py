"""Search documents of content nodes: one per published node and language it has a title in.

Each kind has its own projection and document type (`page`; blog adds `post`), declared by the
module that owns the kind, so a kind's documents go away when its module is switched off. Drafts,
nodes in review and the archive have no documents: unpublishing or archiving removes them.
"""

from __future__ import annotations

from django.utils import translation

from apps.content import kinds
from apps.content.markup import plain_text
from apps.content.models import Node, Status
from apps.content.selectors import with_relations
from apps.content.texts import column
from apps.index.projections import Doc, Projection
from rustok.events import Envelope
from rustok.i18n import language_codes

NODE_EVENTS = (
    "content.node.created",
    "content.node.updated",
    "content.node.submitted",
    "content.node.rejected",
    "content.node.published",
    "content.node.unpublished",
    "content.node.archived",
    "content.node.unarchived",
    "content.node.deleted",
)
TAXONOMY_EVENTS = (
    "content.category.updated",
    "content.category.deleted",
    "content.tag.updated",
    "content.tag.deleted",
)


class NodeProjection(Projection):
    """The published nodes of one kind as documents of that kind."""

    events = NODE_EVENTS + TAXONOMY_EVENTS

    def __init__(self, kind: str):
        self.kind = kind
        self.name = f"content.{kind}"
        self.document_type = kind

    @property
    def label(self) -> str:
        """The kind's name (page, post), translated: how the search page calls these results."""
        return kinds.get(self.kind).label

    def affected(self, envelope: Envelope):
        event = envelope.event
        if hasattr(event, "node_ids"):
            return Node.objects.filter(pk__in=event.node_ids, kind=self.kind).values_list("pk", flat=True)
        if hasattr(event, "node_id"):
            return [event.node_id] if event.kind == self.kind else []
        if hasattr(event, "category_id"):
            return Node.objects.filter(kind=self.kind, categories=event.category_id).values_list(
                "pk", flat=True
            )
        return Node.objects.filter(kind=self.kind, tags=event.tag_id).values_list("pk", flat=True)

    def documents(self, ids):
        kind = kinds.get(self.kind)
        nodes = with_relations(Node.objects.filter(pk__in=ids, kind=self.kind, status=Status.PUBLISHED))
        for node in nodes:
            for code in language_codes():
                title = getattr(node, column("title", code))
                if not title:
                    continue
                with translation.override(code):
                    categories = [c.name for c in node.categories.all()]
                    tags = [t.name for t in node.tags.all()]
                    excerpt = node.excerpt
                body = plain_text(getattr(node, column("body_html", code)) or "")
                slug = getattr(node, column("slug", code))
                yield Doc(
                    object_id=node.pk,
                    language=code,
                    title=title,
                    body=f"{excerpt}\n{body}".strip(),
                    url=kind.url(slug, code),
                    data={
                        "slug": slug,
                        "excerpt": excerpt,
                        "author": node.author.display_name if node.author else "",
                        "image": node.featured_image.url if node.featured_image else "",
                    },
                    categories=categories,
                    tags=tags,
                    published_at=node.published_at,
                )

    def all_ids(self):
        return Node.objects.filter(kind=self.kind, status=Status.PUBLISHED).values_list("pk", flat=True)


projections = [NodeProjection("page")]
