"""GraphQL queries of the content module: nodes (Relay-style pages), revisions, taxonomy."""

from __future__ import annotations

import datetime as dt

import graphene
from django.db.models import QuerySet
from django.http import QueryDict
from graphene import relay
from graphene.utils.str_converters import to_camel_case
from graphql_relay import cursor_to_offset, offset_to_cursor

from apps.content import readings, selectors
from apps.content.filters import NodeFilter, ReadingFilter
from apps.content.models import Category, Node, Tag
from apps.content.schema.documents import ReadNode, published, reads_documents
from apps.content.schema.types import (
    _BIGINT,
    DEFAULT_PAGE,
    MAX_PAGE,
    ContentCategory,
    ContentKind,
    ContentNode,
    ContentNodeConnection,
    ContentNodeOrder,
    ContentRevision,
    ContentRevisionComparison,
    ContentStatus,
    ContentTag,
    _override,
    _use_language,
    _value,
)
from rustok.errors import InvalidInput, NotFound
from rustok.permissions import PUBLIC, declare

# --- reading ----------------------------------------------------------------------------------


def _pk(value) -> int | None:
    text = str(value)
    if not (text.isascii() and text.isdecimal()) or int(text) > _BIGINT:
        return None
    return int(text)


def _visible(info, kind: str | None = None) -> QuerySet[Node]:
    return selectors.visible_nodes(user=info.context.user, tenant=info.context.tenant, kind=kind)


def _node(info, value, field: str = "id") -> Node:
    """The node with id `value` if the user may read it; NotFound otherwise, existing or not."""
    pk = _pk(value)
    node = _visible(info).filter(pk=pk).first() if pk is not None else None
    if node is None:
        raise NotFound("No such content node.", field=field)
    return node


def _filtered(nodes: QuerySet, filters: dict, filterset_class=NodeFilter) -> QuerySet:
    """`nodes` through NodeFilter (or the documents through ReadingFilter), the filters REST
    takes as query parameters; as they are when no filter is given (building the FilterSet costs
    a short list more than reading it)."""
    if all(value is None for value in filters.values()):
        return nodes
    data = QueryDict(mutable=True)
    for name, value in filters.items():
        if value is None:
            continue
        if name == "status":
            data.setlist(name, [_value(s) for s in value])
        elif name == "ordering":
            data[name] = ",".join(_value(o) for o in value)
        elif isinstance(value, dt.datetime):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    filterset = filterset_class(data=data, queryset=nodes)
    if not filterset.is_valid():
        errors = {
            to_camel_case(name): [str(m) for m in messages] for name, messages in filterset.errors.items()
        }
        raise InvalidInput("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()), errors=errors)
    return filterset.qs


def _ordered(nodes: QuerySet[Node]) -> QuerySet[Node]:
    """`nodes` in their order with the id last, so that pages neither repeat nor skip a node."""
    order = [o for o in nodes.query.order_by if isinstance(o, str)] or list(Node._meta.ordering)
    if not any(o.lstrip("-") in ("id", "pk") for o in order):
        order.append("-id")
    return nodes.order_by(*order)


def _offset(cursor: str | None, field: str) -> int | None:
    if cursor is None:
        return None
    offset = cursor_to_offset(cursor)
    if offset is None or offset < 0:
        raise InvalidInput.for_field(field, "Not a cursor of this list.")
    return offset


def _page(nodes: QuerySet, *, first, after, last, before, wrap=None) -> ContentNodeConnection:
    """One page of `nodes` by offset cursors; `first` and `last` are capped at MAX_PAGE. `wrap`
    makes what a page shows of each row (ReadNode for documents)."""
    for field, value in (("first", first), ("last", last)):
        if value is not None and value < 0:
            raise InvalidInput.for_field(field, "Must be zero or more.")
    total = nodes.count()
    after_offset, before_offset = _offset(after, "after"), _offset(before, "before")
    start = 0 if after_offset is None else after_offset + 1
    end = total if before_offset is None else min(before_offset, total)
    start = min(start, end)
    if first is None and last is None:
        first = DEFAULT_PAGE
    if first is not None:
        end = min(end, start + min(first, MAX_PAGE))
    if last is not None:
        start = max(start, end - min(last, MAX_PAGE))
    items = list(nodes[start:end]) if end > start else []
    if wrap is not None:
        items = [wrap(item) for item in items]
    edges = [
        ContentNodeConnection.Edge(node=node, cursor=offset_to_cursor(start + i))
        for i, node in enumerate(items)
    ]
    return ContentNodeConnection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=start + len(items) < total,
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )


def _get(model, value, label: str):
    """The category or tag with id `value`; NotFound otherwise."""
    pk = _pk(value)
    found = model.objects.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise NotFound(f"No such {label}.", field="id")
    return found


def _revision(node: Node, number: int, field: str):
    revision = node.revisions.select_related("author").filter(number=number).first()
    if revision is None:
        raise NotFound(f"This node has no revision {number}.", field=field)
    return revision


LANG = graphene.String(description="Show text in this language (with the site's fallback).")


class Query(graphene.ObjectType):
    """Reading content: nodes, categories, tags, revisions.

    The root fields are nullable: while content is off for the site each answers null with a
    MODULE_DISABLED error, and the other fields of the query keep their data.
    """

    content_nodes = graphene.Field(
        ContentNodeConnection,
        description="The nodes the user may read, newest first, page by page.",
        first=graphene.Int(description=f"At most {MAX_PAGE}; {DEFAULT_PAGE} when neither first nor last."),
        after=graphene.String(),
        last=graphene.Int(description=f"At most {MAX_PAGE}."),
        before=graphene.String(),
        lang=LANG,
        kind=ContentKind(),
        status=graphene.List(graphene.NonNull(ContentStatus)),
        category=graphene.String(description="A category id or slug."),
        tag=graphene.String(description="A tag id or slug."),
        author=graphene.ID(),
        parent=graphene.ID(description="Children of this node."),
        language=graphene.String(description="Only nodes translated into this language."),
        published_after=graphene.DateTime(),
        published_before=graphene.DateTime(),
        updated_after=graphene.DateTime(),
        updated_before=graphene.DateTime(),
        q=graphene.String(description="Title contains (in the shown language)."),
        ordering=graphene.List(graphene.NonNull(ContentNodeOrder)),
    )
    content_node = graphene.Field(ContentNode, id=graphene.ID(required=True), lang=LANG)
    content_node_by_slug = graphene.Field(
        ContentNode,
        kind=ContentKind(required=True),
        slug=graphene.String(required=True),
        lang=LANG,
        description="The node whose slug this is in the shown language, else in a fallback language.",
    )
    content_categories = graphene.List(
        graphene.NonNull(ContentCategory), lang=LANG, description="Every category, in order."
    )
    content_tags = graphene.List(graphene.NonNull(ContentTag), lang=LANG)
    content_revisions = graphene.List(
        graphene.NonNull(ContentRevision),
        node_id=graphene.ID(required=True),
        description="A node's revisions, newest first.",
    )
    content_revision_compare = graphene.Field(
        ContentRevisionComparison,
        node_id=graphene.ID(required=True),
        old=graphene.Int(required=True),
        new=graphene.Int(required=True),
        description="The fields that differ between two revisions of a node.",
    )

    @staticmethod
    @declare(PUBLIC)
    def resolve_content_nodes(
        root, info, first=None, after=None, last=None, before=None, lang=None, **filters
    ):
        kind = _value(filters.pop("kind", None))
        page = {"first": first, "after": after, "last": last, "before": before}
        with _override(_use_language(info, lang)):
            if reads_documents(info):
                documents = _filtered(published(kind), filters, ReadingFilter)
                return _page(documents, **page, wrap=ReadNode)
            return _page(_ordered(_filtered(_visible(info, kind), filters)), **page)

    @staticmethod
    @declare(PUBLIC)
    def resolve_content_node(root, info, id, lang=None):
        language = _use_language(info, lang)
        pk = _pk(id)
        if pk is None:
            return None
        if reads_documents(info):
            document = published(language=language).filter(object_id=str(pk)).first()
            return ReadNode(document) if document else None
        return _visible(info).filter(pk=pk).first()

    @staticmethod
    @declare(PUBLIC)
    def resolve_content_node_by_slug(root, info, kind, slug, lang=None):
        language = _use_language(info, lang)
        if reads_documents(info):
            reading = readings.by_slug(_value(kind), slug, language)
            return ReadNode(reading.document) if reading else None
        return selectors.by_slug(_visible(info, _value(kind)), slug, language)

    @staticmethod
    @declare(PUBLIC)
    def resolve_content_categories(root, info, lang=None):
        _use_language(info, lang)
        return Category.objects.order_by("position", "id")

    @staticmethod
    @declare(PUBLIC)
    def resolve_content_tags(root, info, lang=None):
        _use_language(info, lang)
        return Tag.objects.order_by("id")

    @staticmethod
    @declare("content.view_revision")
    def resolve_content_revisions(root, info, node_id):
        return _node(info, node_id, "nodeId").revisions.defer("data").order_by("-number")

    @staticmethod
    @declare("content.view_revision")
    def resolve_content_revision_compare(root, info, node_id, old, new):
        compared = selectors.compare_revisions(_node(info, node_id, "nodeId"), old, new)
        return ContentRevisionComparison(
            old=compared.old.number, new=compared.new.number, changes=compared.changes
        )
