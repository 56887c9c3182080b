"""Services of the content module: the only code that writes its tables."""

from apps.content.services.nodes import (
    TRANSITIONS,
    check_kind,
    create_node,
    delete_node,
    discard_changes,
    publish_due,
    restore_revision,
    schedule_node,
    set_featured_image,
    transition_node,
    update_node,
)
from apps.content.services.revisions import WRITABLE_TEXT
from apps.content.services.taxonomy import (
    create_category,
    create_tag,
    delete_category,
    delete_tag,
    update_category,
    update_tag,
)

__all__ = [
    "TRANSITIONS",
    "WRITABLE_TEXT",
    "check_kind",
    "create_category",
    "create_node",
    "create_tag",
    "delete_category",
    "delete_node",
    "delete_tag",
    "discard_changes",
    "publish_due",
    "restore_revision",
    "schedule_node",
    "set_featured_image",
    "transition_node",
    "update_category",
    "update_node",
    "update_tag",
]
