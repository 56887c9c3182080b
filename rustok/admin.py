"""The project's admin classes: every ModelAdmin and inline of every module is built on these.

They are django-unfold's classes (the admin's theme), so a new module's admin looks like the
rest without doing anything; a module subclasses `rustok.admin.ModelAdmin`, never
`django.contrib.admin.ModelAdmin`. tests/core/test_admin_theme.py checks every registered admin.

    from rustok.admin import ModelAdmin, TabularInline

    @admin.register(Note)
    class NoteAdmin(ModelAdmin):
        list_display = ["title", "created_at"]
"""

from django import forms
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from unfold import widgets
from unfold.admin import ModelAdmin as UnfoldModelAdmin
from unfold.admin import StackedInline as UnfoldStackedInline
from unfold.admin import TabularInline as UnfoldTabularInline

__all__ = ["ModelAdmin", "ObjectPermissionsModelAdmin", "StackedInline", "TabularInline"]


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


class TabularInline(UnfoldTabularInline):
    """Base of every tabular inline."""


class StackedInline(UnfoldStackedInline):
    """Base of every stacked inline."""


class ObjectPermissionsModelAdmin(ObjectPermissionsModelAdminMixin, ModelAdmin):
    """A model admin whose permissions, per object, are asked of the rules (rustok.permissions)."""
