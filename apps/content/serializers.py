"""REST shapes of content: nodes (read and write), revisions, categories and tags.

Text is read in the active language (`?lang=`, Accept-Language, else the site's), with the site's
fallback; `language` says which language the text actually is in. A node's fields are its live
version; editors also get the unpublished changes of a published node under `draft`. Writers
send the text of one language as plain fields (`title`, `body`, ... in `language`, default the
active one) and any other languages under `translations`: {"ru": {"title": "..."}}.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.content import kinds, selectors
from apps.content.models import BodyFormat, Category, Node, Revision, Status, Tag
from apps.content.selectors import readers_see_drafts
from apps.content.services import WRITABLE_TEXT
from apps.content.translation import CATEGORY_FIELDS, TAG_FIELDS
from rustok import renditions
from rustok.api import serializers as strict
from rustok.api.texts import split_texts
from rustok.i18n import language_codes
from rustok.texts import column, shown_language, translations
from rustok.tree import MAX_POSITION


class AuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class CategoryRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug"]


class TagRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name", "slug"]


def _image_url(serializer, image) -> str | None:
    if not image:
        return None
    request = serializer.context.get("request")
    return request.build_absolute_uri(image.url) if request else image.url


def _picture(serializer, described: dict | None) -> dict | None:
    request = serializer.context.get("request")
    return renditions.absolute(described, request.build_absolute_uri) if request else described


class RenditionSerializer(serializers.Serializer):
    """One WebP copy of an image, in one width."""

    url = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    type = serializers.CharField(help_text="image/webp")


class PictureSerializer(serializers.Serializer):
    """The featured image at its own size, and its WebP renditions narrowest first (made when the
    node is published: none yet for an image only drafts or unpublished changes show)."""

    url = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    renditions = RenditionSerializer(many=True)


class DraftSerializer(serializers.Serializer):
    """The unpublished changes of a published node: its content as it will be once they are
    published (`POST .../publish/`), text in the shown language with the site's fallback."""

    revision = serializers.IntegerField(source="revision.number", help_text="The revision holding them.")
    saved_at = serializers.DateTimeField(source="revision.created_at")
    saved_by = AuthorSerializer(source="revision.author", allow_null=True)
    language = serializers.SerializerMethodField()
    title = serializers.CharField(source="node.title")
    slug = serializers.CharField(source="node.slug")
    excerpt = serializers.CharField(source="node.excerpt")
    body = serializers.CharField(source="node.body")
    seo_title = serializers.CharField(source="node.seo_title")
    seo_description = serializers.CharField(source="node.seo_description")
    body_format = serializers.CharField(source="node.body_format")
    parent = serializers.IntegerField(source="node.parent_id", allow_null=True)
    position = serializers.IntegerField(source="node.position")
    show_in_menus = serializers.BooleanField(source="node.show_in_menus")
    categories = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of categories.")
    tags = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of tags.")
    featured_image = serializers.SerializerMethodField()
    translations = serializers.SerializerMethodField()

    def get_language(self, draft) -> str:
        return shown_language(draft.node)

    def get_featured_image(self, draft) -> str | None:
        return _image_url(self, draft.node.featured_image)

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "object"}})
    def get_translations(self, draft):
        return translations(draft.node, WRITABLE_TEXT)


class NodeSerializer(serializers.ModelSerializer):
    """A node as readers see it (the live version of a published one); editors also get every
    translation, the possible transitions and the unpublished changes."""

    language = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()
    author = AuthorSerializer(read_only=True, allow_null=True)
    categories = CategoryRefSerializer(many=True, read_only=True)
    tags = TagRefSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()
    featured_image = serializers.SerializerMethodField()
    picture = serializers.SerializerMethodField()
    translations = serializers.SerializerMethodField()
    allowed_transitions = serializers.SerializerMethodField()
    has_unpublished_changes = serializers.SerializerMethodField()
    draft = serializers.SerializerMethodField()

    class Meta:
        model = Node
        fields = [
            "id", "kind", "status", "language", "languages", "title", "slug", "excerpt", "body",
            "body_html", "body_format", "seo_title", "seo_description", "author", "categories", "tags",
            "parent", "position", "show_in_menus", "featured_image", "picture", "url", "published_at",
            "publish_at",
            "created_at", "updated_at", "translations", "allowed_transitions", "has_unpublished_changes",
            "draft",
        ]  # fmt: skip
        read_only_fields = fields

    def _staff(self) -> bool:
        if "staff" not in self.context:
            request = self.context.get("request")
            self.context["staff"] = readers_see_drafts(getattr(request, "user", None))
        return self.context["staff"]

    def get_language(self, node) -> str:
        return shown_language(node)

    def get_languages(self, node) -> list[str]:
        """The languages the node has a title in."""
        return [code for code in language_codes() if getattr(node, column("title", code))]

    def get_url(self, node) -> str:
        kind = kinds.all_kinds().get(node.kind)
        return kind.url(node.slug, shown_language(node)) if kind else ""

    def get_featured_image(self, node) -> str | None:
        return _image_url(self, node.featured_image)

    @extend_schema_field(PictureSerializer(allow_null=True))
    def get_picture(self, node):
        """The featured image with the renditions made of it so far (null without one)."""
        return _picture(self, selectors.picture_of(node))

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "additionalProperties": {"type": "object"},
            "example": {
                "en": {"title": "About us", "slug": "about-us"},
                "ru": {"title": "О нас", "slug": "о-нас"},
            },
        }
    )
    def get_translations(self, node):
        return translations(node, WRITABLE_TEXT) if self._staff() else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), allow_null=True))
    def get_allowed_transitions(self, node):
        """The transitions the node's status allows and the requesting user may make."""
        if not self._staff():
            return None
        return selectors.allowed_steps(self.context["request"].user, node)

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_has_unpublished_changes(self, node):
        """Whether the node is live with changes readers do not see yet (editors and admins)."""
        return node.has_unpublished_changes if self._staff() else None

    @extend_schema_field(DraftSerializer(allow_null=True))
    def get_draft(self, node):
        """The unpublished changes (editors and admins; null when there are none)."""
        draft = selectors.draft_of(node) if self._staff() else None
        return DraftSerializer(draft, context=self.context).data if draft else None


class ReadingSerializer(serializers.Serializer):
    """A published node as readers get it, from its document (apps.content.readings): the same
    fields as NodeSerializer gives them, with nothing computed per node but absolute addresses."""

    def to_representation(self, reading):
        data, detail = reading.data, reading.detail
        request = self.context.get("request")
        image = data["image"]
        author = {"id": data["author_id"], "display_name": data["author"]} if data["author_id"] else None
        return {
            "id": data["id"],
            "kind": data["kind"],
            "status": Status.PUBLISHED.value,
            "language": data["language"],
            "languages": data["languages"],
            "title": reading.title,
            "slug": data["slug"],
            "excerpt": data["excerpt"],
            "body": detail["body"],
            "body_html": detail["body_html"],
            "body_format": detail["body_format"],
            "seo_title": detail["seo_title"],
            "seo_description": detail["seo_description"],
            "author": author,
            "categories": [{"id": c["id"], "name": c["name"], "slug": c["slug"]} for c in data["categories"]],
            "tags": [{"id": t["id"], "name": t["name"], "slug": t["slug"]} for t in data["tags"]],
            "parent": data["parent"],
            "position": data["position"],
            "show_in_menus": data["show_in_menus"],
            "featured_image": (request.build_absolute_uri(image) if request else image) if image else None,
            "picture": _picture(self, data.get("picture")),
            "url": reading.url,
            "published_at": _datetime(reading.published_at),
            "publish_at": None,
            "created_at": _datetime(reading.created_at),
            "updated_at": _datetime(reading.updated_at),
            "translations": None,
            "allowed_transitions": None,
            "has_unpublished_changes": None,
            "draft": None,
        }


_datetime = serializers.DateTimeField().to_representation


class TranslationSerializer(strict.Serializer):
    """The text of one language; every field optional, "" clears it."""

    title = serializers.CharField(required=False, allow_blank=True, max_length=255)
    slug = serializers.CharField(required=False, allow_blank=True, max_length=255)
    excerpt = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    body = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    seo_title = serializers.CharField(required=False, allow_blank=True, max_length=255)
    seo_description = serializers.CharField(required=False, allow_blank=True, max_length=320)


class KindField(serializers.ChoiceField):
    """A kind of node that a module registered (apps.content.kinds); `only` narrows it to the
    one kind an endpoint writes (blog posts). A kind whose module is off is refused by the service."""

    default_error_messages = {
        "wrong_kind": _('Nodes of kind "{input}" are not written here: this endpoint writes {kinds}.'),
    }

    def __init__(self, *, only: str | None = None, **kwargs):
        self.only = only
        super().__init__(choices=self._kinds(), **kwargs)

    def _kinds(self) -> list[str]:
        return [self.only] if self.only else list(kinds.all_kinds())

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.choices = self._kinds()  # modules registered since the class was declared

    def to_internal_value(self, data):
        if isinstance(data, str) and data in kinds.all_kinds() and data not in self.choices:
            self.fail("wrong_kind", input=data, kinds=", ".join(self.choices))
        return super().to_internal_value(data)


class NodeWriteSerializer(TranslationSerializer):
    """What a writer sends to change a node (PUT and PATCH alike: only given fields change)."""

    unknown_field_hints = {
        "publish_at": _('Schedule with POST {"publish_at": ...} to the node\'s schedule/ address.'),
        "status": _("Change it with the workflow actions: POST to the node's submit/, publish/, ..."),
        "featured_image": _("Upload it with PUT to the node's image/ address."),
    }

    kind = KindField(required=False, help_text="The node's kind; it cannot change.")
    language = serializers.ChoiceField(
        choices=[(c, c) for c in language_codes()],
        required=False,
        help_text="The language of the plain text fields (default: the request's language).",
    )
    translations = serializers.DictField(
        child=TranslationSerializer(), required=False, help_text="Text in other languages: {lang: {...}}."
    )
    body_format = serializers.ChoiceField(choices=BodyFormat.choices, required=False)
    parent = serializers.PrimaryKeyRelatedField(queryset=Node.objects.all(), required=False, allow_null=True)
    position = serializers.IntegerField(required=False, min_value=0, max_value=MAX_POSITION)
    show_in_menus = serializers.BooleanField(
        required=False, help_text="Pages only: link the page from the site's menu once published."
    )
    categories = strict.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), many=True, required=False, help_text="Ids of categories."
    )
    tags = strict.PrimaryKeyRelatedField(
        queryset=Tag.objects.all(), many=True, required=False, help_text="Ids of tags."
    )

    def validate_translations(self, value):
        unknown = sorted(set(value) - set(language_codes()))
        if unknown:
            raise serializers.ValidationError(
                f"Unknown language(s) {', '.join(unknown)}. Known: {', '.join(language_codes())}."
            )
        return value

    def service_arguments(self) -> tuple[str, dict]:
        """(language of the plain fields, keyword arguments for create_node / update_node)."""
        return split_texts(self.validated_data, WRITABLE_TEXT)


class NodeCreateSerializer(NodeWriteSerializer):
    """A new draft: its kind, and a title in at least one language (`title` or a translation's)."""

    kind = KindField(required=True, help_text="The kind of node; a kind whose module is off is refused.")


class ScheduleSerializer(strict.Serializer):
    publish_at = serializers.DateTimeField(allow_null=True, help_text="null cancels the schedule.")


class ImageSerializer(strict.Serializer):
    image = serializers.FileField(help_text="JPEG, PNG, GIF or WebP; checked by content, not by name.")


class RevisionSerializer(serializers.ModelSerializer):
    author = AuthorSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Revision
        fields = ["number", "action", "status", "author", "created_at", "changed", "message"]


class RevisionDetailSerializer(RevisionSerializer):
    class Meta(RevisionSerializer.Meta):
        fields = [*RevisionSerializer.Meta.fields, "data"]


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class CompareSerializer(serializers.Serializer):
    old = serializers.IntegerField()
    new = serializers.IntegerField()
    changes = ChangeSerializer(many=True)


class CategorySerializer(serializers.ModelSerializer):
    language = serializers.SerializerMethodField()
    translations = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = ["id", "name", "slug", "description", "language", "parent", "position", "translations"]

    def get_language(self, category) -> str:
        return shown_language(category, "name")

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "object"}})
    def get_translations(self, category):
        return translations(category, CATEGORY_FIELDS)


class TagSerializer(serializers.ModelSerializer):
    language = serializers.SerializerMethodField()
    translations = serializers.SerializerMethodField()

    class Meta:
        model = Tag
        fields = ["id", "name", "slug", "language", "translations"]

    def get_language(self, tag) -> str:
        return shown_language(tag, "name")

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "object"}})
    def get_translations(self, tag):
        return translations(tag, TAG_FIELDS)


class TagTextSerializer(strict.Serializer):
    """The text of a tag in one language; every field optional, "" clears it."""

    name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    slug = serializers.CharField(required=False, allow_blank=True, max_length=120)


class CategoryTextSerializer(TagTextSerializer):
    """The text of a category in one language."""

    description = serializers.CharField(required=False, allow_blank=True)


class TagWriteSerializer(TagTextSerializer):
    """A tag: text in `language` plus other `translations`."""

    language = serializers.ChoiceField(choices=[(c, c) for c in language_codes()], required=False)
    translations = serializers.DictField(child=TagTextSerializer(), required=False)

    def service_arguments(self, fields) -> tuple[str, dict]:
        """(language of the plain fields, keyword arguments for the category or tag service)."""
        return split_texts(self.validated_data, fields, given=("name", "slug", "description"))


class CategoryWriteSerializer(CategoryTextSerializer, TagWriteSerializer):
    """A category: text in `language` plus other `translations`, its parent and position."""

    translations = serializers.DictField(child=CategoryTextSerializer(), required=False)
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), required=False, allow_null=True
    )
    position = serializers.IntegerField(required=False, min_value=0, max_value=MAX_POSITION)
