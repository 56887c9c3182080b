"""The project's admin classes: every ModelAdmin and inline of every module is built on these.

They are django-unfold's classes (the admin's theme), so a new module's admin looks like the
rest without doing anything; a module subclasses `rustok.admin.ModelAdmin`, never
`django.contrib.admin.ModelAdmin`. tests/core/test_admin_theme.py checks every registered admin.

    from rustok.admin import ModelAdmin, TabularInline

    @admin.register(Note)
    class NoteAdmin(ModelAdmin):
        list_display = ["title", "created_at"]
"""

from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from unfold.admin import ModelAdmin as UnfoldModelAdmin
from unfold.admin import StackedInline as UnfoldStackedInline
from unfold.admin import TabularInline as UnfoldTabularInline

__all__ = ["ModelAdmin", "ObjectPermissionsModelAdmin", "StackedInline", "TabularInline"]


class ModelAdmin(UnfoldModelAdmin):
    """Base of every model admin: unfold's look; the filters open in a side sheet, so a list
    keeps the page's whole width for its columns."""

    list_filter_sheet = True
    list_filter_submit = True


class TabularInline(UnfoldTabularInline):
    """Base of every tabular inline."""


class StackedInline(UnfoldStackedInline):
    """Base of every stacked inline."""


class ObjectPermissionsModelAdmin(ObjectPermissionsModelAdminMixin, ModelAdmin):
    """A model admin whose permissions, per object, are asked of the rules (rustok.permissions)."""
