"""The site's settings in the tenant admin: one page (the list goes straight to the one form).

The form only collects input; the write goes through apps.site.services (one transaction, one
`site.settings.changed` event), with the social links of the inline in their order. The home
page is a choice among the pages the enabled modules offer (rustok.storefront.home_choices).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from apps.site import selectors, services
from apps.site.models import SiteSettings, SocialLink
from apps.site.translation import SETTINGS_TEXT
from rustok import storefront
from rustok.admin import ModelAdmin, ServiceForm, TabularInline, WritesThroughServices, refusals
from rustok.errors import DomainError
from rustok.i18n import language_codes
from rustok.images import check_image

PLAIN = [
    "name",
    "accent_color",
    "contact_email",
    "contact_address",
    "allow_indexing",
    "items_per_page",
    "home_page",
]
MAIN = ["name", "logo", "accent_color", "home_page", "items_per_page", "allow_indexing"]


def _columns(field: str) -> list[str]:
    return [f"{field}_{code}" for code in language_codes()]


class SiteSettingsForm(ServiceForm):
    """Checks what the service would refuse, so mistakes show on their fields."""

    home_page = forms.TypedChoiceField(
        label=_("home page"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "A published page shown at the site's address; empty: the newest posts and the top pages."
        ),
    )

    class Meta:
        model = SiteSettings
        fields = [
            "name",
            *[column for field in SETTINGS_TEXT for column in _columns(field)],
            "logo",
            "accent_color",
            "contact_email",
            "contact_address",
            "allow_indexing",
            "items_per_page",
            "home_page",
        ]
        widgets = {"accent_color": forms.TextInput(attrs={"type": "color"})}

    def clean_accent_color(self):
        try:
            return services.check_accent(self.cleaned_data.get("accent_color") or "")
        except DomainError as exc:
            raise ValidationError(exc.errors.get("accent_color", [exc.detail])) from None

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and "logo" in self.changed_data:
            try:
                check_image(logo, field="logo")
            except DomainError as exc:
                raise ValidationError(exc.errors.get("logo", [exc.detail])) from None
        return logo


class SocialLinkInline(TabularInline):
    model = SocialLink
    fields = ["network", "url", "position"]
    extra = 1
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(SiteSettings)
class SiteSettingsAdmin(WritesThroughServices, ModelAdmin):
    """One form for the one row of settings; no list, no add, no delete."""

    form = SiteSettingsForm
    inlines = [SocialLinkInline]

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": MAIN}),
            *[
                (get_language_info(code)["name_local"], {"fields": [f"{f}_{code}" for f in SETTINGS_TEXT]})
                for code in language_codes()
            ],
            (_("Contact"), {"fields": ["contact_email", "contact_address"]}),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        choices = [(choice.id, choice.label) for choice in storefront.home_choices(request)]
        form.base_fields["home_page"].choices = [("", _("— the default home page —")), *choices]
        return form

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        settings = selectors.site_settings()
        return HttpResponseRedirect(reverse("admin:site_sitesettings_change", args=[settings.pk]))

    def get_object(self, request, object_id, from_field=None):
        selectors.site_settings()  # the row exists from the first look at the form
        return super().get_object(request, object_id, from_field)

    def save_model(self, request, obj, form, change):
        """Nothing here: the settings and their links are written together in save_related."""

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        values = {name: data[name] for name in PLAIN if name in data}
        texts: dict[str, dict[str, str]] = {}
        for field in SETTINGS_TEXT:
            for code in language_codes():
                name = f"{field}_{code}"
                if name in data:
                    texts.setdefault(code, {})[field] = data[name] or ""
        links = []
        for formset in formsets:
            rows = [
                row
                for row in formset.cleaned_data
                if row and not row.get("DELETE") and row.get("network") and row.get("url")
            ]
            rows.sort(key=lambda row: row.get("position") or 0)
            links += [(row["network"], row["url"]) for row in rows]
            # What the admin's change message reads; the links are written by the service below.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        arguments = {"values": values, "texts": texts, "social_links": links}
        if "logo" in form.changed_data:
            arguments["logo"] = data.get("logo") or None
        with refusals():  # refused: nothing was written, and the form shows why
            services.update_settings(actor=request.user, **arguments)
