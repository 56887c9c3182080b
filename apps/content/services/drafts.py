"""Unpublished changes of published nodes (Wagtail's model of a live version and a draft).

The row of a published node is its live version, what readers, search and feeds see. An edit of
it is made on a copy of the node holding its pending changes (`working_copy`) and kept as a
revision that the node points at (`keep`: `Node.draft_revision`), until the changes are
published (the services write them into the row) or discarded. Nodes that are not published
have no pending changes: their edits are written into the row.

These are steps of the node services (apps.content.services.nodes), which check the actor's
permission and hold the node's row lock.
"""

from __future__ import annotations

from django.core.files.storage import Storage
from django.db import transaction

from apps.content.events import NodeDraftSaved
from apps.content.models import Node, Revision
from apps.content.services.revisions import as_node, record, snapshot
from rustok import renditions
from rustok.events import publish

Taxonomy = dict[str, list[int]]


def working_copy(node: Node) -> tuple[Node, Taxonomy]:
    """What an edit of published `node` starts from: an unsaved copy of it holding its pending
    changes (its live content when it has none), and the ids of the copy's categories and tags."""
    data = node.draft_revision.data if node.has_unpublished_changes else snapshot(node)
    held = as_node(node, data)
    if held.parent_id is not None and not Node.objects.filter(pk=held.parent_id).exists():
        held.parent_id = None  # the parent the changes chose was deleted since
    return held, {"categories": list(data.get("categories", [])), "tags": list(data.get("tags", []))}


def keep(
    node: Node, held: Node, *, actor, changed: list[str], taxonomy: Taxonomy, message: str = ""
) -> Revision:
    """Keep `held`, an edited working copy of `node`, as the node's unpublished changes: a new
    revision (`draft_saved`) the node points at, and `content.node.draft_saved`.

    The live row is not saved, so its `updated_at` stays the live version's last change."""
    revision = record(
        node,
        action=Revision.Action.DRAFT_SAVED,
        actor=actor,
        changed=changed,
        message=message,
        data=snapshot(held, taxonomy=taxonomy),
    )
    Node.objects.filter(pk=node.pk).update(draft_revision=revision)
    node.draft_revision = revision
    publish(
        NodeDraftSaved(
            node_id=node.pk,
            kind=node.kind,
            actor_id=getattr(actor, "pk", None),
            changed=changed,
            revision=revision.number,
        )
    )
    return revision


def forget_image(node: Node, name: str) -> None:
    """Delete the image file `name` and its renditions once the transaction commits, unless
    `node` shows it."""
    live = node.featured_image.name if node.featured_image else ""
    if name and name != live:
        delete_image(node.featured_image.storage, name)


def delete_image(storage: Storage, name: str) -> None:
    """Delete the image file `name` and its renditions (rustok.renditions) once the transaction
    commits; nothing if it rolls back, since the rows still name the image then."""

    def delete() -> None:
        storage.delete(name)
        renditions.delete(name, storage)

    if name:
        transaction.on_commit(delete, robust=True)
