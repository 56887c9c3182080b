"""Writing categories (a tree) and tags. Editors and admins manage them (content.manage_taxonomy)."""

from __future__ import annotations

from django.db import transaction

from apps.content.events import (
    CategoryCreated,
    CategoryDeleted,
    CategoryUpdated,
    TagCreated,
    TagDeleted,
    TagUpdated,
)
from apps.content.models import Category, Tag
from apps.content.translation import CATEGORY_FIELDS, TAG_FIELDS
from rustok.errors import Conflict
from rustok.events import publish
from rustok.permissions import require
from rustok.rows import lock, save_with_slugs
from rustok.texts import Texts, write_named
from rustok.tree import UNSET, place

PERM = "content.manage_taxonomy"


def _write_category(category: Category, texts, parent, position) -> list[str]:
    changed = write_named(category, texts, CATEGORY_FIELDS)
    return changed + place(category, parent=parent, position=position, noun="A category")


@transaction.atomic
def create_category(
    *, actor, texts: Texts | None = None, parent: Category | None = None, position: int = 0
) -> Category:
    """A new category: a name in at least one language (InvalidInput naming `name`), at the top of
    the tree unless given a `parent`, at position 0 unless given a `position`."""
    require(actor, PERM)
    category = Category()
    _write_category(category, texts, parent, position)
    save_with_slugs(category, "category")
    publish(CategoryCreated(category_id=category.pk, actor_id=actor.pk))
    return category


@transaction.atomic
def update_category(
    *, actor, category: Category, texts: Texts | None = None, parent=UNSET, position=UNSET
) -> Category:
    require(actor, PERM)
    category = lock(Category, category, "category")
    if _write_category(category, texts, parent, position):
        save_with_slugs(category, "category")
        publish(CategoryUpdated(category_id=category.pk, actor_id=actor.pk))
    return category


@transaction.atomic
def delete_category(*, actor, category: Category) -> None:
    """Delete a category; its nodes lose it. One with subcategories is refused (409)."""
    require(actor, PERM)
    category = lock(Category, category, "category")
    children = category.children.count()
    if children:
        raise Conflict(
            f"This category has {children} subcategories; move or delete them first.",
            reason="has_children",
            children=children,
        )
    node_ids = list(category.nodes.values_list("pk", flat=True))
    category_id = category.pk
    category.delete()
    publish(CategoryDeleted(category_id=category_id, actor_id=actor.pk, node_ids=node_ids))


@transaction.atomic
def create_tag(*, actor, texts: Texts) -> Tag:
    require(actor, PERM)
    tag = Tag()
    write_named(tag, texts, TAG_FIELDS)
    save_with_slugs(tag, "tag")
    publish(TagCreated(tag_id=tag.pk, actor_id=actor.pk))
    return tag


@transaction.atomic
def update_tag(*, actor, tag: Tag, texts: Texts) -> Tag:
    require(actor, PERM)
    tag = lock(Tag, tag, "tag")
    if write_named(tag, texts, TAG_FIELDS):
        save_with_slugs(tag, "tag")
        publish(TagUpdated(tag_id=tag.pk, actor_id=actor.pk))
    return tag


@transaction.atomic
def delete_tag(*, actor, tag: Tag) -> None:
    require(actor, PERM)
    tag = lock(Tag, tag, "tag")
    node_ids = list(tag.nodes.values_list("pk", flat=True))
    tag_id = tag.pk
    tag.delete()
    publish(TagDeleted(tag_id=tag_id, actor_id=actor.pk, node_ids=node_ids))
