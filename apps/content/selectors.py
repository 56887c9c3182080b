"""Reads of content: what a user may see, lookups by slug with the language fallback, the tree."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet

from apps.content import kinds
from apps.content.models import Category, Node, Revision, Status, Tag
from rustok import renditions, workflow
from rustok.errors import InvalidInput
from rustok.i18n import fallback_order
from rustok.permissions import can
from rustok.texts import column


def readers_see_drafts(user) -> bool:
    """Whether `user` sees drafts, nodes in review and the archive (editors and admins)."""
    return can(user, "content.view_node")


def visible_nodes(*, user, tenant, kind: str | None = None) -> QuerySet[Node]:
    """The nodes `user` may read on `tenant`: all for editors and admins (with the unpublished
    changes of published ones), the published ones for everyone else; never nodes whose kind's
    module is off."""
    allowed = kinds.enabled_kinds(tenant)
    nodes = Node.objects.filter(kind__in=[kind] if kind in allowed else [] if kind else allowed)
    if not readers_see_drafts(user):
        return nodes.filter(status=Status.PUBLISHED)
    return with_drafts(nodes)


def with_drafts(nodes: QuerySet[Node]) -> QuerySet[Node]:
    """`nodes` with their unpublished changes and who saved them, in the same query."""
    return nodes.select_related("draft_revision__author")


@dataclass(frozen=True)
class Draft:
    """The unpublished changes of a published node: the node as it will be once they are
    published (an unsaved copy: text, format, tree place, menu flag, image; its body not
    rendered), the revision holding them, and the ids of its categories and tags."""

    node: Node
    revision: Revision
    categories: list[int]
    tags: list[int]


def draft_of(node: Node) -> Draft | None:
    """The unpublished changes of `node`, if it has any (editors' answers show them; readers
    never see them). Costs no query on a node read through `with_drafts`."""
    from apps.content.services.revisions import as_node

    if not node.has_unpublished_changes:
        return None
    revision = node.draft_revision
    data = revision.data
    return Draft(
        node=as_node(node, data),
        revision=revision,
        categories=list(data.get("categories", [])),
        tags=list(data.get("tags", [])),
    )


def live_revision(node: Node) -> Revision | None:
    """The newest revision of `node` that holds its live content (not a save of unpublished
    changes): what its unpublished changes are compared with."""
    return node.revisions.exclude(action=Revision.Action.DRAFT_SAVED).order_by("-number").first()


def with_relations(nodes: QuerySet[Node]) -> QuerySet[Node]:
    """What node listings show, in a fixed number of queries whatever the page size."""
    return nodes.select_related("author").prefetch_related(
        Prefetch("categories", queryset=Category.objects.order_by("position", "id")),
        Prefetch("tags", queryset=Tag.objects.order_by("id")),
    )


def _grouped(rows, key: str) -> dict:
    groups: dict = {}
    for row in rows:
        groups.setdefault(getattr(row, key), []).append(row)
    return groups


def categories_of_nodes(node_ids) -> dict[int, list[Category]]:
    """The categories of each node, in the tree's order (one query for all the nodes)."""
    rows = (
        Category.objects.filter(nodes__in=node_ids)
        .annotate(of_node=F("nodes__id"))
        .order_by("position", "id")
    )
    return _grouped(rows, "of_node")


def tags_of_nodes(node_ids) -> dict[int, list[Tag]]:
    """The tags of each node, oldest first (one query for all the nodes)."""
    return _grouped(Tag.objects.filter(nodes__in=node_ids).annotate(of_node=F("nodes__id")), "of_node")


def children_of_nodes(nodes: QuerySet[Node], parent_ids) -> dict[int, list[Node]]:
    """The nodes of `nodes` under each parent, in their order among siblings (one query)."""
    return _grouped(nodes.filter(parent_id__in=parent_ids).order_by("position", "id"), "parent_id")


def revisions_of_nodes(node_ids) -> dict[int, list[Revision]]:
    """Each node's revisions, newest first, without the saved content (one query)."""
    rows = Revision.objects.filter(node_id__in=node_ids).defer("data").order_by("node_id", "-number")
    return _grouped(rows, "node_id")


def children_of_categories(parent_ids) -> dict[int, list[Category]]:
    """The subcategories of each category, in order (one query for all of them)."""
    return _grouped(Category.objects.filter(parent_id__in=parent_ids).order_by("position", "id"), "parent_id")


def by_slug(nodes: QuerySet, slug: str, language: str | None = None):
    """The object whose slug is `slug` in the active language, else in a fallback language.

    None for a slug with a NUL byte: no stored text has one (PostgreSQL refuses it in a query).
    """
    if "\x00" in slug:
        return None
    for code in fallback_order(language):
        found = nodes.filter(**{column("slug", code): slug}).first()
        if found is not None:
            return found
    return None


def translated_in(nodes: QuerySet, language: str) -> QuerySet:
    """The objects that have a title in `language` (not only a fallback)."""
    return nodes.filter(
        ~Q(**{column("title", language): ""}), **{f"{column('title', language)}__isnull": False}
    )


def allowed_steps(user, node: Node) -> list[str]:
    """The workflow steps `user` may take on `node`: those its status allows and the user's
    rules permit, in the workflow's order. REST, GraphQL and the admin all offer these."""
    return [name for name in workflow.allowed_transitions(node) if can(user, f"content.{name}_node", node)]


@dataclass(frozen=True)
class Comparison:
    """Two revisions of a node and the fields that differ between them, in the kept order."""

    old: Revision
    new: Revision
    changes: list[dict]


def compare_revisions(node: Node, old: int | None, new: int | None = None) -> Comparison:
    """Revision `old` of `node` against revision `new` (default: the latest). REST, GraphQL and
    the admin all answer this; a number the node has no revision of is refused naming it."""
    from apps.content.services.revisions import diff

    if old is None:
        raise InvalidInput.for_field("old", "This parameter is required.")
    revisions = node.revisions.select_related("author")
    if new is None:
        latest = revisions.order_by("-number").first()
        new = latest.number if latest else 0
    found = {revision.number: revision for revision in revisions.filter(number__in=(old, new))}
    for name, number in (("old", old), ("new", new)):
        if number not in found:
            raise InvalidInput.for_field(name, f"This node has no revision {number}.")
    return Comparison(old=found[old], new=found[new], changes=diff(found[old].data, found[new].data))


def picture_of(node: Node) -> dict | None:
    """The node's featured image with the renditions made of it so far (rustok.renditions; those
    of a published image: a new one has none until it is published), None without an image.
    Readers get it from the node's document instead."""
    return renditions.picture(node.featured_image, make=False)
