"""The project's admin classes: every ModelAdmin and inline of every module is built on these.

They are django-unfold's classes (the admin's theme), so a new module's admin looks like the
rest without doing anything; a module subclasses `rustok.admin.ModelAdmin`, never
`django.contrib.admin.ModelAdmin`. tests/core/test_admin_theme.py checks every registered admin.

    from rustok.admin import ModelAdmin, TabularInline

    @admin.register(Note)
    class NoteAdmin(ModelAdmin):
        list_display = ["title", "created_at"]
"""

import dataclasses
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.db.models import Case, IntegerField, Value, When
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from unfold import widgets
from unfold.admin import ModelAdmin as UnfoldModelAdmin
from unfold.admin import StackedInline as UnfoldStackedInline
from unfold.admin import TabularInline as UnfoldTabularInline

from rustok.errors import DomainError
from rustok.i18n import language_codes, site_language
from rustok.texts import column
from rustok.tree import reading_order

__all__ = [
    "ExtraPanels",
    "ModelAdmin",
    "ObjectPermissionsModelAdmin",
    "Panel",
    "ReadOnly",
    "ServiceForm",
    "ServiceInline",
    "ServiceRefusal",
    "StackedInline",
    "TabularInline",
    "TranslatedFields",
    "WritesThroughServices",
    "language_fieldsets",
    "refusals",
    "register_panel",
]


# Django's plain widgets and the theme's counterparts. unfold styles the fields it makes from
# model fields; a form's own declared fields (an upload, a password, a list of choices) get
# their theme widget here, so they look like the rest.
THEMED_WIDGETS = {
    forms.TextInput: lambda w: widgets.UnfoldAdminTextInputWidget(attrs=w.attrs),
    forms.EmailInput: lambda w: widgets.UnfoldAdminEmailInputWidget(attrs=w.attrs),
    forms.PasswordInput: lambda w: widgets.UnfoldAdminPasswordWidget(
        attrs=w.attrs, render_value=w.render_value
    ),
    forms.Textarea: lambda w: widgets.UnfoldAdminTextareaWidget(attrs=w.attrs),
    forms.NumberInput: lambda w: widgets.UnfoldAdminDecimalFieldWidget(attrs=w.attrs),
    forms.Select: lambda w: widgets.UnfoldAdminSelectWidget(attrs=dict(w.attrs), choices=w.choices),
    forms.RadioSelect: lambda w: widgets.UnfoldAdminRadioSelectWidget(attrs=dict(w.attrs), choices=w.choices),
    forms.CheckboxSelectMultiple: lambda w: widgets.UnfoldAdminCheckboxSelectMultipleWidget(
        attrs=dict(w.attrs), choices=w.choices
    ),
    forms.ClearableFileInput: lambda w: widgets.UnfoldAdminFileFieldWidget(attrs=w.attrs),
}


def themed(form_class: type[forms.BaseForm]) -> type[forms.BaseForm]:
    """`form_class` with each field that still has a plain Django widget given the theme's."""
    for field in form_class.base_fields.values():
        make = THEMED_WIDGETS.get(type(field.widget))
        if make is not None:
            widget = make(field.widget)
            widget.is_required = field.widget.is_required
            field.widget = widget
    return form_class


class ModelAdmin(UnfoldModelAdmin):
    """Base of every model admin: unfold's look; the filters open in a side sheet, so a list
    keeps the page's whole width for its columns."""

    list_filter_sheet = True
    list_filter_submit = True

    def get_form(self, request, obj=None, change=False, **kwargs):
        return themed(super().get_form(request, obj, change=change, **kwargs))


class ThemedInline:
    """An inline's rows get the theme's widgets for the fields their form declares itself."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        themed(formset.form)
        return formset


class TabularInline(ThemedInline, UnfoldTabularInline):
    """Base of every tabular inline."""


class StackedInline(ThemedInline, UnfoldStackedInline):
    """Base of every stacked inline."""


class ObjectPermissionsModelAdmin(ObjectPermissionsModelAdminMixin, ModelAdmin):
    """A model admin whose permissions, per object, are asked of the rules (rustok.permissions)."""


def language_fieldsets(fields: Iterable[str]) -> list[tuple[str, dict]]:
    """One fieldset per language with that language's column of each translated field.

    The class `rustok-translation` is what static/rustok/translation_tabs.js groups into tabs;
    the heading (the language's own name) is the tab's label, and the fieldset's heading when
    there is no script.
    """
    fields = tuple(fields)
    return [
        (
            get_language_info(code)["name_local"],
            {
                "fields": [column(field, code) for field in fields],
                "classes": ["rustok-translation", f"rustok-lang-{code}"],
            },
        )
        for code in language_codes()
    ]


class TranslatedFields:
    """Mixin of a model admin with translated fields shown in language tabs (language_fieldsets).

    `translated` names the fields; `slug_from` the field each language's slug follows while it is
    typed (Django's prepopulated fields), until the slug is edited by hand.
    """

    translated: tuple[str, ...] = ()
    slug_from: str | None = None

    class Media:
        js = ["rustok/translation_tabs.js"]
        css = {"all": ["rustok/translation_tabs.css"]}

    def get_prepopulated_fields(self, request, obj=None):
        if self.slug_from is None or "slug" not in self.translated:
            return {}
        return {column("slug", code): (column(self.slug_from, code),) for code in language_codes()}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        original = getattr(db_field, "translated_field", None)
        if field is not None and original is not None:
            # The language tab already names the language; every translation is optional here,
            # the service says which text is needed.
            field.label = capfirst(original.verbose_name)
            field.required = False
        return field


class ReadOnly:
    """Mixin of an admin or inline that only shows rows (an outbox, an audit log, search
    documents): nobody adds, changes or deletes them here, whatever their permissions."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- writes through the services ------------------------------------------------------------------
# An admin writes through its module's services. A service that refuses the write (DomainError)
# inside `with refusals():` in save_model / save_related rolls the admin's transaction back; the
# admin then shows the same form again, with what the user typed and the service's errors on their
# fields (WritesThroughServices + ServiceForm). Nothing is written and nothing typed is lost.

_REFUSAL = "_rustok_admin_refusal"


class ServiceRefusal(Exception):
    """A service refused a write made from the admin; raised to roll back the admin's transaction.

    `field` is the form field a refusal without per-field errors belongs to (None: the form);
    `about` the object refused, named in messages about several objects; `prefix` the form of
    the page it is shown on (None: the main form; an inline's row: `variants-0`); `names` the
    form field of each name the service's errors use (`prices.0.amount` -> `price_EUR`).
    """

    def __init__(
        self,
        error: DomainError,
        field: str | None = None,
        about=None,
        prefix: str | None = None,
        names: dict[str, str] | None = None,
    ):
        super().__init__(f"{about}: {error.detail}" if about is not None else error.detail)
        self.error = error
        self.field = field
        self.prefix = prefix
        self.names = names or {}


@contextmanager
def refusals(field: str | None = None, about=None, prefix: str | None = None, names=None):
    """Turn a service's DomainError into a ServiceRefusal (for `field`, if it names none; shown
    on the form `prefix`, with the service's names of fields mapped by `names`)."""
    try:
        yield
    except DomainError as exc:
        raise ServiceRefusal(exc, field, about, prefix, names) from exc


def refusal_errors(refusal: ServiceRefusal, fields) -> list[tuple[str | None, list[str]]]:
    """(form field or None, messages) for each error of a refusal.

    A service names the field or the column a value went to (`slug_ru`); an error of a translated
    field as a whole (`title`: "in at least one language") goes to the site's own language.
    """
    error = refusal.error
    if not error.errors:
        return [(refusal.field if refusal.field in fields else None, [error.detail])]
    language = site_language()
    found: list[tuple[str | None, list[str]]] = []
    for given, texts in error.errors.items():
        key = refusal.names.get(given, given)
        if key in fields:
            found.append((key, list(texts)))
        elif f"{key}_{language}" in fields:
            found.append((f"{key}_{language}", list(texts)))
        else:
            found.append((None, [f"{given}: {text}" for text in texts]))
    return found


class ServiceForm(forms.ModelForm):
    """A model form that writes nothing itself: it checks input, and shows a service's refusal."""

    refusal: ServiceRefusal | None = None

    def clean(self):
        cleaned = super().clean()
        if self.refusal is not None and self.refusal.prefix == self.prefix:
            for field, texts in refusal_errors(self.refusal, self.fields):
                self.add_error(field, texts)
        return cleaned


class ServiceInline:
    """Mixin of an inline whose rows an admin writes through services (in its save_related,
    inside `with refusals(prefix=form.prefix):`): a refusal shows on the row it came from.

    The inline's form must be a ServiceForm."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.refusal = getattr(request, _REFUSAL, None)
        return formset


class WritesThroughServices:
    """Mixin of a model admin whose saves call services inside `with refusals():`: a refusal
    shows the same form again, invalid with the service's errors, keeping what was typed.

    The admin's forms must be ServiceForms."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.refusal = getattr(request, _REFUSAL, None)
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefusal as refusal:
            # Nothing was written (the admin's transaction rolled back): the same form again,
            # now invalid with the service's errors.
            setattr(request, _REFUSAL, refusal)
            return super().changeform_view(request, object_id, form_url, extra_context)


# --- trees listed in reading order (categories) ---------------------------------------------------


class TreeChangeList(ChangeList):
    """A tree's list, in the tree's reading order unless the user sorts by a column."""

    def get_ordering(self, request, queryset):
        if ORDER_VAR in self.params:
            return super().get_ordering(request, queryset)
        return ["tree_order", "pk"]


class TreeListed:
    """A model admin of a tree (rows with `parent` and `position`: categories) listed in reading
    order, each name indented by its depth: `tree_name` in `list_display`."""

    def get_queryset(self, request):
        positions = reading_order(self.model)

        def by(index):
            cases = [When(pk=pk, then=Value(place[index])) for pk, place in positions.items()]
            default = len(positions) if index == 0 else 0
            return Case(*cases, default=Value(default), output_field=IntegerField())

        return super().get_queryset(request).annotate(tree_order=by(0), tree_depth=by(1))

    def get_changelist(self, request, **kwargs):
        return TreeChangeList

    @admin.display(description=_("name"), ordering="tree_order")
    def tree_name(self, obj) -> str:
        return "— " * getattr(obj, "tree_depth", 0) + str(obj)


# --- read-only panels other modules add to a page ----------------------------------------------------
# A module may not import the modules built on it, yet their facts belong on its pages (a
# variant's stock, from inventory, on the catalogue's variant page). The page names a slot
# (`ExtraPanels.panel_slot`); a module registers a function for it from its admin.py, with its own
# slug, and the function is asked only while that module is on for the request's site.


@dataclasses.dataclass(frozen=True)
class Panel:
    """A read-only table shown under a page's form: a title, column headings and rows of cells
    (text; escaped when shown), and what to say when there are no rows."""

    title: str
    columns: list[str]
    rows: list[list] = dataclasses.field(default_factory=list)
    empty: str = ""
    key: str = ""  # id="panel-<key>" in the page


_PANELS: dict[str, list[tuple[str | None, Callable]]] = {}


def register_panel(slot: str, function: Callable, *, module: str | None = None) -> Callable:
    """Add `function(request, obj) -> Panel | None` to the pages of `slot` ("catalog.variant").
    With `module`, it is asked only while that module is on for the request's site. The function
    checks what the user may see (None: nothing to show) and keeps to a few bounded queries."""
    found = _PANELS.setdefault(slot, [])
    if all(existing is not function for _m, existing in found):
        found.append((module, function))
    return function


def panels_for(slot: str, request, obj) -> list[Panel]:
    """The panels registered for `slot` that answer for `obj`, in the order registered."""
    from rustok.modules.gate import module_enabled_for

    panels = []
    for module, function in _PANELS.get(slot, []):
        if module is not None and not module_enabled_for(request, module):
            continue
        panel = function(request, obj)
        if panel is not None:
            panels.append(panel)
    return panels


class ExtraPanels:
    """Mixin of a model admin whose change page shows the read-only panels other modules
    register for `panel_slot` (register_panel), under the form. Its change form template is
    admin/rustok/change_form_panels.html, or one that includes admin/rustok/panels.html."""

    panel_slot: str = ""
    change_form_template = "admin/rustok/change_form_panels.html"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk and self.panel_slot:
            context["extra_panels"] = panels_for(self.panel_slot, request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
