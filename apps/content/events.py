"""Events of the content module: nodes changing and moving through their workflow, and taxonomy.

Every node event names the node and its kind, so a module that owns a kind (blog: post) can
follow its own nodes. `actor_id` is None when the platform acted (scheduled publishing).

Editing a published node changes nothing readers see until the changes are published:
`content.node.draft_saved` and `content.node.draft_discarded` concern the pending changes only,
so no read model follows them; publishing the changes is `content.node.published` with
`changes` true.
"""

import dataclasses

from rustok.events import Event


@dataclasses.dataclass(frozen=True, kw_only=True)
class NodeEvent(Event):
    """Base of the node events (not published itself: it declares no `type`)."""

    node_id: int
    kind: str
    actor_id: int | None


class NodeCreated(NodeEvent):
    type = "content.node.created"
    version = 1
    status: str


class NodeUpdated(NodeEvent):
    """The node's content changed; `changed` names the fields, `revision` the revision kept.
    `published`: whether the node is published (readers see the change); False for a draft."""

    type = "content.node.updated"
    version = 1
    changed: list[str]
    revision: int
    published: bool = True


class NodeSubmitted(NodeEvent):
    type = "content.node.submitted"
    version = 1


class NodeRejected(NodeEvent):
    type = "content.node.rejected"
    version = 1


class NodePublished(NodeEvent):
    """The node is live: for the first time or again, or with its unpublished changes (`changes`)."""

    type = "content.node.published"
    version = 1
    scheduled: bool = False
    changes: bool = False


class NodeDraftSaved(NodeEvent):
    """Changes of a published node were saved for later: readers still see the live version.
    `changed` names the fields this save changed, `revision` the revision holding the changes."""

    type = "content.node.draft_saved"
    version = 1
    changed: list[str]
    revision: int


class NodeDraftDiscarded(NodeEvent):
    """The unpublished changes of a published node were dropped; `revision` is the one kept for
    the record (the live content again), `discarded` the one that held the changes."""

    type = "content.node.draft_discarded"
    version = 1
    revision: int
    discarded: int


class NodeUnpublished(NodeEvent):
    type = "content.node.unpublished"
    version = 1


class NodeArchived(NodeEvent):
    type = "content.node.archived"
    version = 1


class NodeUnarchived(NodeEvent):
    type = "content.node.unarchived"
    version = 1


class NodeScheduled(NodeEvent):
    """The node will be published at `publish_at` (None: the schedule was cancelled)."""

    type = "content.node.scheduled"
    version = 1
    publish_at: str | None


class NodeDeleted(NodeEvent):
    type = "content.node.deleted"
    version = 1


class CategoryCreated(Event):
    type = "content.category.created"
    version = 1
    category_id: int
    actor_id: int | None


class CategoryUpdated(Event):
    type = "content.category.updated"
    version = 1
    category_id: int
    actor_id: int | None


class CategoryDeleted(Event):
    """`node_ids`: the nodes that had the category, whose documents change with it."""

    type = "content.category.deleted"
    version = 1
    category_id: int
    actor_id: int | None
    node_ids: list[int]


class TagCreated(Event):
    type = "content.tag.created"
    version = 1
    tag_id: int
    actor_id: int | None


class TagUpdated(Event):
    type = "content.tag.updated"
    version = 1
    tag_id: int
    actor_id: int | None


class TagDeleted(Event):
    type = "content.tag.deleted"
    version = 1
    tag_id: int
    actor_id: int | None
    node_ids: list[int]


# Transition name -> the event it publishes.
TRANSITION_EVENTS = {
    "submit": NodeSubmitted,
    "reject": NodeRejected,
    "publish": NodePublished,
    "unpublish": NodeUnpublished,
    "archive": NodeArchived,
    "unarchive": NodeUnarchived,
}
