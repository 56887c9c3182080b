"""What the catalogue's admins share: permissions from the rules, writes through the services,
translated fields in language tabs, deletes all or nothing, and the typed fields of attributes."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from apps.catalog.models import Attribute, AttributeValue, InputType
from rustok.admin import (
    ObjectPermissionsModelAdmin,
    ServiceRefusal,
    TranslatedFields,
    WritesThroughServices,
    refusals,
)
from rustok.admin import ServiceForm as BaseServiceForm
from rustok.i18n import language_codes
from rustok.texts import column


class ServiceForm(BaseServiceForm):
    """The catalogue admins' forms: uniqueness (SKUs, slugs) is the service's to check, with the
    same message on every interface."""

    def validate_unique(self):
        """Checked by the service."""


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


class ShopAdmin(TranslatedFields, WritesThroughServices, ObjectPermissionsModelAdmin):
    """Base of the catalogue's and the inventory's admins.

    Subclasses write in `save_model` / `save_related` and delete in `delete_one` through the
    services, inside `with refusals():`; a refusal rolls the admin's transaction back and shows
    the form again with the service's errors on it.
    """

    form = ServiceForm
    actions = [delete_selected]

    def delete_one(self, request, obj) -> None:
        """Delete `obj` through its service (each admin of the catalogue says which)."""
        raise NotImplementedError(f"{type(self).__name__} must delete through its service")

    def delete_model(self, request, obj):
        with refusals():
            self.delete_one(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            with refusals(about=obj):
                self.delete_one(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ServiceRefusal as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return HttpResponseRedirect(self.admin_url("change", object_id))

    def admin_url(self, name: str, *args) -> str:
        """The address of this admin's page `name` (change, changelist, ...)."""
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}",
            args=args,
            current_app=self.admin_site.name,
        )

    def save_related(self, request, form, formsets, change):
        """Relations and inline rows are the services' to write; subclasses hand them over here."""
        for formset in formsets:
            # What the admin's change message reads; the rows were written by the services.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


def rows_of(formset) -> list[tuple[forms.Form, bool]]:
    """The filled rows of an inline formset, in the order shown, each with whether it is to be
    deleted (rows left empty are not counted)."""
    found = []
    for row in formset.forms:
        data = getattr(row, "cleaned_data", None) or {}
        if not data or (row.instance.pk is None and not row.has_changed()):
            continue
        found.append((row, bool(data.get("DELETE"))))
    return found


# --- attribute values as form fields -------------------------------------------------------------


def attribute_field_names(attribute: Attribute) -> list[str]:
    """The form fields of an attribute: one per language for text, one otherwise."""
    base = f"attr_{attribute.slug}"
    if attribute.input_type in (InputType.TEXT, InputType.RICH_TEXT):
        return [f"{base}_{code}" for code in language_codes()]
    return [base]


def _choices_of(attribute: Attribute) -> list[tuple[str, str]]:
    return [(choice.slug, str(choice)) for choice in attribute.choices.all()]


def swatch_label(attribute: Attribute):
    """The choices of a swatch with their colour shown beside the label."""
    return [
        (
            choice.slug,
            format_html('<span class="rustok-swatch" style="background:{}"></span> {}', choice.color, choice),
        )
        for choice in attribute.choices.all()
    ]


def attribute_fields(attribute: Attribute) -> dict[str, forms.Field]:
    """Typed form fields for one attribute: text per language, a number (with its unit), yes or
    no, a date, a choice, several choices, a swatch. None of them is required here."""
    label = str(attribute)
    if attribute.unit:
        label = f"{label} ({attribute.unit})"
    kind = attribute.input_type
    if kind in (InputType.TEXT, InputType.RICH_TEXT):
        widget = forms.Textarea(attrs={"rows": 3}) if kind == InputType.RICH_TEXT else forms.TextInput
        return {
            name: forms.CharField(
                label=f"{label} ({get_language_info(code)['name_local']})", required=False, widget=widget
            )
            for name, code in zip(attribute_field_names(attribute), language_codes(), strict=True)
        }
    name = f"attr_{attribute.slug}"
    if kind == InputType.NUMBER:
        field = forms.DecimalField(label=label, required=False, max_digits=14, decimal_places=4)
    elif kind == InputType.BOOLEAN:
        field = forms.NullBooleanField(
            label=label,
            required=False,
            widget=forms.Select(choices=[("unknown", "—"), ("true", _("Yes")), ("false", _("No"))]),
        )
    elif kind == InputType.DATE:
        field = forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))
    elif kind == InputType.MULTI_CHOICE:
        field = forms.MultipleChoiceField(
            label=label, required=False, choices=_choices_of(attribute), widget=forms.CheckboxSelectMultiple
        )
    elif kind == InputType.SWATCH:
        field = forms.ChoiceField(
            label=label,
            required=False,
            choices=[("", "—"), *swatch_label(attribute)],
            widget=forms.RadioSelect,
        )
    else:
        field = forms.ChoiceField(label=label, required=False, choices=[("", "—"), *_choices_of(attribute)])
    return {name: field}


def attribute_initial(attribute: Attribute, value: AttributeValue | None) -> dict:
    """The fields' initial values from a stored value."""
    names = attribute_field_names(attribute)
    if value is None:
        return {}
    kind = attribute.input_type
    if kind in (InputType.TEXT, InputType.RICH_TEXT):
        return {
            name: getattr(value, column("text", code)) or ""
            for name, code in zip(names, language_codes(), strict=True)
        }
    if kind == InputType.NUMBER:
        found = value.number.normalize() if value.number is not None else None
    elif kind == InputType.BOOLEAN:
        found = value.boolean
    elif kind == InputType.DATE:
        found = value.date
    elif kind == InputType.MULTI_CHOICE:
        found = [choice.slug for choice in value.choices.all()]
    else:
        chosen = [choice.slug for choice in value.choices.all()]
        found = chosen[0] if chosen else ""
    return {names[0]: found}


def attribute_value(attribute: Attribute, data: dict):
    """What the service takes for an attribute, from the form's cleaned data (None removes it)."""
    names = attribute_field_names(attribute)
    kind = attribute.input_type
    if kind in (InputType.TEXT, InputType.RICH_TEXT):
        texts = {code: data.get(name) or "" for name, code in zip(names, language_codes(), strict=True)}
        return texts if any(texts.values()) else None
    found = data.get(names[0])
    if found in (None, "", []):
        return None
    if kind == InputType.NUMBER:
        return str(found)
    if kind == InputType.DATE and isinstance(found, dt.date):
        return found.isoformat()
    if kind == InputType.MULTI_CHOICE:
        return list(found)
    return found


def attribute_names(attributes) -> dict[str, str]:
    """Each service name of an attribute's value (`attributes.<slug>`) and the form field its
    errors are shown on."""
    return {f"attributes.{a.slug}": attribute_field_names(a)[0] for a in attributes}
