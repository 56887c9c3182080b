"""Who may do what with content.

Editors write: they create nodes, edit and delete their own drafts, and submit them for review.
Admins (and the owner) publish, unpublish, archive, reject, schedule, and edit anything.
Anyone may read what is published; only editors and admins see drafts, nodes in review and the
archive (`content.view_node`). Object rules get the node as their second argument.
"""

import rules

from apps.accounts.models import Role
from apps.content.models import Status
from rustok.permissions import role_in

is_editor = role_in(Role.EDITOR)
is_admin = role_in(Role.ADMIN)
is_writer = is_editor | is_admin


@rules.predicate
def is_author(user, node=None) -> bool:
    """True without a node (the question is about nodes in general) or for the node's author."""
    return node is None or getattr(node, "author_id", None) == user.pk


@rules.predicate
def is_draft(user, node=None) -> bool:
    return node is None or getattr(node, "status", None) == Status.DRAFT


edits_node = is_admin | (is_editor & is_author & is_draft)

rules.add_perm("content.view_node", is_writer)
rules.add_perm("content.add_node", is_writer)
rules.add_perm("content.change_node", edits_node)
rules.add_perm("content.delete_node", edits_node)
rules.add_perm("content.submit_node", is_admin | (is_editor & is_author))
for verb in ("reject", "publish", "unpublish", "archive", "unarchive", "schedule"):
    rules.add_perm(f"content.{verb}_node", is_admin)
rules.add_perm("content.restore_revision", edits_node)
rules.add_perm("content.view_revision", is_writer)
rules.add_perm("content.manage_taxonomy", is_writer)

# The names the Django admin asks for (pages are a proxy of nodes).
for model in ("page",):
    rules.add_perm(f"content.view_{model}", is_writer)
    rules.add_perm(f"content.add_{model}", is_writer)
    rules.add_perm(f"content.change_{model}", edits_node)
    rules.add_perm(f"content.delete_{model}", edits_node)
for model in ("category", "tag"):
    for verb in ("view", "add", "change", "delete"):
        rules.add_perm(f"content.{verb}_{model}", is_writer)
rules.add_perm("content", is_writer)
