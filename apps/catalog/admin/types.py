"""Product types (with their attributes, at product or variant level, in order) and attributes
(with their choices) in the admin, written through apps.catalog.services."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from apps.catalog import services
from apps.catalog.admin.base import ServiceForm, ShopAdmin, rows_of
from apps.catalog.models import Attribute, AttributeChoice, ProductType, ProductTypeAttribute
from apps.catalog.translation import NAME_FIELDS
from rustok.admin import ServiceInline, TabularInline, language_fieldsets, refusals
from rustok.i18n import language_codes
from rustok.texts import column, texts_from


def ordered(formset) -> list[dict]:
    """The kept rows of an inline, by their position (ties keep the rows' order)."""
    kept = [row.cleaned_data for row, delete in rows_of(formset) if not delete]
    return sorted(kept, key=lambda data: data.get("position") or 0)


class TypeAttributeForm(ServiceForm):
    class Meta:
        model = ProductTypeAttribute
        fields = ["attribute", "level", "position"]
        labels = {"attribute": _("attribute")}  # the model's foreign key has no translated name


class TypeAttributeInline(ServiceInline, TabularInline):
    """The type's attributes: on its products or on its variants (the variants' choices and
    swatches are the options shoppers pick)."""

    model = ProductTypeAttribute
    form = TypeAttributeForm
    fields = ["attribute", "level", "position"]
    extra = 1
    tab = False
    verbose_name = _("attribute")
    verbose_name_plural = _("attributes")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("attribute")


@admin.register(ProductType)
class ProductTypeAdmin(ShopAdmin):
    """Product types: which attributes their products and variants have."""

    translated = NAME_FIELDS
    inlines = [TypeAttributeInline]
    list_display = ["name", "slug", "has_variants"]
    search_fields = ["slug", *(column("name", code) for code in language_codes())]

    def get_fieldsets(self, request, obj=None):
        return [*language_fieldsets(self.translated), (None, {"fields": ["slug", "has_variants"]})]

    def get_readonly_fields(self, request, obj=None):
        return ["slug", "has_variants"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        """Nothing here: the type and its attributes are written together in save_related."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        data = form.cleaned_data
        attributes = None
        for formset in formsets:
            if not change or formset.has_changed():
                attributes = [
                    (row["attribute"], row["level"]) for row in ordered(formset) if row.get("attribute")
                ]
        texts = texts_from(self.translated, columns=data)
        with refusals():
            if change:
                extra = {} if attributes is None else {"attributes": attributes}
                found = services.update_product_type(
                    actor=request.user, product_type=form.instance, texts=texts, **extra
                )
            else:
                found = services.create_product_type(
                    actor=request.user,
                    slug=data.get("slug") or "",
                    texts=texts,
                    has_variants=bool(data.get("has_variants")),
                    attributes=attributes or [],
                )
        form.instance.pk = found.pk
        form.instance.refresh_from_db()

    def delete_one(self, request, obj):
        services.delete_product_type(actor=request.user, product_type=obj)


class ChoiceForm(ServiceForm):
    class Meta:
        model = AttributeChoice
        fields = ["slug", *(column("name", code) for code in language_codes()), "color", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in language_codes():
            self.fields[column("name", code)].required = False


class ChoiceInline(ServiceInline, TabularInline):
    """An attribute's choices (S, M, L; red with its colour), in order."""

    model = AttributeChoice
    form = ChoiceForm
    extra = 1
    tab = False

    def get_fields(self, request, obj=None):
        return ["slug", *(column("name", code) for code in language_codes()), "color", "position"]


@admin.register(Attribute)
class AttributeAdmin(ShopAdmin):
    """Attributes: their type (fixed once saved), unit, whether shoppers filter by them, choices."""

    translated = NAME_FIELDS
    inlines = [ChoiceInline]
    list_display = ["name", "slug", "input_type", "unit", "filterable", "choice_count"]
    list_filter = ["input_type", "filterable"]
    search_fields = ["slug", *(column("name", code) for code in language_codes())]

    def get_fieldsets(self, request, obj=None):
        return [
            *language_fieldsets(self.translated),
            (None, {"fields": ["slug", "input_type", "unit", "filterable", "position"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return ["slug", "input_type"] if obj is not None else []

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(choices_counted=Count("choices"))

    @display(description=_("choices"), ordering="choices_counted")
    def choice_count(self, attribute: Attribute) -> int:
        return getattr(attribute, "choices_counted", 0)

    def save_model(self, request, obj, form, change):
        """Nothing here: the attribute and its choices are written together in save_related."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        data = form.cleaned_data
        choices = None
        for formset in formsets:
            if not change or formset.has_changed():
                choices = [
                    {
                        "slug": row.get("slug") or "",
                        "texts": {
                            code: {"name": row.get(column("name", code)) or ""}
                            for code in language_codes()
                            if row.get(column("name", code))
                        },
                        "color": row.get("color") or "",
                    }
                    for row in ordered(formset)
                ]
        texts = texts_from(self.translated, columns=data)
        options = {name: data[name] for name in ("unit", "filterable", "position") if name in data}
        options["unit"] = options.get("unit") or ""
        options["position"] = options.get("position") or 0
        with refusals():
            if change:
                extra = {} if choices is None else {"choices": choices}
                found = services.update_attribute(
                    actor=request.user, attribute=form.instance, texts=texts, **options, **extra
                )
            else:
                found = services.create_attribute(
                    actor=request.user,
                    slug=data.get("slug") or "",
                    input_type=data.get("input_type") or "",
                    texts=texts,
                    choices=choices or [],
                    **options,
                )
        form.instance.pk = found.pk
        form.instance.refresh_from_db()

    def delete_one(self, request, obj):
        services.delete_attribute(actor=request.user, attribute=obj)
