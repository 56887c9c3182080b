"""Trees (pages, content's and the catalogue's categories): placing an object under a parent at a
position.

Each is an adjacency list (a `parent` and a `position` among siblings); these checks keep them
trees. Walking up the ancestors costs one query per level, which is fine for the depth of a site's
page or category tree.
"""

from __future__ import annotations

from typing import Any

from rustok.errors import InvalidInput

UNSET: Any = object()  # "not given": keyword defaults of services that change only what is given
MAX_POSITION = 2**31 - 1  # the largest value of the position columns (PostgreSQL integer)


def place(obj, *, parent=UNSET, position=UNSET, noun: str = "An item") -> list[str]:
    """Move `obj` (unsaved) under `parent` and to `position`, where given and different.

    Refuses a parent that is `obj` itself or one of its descendants, and a position outside
    0..MAX_POSITION (the column's range: beyond it PostgreSQL would fail the write).
    Returns the names of what changed ("parent", "position").
    """
    changed = []
    if parent is not UNSET and parent != obj.parent:
        ancestor, seen = parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if obj.pk is not None and ancestor.pk == obj.pk:
                raise InvalidInput.for_field(
                    "parent", f"{noun} cannot be placed under itself or its descendants."
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
        obj.parent = parent
        changed.append("parent")
    if position is not UNSET and position != obj.position:
        if position is None or position < 0:
            raise InvalidInput.for_field("position", "Must be zero or more.")
        if position > MAX_POSITION:
            raise InvalidInput.for_field("position", f"Between 0 and {MAX_POSITION}.")
        obj.position = position
        changed.append("position")
    return changed


def reading_order(model) -> dict[int, tuple[int, int]]:
    """Each row of a tree `model` (with `parent` and `position`): its place in the tree's reading
    order (a parent, then its children by position) and its depth, from one query."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in model._default_manager.order_by("position", "id").values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found: dict[int, tuple[int, int]] = {}

    def walk(parent, depth):
        for pk in children.get(parent, []):
            found[pk] = (len(found), depth)
            walk(pk, depth + 1)

    walk(None, 0)
    return found
