"""Read models of content nodes: one document per published node and site language.

Each kind has its own projection and document type (`page`; blog adds `post`), declared by the
module that owns the kind, so a kind's documents go away when its module is switched off. Drafts,
nodes in review and the archive have no documents: unpublishing or archiving removes them.

A document holds everything readers are shown of the node in its language, computed here once
per write rather than on every request: `data` is what a list item shows (title, address,
summary, reading time, author, taxonomy with links, image, dates, place in the tree), `detail`
what the node's own page adds (HTML, SEO texts, meta description, the languages it is written
in). A language the node has no title in gets the fallback's text (as the write side shows it)
at that language's own addresses; `data.language` says which language the text is in.

The featured image's renditions (smaller WebP copies, rustok.renditions) are made here, when a
node is first projected with that image: every way an image reaches readers (publishing, its
unpublished changes published, a schedule, a rebuild, images stored before renditions existed)
goes through here, in the worker, and an image nobody publishes costs nothing. Later projections
of the node find them and only check they are there; `data.picture` describes them, the same
whenever it is computed, so a rebuild writes what the live updates wrote.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.text import Truncator

from apps.content import kinds
from apps.content.models import Category, Node, Status, Tag
from apps.content.selectors import with_relations
from apps.index.projections import Doc, Projection
from rustok import renditions
from rustok.events import Envelope
from rustok.i18n import language_codes
from rustok.texts import column, shown_language

DESCRIPTION_CHARS = 200  # a meta description made from the body, when none is written

NODE_EVENTS = (
    "content.node.created",
    "content.node.updated",
    "content.node.published",
    "content.node.unpublished",
    "content.node.archived",
    "content.node.deleted",
)
TAXONOMY_EVENTS = (
    "content.category.updated",
    "content.category.deleted",
    "content.tag.updated",
    "content.tag.deleted",
)


def _stamp(value) -> str | None:
    return value.isoformat() if value else None


class NodeProjection(Projection):
    """The published nodes of one kind as documents of that kind.

    Submitting, rejecting and taking out of the archive only ever concern nodes readers do not
    see, so they are not among its events; of the others, an event reaches the projection only
    for a node of its kind, and a creation or edit only for a published node (`interested`).
    """

    events = NODE_EVENTS + TAXONOMY_EVENTS

    def __init__(self, kind: str):
        self.kind = kind
        self.name = f"content.{kind}"
        self.document_type = kind

    def facet_values(self, facet: str) -> list[str] | None:
        return [] if facet == "availability" else None  # nodes are not sold

    @property
    def label(self) -> str:
        """The kind's name (page, post), translated: how the search page calls these results."""
        return kinds.get(self.kind).label

    def interested(self, envelope: Envelope) -> bool:
        event = envelope.event
        if not hasattr(event, "node_id"):
            return True  # taxonomy: any kind may use the category or tag
        if event.kind != self.kind:
            return False
        if envelope.type == "content.node.created":
            return event.status == Status.PUBLISHED
        if envelope.type == "content.node.updated":
            return getattr(event, "published", True)
        return True

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

    # --- links readers follow from a document: the kind's module may override these -----------

    def category_url(self, category: Category, language: str) -> str:
        """Where readers of `language` find the kind's nodes in `category` ("" for none)."""
        return ""

    def tag_url(self, tag: Tag, language: str) -> str:
        """Where readers of `language` find the kind's nodes with `tag` ("" for none)."""
        return ""

    # --- the documents ---------------------------------------------------------------------

    def documents(self, ids):
        kind = kinds.get(self.kind)
        codes = language_codes()
        nodes = with_relations(Node.objects.filter(pk__in=ids, kind=self.kind, status=Status.PUBLISHED))
        for node in nodes:
            written_in = [code for code in codes if getattr(node, column("title", code))]
            slugs = {code: getattr(node, column("slug", code)) for code in written_in}
            alternates = [
                {"code": code, "url": iri_to_uri(kind.url(slugs[code], code))} for code in written_in
            ]
            keys = [f"slug:{code}:{slug}" for code, slug in slugs.items() if slug]
            for name, terms in (("category", node.categories.all()), ("tag", node.tags.all())):
                for term in terms:  # by id, and by its slug in every language (lists' filters)
                    slugs_of_term = {getattr(term, column("slug", code)) or "" for code in codes}
                    slugs_of_term = {slug for slug in slugs_of_term if slug and not slug.isdigit()}
                    keys += [f"{name}:{term.pk}", *(f"{name}:{slug}" for slug in sorted(slugs_of_term))]
            keys.append(f"parent:{node.parent_id}" if node.parent_id else "top")
            if node.show_in_menus:
                keys.append("menu")
            picture = renditions.picture(node.featured_image) if node.featured_image else None
            for code in codes:
                with translation.override(code):
                    yield self._document(node, code, kind, written_in, alternates, keys, picture)

    def _document(self, node: Node, code: str, kind, written_in, alternates, keys, picture) -> Doc:
        """The node as readers of `code` see it (the active language is `code`); `picture`
        describes its featured image with the renditions pages show (rustok.renditions)."""
        shown = shown_language(node)
        categories = [
            {"id": c.pk, "name": c.name, "slug": c.slug, "url": self.category_url(c, code)}
            for c in node.categories.all()
        ]
        tags = [
            {"id": t.pk, "name": t.name, "slug": t.slug, "url": self.tag_url(t, code)}
            for t in node.tags.all()
        ]
        author = node.author.display_name if node.author else ""
        text = node.body_text or ""
        data = {
            "id": node.pk,
            "kind": node.kind,
            "language": shown,
            "languages": written_in,
            "slug": node.slug,
            "excerpt": node.excerpt,
            "summary": node.summary,
            "reading_time": node.reading_time or 1,
            "author": author,
            "author_id": node.author_id,
            "image": node.featured_image.url if node.featured_image else "",
            "picture": picture,
            "categories": categories,
            "tags": tags,
            "parent": node.parent_id,
            "position": node.position,
            "show_in_menus": node.show_in_menus,
            "created_at": _stamp(node.created_at),
            "updated_at": _stamp(node.updated_at),
        }
        detail = {
            "body": node.body,
            "body_html": node.body_html,
            "body_format": node.body_format,
            "seo_title": node.seo_title,
            "seo_description": node.seo_description,
            "description": node.seo_description or node.excerpt or Truncator(text).chars(DESCRIPTION_CHARS),
            "alternates": alternates,
        }
        return Doc(
            object_id=node.pk,
            language=code,
            title=node.title,
            body=f"{node.excerpt}\n{text}".strip(),
            url=iri_to_uri(kind.url(node.slug, code)),
            text_language=shown,
            data=data,
            detail=detail,
            categories=[c["name"] for c in categories],
            tags=[t["name"] for t in tags],
            keys=keys,
            published_at=node.published_at,
        )

    def all_ids(self):
        return Node.objects.filter(kind=self.kind, status=Status.PUBLISHED).values_list("pk", flat=True)


projections = [NodeProjection("page")]
