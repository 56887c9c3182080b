"""Writing nodes: create, update, move through the workflow, schedule, restore, delete.

Every function checks the actor's permission (rules.py), locks the node's row, changes it,
keeps a revision and publishes an event in the same transaction.

An edit of a published node (its text, taxonomy, tree place, image, a restored revision) is kept
as its unpublished changes (apps.content.services.drafts) and readers keep the live version;
publishing the node again (now or scheduled) writes them into the row, `discard_changes` drops
them, and leaving published (unpublish, archive) takes them along, so nothing written is lost.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.content import kinds, markup
from apps.content.events import (
    TRANSITION_EVENTS,
    NodeCreated,
    NodeDeleted,
    NodeDraftDiscarded,
    NodePublished,
    NodeScheduled,
    NodeUpdated,
)
from apps.content.images import check_image
from apps.content.models import BodyFormat, Category, Node, Revision, Status, Tag, image_path
from apps.content.services.drafts import delete_image, forget_image, keep, working_copy
from apps.content.services.revisions import WRITABLE_TEXT, diff, record, snapshot
from rustok import workflow
from rustok.errors import Conflict, InvalidInput, TransitionNotAllowed
from rustok.events import publish
from rustok.i18n import language_codes
from rustok.permissions import can, require
from rustok.rows import lock, save_with_slugs
from rustok.texts import Texts, assign, check_lengths, check_texts, column, fill_slugs
from rustok.tree import UNSET, place

log = logging.getLogger(__name__)

TRANSITIONS = tuple(TRANSITION_EVENTS)
TRANSITION_ACTIONS = {
    "submit": Revision.Action.SUBMITTED,
    "reject": Revision.Action.REJECTED,
    "publish": Revision.Action.PUBLISHED,
    "unpublish": Revision.Action.UNPUBLISHED,
    "archive": Revision.Action.ARCHIVED,
    "unarchive": Revision.Action.UNARCHIVED,
}


def _actor_id(actor) -> int | None:
    return getattr(actor, "pk", None)


def _lock(node: Node) -> Node:
    return lock(Node, node, node.kind or "node")


def check_kind(kind: str | None) -> kinds.Kind:
    """The kind, if one is given, exists and its module is on for this site; else InvalidInput
    naming `kind`."""
    from apps.core.selectors import current_tenant

    if not kind:
        raise InvalidInput.for_field("kind", "This field is required.")
    known = kinds.all_kinds()
    enabled = kinds.enabled_kinds(current_tenant())
    if kind not in known or kind not in enabled:
        raise InvalidInput.for_field("kind", f"Unknown kind '{kind}'. This site has: {', '.join(enabled)}.")
    return known[kind]


def _check_parent(node: Node, parent: Node | None) -> None:
    """A parent must be of the node's own kind, and that kind must have a tree."""
    if parent is None:
        return
    if not kinds.get(node.kind).hierarchical:
        raise InvalidInput.for_field("parent", f"Nodes of kind '{node.kind}' have no parent.")
    if parent.kind != node.kind:
        raise InvalidInput.for_field("parent", f"The parent must be a {node.kind}, not a {parent.kind}.")


def _save(node: Node) -> None:
    """Save, turning a slug taken by a concurrent writer into the same 400 as a checked one."""
    save_with_slugs(node, "node")


def _apply(
    node: Node,
    *,
    texts,
    body_format,
    parent,
    position,
    categories,
    tags,
    show_in_menus=UNSET,
    taxonomy: dict[str, list[int]] | None = None,
) -> list[str]:
    """Apply the given changes to the node in memory; the names of what changed.

    Categories and tags are compared with the stored ones (none for a new node; a working copy's
    own ids in `taxonomy`) and named when they differ; `_store` writes them once the node is saved.
    The text readers are shown (HTML, plain text, summary) is made again when the body or the
    excerpt changed, but not for a working copy (`taxonomy` given): unpublished changes keep
    what was written, and publishing them makes it.
    """
    changed = assign(node, check_texts(texts, WRITABLE_TEXT))
    if show_in_menus is not UNSET and show_in_menus != node.show_in_menus:
        if not isinstance(show_in_menus, bool):
            raise InvalidInput.for_field("show_in_menus", "Must be true or false.")
        if show_in_menus and not kinds.get(node.kind).hierarchical:
            raise InvalidInput.for_field("show_in_menus", f"Nodes of kind '{node.kind}' are not in menus.")
        node.show_in_menus = show_in_menus
        changed.append("show_in_menus")
    if body_format is not UNSET and body_format != node.body_format:
        if body_format not in BodyFormat.values:
            raise InvalidInput.for_field("body_format", f"One of: {', '.join(BodyFormat.values)}.")
        node.body_format = body_format
        changed.append("body_format")
    if parent is not UNSET:
        _check_parent(node, parent)
    changed += place(node, parent=parent, position=position, noun="A node")
    check_lengths(node, ("title", "slug", "seo_title", "seo_description"))
    slugs = {column("slug", code): getattr(node, column("slug", code)) for code in language_codes()}
    fill_slugs(node, source="title", scope=Node.objects.filter(kind=node.kind), required="title")
    changed += [name for name, slug in slugs.items() if getattr(node, name) != slug and name not in changed]
    if taxonomy is None and any(name.startswith(("body_", "excerpt_")) for name in changed):
        markup.render_node(node)
    for name, values in (("categories", categories), ("tags", tags)):
        if values is UNSET:
            continue
        if taxonomy is not None:
            current = set(taxonomy[name])
        else:
            current = set(getattr(node, name).values_list("pk", flat=True)) if node.pk else set()
        if {item.pk for item in values} != current:
            changed.append(name)
    return changed


def _store(node: Node, changed: list[str], *, categories, tags) -> None:
    """Save the node and the categories and tags among `changed` (as `_apply` named them)."""
    _save(node)
    for name, values in (("categories", categories), ("tags", tags)):
        if name in changed:
            getattr(node, name).set(values)


def _apply_snapshot(node: Node, data: dict, *, taxonomy=None) -> tuple[list[str], list, list]:
    """Apply the content of a revision's snapshot to the node in memory: the names of what
    changed, and the categories and tags it names that still exist. An image it names whose file
    is gone (deleted when another replaced it) is not brought back: the node keeps its own."""
    texts = {
        code: {field: data.get(column(field, code), "") or "" for field in WRITABLE_TEXT}
        for code in language_codes()
    }
    parent = Node.objects.filter(pk=data.get("parent")).first() if data.get("parent") else None
    categories = list(Category.objects.filter(pk__in=data.get("categories", [])))
    tags = list(Tag.objects.filter(pk__in=data.get("tags", [])))
    changed = _apply(
        node,
        texts=texts,
        body_format=data.get("body_format", node.body_format),
        parent=parent,
        position=data.get("position", node.position),
        categories=categories,
        tags=tags,
        show_in_menus=data.get("show_in_menus", node.show_in_menus),
        taxonomy=taxonomy,
    )
    image = data.get("featured_image", "") or ""
    current = node.featured_image.name if node.featured_image else ""
    if image and image != current and not node.featured_image.storage.exists(image):
        image = current  # deleted when it was replaced: the node keeps the image it has
    if image != current:
        node.featured_image = image
        changed.append("featured_image")
    return changed, categories, tags


def _ids(changed: list[str], taxonomy: dict[str, list[int]], **given) -> dict[str, list[int]]:
    """A working copy's category and tag ids after an edit: those given where they changed."""
    return {
        name: [item.pk for item in given[name]] if name in changed else ids for name, ids in taxonomy.items()
    }


def _take_changes(node: Node) -> tuple[list[str], int]:
    """Write the unpublished changes of `node` into its row (with the transition just applied):
    the names of the fields they change, and the number of the revision that held them. The file
    of an image they replace goes after commit."""
    pending = node.draft_revision
    image = node.featured_image.name if node.featured_image else ""
    changed, categories, tags = _apply_snapshot(node, pending.data)
    node.draft_revision = None
    _store(node, changed, categories=categories, tags=tags)
    forget_image(node, image)
    return changed, pending.number


def _move(node: Node, name: str, **arguments) -> tuple[list[str], str]:
    """Apply transition `name` and save the node: what changed, and a note for its revision.

    A published node's unpublished changes go into its row: publishing them, or leaving
    published (unpublish, archive) with them, so the draft it becomes holds the newest text."""
    workflow.apply(node, name, **arguments)
    if not node.has_unpublished_changes:
        node.save(update_fields=["status", "published_at", "publish_at", "updated_at"])
        return ["status"], ""
    changed, number = _take_changes(node)
    if name == "publish":
        return changed, f"Published the changes of revision {number}"
    return ["status", *changed], f"With the unpublished changes of revision {number}"


@transaction.atomic
def create_node(
    *,
    actor,
    kind: str | None,
    texts: Texts,
    body_format: str = BodyFormat.MARKDOWN,
    parent: Node | None = None,
    position: int = 0,
    categories: Iterable[Category] = (),
    tags: Iterable[Tag] = (),
    show_in_menus: bool = False,
) -> Node:
    """A new draft of `kind` written by `actor`, with its first revision. A node needs a kind
    (InvalidInput naming `kind`); its `position` is 0 unless given."""
    require(actor, "content.add_node")
    check_kind(kind)
    node = Node(kind=kind, author=actor, body_format=BodyFormat.MARKDOWN)
    categories, tags = list(categories), list(tags)
    changed = _apply(
        node,
        texts=texts,
        body_format=body_format,
        parent=parent,
        position=position,
        categories=categories,
        tags=tags,
        show_in_menus=show_in_menus,
    )
    _store(node, changed, categories=categories, tags=tags)
    record(node, action=Revision.Action.CREATED, actor=actor, changed=[])
    publish(NodeCreated(node_id=node.pk, kind=kind, status=node.status, actor_id=_actor_id(actor)))
    return node


@transaction.atomic
def update_node(
    *,
    actor,
    node: Node,
    kind: str = UNSET,
    texts: Texts | None = None,
    body_format: str = UNSET,
    parent: Node | None = UNSET,
    position: int = UNSET,
    categories: Iterable[Category] = UNSET,
    tags: Iterable[Tag] = UNSET,
    show_in_menus: bool = UNSET,
) -> Node:
    """Change what is given; keep a revision and publish `content.node.updated` if anything changed.

    A node's kind never changes: `kind` may be given (a client sending back what it read) but
    only as it is, else InvalidInput naming `kind`.

    An edit by someone who may not schedule cancels a pending schedule: what was approved for
    publication is no longer what would be published.

    A published node keeps its live version: the changes are kept as its unpublished changes
    (`content.node.draft_saved`) until it is published again.
    """
    node = _lock(node)
    require(actor, "content.change_node", node)
    check_kind(node.kind)
    if kind is not UNSET and kind != node.kind:
        raise InvalidInput.for_field("kind", "The kind of a node cannot change.")
    categories = UNSET if categories is UNSET else list(categories)
    tags = UNSET if tags is UNSET else list(tags)
    held, taxonomy = working_copy(node) if node.is_published else (node, None)
    changed = _apply(
        held,
        texts=texts,
        body_format=body_format,
        parent=parent,
        position=position,
        categories=categories,
        tags=tags,
        show_in_menus=show_in_menus,
        taxonomy=taxonomy,
    )
    if not changed:
        return node
    if held is node:
        _store(node, changed, categories=categories, tags=tags)
    if node.publish_at is not None and not can(actor, "content.schedule_node", node):
        node.publish_at = None
        node.save(update_fields=["publish_at", "updated_at"])
        publish(NodeScheduled(node_id=node.pk, kind=node.kind, actor_id=_actor_id(actor), publish_at=None))
    if held is not node:
        keep(
            node,
            held,
            actor=actor,
            changed=changed,
            taxonomy=_ids(changed, taxonomy, categories=categories, tags=tags),
        )
        return node
    revision = record(node, action=Revision.Action.UPDATED, actor=actor, changed=changed)
    publish(
        NodeUpdated(
            node_id=node.pk,
            kind=node.kind,
            actor_id=_actor_id(actor),
            changed=changed,
            revision=revision.number,
            published=node.is_published,
        )
    )
    return node


@transaction.atomic
def transition_node(*, actor, node: Node, name: str) -> Node:
    """Move the node through its workflow: submit, reject, publish, unpublish, archive, unarchive.

    403 without `content.<name>_node`; 409 (TransitionNotAllowed, naming the allowed ones) when
    the node's status does not allow it. Publishing a published node publishes its unpublished
    changes (409 when it has none); unpublishing or archiving takes them along.
    """
    if name not in TRANSITIONS:
        raise InvalidInput.for_field(
            "transition", f"Unknown transition '{name}'. Known: {', '.join(TRANSITIONS)}."
        )
    node = _lock(node)
    require(actor, f"content.{name}_node", node)
    check_kind(node.kind)
    changes = {"changes": True} if name == "publish" and node.is_published else {}
    changed, note = _move(node, name)
    record(node, action=TRANSITION_ACTIONS[name], actor=actor, changed=changed, message=note)
    publish(TRANSITION_EVENTS[name](node_id=node.pk, kind=node.kind, actor_id=_actor_id(actor), **changes))
    return node


@transaction.atomic
def schedule_node(*, actor, node: Node, publish_at: dt.datetime | None) -> Node:
    """Publish the node automatically at `publish_at` (None cancels): drafts, nodes in review, and
    the unpublished changes of a published node."""
    node = _lock(node)
    require(actor, "content.schedule_node", node)
    check_kind(node.kind)
    if publish_at is not None:
        if timezone.is_naive(publish_at):
            raise InvalidInput.for_field("publish_at", "Give a time zone (e.g. 2026-12-01T09:00:00Z).")
        try:  # PostgreSQL takes offsets up to ±15:59 only; Python up to ±23:59
            publish_at = publish_at.astimezone(dt.UTC)
        except OverflowError:
            raise InvalidInput.for_field("publish_at", "Out of the range of dates.") from None
        if publish_at <= timezone.now():
            raise InvalidInput.for_field("publish_at", "Must be in the future.")
        if node.status not in (Status.DRAFT, Status.IN_REVIEW) and not node.has_unpublished_changes:
            allowed = workflow.allowed_transitions(node)
            raise TransitionNotAllowed(
                "Only drafts, nodes in review and unpublished changes can be scheduled; "
                f"this one is {node.get_status_display()}, with no unpublished changes.",
                transition="schedule",
                state=node.status,
                allowed=allowed,
            )
    if node.publish_at == publish_at:
        return node
    node.publish_at = publish_at
    node.save(update_fields=["publish_at", "updated_at"])
    action = Revision.Action.SCHEDULED if publish_at else Revision.Action.UNSCHEDULED
    record(node, action=action, actor=actor, changed=["publish_at"])
    publish(
        NodeScheduled(
            node_id=node.pk,
            kind=node.kind,
            actor_id=_actor_id(actor),
            publish_at=publish_at.isoformat() if publish_at else None,
        )
    )
    return node


def publish_due(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Publish the nodes, and the unpublished changes, whose `publish_at` has come (Celery beat).

    Each in its own transaction; rows another worker holds are skipped, so two workers never
    publish a node twice. Changes that can no longer be published as they are (a slug another
    node took meanwhile) are left as they are, logged, and tried again on the next run.
    """
    now = now or timezone.now()
    published = 0
    due = Node.objects.filter(
        Q(status__in=[Status.DRAFT, Status.IN_REVIEW])
        | Q(status=Status.PUBLISHED, draft_revision__isnull=False),
        publish_at__lte=now,
    )
    for pk in list(due.order_by("publish_at").values_list("pk", flat=True)[:limit]):
        try:
            with transaction.atomic():
                node = due.select_for_update(skip_locked=True).filter(pk=pk).first()
                if node is None or node.kind not in kinds.enabled_kinds(_tenant()):
                    continue
                changes = node.is_published
                changed, note = _move(node, "publish", at=node.publish_at)
                message = f"Scheduled. {note}" if note else "Scheduled"
                record(node, action=Revision.Action.PUBLISHED, actor=None, changed=changed, message=message)
                publish(
                    NodePublished(
                        node_id=node.pk, kind=node.kind, actor_id=None, scheduled=True, changes=changes
                    )
                )
                published += 1
        except InvalidInput as refused:
            log.warning("scheduled publishing of content node %s refused: %s", pk, refused.detail)
    return published


def _tenant():
    from apps.core.selectors import current_tenant

    return current_tenant()


@transaction.atomic
def set_featured_image(*, actor, node: Node, upload) -> Node:
    """Store `upload` as the node's featured image (None removes it); the old file and its
    renditions go after commit. Renditions of the new one are made when readers get it: by the
    projection that writes the node's documents (apps.content.projections).

    For a published node the image is one of its unpublished changes; the live one stays."""
    node = _lock(node)
    require(actor, "content.change_node", node)
    held, taxonomy = working_copy(node) if node.is_published else (node, None)
    old = held.featured_image.name if held.featured_image else ""
    if upload is None:
        if not old:
            return node
        held.featured_image = ""
    else:
        extension = check_image(upload)
        # Stored last, once everything is checked: only a failing commit can orphan the file.
        held.featured_image.save(image_path(node, f"image.{extension}"), upload, save=False)
    if held is not node:
        forget_image(node, old)
        keep(node, held, actor=actor, changed=["featured_image"], taxonomy=taxonomy)
        return node
    node.save(update_fields=["featured_image", "updated_at"])
    delete_image(node.featured_image.storage, old)
    revision = record(node, action=Revision.Action.UPDATED, actor=actor, changed=["featured_image"])
    publish(
        NodeUpdated(
            node_id=node.pk,
            kind=node.kind,
            actor_id=_actor_id(actor),
            changed=["featured_image"],
            revision=revision.number,
            published=node.is_published,
        )
    )
    return node


@transaction.atomic
def restore_revision(*, actor, node: Node, revision: Revision) -> Node:
    """Bring back the content of an earlier revision (status stays); kept as a new revision.

    For a published node it becomes its unpublished changes; the live version stays."""
    node = _lock(node)
    require(actor, "content.restore_revision", node)
    check_kind(node.kind)
    if revision.node_id != node.pk:
        raise InvalidInput.for_field("revision", "The revision belongs to another node.")
    message = f"Restored revision {revision.number}"
    if node.is_published:
        held, taxonomy = working_copy(node)
        before = snapshot(held, taxonomy=taxonomy)
        changed, categories, tags = _apply_snapshot(held, revision.data, taxonomy=taxonomy)
        taxonomy = _ids(changed, taxonomy, categories=categories, tags=tags)
        after = snapshot(held, taxonomy=taxonomy)
        changed = [key for key in after if before.get(key) != after.get(key)]
        keep(node, held, actor=actor, changed=changed, taxonomy=taxonomy, message=message)
        return node
    before = snapshot(node)
    changed, categories, tags = _apply_snapshot(node, revision.data)
    _store(node, changed, categories=categories, tags=tags)
    after = snapshot(node)
    changed = [key for key in after if before.get(key) != after.get(key)]
    new = record(node, action=Revision.Action.RESTORED, actor=actor, changed=changed, message=message)
    publish(
        NodeUpdated(
            node_id=node.pk,
            kind=node.kind,
            actor_id=_actor_id(actor),
            changed=changed,
            revision=new.number,
            published=node.is_published,
        )
    )
    return node


@transaction.atomic
def delete_node(*, actor, node: Node) -> None:
    """Delete the node with its revisions. A node with children is refused (409): move them first."""
    node = _lock(node)
    require(actor, "content.delete_node", node)
    children = node.children.count()
    if children:
        raise Conflict(
            f"This {node.kind} has {children} child node(s); move or delete them first.",
            reason="has_children",
            children=children,
        )
    if node.has_unpublished_changes:
        forget_image(node, node.draft_revision.data.get("featured_image") or "")
    image = node.featured_image.name if node.featured_image else ""
    storage = node.featured_image.storage
    node_id, kind = node.pk, node.kind
    node.delete()
    delete_image(storage, image)
    publish(NodeDeleted(node_id=node_id, kind=kind, actor_id=_actor_id(actor)))


@transaction.atomic
def discard_changes(*, actor, node: Node) -> Node:
    """Drop the unpublished changes of a published node: what editors see and edit is the live
    version again. Kept as a revision (`discarded`) of the live content; a schedule to publish the
    changes is cancelled. 409 (`no_unpublished_changes`) when the node has none."""
    node = _lock(node)
    require(actor, "content.change_node", node)
    check_kind(node.kind)
    if not node.has_unpublished_changes:
        raise Conflict("This node has no unpublished changes.", reason="no_unpublished_changes")
    pending = node.draft_revision
    live = snapshot(node)
    forget_image(node, pending.data.get("featured_image") or "")
    scheduled = node.publish_at is not None
    node.draft_revision, node.publish_at = None, None
    Node.objects.filter(pk=node.pk).update(draft_revision=None, publish_at=None)  # the live row stays
    revision = record(
        node,
        action=Revision.Action.DISCARDED,
        actor=actor,
        changed=[change["field"] for change in diff(pending.data, live)],
        message=f"Discarded the changes of revision {pending.number}",
        data=live,
    )
    if scheduled:
        publish(NodeScheduled(node_id=node.pk, kind=node.kind, actor_id=_actor_id(actor), publish_at=None))
    publish(
        NodeDraftDiscarded(
            node_id=node.pk,
            kind=node.kind,
            actor_id=_actor_id(actor),
            revision=revision.number,
            discarded=pending.number,
        )
    )
    return node
