"""Product categories (a tree, listed in tree order and indented) and collections (with their
products in order) in the admin, written through apps.catalog.services."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from apps.catalog import services
from apps.catalog.admin.base import ServiceForm, ShopAdmin, rows_of
from apps.catalog.models import Collection, CollectionProduct, ProductCategory
from apps.catalog.translation import CATEGORY_FIELDS, COLLECTION_FIELDS
from rustok.admin import ServiceInline, TabularInline, TreeListed, language_fieldsets, refusals
from rustok.i18n import language_codes
from rustok.texts import column, texts_from
from rustok.tree import UNSET


class ImageForm(ServiceForm):
    """The form of a category or collection: its image is any file here; the service checks it
    by its content (set_category_image, set_collection_image)."""

    image = forms.FileField(label=_("image"), required=False, widget=forms.ClearableFileInput)


def save_image(request, form, setter, **target) -> None:
    """Store, replace or remove (the "clear" box) the form's image through `setter`, if it changed."""
    if "image" not in form.changed_data:
        return
    upload = form.cleaned_data.get("image")
    with refusals(field="image"):
        setter(actor=request.user, upload=upload or None, **target)


@admin.register(ProductCategory)
class ProductCategoryAdmin(TreeListed, ShopAdmin):
    """The shop's category tree: each name indented by its depth."""

    form = ImageForm
    translated = CATEGORY_FIELDS
    slug_from = "name"
    list_display = ["tree_name", "slug", "parent", "position"]
    search_fields = [column(field, code) for field in ("name", "slug") for code in language_codes()]
    list_select_related = ["parent"]

    def get_fieldsets(self, request, obj=None):
        return [
            *language_fieldsets(self.translated),
            (_("Place in the tree"), {"fields": ["parent", "position"]}),
            (_("Image"), {"fields": ["image"]}),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        parent = form.base_fields.get("parent")
        if obj is not None and parent is not None:
            parent.queryset = parent.queryset.exclude(pk=obj.pk)  # the service refuses deeper cycles
        return form

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        texts = texts_from(self.translated, columns=data)
        place = {name: data[name] for name in ("parent", "position") if name in data}
        with refusals():
            if change:
                category = services.update_category(actor=request.user, category=obj, texts=texts, **place)
            else:
                category = services.create_category(actor=request.user, texts=texts, **place)
        save_image(request, form, services.set_category_image, category=category)
        obj.pk = category.pk
        obj.refresh_from_db()

    def delete_one(self, request, obj):
        services.delete_category(actor=request.user, category=obj)


class EntryForm(ServiceForm):
    class Meta:
        model = CollectionProduct
        fields = ["product", "position"]
        labels = {"product": _("product")}  # the model's foreign key has no translated name


class CollectionProductInline(ServiceInline, TabularInline):
    """The collection's products, in the order of their positions."""

    model = CollectionProduct
    form = EntryForm
    fields = ["product", "position"]
    autocomplete_fields = ["product"]
    extra = 1
    tab = False
    verbose_name = _("product")
    verbose_name_plural = _("products, in order")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("product").order_by("position", "id")


@admin.register(Collection)
class CollectionAdmin(ShopAdmin):
    """Collections: a window of publication and an ordered list of products."""

    form = ImageForm
    translated = COLLECTION_FIELDS
    slug_from = "name"
    inlines = [CollectionProductInline]
    list_display = ["name", "published_from", "published_until", "product_count"]
    search_fields = [column(field, code) for field in ("name", "slug") for code in language_codes()]

    def get_fieldsets(self, request, obj=None):
        return [
            *language_fieldsets(self.translated),
            (_("Shown"), {"fields": ["published_from", "published_until"]}),
            (_("Image"), {"fields": ["image"]}),
        ]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(products_counted=Count("entries"))

    @display(description=_("products"), ordering="products_counted")
    def product_count(self, collection: Collection) -> int:
        return getattr(collection, "products_counted", 0)

    def save_model(self, request, obj, form, change):
        """Nothing here: the collection and its products are written together in save_related."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        data = form.cleaned_data
        fields = {name: data.get(name) for name in ("published_from", "published_until")}
        products = UNSET
        for formset in formsets:
            rows = [(row, delete) for row, delete in rows_of(formset) if row.cleaned_data.get("product")]
            kept = [row.cleaned_data for row, delete in rows if not delete]
            kept.sort(key=lambda entry: entry.get("position") or 0)  # stable: ties keep the rows' order
            if any(row.has_changed() or delete for row, delete in rows) or not change:
                products = [entry["product"] for entry in kept]
        texts = texts_from(self.translated, columns=data)
        with refusals():
            if change:
                collection = services.update_collection(
                    actor=request.user, collection=form.instance, texts=texts, products=products, **fields
                )
            else:
                collection = services.create_collection(
                    actor=request.user,
                    texts=texts,
                    products=[] if products is UNSET else products,
                    **fields,
                )
        save_image(request, form, services.set_collection_image, collection=collection)
        form.instance.pk = collection.pk
        form.instance.refresh_from_db()

    def delete_one(self, request, obj):
        services.delete_collection(actor=request.user, collection=obj)
