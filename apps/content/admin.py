"""Content in the admin of each tenant host: pages, categories and tags, with translation tabs.

The admin only collects input: every write goes through apps.content.services, so the rules,
revisions and events are the same as over REST or GraphQL. A service refusing a save is shown on
the form it came from (the form is rendered again with the editor's input and the service's
errors on their fields); refusals of list actions and of the workflow buttons become messages.
What a user may see and do is asked of the rules, per object (`request.user.has_perm(perm, obj)`).

Translated fields are shown as one fieldset per language; static/rustok/translation_tabs.js
turns those fieldsets into tabs, and without it they simply stay stacked.

A published node's form edits its unpublished changes (the form shows them when there are
any): saving keeps them for later, and the node's page offers to publish them, preview them or
discard them, while readers keep the live version.

Other modules give their kinds of node an admin by subclassing NodeAdmin (blog: posts).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import model_ngettext, unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from apps.content import kinds, selectors, services
from apps.content.models import BodyFormat, Category, Node, Page, Revision, Tag
from apps.content.preview import preview_url
from apps.content.services import WRITABLE_TEXT
from apps.content.translation import CATEGORY_FIELDS, TAG_FIELDS
from rustok.admin import (
    ObjectPermissionsModelAdmin,
    ServiceRefusal,
    TranslatedFields,
    TreeListed,
    WritesThroughServices,
    language_fieldsets,
    refusals,
)
from rustok.admin import ServiceForm as BaseServiceForm
from rustok.errors import DomainError
from rustok.i18n import language_codes
from rustok.permissions import can
from rustok.texts import column, texts_from

# What the workflow buttons and list actions are called, and what a message says was done.
TRANSITION_LABELS = {
    "submit": (_("Submit for review"), _("submitted for review")),
    "reject": (_("Send back to the author"), _("sent back to the author")),
    "publish": (_("Publish"), _("published")),
    "unpublish": (_("Unpublish"), _("unpublished")),
    "archive": (_("Archive"), _("archived")),
    "unarchive": (_("Take out of the archive"), _("taken out of the archive")),
}
PUBLISH_CHANGES = (_("Publish changes"), _("published with its changes"))
LIVE_WITH_CHANGES = _("Live, with unpublished changes")


def status_label(node: Node) -> str:
    """The node's status as the admin shows it: "Live, with unpublished changes" for a published
    node that has some."""
    return str(LIVE_WITH_CHANGES) if node.has_unpublished_changes else node.get_status_display()


class ServiceForm(BaseServiceForm):
    """The content admins' forms: the kernel's ServiceForm; uniqueness is the service's."""

    def validate_unique(self):
        """Uniqueness (slugs) is checked by the service, with the same message on every interface."""


@admin.action(permissions=["delete"], description=_("Delete selected %(verbose_name_plural)s"))
def delete_selected(modeladmin, request, queryset):
    """Django's delete action (with its confirmation page), all or nothing: a refusal of the
    service for any of the objects deletes none and says why."""
    try:
        with transaction.atomic():
            return django_delete_selected(modeladmin, request, queryset)
    except ServiceRefusal as refusal:
        modeladmin.message_user(
            request, _("Nothing was deleted. %(reason)s") % {"reason": refusal}, messages.ERROR
        )
        return None


class ServiceModelAdmin(TranslatedFields, WritesThroughServices, ObjectPermissionsModelAdmin):
    """Base of the content admins: permissions from the rules, writes through the services.

    Subclasses implement `save_model`, `delete_model` and `delete_queryset` with services inside
    `with refusals():`; a refusal rolls the admin's transaction back and the form is shown
    again, with the service's errors on it.
    """

    form = ServiceForm
    actions = [delete_selected]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        parent = form.base_fields.get("parent")
        if obj is not None and parent is not None:
            # A tree's parent is never the object itself (the service refuses deeper cycles).
            parent.queryset = parent.queryset.exclude(pk=obj.pk)
        return form

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ServiceRefusal as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=[object_id],
                current_app=self.admin_site.name,
            )
            return HttpResponseRedirect(url)

    def save_related(self, request, form, formsets, change):
        """Relations are written by the service in save_model, never by the form."""

    def object_or_404(self, request, object_id):
        """The object the URL names, if it exists and the user may see it."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with ID {object_id!r}.")
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        return obj

    def admin_url(self, name: str, *args) -> str:
        """The address of this admin's page `name` (change, revisions, ...)."""
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}",
            args=args,
            current_app=self.admin_site.name,
        )


def _transition_action(name: str):
    def action(modeladmin, request, queryset):
        modeladmin.apply_transition(request, queryset, name)

    action.__name__ = f"{name}_selected"
    action.__doc__ = f"The list action '{name}', for the selected nodes."
    return admin.action(description=TRANSITION_LABELS[name][0])(action)


TRANSITION_ACTIONS = [_transition_action(name) for name in services.TRANSITIONS]


class NodeForm(ServiceForm):
    """The node form. The image is a plain upload handed to the service, which checks it by its
    content (apps.content.images), not by its name."""

    featured_image = forms.FileField(
        label=_("Featured image"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        shown = self.instance
        draft = selectors.draft_of(shown) if shown.pk else None
        if draft is not None:
            # A published node's form edits its unpublished changes: it starts from them.
            shown = draft.node
            names = [name for name in self.fields if name not in ("categories", "tags", "featured_image")]
            self.initial.update(forms.models.model_to_dict(shown, fields=names))
            self.initial.update(categories=draft.categories, tags=draft.tags)
        if "featured_image" in self.fields and shown.featured_image:
            self.initial["featured_image"] = shown.featured_image


class NodeAdmin(ServiceModelAdmin):
    """The admin of one kind of content node (`kind`): editing, workflow, revisions, preview."""

    kind: str
    translated = WRITABLE_TEXT
    slug_from = "title"
    change_form_template = "admin/content/node_change_form.html"
    actions = [delete_selected, *TRANSITION_ACTIONS]
    list_display = ["node_title", "node_status", "author", "published_at", "updated_at"]
    list_filter = [
        "status",
        "categories",
        "tags",
        ("author", admin.RelatedOnlyFieldListFilter),
        "published_at",
    ]
    list_select_related = ["author"]
    search_fields = [column("title", code) for code in language_codes()]
    ordering = ["-updated_at", "-id"]
    # Searchable pickers (the tag and category admins search by name): a page-wide two-list
    # selector would not fit a narrow screen.
    autocomplete_fields = ["categories", "tags"]
    status_fields = ["node_status", "publish_at", "published_at", "author_name", "created_at", "updated_at"]

    form = NodeForm

    @admin.display(description=_("title"))
    def node_title(self, node: Node) -> str:
        return str(node)

    @admin.display(description=_("status"), ordering="status")
    def node_status(self, node: Node) -> str:
        return status_label(node)

    @admin.display(description=_("author"))
    def author_name(self, node: Node) -> str:
        """Who wrote the node, by name: a link to their user page would be a 403 for editors."""
        return str(node.author) if node.author else "—"

    # --- what the user sees -----------------------------------------------------------------
    def hierarchical(self) -> bool:
        """Whether nodes of this kind have a parent and a position (a tree)."""
        return kinds.get(self.kind).hierarchical

    def get_fieldsets(self, request, obj=None):
        content = ["body_format", "featured_image", "categories", "tags"]
        if self.hierarchical():
            content += ["parent", "position", "show_in_menus"]
        fieldsets = [*language_fieldsets(self.translated), (_("Content"), {"fields": content})]
        if obj is not None:
            fieldsets.append((_("Publication"), {"fields": self.status_fields}))
        elif self.may_schedule(request, None):
            fieldsets.append((_("Publication"), {"fields": ["publish_at"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [f for f in self.status_fields if f != "publish_at" or not self.may_schedule(request, obj)]

    def get_exclude(self, request, obj=None):
        # The upload is the form's own field, handed to the service; never saved by the form.
        return ["featured_image"]

    def may_schedule(self, request, obj) -> bool:
        """Whether the user may set when the node (None: any node) is published."""
        return request.user.has_perm("content.schedule_node", obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Node.objects.filter(kind=self.kind).order_by("position", "id")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_actions(self, request):
        actions = super().get_actions(request)
        for name in services.TRANSITIONS:
            if not request.user.has_perm(f"content.{name}_node"):
                actions.pop(f"{name}_selected", None)
        return actions

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            may_see_revisions = can(request.user, "content.view_revision", obj)
            context.update(
                status_label=status_label(obj),
                workflow_actions=self.workflow_steps(request, obj),
                revisions_url=self.admin_url("revisions", obj.pk) if may_see_revisions else None,
                preview_link=self.preview_link(obj),
                **self.changes_links(request, obj, may_see_revisions),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changes_links(self, request, node: Node, may_see_revisions: bool) -> dict:
        """Where the Discard changes button posts, and the comparison of the unpublished changes
        with the live version (None where the node has none or the user may not)."""
        if not node.has_unpublished_changes:
            return {"discard_url": None, "compare_live_url": None}
        live = selectors.live_revision(node) if may_see_revisions else None
        compare = self.admin_url("revision_compare", node.pk)
        return {
            "discard_url": (
                self.admin_url("discard", node.pk) if can(request.user, "content.change_node", node) else None
            ),
            "compare_live_url": f"{compare}?a={live.number}&b={node.draft_revision.number}" if live else None,
        }

    def workflow_steps(self, request, node: Node) -> list[dict]:
        """The workflow buttons for `node`: the steps its status allows and the user may take."""
        allowed = set(selectors.allowed_steps(request.user, node))
        return [
            {
                "name": name,
                "label": self.transition_labels(node, name)[0],
                "url": self.admin_url("transition", node.pk, name),
            }
            for name in services.TRANSITIONS
            if name in allowed
        ]

    @staticmethod
    def transition_labels(node: Node, name: str) -> tuple[str, str]:
        """What the button of step `name` says, and what its message says was done: publishing a
        published node publishes its changes."""
        if name == "publish" and node.is_published:
            return PUBLISH_CHANGES
        return TRANSITION_LABELS[name]

    @staticmethod
    def preview_link(node: Node) -> str | None:
        """The node's preview address, while the storefront offers previews."""
        try:
            return preview_url(node)
        except NoReverseMatch:
            return None

    # --- writes ---------------------------------------------------------------------------------
    def save_model(self, request, obj, form, change):
        """Create or update the node through the services, then its image and its schedule."""
        data = form.cleaned_data
        changes = {
            name: data[name]
            for name in ("body_format", "parent", "position", "show_in_menus")
            if name in data
        }
        changes.update({name: list(data[name]) for name in ("categories", "tags") if name in data})
        texts = texts_from(self.translated, columns=data)
        with refusals():
            if change:
                node = services.update_node(actor=request.user, node=obj, texts=texts, **changes)
            else:
                node = services.create_node(actor=request.user, kind=self.kind, texts=texts, **changes)
        if "featured_image" in form.changed_data:
            with refusals("featured_image"):
                node = services.set_featured_image(
                    actor=request.user, node=node, upload=data.get("featured_image") or None
                )
        if "publish_at" in form.changed_data:
            with refusals("publish_at"):
                node = services.schedule_node(
                    actor=request.user, node=node, publish_at=data.get("publish_at")
                )
        if node.has_unpublished_changes:
            self.message_user(
                request,
                _("Readers keep seeing the live version until the changes are published."),
                messages.INFO,
            )
        obj.pk = node.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        with refusals():
            services.delete_node(actor=request.user, node=obj)

    def delete_queryset(self, request, queryset):
        for node in queryset:
            with refusals(about=node):
                services.delete_node(actor=request.user, node=node)

    def apply_transition(self, request, queryset, name: str) -> None:
        """Move each selected node through `name`; say what was done and what was refused."""
        done = 0
        for node in queryset:
            try:
                services.transition_node(actor=request.user, node=node, name=name)
            except DomainError as exc:
                self.message_user(request, f"{node}: {exc.detail}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                _("%(count)d %(items)s %(done)s.")
                % {
                    "count": done,
                    "items": model_ngettext(self.opts, done),
                    "done": TRANSITION_LABELS[name][1],
                },
                messages.SUCCESS,
            )

    # --- the node's own pages: workflow, revisions ----------------------------------------------
    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/transition/<str:name>/",
                wrap(self.transition_view),
                name=f"{info}_transition",
            ),
            path("<path:object_id>/discard/", wrap(self.discard_view), name=f"{info}_discard"),
            path("<path:object_id>/revisions/", wrap(self.revisions_view), name=f"{info}_revisions"),
            path(
                "<path:object_id>/revisions/compare/",
                wrap(self.compare_view),
                name=f"{info}_revision_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:number>/restore/",
                wrap(self.restore_view),
                name=f"{info}_revision_restore",
            ),
            *super().get_urls(),
        ]

    def transition_view(self, request, object_id, name):
        """POST: move the node through transition `name` (a workflow button)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if name not in services.TRANSITIONS:
            raise Http404(f"No transition '{name}'.")
        node = self.object_or_404(request, object_id)
        done = self.transition_labels(node, name)[1]
        try:
            node = services.transition_node(actor=request.user, node=node, name=name)
        except DomainError as exc:
            self.message_user(request, exc.detail, messages.ERROR)
        else:
            self.message_user(
                request, _("“%(node)s” %(done)s.") % {"node": node, "done": done}, messages.SUCCESS
            )
        return HttpResponseRedirect(self.admin_url("change", node.pk))

    def discard_view(self, request, object_id):
        """POST: drop the node's unpublished changes (the Discard changes button)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        node = self.object_or_404(request, object_id)
        try:
            node = services.discard_changes(actor=request.user, node=node)
        except DomainError as exc:
            self.message_user(request, exc.detail, messages.ERROR)
        else:
            self.message_user(
                request,
                _("The unpublished changes of “%(node)s” were discarded.") % {"node": node},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(self.admin_url("change", node.pk))

    def _revision_page(self, request, node, template: str, title: str, **context):
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": node,
                "title": title,
                "change_url": self.admin_url("change", node.pk),
                "may_restore": can(request.user, "content.restore_revision", node),
                **context,
            },
        )

    def _revisions_of(self, request, object_id):
        node = self.object_or_404(request, object_id)
        if not can(request.user, "content.view_revision", node):
            raise PermissionDenied
        return node, Revision.objects.filter(node_id=node.pk).select_related("author").order_by("-number")

    def revisions_view(self, request, object_id):
        """Every revision of the node, newest first, to compare two or restore one."""
        node, revisions = self._revisions_of(request, object_id)
        labels = field_labels()
        rows = [
            {
                "revision": revision,
                "changed": [labels.get(name, name) for name in revision.changed],
                "restore_url": self.admin_url("revision_restore", node.pk, revision.number),
            }
            for revision in revisions
        ]
        numbers = [row["revision"].number for row in rows]
        return self._revision_page(
            request,
            node,
            "admin/content/revisions.html",
            _("Revisions of “%(node)s”") % {"node": node},
            rows=rows,
            compare_url=self.admin_url("revision_compare", node.pk),
            newest=numbers[0] if numbers else None,
            previous=numbers[1] if len(numbers) > 1 else None,
        )

    def compare_view(self, request, object_id):
        """What changed between two revisions (`?a=` and `?b=`, their numbers): field, old, new."""
        node, _revisions = self._revisions_of(request, object_id)
        try:
            numbers = sorted({int(request.GET["a"]), int(request.GET["b"])})
        except (KeyError, ValueError):
            self.message_user(request, _("Choose two revisions to compare."), messages.WARNING)
            return HttpResponseRedirect(self.admin_url("revisions", node.pk))
        try:
            compared = selectors.compare_revisions(node, numbers[0], numbers[-1])
        except DomainError:
            raise Http404("No such revision.") from None
        old, new = compared.old, compared.new
        labels = field_labels()
        changes = [
            {
                "field": labels.get(change["field"], change["field"]),
                "old": display_value(change["field"], change["old"]),
                "new": display_value(change["field"], change["new"]),
            }
            for change in compared.changes
        ]
        return self._revision_page(
            request,
            node,
            "admin/content/revision_compare.html",
            _("Revision %(old)d compared with revision %(new)d") % {"old": old.number, "new": new.number},
            old=old,
            new=new,
            compared=[old, new],
            changes=changes,
            revisions_url=self.admin_url("revisions", node.pk),
            restore_url=self.admin_url("revision_restore", node.pk, old.number),
        )

    def restore_view(self, request, object_id, number):
        """POST: bring back the content of revision `number` (kept as a new revision)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        node, revisions = self._revisions_of(request, object_id)
        revision = revisions.filter(number=number).first()
        if revision is None:
            raise Http404("No such revision.")
        try:
            services.restore_revision(actor=request.user, node=node, revision=revision)
        except DomainError as exc:
            self.message_user(request, exc.detail, messages.ERROR)
            return HttpResponseRedirect(self.admin_url("revisions", node.pk))
        self.message_user(
            request, _("Revision %(number)d restored.") % {"number": revision.number}, messages.SUCCESS
        )
        return HttpResponseRedirect(self.admin_url("change", node.pk))


def field_labels() -> dict[str, str]:
    """What revisions call each kept field: `title_ru` is "Title (Русский)"."""
    labels = {}
    for field in WRITABLE_TEXT:
        verbose = capfirst(Node._meta.get_field(field).verbose_name)
        for code in language_codes():
            labels[column(field, code)] = f"{verbose} ({get_language_info(code)['name_local']})"
    kept = ("body_format", "parent", "position", "show_in_menus", "featured_image", "categories", "tags")
    for field in (*kept, "status"):
        labels[field] = capfirst(Node._meta.get_field(field).verbose_name)
    labels["publish_at"] = capfirst(Node._meta.get_field("publish_at").verbose_name)
    return labels


def display_value(field: str, value) -> str:
    """A kept value as a person reads it: names for the ids of the tree and the taxonomy."""
    if value in (None, "", []):
        return "—"
    if field == "parent":
        return str(Node.objects.filter(pk=value).first() or f"#{value}")
    if field in ("categories", "tags"):
        model = Category if field == "categories" else Tag
        names = {item.pk: str(item) for item in model.objects.filter(pk__in=value)}
        return ", ".join(names.get(pk, f"#{pk}") for pk in value)
    if field == "body_format":
        return str(BodyFormat(value).label) if value in BodyFormat.values else str(value)
    return str(value)


@admin.register(Page)
class PageAdmin(NodeAdmin):
    """Pages: a tree of nodes of kind `page`."""

    kind = "page"


# --- taxonomy ------------------------------------------------------------------------------------
@admin.register(Category)
class CategoryAdmin(TreeListed, ServiceModelAdmin):
    """The category tree: listed in tree order, each name indented by its depth."""

    translated = CATEGORY_FIELDS
    slug_from = "name"
    list_display = ["tree_name", "slug", "parent", "position"]
    search_fields = [column(field, code) for field in ("name", "slug") for code in language_codes()]
    list_select_related = ["parent"]

    def get_fieldsets(self, request, obj=None):
        return [
            *language_fieldsets(self.translated),
            (_("Place in the tree"), {"fields": ["parent", "position"]}),
        ]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        texts = texts_from(self.translated, columns=data)
        place = {name: data[name] for name in ("parent", "position") if name in data}
        with refusals():
            if change:
                category = services.update_category(actor=request.user, category=obj, texts=texts, **place)
            else:
                category = services.create_category(actor=request.user, texts=texts, **place)
        obj.pk = category.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        with refusals():
            services.delete_category(actor=request.user, category=obj)

    def delete_queryset(self, request, queryset):
        for category in queryset:
            with refusals(about=category):
                services.delete_category(actor=request.user, category=category)


@admin.register(Tag)
class TagAdmin(ServiceModelAdmin):
    """Tags: free labels of nodes."""

    translated = TAG_FIELDS
    slug_from = "name"
    list_display = ["name", "slug", "created_at"]
    search_fields = [column(field, code) for field in ("name", "slug") for code in language_codes()]

    def get_fieldsets(self, request, obj=None):
        return language_fieldsets(self.translated)

    def save_model(self, request, obj, form, change):
        texts = texts_from(self.translated, columns=form.cleaned_data)
        with refusals():
            if change:
                tag = services.update_tag(actor=request.user, tag=obj, texts=texts)
            else:
                tag = services.create_tag(actor=request.user, texts=texts)
        obj.pk = tag.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        with refusals():
            services.delete_tag(actor=request.user, tag=obj)

    def delete_queryset(self, request, queryset):
        for tag in queryset:
            with refusals(about=tag):
                services.delete_tag(actor=request.user, tag=tag)
