"""GraphQL mutations of the content module: one per use case, each calling a service."""

from __future__ import annotations

import graphene

from apps.content import services
from apps.content.models import Category, Node, Tag
from apps.content.schema.queries import (
    _get,
    _node,
    _pk,
    _revision,
    _visible,
)
from apps.content.schema.types import (
    ContentBodyFormat,
    ContentCategory,
    ContentCategoryTranslationInput,
    ContentKind,
    ContentNode,
    ContentTag,
    ContentTagTranslationInput,
    ContentTransition,
    ContentTranslationInput,
    _value,
)
from apps.content.services import WRITABLE_TEXT
from apps.content.translation import CATEGORY_FIELDS, TAG_FIELDS
from rustok.errors import InvalidInput
from rustok.permissions import SIGNED_IN
from rustok.texts import texts_from

# --- writing ----------------------------------------------------------------------------------


def _texts(translations, fields) -> dict[str, dict]:
    """A list of {language, field: value} as the services take text; a language at most once."""
    return texts_from(fields, ((item["language"], item) for item in translations or ()), once="translations")


def _objects(model, ids, field: str, label: str) -> list:
    """The rows with these ids, in the order given; InvalidInput naming `field` for unknown ones."""
    pks = [_pk(value) for value in ids or ()]
    found = model.objects.in_bulk([pk for pk in pks if pk is not None])
    unknown = [str(value) for value, pk in zip(ids or (), pks, strict=True) if pk not in found]
    if unknown:
        raise InvalidInput.for_field(field, f"Unknown {label} id(s): {', '.join(unknown)}.")
    return list(dict.fromkeys(found[pk] for pk in pks))


def _parent_node(info, value) -> Node | None:
    if value is None:
        return None
    pk = _pk(value)
    parent = _visible(info).filter(pk=pk).first() if pk is not None else None
    if parent is None:
        raise InvalidInput.for_field("parentId", f"No node with id {value}.")
    return parent


def _parent_category(value) -> Category | None:
    if value is None:
        return None
    return _objects(Category, [value], "parentId", "category")[0]


def _node_changes(info, data) -> dict:
    """The keyword arguments of create_node / update_node for the input fields that were given."""
    changes = {}
    if "kind" in data:
        changes["kind"] = _value(data["kind"])
    if "translations" in data:
        changes["texts"] = _texts(data["translations"], WRITABLE_TEXT)
    if "body_format" in data:
        changes["body_format"] = _value(data["body_format"])
    if "parent_id" in data:
        changes["parent"] = _parent_node(info, data["parent_id"])
    if "position" in data:
        changes["position"] = data["position"]
    if "show_in_menus" in data:
        changes["show_in_menus"] = data["show_in_menus"]
    if "category_ids" in data:
        changes["categories"] = _objects(Category, data["category_ids"], "categoryIds", "category")
    if "tag_ids" in data:
        changes["tags"] = _objects(Tag, data["tag_ids"], "tagIds", "tag")
    return changes


class UpdateContentNodeInput(graphene.InputObjectType):
    """What to change in a node; fields left out stay as they are."""

    kind = ContentKind(description="The node's kind, as it is: a kind cannot change.")
    body_format = ContentBodyFormat()
    parent_id = graphene.ID(description="null puts the node at the top of its tree.")
    position = graphene.Int()
    show_in_menus = graphene.Boolean(
        description="Pages only: link the page from the site's menu once published."
    )
    category_ids = graphene.List(graphene.NonNull(graphene.ID), description="The full set; [] removes all.")
    tag_ids = graphene.List(graphene.NonNull(graphene.ID), description="The full set; [] removes all.")
    translations = graphene.List(graphene.NonNull(ContentTranslationInput))


class CreateContentNodeInput(UpdateContentNodeInput):
    """A new node: its kind and at least one title."""

    kind = ContentKind(required=True)
    translations = graphene.List(graphene.NonNull(ContentTranslationInput), required=True)


TAXONOMY = "content.manage_taxonomy"


class ContentNodePayload(graphene.ObjectType):
    """The node as the mutation left it."""

    node = graphene.Field(ContentNode, required=True)


class ContentDeleted(graphene.ObjectType):
    """What a delete mutation answers."""

    ok = graphene.Boolean(required=True)
    id = graphene.ID(required=True, description="The id of what was deleted.")


class CreateContentNode(graphene.Mutation):
    """Write a new draft."""

    access = "content.add_node"

    class Arguments:
        input = CreateContentNodeInput(required=True)

    Output = ContentNodePayload

    @staticmethod
    def mutate(root, info, input):
        node = services.create_node(actor=info.context.user, **_node_changes(info, input))
        return ContentNodePayload(node=node)


class UpdateContentNode(graphene.Mutation):
    """Change a node's text, format, place in the tree, categories or tags. A published node keeps
    its live version: the change is kept in its unpublished changes (`node { draft }`)."""

    access = "content.change_node"

    class Arguments:
        id = graphene.ID(required=True)
        input = UpdateContentNodeInput(required=True)

    Output = ContentNodePayload

    @staticmethod
    def mutate(root, info, id, input):
        node = _node(info, id)
        changes = _node_changes(info, input)
        return ContentNodePayload(node=services.update_node(actor=info.context.user, node=node, **changes))


class TransitionContentNode(graphene.Mutation):
    """Move a node through its workflow; TRANSITION_NOT_ALLOWED names the steps its status allows.

    Open to every signed-in user: each step has its own permission, checked by the service.
    """

    access = SIGNED_IN

    class Arguments:
        id = graphene.ID(required=True)
        transition = ContentTransition(required=True)

    Output = ContentNodePayload

    @staticmethod
    def mutate(root, info, id, transition):
        node = services.transition_node(
            actor=info.context.user, node=_node(info, id), name=_value(transition)
        )
        return ContentNodePayload(node=node)


class ScheduleContentNode(graphene.Mutation):
    """Publish a draft, a node in review or a published node's unpublished changes automatically
    at `publishAt` (null cancels)."""

    access = "content.schedule_node"

    class Arguments:
        id = graphene.ID(required=True)
        publish_at = graphene.DateTime(description="With a time zone; null cancels the schedule.")

    Output = ContentNodePayload

    @staticmethod
    def mutate(root, info, id, publish_at=None):
        node = services.schedule_node(actor=info.context.user, node=_node(info, id), publish_at=publish_at)
        return ContentNodePayload(node=node)


class DiscardContentNodeChanges(graphene.Mutation):
    """Drop the unpublished changes of a published node; readers' version stays. CONFLICT
    (`no_unpublished_changes`) when it has none."""

    access = "content.change_node"

    class Arguments:
        id = graphene.ID(required=True)

    Output = ContentNodePayload

    @staticmethod
    def mutate(root, info, id):
        return ContentNodePayload(
            node=services.discard_changes(actor=info.context.user, node=_node(info, id))
        )


class DeleteContentNode(graphene.Mutation):
    """Delete a node with its revisions."""

    access = "content.delete_node"

    class Arguments:
        id = graphene.ID(required=True)

    Output = ContentDeleted

    @staticmethod
    def mutate(root, info, id):
        node = _node(info, id)
        pk = node.pk
        services.delete_node(actor=info.context.user, node=node)
        return ContentDeleted(ok=True, id=pk)


class RestoreContentRevision(graphene.Mutation):
    """Bring back the content of an earlier revision, kept as a new revision."""

    access = "content.restore_revision"

    class Arguments:
        node_id = graphene.ID(required=True)
        number = graphene.Int(required=True)

    Output = ContentNodePayload

    @staticmethod
    def mutate(root, info, node_id, number):
        node = _node(info, node_id, "nodeId")
        revision = _revision(node, number, "number")
        return ContentNodePayload(
            node=services.restore_revision(actor=info.context.user, node=node, revision=revision)
        )


class ContentCategoryInput(graphene.InputObjectType):
    """A category's text, parent and position; on update, fields left out stay as they are."""

    parent_id = graphene.ID(description="null makes it a top-level category.")
    position = graphene.Int()
    translations = graphene.List(graphene.NonNull(ContentCategoryTranslationInput))


def _category_changes(data) -> dict:
    changes = {}
    if "translations" in data:
        changes["texts"] = _texts(data["translations"], CATEGORY_FIELDS)
    if "parent_id" in data:
        changes["parent"] = _parent_category(data["parent_id"])
    if "position" in data:
        changes["position"] = data["position"]
    return changes


class ContentCategoryPayload(graphene.ObjectType):
    """The category as the mutation left it."""

    category = graphene.Field(ContentCategory, required=True)


class CreateContentCategory(graphene.Mutation):
    """Add a category (editors and admins)."""

    access = TAXONOMY

    class Arguments:
        input = ContentCategoryInput(required=True)

    Output = ContentCategoryPayload

    @staticmethod
    def mutate(root, info, input):
        changes = _category_changes(input)
        return ContentCategoryPayload(category=services.create_category(actor=info.context.user, **changes))


class UpdateContentCategory(graphene.Mutation):
    """Change a category's text, parent or position."""

    access = TAXONOMY

    class Arguments:
        id = graphene.ID(required=True)
        input = ContentCategoryInput(required=True)

    Output = ContentCategoryPayload

    @staticmethod
    def mutate(root, info, id, input):
        category = _get(Category, id, "category")
        changes = _category_changes(input)
        return ContentCategoryPayload(
            category=services.update_category(actor=info.context.user, category=category, **changes)
        )


class DeleteContentCategory(graphene.Mutation):
    """Delete a category (its nodes lose it); one with subcategories is refused."""

    access = TAXONOMY

    class Arguments:
        id = graphene.ID(required=True)

    Output = ContentDeleted

    @staticmethod
    def mutate(root, info, id):
        category = _get(Category, id, "category")
        pk = category.pk
        services.delete_category(actor=info.context.user, category=category)
        return ContentDeleted(ok=True, id=pk)


class ContentTagPayload(graphene.ObjectType):
    """The tag as the mutation left it."""

    tag = graphene.Field(ContentTag, required=True)


class CreateContentTag(graphene.Mutation):
    """Add a tag (editors and admins)."""

    access = TAXONOMY

    class Arguments:
        translations = graphene.List(graphene.NonNull(ContentTagTranslationInput), required=True)

    Output = ContentTagPayload

    @staticmethod
    def mutate(root, info, translations):
        tag = services.create_tag(actor=info.context.user, texts=_texts(translations, TAG_FIELDS))
        return ContentTagPayload(tag=tag)


class UpdateContentTag(graphene.Mutation):
    """Change a tag's text in the languages given."""

    access = TAXONOMY

    class Arguments:
        id = graphene.ID(required=True)
        translations = graphene.List(graphene.NonNull(ContentTagTranslationInput), required=True)

    Output = ContentTagPayload

    @staticmethod
    def mutate(root, info, id, translations):
        tag = _get(Tag, id, "tag")
        return ContentTagPayload(
            tag=services.update_tag(actor=info.context.user, tag=tag, texts=_texts(translations, TAG_FIELDS))
        )


class DeleteContentTag(graphene.Mutation):
    """Delete a tag; its nodes lose it."""

    access = TAXONOMY

    class Arguments:
        id = graphene.ID(required=True)

    Output = ContentDeleted

    @staticmethod
    def mutate(root, info, id):
        tag = _get(Tag, id, "tag")
        pk = tag.pk
        services.delete_tag(actor=info.context.user, tag=tag)
        return ContentDeleted(ok=True, id=pk)


class Mutation(graphene.ObjectType):
    """Writing content, one mutation per use case."""

    create_content_node = CreateContentNode.Field()
    update_content_node = UpdateContentNode.Field()
    transition_content_node = TransitionContentNode.Field()
    schedule_content_node = ScheduleContentNode.Field()
    discard_content_node_changes = DiscardContentNodeChanges.Field()
    delete_content_node = DeleteContentNode.Field()
    restore_content_revision = RestoreContentRevision.Field()
    create_content_category = CreateContentCategory.Field()
    update_content_category = UpdateContentCategory.Field()
    delete_content_category = DeleteContentCategory.Field()
    create_content_tag = CreateContentTag.Field()
    update_content_tag = UpdateContentTag.Field()
    delete_content_tag = DeleteContentTag.Field()
