"""Content through its services (the only writers), in whatever schema is active."""

from __future__ import annotations

from apps.content import services
from apps.content.models import Node
from tests.accounts.factories import SiteAdminFactory


def admin():
    return SiteAdminFactory()


def make_node(
    *,
    actor=None,
    kind: str = "page",
    title: str = "A page",
    body: str = "Some text.",
    status: str = "draft",
    texts=None,
    publisher=None,
    **fields,
) -> Node:
    """A node written by `actor` (an admin by default), moved to `status` by the workflow: the
    steps an editor may not take are taken by `publisher` (an admin, new unless given)."""
    actor = actor or admin()
    texts = texts or {"en": {"title": title, "body": body}}
    node = services.create_node(actor=actor, kind=kind, texts=texts, **fields)
    publisher = actor if actor.has_perm("content.publish_node") else publisher or admin()
    steps = {
        "draft": [],
        "in_review": ["submit"],
        "published": ["publish"],
        "archived": ["publish", "archive"],
    }[status]
    for step in steps:
        node = services.transition_node(actor=actor if step == "submit" else publisher, node=node, name=step)
    return node


def make_category(*, actor=None, name: str = "News", **texts):
    return services.create_category(actor=actor or admin(), texts={"en": {"name": name}, **texts})


def make_tag(*, actor=None, name: str = "python", **texts):
    return services.create_tag(actor=actor or admin(), texts={"en": {"name": name}, **texts})
