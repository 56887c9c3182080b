"""Products in the admin: the list (thumbnail, price, variants, categories; filters, search and
the workflow as actions), the product's page (translated fields in language tabs, the typed
fields of its type's attributes, its variants with their options and a price per currency, the
workflow buttons), and each variant's page (every price with its compare-at and cost price, and
the variant's attributes).

Every write goes through apps.catalog.services inside the admin's transaction: a product and its
variants are saved together or not at all, and a refusal shows on the field or the row it names.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, F, Max, Min, OuterRef, Prefetch, Subquery, Value, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display

from apps.catalog import services
from apps.catalog.admin.base import (
    ServiceForm,
    ShopAdmin,
    attribute_field_names,
    attribute_fields,
    attribute_initial,
    attribute_names,
    attribute_value,
    rows_of,
)
from apps.catalog.admin.bulk import TRANSITION_LABELS, bulk_actions
from apps.catalog.admin.exchange import export_response, import_view
from apps.catalog.admin.images import ImageInline, product_thumbnail, save_images
from apps.catalog.models import (
    OPTION_TYPES,
    Level,
    Price,
    Product,
    ProductImage,
    ProductType,
    Status,
    Variant,
)
from apps.catalog.services.values import attributes_of
from apps.catalog.translation import PRODUCT_FIELDS
from rustok import money
from rustok.admin import ExtraPanels, ServiceInline, TabularInline, language_fieldsets, refusals
from rustok.errors import DomainError
from rustok.permissions import can
from rustok.texts import column, texts_from
from rustok.tree import UNSET

STATUS_TONES = {Status.DRAFT: "info", Status.ACTIVE: "success", Status.ARCHIVED: "warning"}


def major(amount: int | None, code: str) -> Decimal | None:
    """A stored amount (minor units) as the form shows it: 1250 EUR is 12.50."""
    return None if amount is None else money.to_money(amount, code).amount


def minor(value: Decimal | None, code: str) -> int | None:
    """What the form received (major units) as the service takes it: 12.5 EUR is 1250. The form
    checked the decimals first (check_decimals); the service checks the rest (not below zero)."""
    if value is None:
        return None
    return int(value.scaleb(money.exponent(code)))


def check_decimals(form, name: str, code: str | None) -> None:
    """An error on `name` when its amount has more decimals than `code`'s minor unit (12.345 EUR)."""
    value = form.cleaned_data.get(name)
    if value is None or not code:
        return
    places = money.exponent(code)
    scaled = value.scaleb(places)
    if scaled != scaled.to_integral_value():
        form.add_error(
            name,
            _("%(currency)s has %(places)d decimal places at most.") % {"currency": code, "places": places},
        )


def chosen_type(request, obj) -> ProductType | None:
    """The product's type: its own once saved; on the add page, the one chosen (in the posted
    form, or `?product_type=` when the page is opened for a type)."""
    if obj is not None and obj.pk:
        return obj.product_type
    raw = request.POST.get("product_type") or request.GET.get("product_type")
    cache = request.__dict__.setdefault("_catalog_types", {})
    if raw not in cache:
        try:
            cache[raw] = ProductType.objects.filter(pk=int(raw)).first()
        except (TypeError, ValueError):
            cache[raw] = None
    return cache[raw]


def type_attributes(request, product_type: ProductType | None, level: str) -> dict:
    """The attributes `product_type` gives its products or its variants (read once per request)."""
    if product_type is None:
        return {}
    cache = request.__dict__.setdefault("_catalog_attributes", {})
    key = (product_type.pk, level)
    if key not in cache:
        cache[key] = attributes_of(product_type.pk, level)
    return cache[key]


def with_attributes(base: type[forms.ModelForm], attributes: dict, **extra) -> type[forms.ModelForm]:
    """`base` with a typed field per attribute, filled from the instance's stored values."""
    declared = {}
    for attribute in attributes.values():
        declared.update(attribute_fields(attribute))

    def __init__(self, *args, **kwargs):
        base.__init__(self, *args, **kwargs)
        if self.instance.pk:
            stored = {value.attribute_id: value for value in self.instance.attribute_values.all()}
            for attribute in attributes.values():
                self.initial.update(attribute_initial(attribute, stored.get(attribute.pk)))

    return type(base.__name__, (base,), {**declared, **extra, "__init__": __init__, "attributes": attributes})


def changed_values(form, attributes: dict) -> dict:
    """The attribute values the form changed, as the service takes them."""
    changed = set(form.changed_data)
    return {
        slug: attribute_value(attribute, form.cleaned_data)
        for slug, attribute in attributes.items()
        if changed & set(attribute_field_names(attribute))
    }


# --- variants on the product's page --------------------------------------------------------------


class VariantRowForm(ServiceForm):
    """A variant's row: SKU, barcode, weight, tracking, its options and a price per currency."""

    currencies: list[str] = []

    class Meta:
        model = Variant
        fields = ["sku", "barcode", "weight_grams", "track_inventory", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for price in self.instance.prices.all():
                self.initial[f"price_{price.currency}"] = major(price.amount, price.currency)

    def clean(self):
        cleaned = super().clean()
        for code in self.currencies:
            check_decimals(self, f"price_{code}", code)
        return cleaned


def variant_row_form(options: dict, currencies: list[str]) -> type[forms.ModelForm]:
    prices = {
        f"price_{code}": forms.DecimalField(
            label=_("Price, %(currency)s") % {"currency": code},
            required=False,
            max_digits=22,
            decimal_places=None,
        )
        for code in currencies
    }
    form = with_attributes(VariantRowForm, options, currencies=currencies)
    for slug in options:  # wide enough for the longest choice ("100 g"), whatever the table's width
        form.base_fields[f"attr_{slug}"].widget.attrs["class"] = "rustok-option"
    for name, field in prices.items():
        form.base_fields[name] = field
        form.declared_fields[name] = field
    return form


class VariantInline(ServiceInline, TabularInline):
    """The product's variants, one row each; the variant's own page has every price and attribute."""

    model = Variant
    form = VariantRowForm
    extra = 1
    show_change_link = True
    tab = False

    def options(self, request, obj) -> dict:
        """The type's options (variant-level choices and swatches): a column each."""
        attributes = type_attributes(request, chosen_type(request, obj), Level.VARIANT)
        return {slug: a for slug, a in attributes.items() if a.input_type in OPTION_TYPES}

    def get_fields(self, request, obj=None):
        options = [f"attr_{slug}" for slug in self.options(request, obj)]
        prices = [f"price_{code}" for code in services.currencies()]
        return ["sku", *options, *prices, "barcode", "weight_grams", "track_inventory", "position"]

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = variant_row_form(self.options(request, obj), services.currencies())
        return super().get_formset(request, obj, **kwargs)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("prices", "attribute_values__choices")
            .order_by("position", "id")
        )


def save_variants(request, product: Product, formset) -> None:
    """Delete, create and change the product's variants as the rows say, through the services;
    a refusal names the row and field it is about."""
    rows = rows_of(formset)
    for row, delete in rows:  # first, so that a SKU given up can be taken by another row
        if delete and row.instance.pk:
            with refusals(prefix=row.prefix):
                services.delete_variant(actor=request.user, variant=row.instance)
    for row, delete in rows:
        if delete:
            continue
        data, changed = row.cleaned_data, set(row.changed_data)
        stored = {price.currency: price for price in row.instance.prices.all()} if row.instance.pk else {}
        prices, names = [], {"attributes": None}
        for code in row.currencies:
            name = f"price_{code}"
            if name not in changed:
                continue
            kept = stored.get(code)
            names[f"prices.{len(prices)}.amount"] = name
            names[f"prices.{len(prices)}.currency"] = name
            prices.append(
                {
                    "currency": code,
                    "amount": minor(data.get(name), code),
                    "compare_at_amount": kept.compare_at_amount if kept else None,
                    "cost_amount": kept.cost_amount if kept else None,
                }
            )
        names.update(attribute_names(row.attributes.values()))
        values = changed_values(row, row.attributes)
        flags = {
            name: data.get(name)
            for name in ("barcode", "weight_grams", "track_inventory", "position")
            if name in changed
        }
        if "barcode" in flags:
            flags["barcode"] = flags["barcode"] or ""
        if "position" in flags:
            flags["position"] = flags["position"] or 0
        with refusals(prefix=row.prefix, names=names):
            if row.instance.pk is None:
                services.create_variant(
                    actor=request.user,
                    product=product,
                    sku=data.get("sku") or "",
                    attributes={slug: value for slug, value in values.items() if value is not None},
                    prices=[price for price in prices if price["amount"] is not None],
                    **flags,
                )
            elif changed:
                services.update_variant(
                    actor=request.user,
                    variant=row.instance,
                    sku=data.get("sku") if "sku" in changed else UNSET,
                    attributes=values,
                    prices=prices if prices else UNSET,
                    **flags,
                )


# --- products ------------------------------------------------------------------------------------

PERM = "catalog.manage_catalog"


class ProductForm(ServiceForm):
    """The product's form; its attribute fields come from its type."""

    attributes: dict = {}

    class Meta:
        model = Product
        fields = "__all__"


@admin.register(Product)
class ProductAdmin(ShopAdmin):
    """Products: the list with filters and the workflow, the page with variants and attributes."""

    form = ProductForm
    translated = PRODUCT_FIELDS
    slug_from = "name"
    inlines = [VariantInline, ImageInline]
    change_form_template = "admin/catalog/product_change_form.html"
    list_display = [
        "thumbnail",
        "product_name",
        "product_status",
        "product_type",
        "price",
        "variant_count",
        "category_names",
    ]
    list_display_links = ["product_name"]
    list_filter = ["status", "product_type", "categories", "collections"]
    search_fields = [*(column("name", code) for code in ("en", "ru")), "variants__sku"]
    list_select_related = ["product_type"]
    autocomplete_fields = ["categories"]
    ordering = ["-created_at", "-id"]
    list_per_page = 50
    status_fields = ["status", "activated_at", "created_at", "updated_at"]

    class Media:
        js = ["rustok/catalog_admin.js"]

    actions = [*ShopAdmin.actions, *bulk_actions()]
    actions_list = [
        "import_products",
        {"title": _("Export products"), "items": ["export_csv", "export_xlsx"]},
    ]

    # --- import and export (the list's top buttons) ---------------------------------------------
    # Named permissions (has_<name>_permission below), as Django's admin checks them.
    @action(description=_("Import products"), url_path="import", icon="upload", permissions=["import"])
    def import_products(self, request):
        return import_view(self, request)

    @action(description=_("CSV"), url_path="export-csv", icon="download", permissions=["export"])
    def export_csv(self, request):
        return export_response(request, "csv")

    @action(description=_("XLSX"), url_path="export-xlsx", icon="download", permissions=["export"])
    def export_xlsx(self, request):
        return export_response(request, "xlsx")

    def has_import_permission(self, request, obj=None) -> bool:
        return can(request.user, PERM)

    def has_export_permission(self, request, obj=None) -> bool:
        return can(request.user, "catalog.view_catalog")

    # --- the list -------------------------------------------------------------------------------
    def get_queryset(self, request):
        currency = services.shop_settings().default_currency
        prices = Price.objects.filter(variant__product=OuterRef("pk"), currency=currency)
        variants = Variant.objects.filter(product=OuterRef("pk")).order_by().values("product")
        return (
            super()
            .get_queryset(request)
            .annotate(
                price_currency=Value(currency, output_field=CharField()),
                variants_counted=Subquery(variants.annotate(n=Count("pk")).values("n")),
                price_min=Subquery(
                    prices.order_by().values("variant__product").annotate(m=Min("amount")).values("m")
                ),
                price_max=Subquery(
                    prices.order_by().values("variant__product").annotate(m=Max("amount")).values("m")
                ),
            )
            .prefetch_related(
                "categories",
                # The first image only, for the thumbnail (a filter on a window, not a slice:
                # modeltranslation's manager refuses to filter a sliced prefetch).
                Prefetch(
                    "images",
                    queryset=ProductImage.objects.annotate(
                        place=Window(RowNumber(), partition_by=F("product_id"), order_by=["position", "id"])
                    ).filter(place=1),
                ),
            )
        )

    @display(description=_("image"))
    def thumbnail(self, product: Product) -> str:
        return product_thumbnail(product)

    @display(description=_("name"), ordering=column("name", "en"))
    def product_name(self, product: Product) -> str:
        return str(product)

    @display(description=_("status"), ordering="status", label=STATUS_TONES)
    def product_status(self, product: Product):
        return product.status, product.get_status_display()

    @display(description=_("price"), ordering="price_min")
    def price(self, product: Product) -> str:
        low, high = getattr(product, "price_min", None), getattr(product, "price_max", None)
        code = getattr(product, "price_currency", None)
        if low is None or code is None:
            return "—"
        if high is None or high == low:
            return money.format_minor(low, code)
        return f"{money.format_minor(low, code)} – {money.format_minor(high, code)}"

    @display(description=_("variants"), ordering="variants_counted")
    def variant_count(self, product: Product) -> int:
        return getattr(product, "variants_counted", None) or 0

    @display(description=_("categories"))
    def category_names(self, product: Product) -> str:
        return ", ".join(str(category) for category in product.categories.all()) or "—"

    # --- the page -------------------------------------------------------------------------------
    def product_attributes(self, request, obj) -> dict:
        return type_attributes(request, chosen_type(request, obj), Level.PRODUCT)

    def get_fieldsets(self, request, obj=None):
        attributes = self.product_attributes(request, obj)
        fieldsets = [
            *language_fieldsets(self.translated),
            (_("Product"), {"fields": ["product_type", "categories", "tax_class", "weight_grams"]}),
        ]
        if attributes:
            names = [name for attribute in attributes.values() for name in attribute_field_names(attribute)]
            fieldsets.append((_("Attributes"), {"fields": names}))
        if obj is not None:
            fieldsets.append((_("Status"), {"fields": self.status_fields}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return ["product_type", *self.status_fields] if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = with_attributes(self.form, self.product_attributes(request, obj))
        form = super().get_form(request, obj, change, **kwargs)
        if "product_type" in form.base_fields:
            form.base_fields["product_type"].help_text = _(
                "Fixed once the product is saved. Its attributes and options show once it is chosen."
            )
        return form

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        chosen = chosen_type(request, None)
        if chosen is not None:
            initial["product_type"] = chosen.pk
        return initial

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["workflow_actions"] = self.workflow_steps(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def workflow_steps(self, request, product: Product) -> list[dict]:
        """The workflow buttons: the steps the product's status allows, if the user may take them."""
        if not can(request.user, "catalog.manage_catalog"):
            return []
        allowed = {t.name for t in product.get_available_status_transitions()}
        return [
            {
                "name": name,
                "label": TRANSITION_LABELS[name][0],
                "url": self.admin_url("transition", product.pk, name),
            }
            for name in services.TRANSITIONS
            if name in allowed
        ]

    # --- writes ---------------------------------------------------------------------------------
    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        texts = texts_from(self.translated, columns=data)
        fields = {name: data[name] for name in ("tax_class", "weight_grams") if name in data}
        categories = list(data.get("categories") or [])
        attributes = changed_values(form, form.attributes)
        names = attribute_names(form.attributes.values())
        with refusals(names=names):
            if change:
                product = services.update_product(
                    actor=request.user,
                    product=obj,
                    texts=texts,
                    categories=categories,
                    attributes=attributes,
                    **fields,
                )
            else:
                product = services.create_product(
                    actor=request.user,
                    product_type=data.get("product_type"),
                    texts=texts,
                    categories=categories,
                    attributes={slug: value for slug, value in attributes.items() if value is not None},
                    **fields,
                )
        obj.pk = product.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for formset in formsets:
            if formset.model is Variant:
                save_variants(request, form.instance, formset)
        for formset in formsets:  # last: a refusal after them would leave their files behind
            if formset.model is ProductImage:
                save_images(request, form.instance, formset)

    def delete_one(self, request, obj):
        services.delete_product(actor=request.user, product=obj)

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/transition/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name=f"{info}_transition",
            ),
            *super().get_urls(),
        ]

    def transition_view(self, request, object_id, name):
        """POST: move the product through transition `name` (a workflow button)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if name not in services.TRANSITIONS:
            raise Http404(f"No transition '{name}'.")
        product = self.get_object(request, unquote(object_id))
        if product is None:
            raise Http404(f"No product with ID {object_id!r}.")
        if not self.has_view_permission(request, product):
            raise PermissionDenied
        try:
            product = services.transition_product(actor=request.user, product=product, name=name)
        except DomainError as exc:
            self.message_user(request, exc.detail, messages.ERROR)
        else:
            self.message_user(
                request,
                _("“%(product)s” %(done)s.") % {"product": product, "done": TRANSITION_LABELS[name][1]},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(self.admin_url("change", product.pk))


# --- a variant's own page ------------------------------------------------------------------------


class PriceRowForm(ServiceForm):
    """One currency's prices, in the currency's major unit (12.50)."""

    currency = forms.ChoiceField(label=_("currency"))
    price = forms.DecimalField(label=_("price"), max_digits=22, decimal_places=None)
    compare_at = forms.DecimalField(
        label=_("compare-at price"), required=False, max_digits=22, decimal_places=None
    )
    cost = forms.DecimalField(label=_("cost price"), required=False, max_digits=22, decimal_places=None)

    class Meta:
        model = Price
        fields = ["currency"]

    def clean(self):
        cleaned = super().clean()
        code = self.instance.currency if self.instance.pk else cleaned.get("currency")
        for name in ("price", "compare_at", "cost"):
            check_decimals(self, name, code)
        return cleaned

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = services.currencies()
        self.fields["currency"].choices = [(code, code) for code in codes]
        price = self.instance
        if price.pk:
            self.fields["currency"].disabled = True
            self.initial.update(
                price=major(price.amount, price.currency),
                compare_at=major(price.compare_at_amount, price.currency),
                cost=major(price.cost_amount, price.currency),
            )


class PriceInline(ServiceInline, TabularInline):
    model = Price
    form = PriceRowForm
    fields = ["currency", "price", "compare_at", "cost"]
    extra = 1
    tab = False


PRICE_NAMES = {
    "prices.0.amount": "price",
    "prices.0.compare_at_amount": "compare_at",
    "prices.0.cost_amount": "cost",
    "prices.0.currency": "currency",
}


class VariantForm(ServiceForm):
    attributes: dict = {}

    class Meta:
        model = Variant
        fields = "__all__"


# The slot of the variant page's read-only panels: other modules (inventory: stock per location)
# register theirs with rustok.admin.register_panel(VARIANT_PANELS, ...).
VARIANT_PANELS = "catalog.variant"


@admin.register(Variant)
class VariantAdmin(ExtraPanels, ShopAdmin):
    """Variants: found by SKU; each one's page has its prices and attributes, and the panels other
    modules add (VARIANT_PANELS). Variants are added on their product's page."""

    panel_slot = VARIANT_PANELS

    form = VariantForm
    translated = ("name",)
    inlines = [PriceInline]
    list_display = ["sku", "variant_product", "variant_options", "track_inventory"]
    list_select_related = ["product"]
    search_fields = ["sku", "barcode", *(column("name", code) for code in ("en", "ru"))]
    list_filter = ["track_inventory", "product__status"]

    @display(description=_("product"), ordering="product")
    def variant_product(self, variant: Variant) -> str:
        """The variant's product, linked to its page (the model's foreign key has no translated name)."""
        url = reverse("admin:catalog_product_change", args=[variant.product_id])
        return format_html('<a href="{}">{}</a>', url, variant.product)

    @display(description=_("options"), ordering="options_key")
    def variant_options(self, variant: Variant) -> str:
        return variant.options_key.replace("|", ", ") or "—"

    def variant_attributes(self, request, obj) -> dict:
        return type_attributes(request, obj.product.product_type if obj else None, Level.VARIANT)

    def get_fieldsets(self, request, obj=None):
        attributes = self.variant_attributes(request, obj)
        fieldsets = [
            (
                None,
                {
                    "fields": [
                        "variant_product",
                        "sku",
                        "barcode",
                        "weight_grams",
                        "track_inventory",
                        "position",
                    ]
                },
            ),
            *language_fieldsets(self.translated),
        ]
        if attributes:
            names = [name for attribute in attributes.values() for name in attribute_field_names(attribute)]
            fieldsets.append((_("Attributes"), {"fields": names}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return ["variant_product"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = with_attributes(self.form, self.variant_attributes(request, obj))
        return super().get_form(request, obj, change, **kwargs)

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        data, changed = form.cleaned_data, set(form.changed_data)
        flags = {
            name: data.get(name)
            for name in ("barcode", "weight_grams", "track_inventory", "position")
            if name in changed
        }
        if "barcode" in flags:
            flags["barcode"] = flags["barcode"] or ""
        if "position" in flags:
            flags["position"] = flags["position"] or 0
        with refusals(names=attribute_names(form.attributes.values())):
            services.update_variant(
                actor=request.user,
                variant=obj,
                sku=data.get("sku") if "sku" in changed else UNSET,
                texts=texts_from(self.translated, columns=data),
                attributes=changed_values(form, form.attributes),
                **flags,
            )
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        variant = form.instance
        for formset in formsets:
            for row, delete in rows_of(formset):
                data = row.cleaned_data
                code = row.instance.currency if row.instance.pk else data.get("currency")
                if delete:
                    given = {"currency": code, "amount": None}
                elif row.has_changed():
                    given = {
                        "currency": code,
                        "amount": minor(data.get("price"), code),
                        "compare_at_amount": minor(data.get("compare_at"), code),
                        "cost_amount": minor(data.get("cost"), code),
                    }
                else:
                    continue
                with refusals(prefix=row.prefix, names=PRICE_NAMES):
                    services.set_prices(actor=request.user, variant=variant, prices=[given])

    def delete_one(self, request, obj):
        services.delete_variant(actor=request.user, variant=obj)
