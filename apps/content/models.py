"""Tables of the content module (tenant schema): nodes, their revisions, categories and tags.

Text fields marked translated in translation.py exist once per language (`title_en`,
`title_ru`, ...); reading `node.title` gives the active language with the site's fallback
(rustok.i18n). Only apps.content.services writes these tables.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from rustok.texts import unique_slug_per_language


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class BodyFormat(models.TextChoices):
    MARKDOWN = "markdown", _("Markdown")
    HTML = "html", _("HTML")


class Category(models.Model):
    """A category of the site's tree of categories; names and slugs are translated."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = unique_slug_per_language("content_category")

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"


class Tag(models.Model):
    """A free label of nodes; names and slugs are translated."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, allow_unicode=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = unique_slug_per_language("content_tag")

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"


def image_path(node: Node, filename: str) -> str:
    """Uploads get a fresh name (never the uploader's) under the tenant's media root."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"content/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Node(models.Model):
    """A page, post or other kind of content, with its workflow status.

    Status is a state machine (see the transitions below): draft → in_review → published →
    archived; published → draft (unpublish); archived → draft (unarchive); in_review → draft
    (reject). Only published nodes are shown to readers.

    The row of a published node is its live version, what readers see. Editing it keeps the
    changes in a revision instead (`draft_revision`, Wagtail's model) until they are published
    (the `publish` transition again) or discarded; drafts are written in the row itself.
    """

    kind = models.CharField(_("kind"), max_length=32, db_index=True)
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, allow_unicode=True)
    excerpt = models.TextField(_("excerpt"), blank=True)
    body = models.TextField(_("body"), blank=True)
    body_format = models.CharField(
        _("body format"), max_length=16, choices=BodyFormat.choices, default=BodyFormat.MARKDOWN
    )
    # The body rendered to HTML and sanitised, kept in step by the services; what pages show.
    body_html = models.TextField(_("body (HTML)"), blank=True, editable=False)
    # Derived from body_html and the excerpt when they are written, so no reader parses HTML:
    # the body's plain text, the summary lists show (the excerpt, else the start of the text) and
    # the minutes it takes to read (None without a body in that language: the fallback's shows).
    body_text = models.TextField(_("body (text)"), blank=True, editable=False)
    summary = models.TextField(_("summary"), blank=True, editable=False)
    reading_time = models.PositiveSmallIntegerField(_("reading time"), null=True, blank=True, editable=False)
    seo_title = models.CharField(_("SEO title"), max_length=255, blank=True)
    seo_description = models.CharField(_("SEO description"), max_length=320, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="content_nodes",
    )
    status = FSMField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    publish_at = models.DateTimeField(
        _("publish at"), null=True, blank=True, help_text=_("Publish automatically at this time.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    # The pending changes of a published node: the revision holding its content as it will be
    # once they are published (None: no changes, or not published).
    draft_revision = models.ForeignKey(
        "Revision",
        verbose_name=_("unpublished changes"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    show_in_menus = models.BooleanField(
        _("show in menus"),
        default=False,
        help_text=_(
            "Whether the site's menu links to this page once it is published "
            "(under its parent, when the parent is in the menu too)."
        ),
    )
    featured_image = models.ImageField(_("featured image"), upload_to=image_path, blank=True)
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), blank=True, related_name="nodes"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="nodes")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("content node")
        verbose_name_plural = _("content nodes")
        indexes = [
            models.Index(fields=["kind", "status", "-published_at"], name="content_node_listing"),
            models.Index(fields=["status", "publish_at"], name="content_node_due"),
            models.Index(fields=["parent", "position"], name="content_node_tree"),
        ]
        constraints = unique_slug_per_language("content_node", "kind")

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    # --- the state machine (applied by services through rustok.workflow.apply) ------------------
    @transition(field=status, source=Status.DRAFT, target=Status.IN_REVIEW)
    def submit(self) -> None:
        """Ask for review."""

    @transition(field=status, source=Status.IN_REVIEW, target=Status.DRAFT)
    def reject(self) -> None:
        """Send back to the author as a draft."""

    @transition(
        field=status,
        source=[Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED],
        target=Status.PUBLISHED,
        conditions=[lambda node: node.has_something_to_publish],
    )
    def publish(self, *, at=None) -> None:
        """Show to readers; a published node, its unpublished changes (the services apply them).
        The first publication date is kept when publishing again."""
        self.published_at = self.published_at or at or timezone.now()
        self.publish_at = None

    @transition(field=status, source=Status.PUBLISHED, target=Status.DRAFT)
    def unpublish(self) -> None:
        """Hide from readers, back to a draft."""

    @transition(field=status, source=Status.PUBLISHED, target=Status.ARCHIVED)
    def archive(self) -> None:
        """Hide from readers and keep for the record."""

    @transition(field=status, source=Status.ARCHIVED, target=Status.DRAFT)
    def unarchive(self) -> None:
        """Take out of the archive as a draft."""

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def has_unpublished_changes(self) -> bool:
        """Whether the node is live with changes readers do not see yet."""
        return self.draft_revision_id is not None

    @property
    def has_something_to_publish(self) -> bool:
        """A draft or a node in review, or a published node with unpublished changes."""
        return self.status != Status.PUBLISHED or self.has_unpublished_changes


class Revision(models.Model):
    """One saved state of a node: who saved it, when, what changed, and the content then."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        RESTORED = "restored", _("Restored")
        SUBMITTED = "submitted", _("Submitted for review")
        REJECTED = "rejected", _("Sent back")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")
        ARCHIVED = "archived", _("Archived")
        UNARCHIVED = "unarchived", _("Taken out of the archive")
        SCHEDULED = "scheduled", _("Scheduled")
        UNSCHEDULED = "unscheduled", _("Schedule cancelled")
        DRAFT_SAVED = "draft_saved", _("Changes saved, not published")
        DISCARDED = "discarded", _("Unpublished changes discarded")

    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("number"))
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    changed = models.JSONField(_("changed fields"), default=list, blank=True)
    message = models.CharField(_("message"), max_length=255, blank=True)
    data = models.JSONField(_("content"), default=dict)

    class Meta:
        ordering = ["node", "-number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(fields=["node", "number"], name="content_revision_number_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.node_id} #{self.number}"


class PageManager(models.Manager):
    """Only nodes of kind `page`."""

    def get_queryset(self):
        return super().get_queryset().filter(kind="page")


class Page(Node):
    """Pages: content nodes of kind `page` (a proxy, for the admin)."""

    objects = PageManager()

    class Meta:
        proxy = True
        verbose_name = _("page")
        verbose_name_plural = _("pages")
