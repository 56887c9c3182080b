"""Revisions: what a node looked like after each saved change, and how two of them differ."""

from __future__ import annotations

import copy
from typing import Any

from django.db.models import Max

from apps.content.models import Node, Revision
from apps.content.translation import DERIVED_FIELDS, NODE_FIELDS
from rustok.i18n import language_codes
from rustok.texts import column

# The text of a node that writers send and revisions keep; the derived fields (body_html and the
# rest) come from body and excerpt (not sent, kept or compared). Every interface takes this list
# from here (apps.content.services).
WRITABLE_TEXT = tuple(f for f in NODE_FIELDS if f not in DERIVED_FIELDS)


def snapshot(node: Node, *, taxonomy: dict[str, list[int]] | None = None) -> dict[str, Any]:
    """The node's content as JSON: every translation, format, place in the tree, taxonomy, image.

    `taxonomy` gives the ids of its categories and tags (else they are read from the database):
    an unsaved copy holding pending changes has its own."""
    data: dict[str, Any] = {
        column(field, code): getattr(node, column(field, code)) or ""
        for field in WRITABLE_TEXT
        for code in language_codes()
    }
    data.update(
        body_format=node.body_format,
        parent=node.parent_id,
        position=node.position,
        show_in_menus=node.show_in_menus,
        featured_image=node.featured_image.name if node.featured_image else "",
    )
    for name in ("categories", "tags"):
        if taxonomy is not None:
            data[name] = sorted(taxonomy[name])
        else:
            data[name] = sorted(getattr(node, name).values_list("pk", flat=True)) if node.pk else []
    return data


def as_node(node: Node, data: dict[str, Any]) -> Node:
    """An unsaved copy of `node` holding the content of snapshot `data` (its categories and tags
    are the ids in `data`; its body_html is not rendered). The inverse of `snapshot`."""
    held = copy.copy(node)  # Django copies the instance's state and its cache of relations
    for field in WRITABLE_TEXT:
        for code in language_codes():
            setattr(held, column(field, code), data.get(column(field, code), "") or "")
    held.body_format = data.get("body_format", node.body_format)
    held.parent_id = data.get("parent", node.parent_id)  # a new id forgets the cached parent
    held.position = data.get("position", node.position)
    held.show_in_menus = data.get("show_in_menus", node.show_in_menus)
    held.featured_image = data.get("featured_image", "") or ""
    return held


def record(
    node: Node, *, action: str, actor, changed: list[str], message: str = "", data: dict | None = None
) -> Revision:
    """Keep the node's current state (or the snapshot `data`) as its next revision; the caller
    holds the node's row lock."""
    last = node.revisions.aggregate(last=Max("number"))["last"] or 0
    return Revision.objects.create(
        node=node,
        number=last + 1,
        action=action,
        author=actor if getattr(actor, "pk", None) else None,
        status=node.status,
        changed=changed,
        message=message,
        data=snapshot(node) if data is None else data,
    )


KEPT_FIELDS = ("body_format", "parent", "position", "show_in_menus", "featured_image", "categories", "tags")


def kept_order() -> list[str]:
    """The order of a snapshot's fields: each text field in each language, then the others."""
    return [column(field, code) for field in WRITABLE_TEXT for code in language_codes()] + list(KEPT_FIELDS)


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields whose value differs between two snapshots: [{field, old, new}], in the order of
    `kept_order` (a stored snapshot's keys come back in the database's order, not this one)."""
    order = {name: place for place, name in enumerate(kept_order())}
    keys = sorted(dict.fromkeys([*old, *new]), key=lambda key: (order.get(key, len(order)), key))
    return [
        {"field": key, "old": old.get(key), "new": new.get(key)}
        for key in keys
        if old.get(key) != new.get(key)
    ]
