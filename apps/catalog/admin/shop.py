"""The shop's currencies (one form for the one row) and tax classes in the admin, written
through apps.catalog.services."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from apps.catalog import services
from apps.catalog.admin.base import ServiceForm, ShopAdmin
from apps.catalog.models import ShopSettings, TaxClass
from apps.catalog.translation import NAME_FIELDS
from apps.core.validators import currency_choices
from rustok.admin import language_fieldsets, refusals
from rustok.i18n import language_codes
from rustok.texts import column, texts_from


class ShopSettingsForm(ServiceForm):
    default_currency = forms.ChoiceField(label=_("default currency"))

    class Meta:
        model = ShopSettings
        fields = ["default_currency", "currencies"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_currency"].choices = currency_choices()
        self.fields["default_currency"].help_text = ShopSettings._meta.get_field("default_currency").help_text
        self.fields["currencies"].help_text = _(
            "Other currencies products may be priced in: ISO 4217 codes separated by commas (EUR,GBP)."
        )


@admin.register(ShopSettings)
class ShopSettingsAdmin(ShopAdmin):
    """One form for the shop's one row of settings; no list, no add, no delete."""

    form = ShopSettingsForm
    actions = []
    fields = ["default_currency", "currencies"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return HttpResponseRedirect(self.admin_url("change", services.shop_settings().pk))

    def get_object(self, request, object_id, from_field=None):
        services.shop_settings()  # the row exists from the first look at the form
        return super().get_object(request, object_id, from_field)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        with refusals():
            services.update_shop_settings(
                actor=request.user,
                default_currency=data.get("default_currency"),
                currencies=[code.strip().upper() for code in data.get("currencies") or []],
            )
        obj.refresh_from_db()


@admin.register(TaxClass)
class TaxClassAdmin(ShopAdmin):
    """Tax classes: names per language and a unique slug (create_tax_class, update_tax_class);
    one that products still have is not deleted (delete_tax_class refuses, saying how many)."""

    translated = NAME_FIELDS
    list_display = ["name", "slug"]
    search_fields = ["slug", *(column("name", code) for code in language_codes())]

    def get_fieldsets(self, request, obj=None):
        return [*language_fieldsets(self.translated), (None, {"fields": ["slug"]})]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        texts = texts_from(self.translated, columns=data)
        with refusals():
            if change:
                found = services.update_tax_class(
                    actor=request.user, tax_class=obj, texts=texts, slug=data.get("slug") or ""
                )
            else:
                found = services.create_tax_class(
                    actor=request.user, slug=data.get("slug") or "", texts=texts
                )
        obj.pk = found.pk
        obj.refresh_from_db()

    def delete_one(self, request, obj):
        services.delete_tax_class(actor=request.user, tax_class=obj)
