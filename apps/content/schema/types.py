"""GraphQL types of the content module, the loaders of their relations, and the language they are shown in."""

from __future__ import annotations

import contextlib

import graphene
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from graphene import relay
from graphene.types.generic import GenericScalar

from apps.accounts.schema import users_by_id
from apps.content import kinds, selectors, services
from apps.content.models import BodyFormat, Category, Status, Tag
from apps.content.preview import preview_url
from apps.content.schema.documents import ReadNode, children_of, parent_of
from apps.content.services import WRITABLE_TEXT
from apps.content.translation import CATEGORY_FIELDS, TAG_FIELDS
from rustok import renditions
from rustok.dataloaders import Loader, root_argument
from rustok.errors import InvalidInput
from rustok.i18n import language_codes
from rustok.per_request import remembered
from rustok.permissions import can
from rustok.texts import column, shown_language, translations

DEFAULT_PAGE = 50
MAX_PAGE = settings.GRAPHQL_MAX_PAGE_SIZE  # the query cost counts pages as at most this long
_BIGINT = 2**63 - 1


def _kind_enum() -> type[graphene.Enum]:
    """The kinds every module registered (apps.content.kinds): a module adding a kind adds a value."""
    registered = kinds.all_kinds()
    if not registered:
        raise ImproperlyConfigured("The GraphQL schema was built before the content kinds were collected.")
    return graphene.Enum(
        "ContentKind",
        [(slug.upper(), slug) for slug in registered],
        description="The kind of a node; a kind whose module is off for the site is refused.",
    )


ContentKind = _kind_enum()
ContentStatus = graphene.Enum(
    "ContentStatus", [(s.name, s.value) for s in Status], description="Where a node is in its workflow."
)
ContentBodyFormat = graphene.Enum(
    "ContentBodyFormat", [(f.name, f.value) for f in BodyFormat], description="How a node's body is written."
)
ContentTransition = graphene.Enum(
    "ContentTransition",
    [(name.upper(), name) for name in services.TRANSITIONS],
    description="A step of the workflow: submit, reject, publish, unpublish, archive, unarchive.",
)
ContentNodeOrder = graphene.Enum(
    "ContentNodeOrder",
    [
        (f"{name.upper()}{suffix}", f"{sign}{name}")
        for name in ("published_at", "created_at", "updated_at", "position", "id")
        for sign, suffix in (("", ""), ("-", "_DESC"))
    ],
    description="An order of node lists; several may be combined.",
)


def _value(choice):
    """The plain value of an enum member (Django choices, graphene enums), else the value itself."""
    return getattr(choice, "value", choice)


# --- per-request state: the language of each root field, the loaders of relations ------------


def _use_language(info, lang: str | None) -> str | None:
    """Check the `lang` argument of a root field; everything below that field is shown in it."""
    if lang is None:
        return None
    if lang not in language_codes():
        raise InvalidInput.for_field(
            "lang", f"Unknown language '{lang}'. Known: {', '.join(language_codes())}."
        )
    return lang


def _override(language: str | None):
    return translation.override(language) if language else contextlib.nullcontext()


def _shown_in(info):
    """Activate the `lang` of the root field this value belongs to, if it was given one."""
    return _override(root_argument(info, "lang"))


def _translated(field: str, **options) -> graphene.String:
    """A translated model field, read in the shown language with the site's fallback (a reader's
    ReadNode holds it in its language already)."""

    def resolve(obj, info):
        if isinstance(obj, ReadNode):
            return getattr(obj, field)
        with _shown_in(info):
            return getattr(obj, field)

    return graphene.String(required=True, resolver=resolve, **options)


def _shown_language(info, obj, field: str) -> str:
    with _shown_in(info):
        return shown_language(obj, field)


def _can(info, perm: str) -> bool:
    """Whether the user holds `perm` (without an object), asked once per request."""
    user = info.context.user
    return remembered(("content.graphql.can", perm, user.pk), lambda: can(user, perm))


def _is_staff(info) -> bool:
    return _can(info, "content.view_node")


def _visible_nodes(request, ids) -> dict:
    nodes = selectors.visible_nodes(user=request.user, tenant=request.tenant)
    return nodes.in_bulk(ids)


def _visible_children(request, parent_ids) -> dict:
    nodes = selectors.visible_nodes(user=request.user, tenant=request.tenant)
    return selectors.children_of_nodes(nodes, parent_ids)


# Relations are read by these loaders (rustok.dataloaders): one query for all the values a query
# asks at one level, whatever the length of the list they are in.
visible_node = Loader("content.visible_node", _visible_nodes)
visible_children = Loader("content.visible_children", _visible_children, default=list)
node_categories = Loader(
    "content.node_categories", lambda request, ids: selectors.categories_of_nodes(ids), default=list
)
node_tags = Loader("content.node_tags", lambda request, ids: selectors.tags_of_nodes(ids), default=list)
node_revisions = Loader(
    "content.node_revisions", lambda request, ids: selectors.revisions_of_nodes(ids), default=list
)
category = Loader("content.category", lambda request, ids: Category.objects.in_bulk(ids))
tag = Loader("content.tag", lambda request, ids: Tag.objects.in_bulk(ids))
category_children = Loader(
    "content.category_children", lambda request, ids: selectors.children_of_categories(ids), default=list
)


def _user(info, pk):
    return users_by_id.load(info, pk) if pk is not None else None


def _terms(info, loader: Loader, listed: list[dict]):
    """The categories or tags a reader's document lists, by id (one query for a whole page); one
    deleted since the document was written is left out."""
    return loader.load_many(info, [term["id"] for term in listed]).then(
        lambda terms: [term for term in terms if term is not None]
    )


# --- types ------------------------------------------------------------------------------------


class ContentAuthor(graphene.ObjectType):
    """Who wrote a node or a revision, as readers see them."""

    id = graphene.ID(required=True)
    display_name = graphene.String(required=True)


def _text_types(name: str, fields: tuple[str, ...]) -> tuple[type, type]:
    """The type of one language's stored text (no fallback; "" where missing), and the input type
    writers send it in (only the fields given change; "" or null clears one)."""
    language = {"language": graphene.String(required=True)}
    stored = {field: graphene.String(required=True) for field in fields}
    given = {field: graphene.String() for field in fields}
    return (
        type(name, (graphene.ObjectType,), {**language, **stored}),
        type(f"{name}Input", (graphene.InputObjectType,), {**language, **given}),
    )


ContentTranslation, ContentTranslationInput = _text_types("ContentTranslation", WRITABLE_TEXT)
ContentCategoryTranslation, ContentCategoryTranslationInput = _text_types(
    "ContentCategoryTranslation", CATEGORY_FIELDS
)
ContentTagTranslation, ContentTagTranslationInput = _text_types("ContentTagTranslation", TAG_FIELDS)


def _translations(obj, fields) -> list[dict]:
    return [{"language": code, **values} for code, values in translations(obj, fields).items()]


class ContentCategory(graphene.ObjectType):
    """A category of the site's tree; text in the shown language."""

    id = graphene.ID(required=True)
    name = _translated("name")
    slug = _translated("slug")
    description = _translated("description")
    language = graphene.String(required=True, description="The language the name is shown in.")
    parent_id = graphene.ID()
    parent = graphene.Field(lambda: ContentCategory, description="The category this one is under.")
    position = graphene.Int(required=True)
    children = graphene.List(
        graphene.NonNull(lambda: ContentCategory), required=True, description="Subcategories, in order."
    )
    translations = graphene.List(graphene.NonNull(ContentCategoryTranslation), required=True)

    @staticmethod
    def resolve_language(category, info):
        return _shown_language(info, category, "name")

    @staticmethod
    def resolve_parent(obj, info):
        return category.load(info, obj.parent_id) if obj.parent_id is not None else None

    @staticmethod
    def resolve_children(obj, info):
        return category_children.load(info, obj.pk)

    @staticmethod
    def resolve_translations(category, info):
        return _translations(category, CATEGORY_FIELDS)


class ContentTag(graphene.ObjectType):
    """A free label of nodes; text in the shown language."""

    id = graphene.ID(required=True)
    name = _translated("name")
    slug = _translated("slug")
    language = graphene.String(required=True, description="The language the name is shown in.")
    translations = graphene.List(graphene.NonNull(ContentTagTranslation), required=True)

    @staticmethod
    def resolve_language(tag, info):
        return _shown_language(info, tag, "name")

    @staticmethod
    def resolve_translations(tag, info):
        return _translations(tag, TAG_FIELDS)


def _draft_text(field: str, **options) -> graphene.String:
    """A translated field of a node's unpublished changes (a selectors.Draft), in the shown language."""

    def resolve(draft, info):
        with _shown_in(info):
            return getattr(draft.node, field)

    return graphene.String(required=True, resolver=resolve, **options)


class ContentNodeDraft(graphene.ObjectType):
    """The unpublished changes of a published node: its content as it will be once they are
    published (`transitionContentNode(transition: PUBLISH)`), text in the shown language."""

    revision = graphene.Int(required=True, description="The revision holding them.")
    saved_at = graphene.DateTime(required=True)
    saved_by = graphene.Field(ContentAuthor)
    title = _draft_text("title")
    slug = _draft_text("slug")
    excerpt = _draft_text("excerpt")
    body = _draft_text("body", description="The text as written, in `bodyFormat`.")
    seo_title = _draft_text("seo_title")
    seo_description = _draft_text("seo_description")
    language = graphene.String(required=True, description="The language the text is shown in.")
    body_format = graphene.Field(ContentBodyFormat, required=True)
    parent_id = graphene.ID()
    position = graphene.Int(required=True)
    show_in_menus = graphene.Boolean(required=True)
    category_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)
    tag_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)
    featured_image = graphene.String(description="The address of the featured image.")
    translations = graphene.List(graphene.NonNull(ContentTranslation), required=True)

    # The resolvers get a selectors.Draft; its text is read from the draft's copy of the node.
    @staticmethod
    def resolve_revision(draft, info):
        return draft.revision.number

    @staticmethod
    def resolve_saved_at(draft, info):
        return draft.revision.created_at

    @staticmethod
    def resolve_saved_by(draft, info):
        return draft.revision.author

    @staticmethod
    def resolve_language(draft, info):
        return _shown_language(info, draft.node, "title")

    @staticmethod
    def resolve_body_format(draft, info):
        return _value(draft.node.body_format)

    @staticmethod
    def resolve_parent_id(draft, info):
        return draft.node.parent_id

    @staticmethod
    def resolve_position(draft, info):
        return draft.node.position

    @staticmethod
    def resolve_show_in_menus(draft, info):
        return draft.node.show_in_menus

    @staticmethod
    def resolve_category_ids(draft, info):
        return draft.categories

    @staticmethod
    def resolve_tag_ids(draft, info):
        return draft.tags

    @staticmethod
    def resolve_featured_image(draft, info):
        image = draft.node.featured_image
        return info.context.build_absolute_uri(image.url) if image else None

    @staticmethod
    def resolve_translations(draft, info):
        return _translations(draft.node, WRITABLE_TEXT)


class ContentRendition(graphene.ObjectType):
    """One WebP copy of an image, in one width."""

    url = graphene.String(required=True)
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)
    type = graphene.String(required=True, description="image/webp")


class ContentPicture(graphene.ObjectType):
    """The featured image at its own size, and its WebP renditions narrowest first (made when the
    node is published: none yet for an image only drafts or unpublished changes show)."""

    url = graphene.String(required=True)
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)
    renditions = graphene.List(graphene.NonNull(ContentRendition), required=True)


class ContentNode(graphene.ObjectType):
    """A page, post or other content node, its text in the shown language (the live version of a
    published node; editors also get its unpublished changes, `draft`)."""

    id = graphene.ID(required=True)
    kind = graphene.Field(ContentKind, required=True)
    title = _translated("title")
    slug = _translated("slug")
    excerpt = _translated("excerpt")
    body = _translated("body", description="The text as written, in `bodyFormat`.")
    body_html = _translated("body_html", description="The body rendered to sanitised HTML.")
    body_format = graphene.Field(ContentBodyFormat, required=True)
    seo_title = _translated("seo_title")
    seo_description = _translated("seo_description")
    language = graphene.String(required=True, description="The language the text is shown in.")
    languages = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="The languages the node has a title in."
    )
    url = graphene.String(required=True, description="Where readers find the node once published.")
    status = graphene.Field(ContentStatus, required=True)
    published_at = graphene.DateTime()
    publish_at = graphene.DateTime(description="When the node is scheduled to be published.")
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    position = graphene.Int(required=True)
    parent_id = graphene.ID()
    parent = graphene.Field(
        lambda: ContentNode, description="The node this one is under, if the user may read it."
    )
    children = graphene.List(
        graphene.NonNull(lambda: ContentNode),
        required=True,
        description="The nodes under this one that the user may read, in their order among siblings.",
    )
    show_in_menus = graphene.Boolean(required=True, description="Whether the site's menu links to the page.")
    author = graphene.Field(ContentAuthor)
    categories = graphene.List(graphene.NonNull(ContentCategory), required=True)
    tags = graphene.List(graphene.NonNull(ContentTag), required=True)
    revisions = graphene.List(
        graphene.NonNull(lambda: ContentRevision),
        description="The node's revisions, newest first (editors and admins only).",
    )
    featured_image = graphene.String(description="The address of the featured image.")
    picture = graphene.Field(ContentPicture, description="The featured image with its renditions.")
    translations = graphene.List(
        graphene.NonNull(ContentTranslation), description="Every language's text (editors and admins only)."
    )
    preview_url = graphene.String(description="A signed, expiring preview link (editors and admins only).")
    allowed_transitions = graphene.List(
        graphene.NonNull(ContentTransition),
        description="The steps the node's status allows (editors and admins only).",
    )
    has_unpublished_changes = graphene.Boolean(
        description="Whether the node is live with changes readers do not see yet (editors and admins only)."
    )
    draft = graphene.Field(
        ContentNodeDraft, description="The unpublished changes (editors and admins only; null when none)."
    )

    @staticmethod
    def resolve_body_format(node, info):
        return _value(node.body_format)

    @staticmethod
    def resolve_status(node, info):
        return _value(node.status)

    @staticmethod
    def resolve_kind(node, info):
        return node.kind

    # A reader's node is a ReadNode (apps.content.schema.documents), already in its language:
    # what differs from a node's is read from its document.
    @staticmethod
    def resolve_language(node, info):
        if isinstance(node, ReadNode):
            return node.language
        return _shown_language(info, node, "title")

    @staticmethod
    def resolve_languages(node, info):
        if isinstance(node, ReadNode):
            return node.languages
        return [code for code in language_codes() if getattr(node, column("title", code))]

    @staticmethod
    def resolve_url(node, info):
        if isinstance(node, ReadNode):
            return node.url
        kind = kinds.all_kinds().get(node.kind)
        if kind is None:
            return ""
        with _shown_in(info):
            slug = node.slug
        return kind.url(slug, _shown_language(info, node, "title"))

    @staticmethod
    def resolve_author(node, info):
        if isinstance(node, ReadNode):
            return ContentAuthor(id=node.author_id, display_name=node.author_name) if node.author_id else None
        return _user(info, node.author_id)

    @staticmethod
    def resolve_parent(node, info):
        if isinstance(node, ReadNode):
            return parent_of(info, node)
        return visible_node.load(info, node.parent_id) if node.parent_id is not None else None

    @staticmethod
    def resolve_children(node, info):
        if isinstance(node, ReadNode):
            return children_of(info, node)
        return visible_children.load(info, node.pk)

    @staticmethod
    def resolve_categories(node, info):
        if isinstance(node, ReadNode):
            return _terms(info, category, node.data["categories"])
        return node_categories.load(info, node.pk)

    @staticmethod
    def resolve_tags(node, info):
        if isinstance(node, ReadNode):
            return _terms(info, tag, node.data["tags"])
        return node_tags.load(info, node.pk)

    @staticmethod
    def resolve_revisions(node, info):
        return node_revisions.load(info, node.pk) if _can(info, "content.view_revision") else None

    @staticmethod
    def resolve_featured_image(node, info):
        image = node.image if isinstance(node, ReadNode) else node.featured_image and node.featured_image.url
        return info.context.build_absolute_uri(image) if image else None

    @staticmethod
    def resolve_picture(node, info):
        described = node.picture if isinstance(node, ReadNode) else selectors.picture_of(node)
        return renditions.absolute(described, info.context.build_absolute_uri)  # read as a dict

    @staticmethod
    def resolve_translations(node, info):
        return _translations(node, WRITABLE_TEXT) if _is_staff(info) else None

    @staticmethod
    def resolve_preview_url(node, info):
        return info.context.build_absolute_uri(preview_url(node)) if _is_staff(info) else None

    @staticmethod
    def resolve_allowed_transitions(node, info):
        return selectors.allowed_steps(info.context.user, node) if _is_staff(info) else None

    @staticmethod
    def resolve_has_unpublished_changes(node, info):
        return node.has_unpublished_changes if _is_staff(info) else None

    @staticmethod
    def resolve_draft(node, info):
        return selectors.draft_of(node) if _is_staff(info) else None


class ContentNodeConnection(relay.Connection):
    """A page of nodes; cursors are opaque and valid for the same filters and order."""

    class Meta:
        node = ContentNode

    total_count = graphene.Int(required=True, description="How many nodes match, on all pages.")


class ContentRevision(graphene.ObjectType):
    """One saved state of a node: who saved it, when, and which fields changed."""

    number = graphene.Int(required=True)
    action = graphene.String(required=True)
    status = graphene.Field(ContentStatus, required=True)
    created_at = graphene.DateTime(required=True)
    author = graphene.Field(ContentAuthor)
    changed = graphene.List(graphene.NonNull(graphene.String), required=True)
    message = graphene.String(required=True)

    @staticmethod
    def resolve_status(revision, info):
        return _value(revision.status)

    @staticmethod
    def resolve_author(revision, info):
        return _user(info, revision.author_id)


class ContentRevisionChange(graphene.ObjectType):
    """One field that differs between two revisions."""

    field = graphene.String(required=True, description="A column (`title_ru`) or `categories`, `tags`, ...")
    old = GenericScalar()
    new = GenericScalar()


class ContentRevisionComparison(graphene.ObjectType):
    """How revision `new` of a node differs from revision `old`."""

    old = graphene.Int(required=True)
    new = graphene.Int(required=True)
    changes = graphene.List(graphene.NonNull(ContentRevisionChange), required=True)
