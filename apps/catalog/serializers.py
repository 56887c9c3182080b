"""REST shapes of the catalogue: products (read and write), variants and prices, product types,
attributes, categories, collections, tax classes and the shop's settings.

Money is whole minor units with its `currency`, and `formatted` in the request's language
(rustok.money.format_minor): `{"currency": "EUR", "amount": 1250, "formatted": "€12.50"}`.

A product reads the same for everyone but for what only managers and admins see
(`catalog.view_catalog`): readers' answers come from the product documents (active products
only) and carry `null` where the field is theirs: the description's source, the tax class, cost
prices, stock counts (`available`; readers get `in_stock` only), the values as written, the
translations and the transitions allowed. Managers' answers come from the tables and carry
`null` for what only documents hold (`summary`'s neighbours `picture`, `pictures`, `options`,
`specification`); they get `images` instead.

Writers send the text of one language as plain fields (`name`, `slug`, ... in `language`,
default the request's) and other languages under `translations`: {"ru": {"name": "..."}}.
"""

from __future__ import annotations

import datetime as dt

from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.catalog import selectors
from apps.catalog.models import (
    OPTION_TYPES,
    Attribute,
    Collection,
    InputType,
    Level,
    Product,
    ProductCategory,
    ProductType,
    TaxClass,
)
from apps.catalog.projections import SUMMARY_WORDS, category_url, collection_url, product_url
from apps.catalog.stock import in_stock
from apps.catalog.translation import CATEGORY_FIELDS, COLLECTION_FIELDS, NAME_FIELDS, PRODUCT_FIELDS
from rustok import money, renditions, workflow
from rustok.api import serializers as strict
from rustok.api.texts import split_texts
from rustok.i18n import current_language, language_codes
from rustok.permissions import can
from rustok.texts import column, shown_language, translations
from rustok.tree import MAX_POSITION

LANGUAGE_HELP = "The language of the plain text fields (default: the request's language)."
TRANSLATIONS_HELP = 'Text in other languages: {"ru": {"name": "..."}}.'
TEXTS_SCHEMA = {"type": "object", "additionalProperties": {"type": "object"}}


def _languages():
    return [(code, code) for code in language_codes()]


def _absolute(context, url: str | None) -> str | None:
    request = context.get("request")
    return request.build_absolute_uri(url) if request and url else url


# --- money ---------------------------------------------------------------------------------------


class PriceSerializer(serializers.Serializer):
    """A variant's price in one currency (minor units)."""

    currency = serializers.CharField(help_text="ISO 4217 code.")
    amount = serializers.IntegerField(help_text="Minor units: 1250 is 12.50 in EUR.")
    compare_at_amount = serializers.IntegerField(allow_null=True, help_text="The former price.")
    cost_amount = serializers.IntegerField(
        allow_null=True, help_text="What the shop pays; null for those without catalog.view_catalog."
    )
    formatted = serializers.CharField(help_text="The amount written in the request's language.")


class PriceRangeSerializer(serializers.Serializer):
    """A product's prices in one currency over its variants."""

    currency = serializers.CharField()
    min = serializers.IntegerField()
    max = serializers.IntegerField()
    compare_at = serializers.IntegerField(required=False, help_text="The highest former price, if any.")
    formatted = serializers.CharField(help_text="The lowest price written in the request's language.")


def price_answer(price, *, costs: bool) -> dict:
    return {
        "currency": price.currency,
        "amount": price.amount,
        "compare_at_amount": price.compare_at_amount,
        "cost_amount": price.cost_amount if costs else None,
        "formatted": money.format_minor(price.amount, price.currency),
    }


def price_ranges(variants) -> dict[str, dict]:
    """{currency: {currency, min, max, compare_at?, formatted}} over the variants' prices."""
    found: dict[str, dict] = {}
    for variant in variants:
        for price in variant.prices.all():
            entry = found.setdefault(
                price.currency, {"currency": price.currency, "min": price.amount, "max": price.amount}
            )
            entry["min"], entry["max"] = min(entry["min"], price.amount), max(entry["max"], price.amount)
            if price.compare_at_amount and price.compare_at_amount > price.amount:
                entry["compare_at"] = max(entry.get("compare_at", 0), price.compare_at_amount)
    for code, entry in found.items():
        entry["formatted"] = money.format_minor(entry["min"], code)
    return found


# --- attribute values ----------------------------------------------------------------------------


def written_value(value):
    """An attribute value as writers send it (apps.catalog.services.values)."""
    kind = value.attribute.input_type
    if kind in (InputType.TEXT, InputType.RICH_TEXT):
        return {code: getattr(value, column("text", code)) or "" for code in language_codes()}
    if kind == InputType.NUMBER:
        return None if value.number is None else f"{value.number.normalize():f}"
    if kind == InputType.BOOLEAN:
        return value.boolean
    if kind == InputType.DATE:
        return value.date.isoformat() if value.date else None
    slugs = [choice.slug for choice in value.choices.all()]
    return slugs if kind == InputType.MULTI_CHOICE else next(iter(slugs), None)


def written_values(owner) -> dict:
    return {value.attribute.slug: written_value(value) for value in owner.attribute_values.all()}


def options_of(variant) -> dict:
    """{option attribute slug: choice slug} of a variant."""
    return {
        value.attribute.slug: next((c.slug for c in value.choices.all()), None)
        for value in variant.attribute_values.all()
        if value.attribute.input_type in OPTION_TYPES
    }


# --- variants ------------------------------------------------------------------------------------


class VariantSerializer(serializers.Serializer):
    """A variant: what a shopper buys. Readers get those of active products, inside the product."""

    id = serializers.IntegerField()
    product = serializers.IntegerField(help_text="The product's id.")
    sku = serializers.CharField()
    name = serializers.CharField()
    options = serializers.DictField(child=serializers.CharField(allow_null=True), help_text="{size: m}")
    prices = PriceSerializer(many=True)
    in_stock = serializers.BooleanField()
    available = serializers.IntegerField(
        allow_null=True,
        help_text="Units that can be sold (catalog.view_catalog); null when stock is not counted.",
    )
    weight_grams = serializers.IntegerField(allow_null=True)
    barcode = serializers.CharField(allow_null=True)
    track_inventory = serializers.BooleanField(allow_null=True)
    position = serializers.IntegerField(allow_null=True)
    attributes = serializers.DictField(
        allow_null=True, help_text="Variant-level values as written (managers); null for readers."
    )
    translations = serializers.DictField(allow_null=True)

    def to_representation(self, variant):
        return variant_answer(variant, self.context)


def _staff(context) -> bool:
    if "staff" not in context:
        request = context.get("request")
        context["staff"] = selectors.readers_see_drafts(getattr(request, "user", None))
    return context["staff"]


def variant_answer(variant, context) -> dict:
    staff = _staff(context)
    counted = context.get("stock", {}).get(variant.pk)
    return {
        "id": variant.pk,
        "product": variant.product_id,
        "sku": variant.sku,
        "name": variant.name,
        "options": options_of(variant),
        "prices": [price_answer(price, costs=staff) for price in variant.prices.all()],
        "in_stock": in_stock(counted),
        "available": counted if staff else None,
        "weight_grams": variant.weight_grams,
        "barcode": variant.barcode,
        "track_inventory": variant.track_inventory,
        "position": variant.position,
        "attributes": written_values(variant),
        "translations": translations(variant, NAME_FIELDS),
    }


def reading_variant(found: dict, product_id: int) -> dict:
    """A variant from a product document's `detail`."""
    return {
        "id": found["id"],
        "product": product_id,
        "sku": found["sku"],
        "name": found["name"],
        "options": found["options"],
        "prices": [
            {
                "currency": code,
                "amount": price["amount"],
                "compare_at_amount": price["compare_at"],
                "cost_amount": None,
                "formatted": price["formatted"],
            }
            for code, price in found["prices"].items()
        ],
        "in_stock": found["in_stock"],
        "available": None,
        "weight_grams": found["weight_grams"],
        "barcode": None,
        "track_inventory": None,
        "position": None,
        "attributes": None,
        "translations": None,
    }


# --- products ------------------------------------------------------------------------------------


class ProductLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.CharField()


class ProductImageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    alt = serializers.CharField()
    position = serializers.IntegerField()


class ProductSerializer(serializers.Serializer):
    """A product. Lists leave out `variants` for readers (the product page has them)."""

    id = serializers.IntegerField()
    status = serializers.CharField(help_text="draft, active or archived; readers see active ones only.")
    product_type = serializers.CharField(help_text="The product type's slug.")
    language = serializers.CharField(help_text="The language the text is in.")
    languages = serializers.ListField(child=serializers.CharField())
    name = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.CharField()
    summary = serializers.CharField(help_text="The description's first 30 words.")
    description = serializers.CharField(allow_null=True, help_text="Markdown as written (managers).")
    description_html = serializers.CharField(allow_null=True, help_text="Product pages only for readers.")
    seo_title = serializers.CharField(allow_null=True)
    seo_description = serializers.CharField(allow_null=True)
    categories = ProductLinkSerializer(many=True)
    collections = ProductLinkSerializer(many=True)
    tax_class = serializers.CharField(allow_null=True, help_text="Its slug (managers).")
    weight_grams = serializers.IntegerField(allow_null=True)
    price = PriceRangeSerializer(allow_null=True, help_text="In the shop's default currency.")
    prices = serializers.DictField(child=PriceRangeSerializer(), help_text="By currency.")
    in_stock = serializers.BooleanField()
    picture = serializers.JSONField(allow_null=True, help_text="The first picture (readers).")
    pictures = serializers.JSONField(allow_null=True, help_text="Every picture (readers' product pages).")
    images = ProductImageSerializer(many=True, allow_null=True, help_text="The images (managers).")
    options = serializers.JSONField(allow_null=True, help_text="The options variants offer (readers).")
    specification = serializers.JSONField(
        allow_null=True, help_text="The attributes table as shoppers see it (readers' product pages)."
    )
    attributes = serializers.DictField(
        allow_null=True, help_text="Product-level values as written (managers)."
    )
    variants = VariantSerializer(many=True, allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True, help_text="The first activation.")
    created_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)
    translations = serializers.DictField(allow_null=True)
    allowed_transitions = serializers.ListField(child=serializers.CharField(), allow_null=True)

    def to_representation(self, product):
        return product_answer(product, self.context)


_datetime = serializers.DateTimeField().to_representation


def _stamp(value: str | None) -> str | None:
    """A date-time a document holds (ISO 8601), written as the API writes date-times."""
    return _datetime(dt.datetime.fromisoformat(value)) if value else None


def product_answer(product, context) -> dict:
    """A product from the tables (managers and a writer's own answer)."""
    variants = list(product.variants.all())
    ranges = price_ranges(variants)
    stock = context.get("stock", {})
    request = context.get("request")
    language = current_language()
    actor = getattr(request, "user", None)
    return {
        "id": product.pk,
        "status": product.status,
        "product_type": product.product_type.slug,
        "language": shown_language(product, "name"),
        "languages": [code for code in language_codes() if getattr(product, column("name", code))],
        "name": product.name,
        "slug": product.slug,
        "url": product_url(product.slug, language),
        "summary": Truncator(product.description_text or "").words(SUMMARY_WORDS),
        "description": product.description,
        "description_html": product.description_html,
        "seo_title": product.seo_title,
        "seo_description": product.seo_description,
        "categories": [
            {"id": c.pk, "name": c.name, "url": category_url(c, language)} for c in product.categories.all()
        ],
        "collections": [
            {"id": e.collection.pk, "name": e.collection.name, "url": collection_url(e.collection, language)}
            for e in product.collection_entries.all()
        ],
        "tax_class": product.tax_class.slug if product.tax_class else None,
        "weight_grams": product.weight_grams,
        "price": ranges.get(context["default_currency"]),
        "prices": ranges,
        "in_stock": any(in_stock(stock.get(v.pk)) for v in variants),
        "picture": None,
        "pictures": None,
        "images": [
            {
                "id": image.pk,
                "url": _absolute(context, image.image.url),
                "alt": image.alt or "",
                "position": image.position,
            }
            for image in product.images.all()
        ],
        "options": None,
        "specification": None,
        "attributes": written_values(product),
        "variants": [variant_answer(v, context) for v in variants],
        "published_at": _datetime(product.activated_at) if product.activated_at else None,
        "created_at": _datetime(product.created_at),
        "updated_at": _datetime(product.updated_at),
        "translations": translations(product, PRODUCT_FIELDS),
        "allowed_transitions": [
            name for name in workflow.allowed_transitions(product) if can(actor, "catalog.manage_catalog")
        ],
    }


class ProductReadingSerializer(serializers.Serializer):
    """An active product as readers get it, from its document: ProductSerializer's fields, with
    nothing computed per product but absolute addresses."""

    def to_representation(self, document):
        data = document.data
        detail = document.detail if self.context.get("detail") else None
        price = data["price"]
        currency = data["currency"]

        def ranged(code, found):
            return {"currency": code, **found}

        return {
            "id": data["id"],
            "status": "active",
            "product_type": data["product_type"],
            "language": data["language"],
            "languages": data["languages"],
            "name": data["name"],
            "slug": data["slug"],
            "url": document.url,
            "summary": data["summary"],
            "description": None,
            "description_html": detail["description_html"] if detail else None,
            "seo_title": detail["seo_title"] if detail else None,
            "seo_description": detail["seo_description"] if detail else None,
            "categories": data["categories"],
            "collections": data["collections"],
            "tax_class": None,
            "weight_grams": detail["weight_grams"] if detail else None,
            "price": ranged(currency, price) if price else None,
            "prices": {code: ranged(code, found) for code, found in data["prices"].items()},
            "in_stock": data["in_stock"],
            "picture": self._picture(data["picture"]),
            "pictures": [self._picture(p) for p in detail["pictures"]] if detail else None,
            "images": None,
            "options": data["options"],
            "specification": detail["attributes"] if detail else None,
            "attributes": None,
            "variants": [reading_variant(v, data["id"]) for v in detail["variants"]] if detail else None,
            "published_at": _datetime(document.published_at) if document.published_at else None,
            "created_at": _stamp(data["created_at"]),
            "updated_at": _stamp(data["updated_at"]),
            "translations": None,
            "allowed_transitions": None,
        }

    def _picture(self, described):
        request = self.context.get("request")
        return renditions.absolute(described, request.build_absolute_uri) if request else described


class ProductTextSerializer(strict.Serializer):
    """The text of a product in one language; every field optional, "" clears it."""

    name = serializers.CharField(required=False, allow_blank=True)
    slug = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    seo_title = serializers.CharField(required=False, allow_blank=True)
    seo_description = serializers.CharField(required=False, allow_blank=True)


def _check_languages(value):
    unknown = sorted(set(value) - set(language_codes()))
    if unknown:
        raise serializers.ValidationError(
            f"Unknown language(s) {', '.join(unknown)}. Known: {', '.join(language_codes())}."
        )
    return value


class ProductWriteSerializer(ProductTextSerializer):
    """What a manager sends to change a product (only the fields given change)."""

    unknown_field_hints = {
        "status": _("Change it with POST to the product's activate/, deactivate/, archive/ or unarchive/."),
        "product_type": _("A product's type is fixed at creation."),
        "variants": _(
            "Add variants with POST to the product's variants/ address, change them at variants/<id>/."
        ),
    }

    language = serializers.ChoiceField(choices=_languages(), required=False, help_text=LANGUAGE_HELP)
    translations = serializers.DictField(
        child=ProductTextSerializer(),
        required=False,
        help_text=TRANSLATIONS_HELP,
        validators=[_check_languages],
    )
    categories = strict.PrimaryKeyRelatedField(
        queryset=ProductCategory.objects.all(), many=True, required=False, help_text="Ids of categories."
    )
    tax_class = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=TaxClass.objects.all(),
        required=False,
        allow_null=True,
        help_text="A tax class's slug.",
    )
    weight_grams = strict.WholeNumberField(required=False, allow_null=True, help_text="Whole grams.")
    attributes = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        required=False,
        help_text="Product-level values by attribute slug; null removes one.",
    )

    def service_arguments(self) -> tuple[str, dict]:
        return split_texts(self.validated_data, PRODUCT_FIELDS)


class ProductCreateSerializer(ProductWriteSerializer):
    """A new draft: its type, and a name in at least one language."""

    unknown_field_hints = {
        key: hint for key, hint in ProductWriteSerializer.unknown_field_hints.items() if key != "product_type"
    }

    product_type = serializers.PrimaryKeyRelatedField(
        queryset=ProductType.objects.all(), help_text="The product type's id; fixed afterwards."
    )


class PriceInputSerializer(strict.Serializer):
    """A price in one currency; amounts in minor units (1250 for 12.50), whole and not negative."""

    currency = serializers.CharField(help_text="ISO 4217 code of a currency the shop sells in.")
    amount = strict.WholeNumberField(allow_null=True, help_text="null removes the price (changes only).")
    compare_at_amount = strict.WholeNumberField(required=False, allow_null=True)
    cost_amount = strict.WholeNumberField(required=False, allow_null=True)


class PricesSerializer(strict.Serializer):
    prices = PriceInputSerializer(many=True, help_text="The currencies given are set; the others stay.")


class ImageTextSerializer(strict.Serializer):
    """An image's text in one language; "" clears it."""

    alt = serializers.CharField(required=False, allow_blank=True, help_text="Alternative text.")


class ProductImageWriteSerializer(ImageTextSerializer):
    """What a manager sends to change an image: its alt text and its place (only what is given)."""

    language = serializers.ChoiceField(choices=_languages(), required=False, help_text=LANGUAGE_HELP)
    translations = serializers.DictField(
        child=ImageTextSerializer(),
        required=False,
        help_text='Alt text in other languages: {"ru": {"alt": "..."}}; in a multipart body, '
        "one part per language named `translations.ru.alt`.",
        validators=[_check_languages],
    )
    position = serializers.IntegerField(
        required=False, help_text="Its place in the gallery: 0 is first; past the end is the end."
    )

    def service_arguments(self) -> tuple[str, dict]:
        return split_texts(self.validated_data, ("alt",))


class ProductImageUploadSerializer(ProductImageWriteSerializer):
    """A new image of a product's gallery (multipart): the file, its alt text, its place."""

    image = serializers.FileField(help_text="JPEG, PNG, GIF or WebP; checked by content, not by name.")

    def service_arguments(self) -> tuple[str, dict]:
        language, arguments = super().service_arguments()
        arguments["upload"] = arguments.pop("image")
        return language, arguments


class ProductImagesOrderSerializer(strict.Serializer):
    images = serializers.ListField(
        child=strict.WholeNumberField(), help_text="Every image of the product once, in the new order."
    )


BULK_ACTIONS = (
    "activate",
    "deactivate",
    "archive",
    "unarchive",
    "change_prices",
    "assign_category",
    "remove_category",
    "add_to_collection",
    "remove_from_collection",
)


class ProductBulkSerializer(strict.Serializer):
    """One bulk action over many products, all or nothing."""

    action = serializers.ChoiceField(choices=BULK_ACTIONS)
    products = serializers.ListField(
        child=strict.WholeNumberField(), help_text="Product ids, each counted once; 1 to 1000."
    )
    percent = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        coerce_to_string=False,
        help_text="change_prices (required): above -100, at most 1000, not 0, two decimal places at most.",
    )
    currency = serializers.CharField(
        required=False, help_text="change_prices: only the prices in this currency (default: every one)."
    )
    field = serializers.ChoiceField(
        choices=("amount", "compare_at_amount", "cost_amount"),
        required=False,
        help_text="change_prices: which amount (default: amount).",
    )
    category = strict.WholeNumberField(required=False, help_text="assign_category, remove_category: its id.")
    collection = strict.WholeNumberField(
        required=False, help_text="add_to_collection, remove_from_collection: its id."
    )


class ProductBulkResultSerializer(serializers.Serializer):
    products = serializers.IntegerField(help_text="How many products the action was given.")
    changed = serializers.IntegerField(help_text="How many of them it changed (the others were as asked).")


class VariantTextSerializer(strict.Serializer):
    name = serializers.CharField(required=False, allow_blank=True)


class VariantWriteSerializer(VariantTextSerializer):
    """What a manager sends to change a variant (only the fields given change)."""

    unknown_field_hints = {"product": _("A variant stays with its product.")}

    sku = serializers.CharField(required=False, help_text="Unique in the shop.")
    language = serializers.ChoiceField(choices=_languages(), required=False, help_text=LANGUAGE_HELP)
    translations = serializers.DictField(
        child=VariantTextSerializer(),
        required=False,
        help_text=TRANSLATIONS_HELP,
        validators=[_check_languages],
    )
    attributes = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        required=False,
        help_text="Variant-level values by attribute slug (the options among them: {size: m}).",
    )
    prices = PriceInputSerializer(many=True, required=False)
    barcode = serializers.CharField(required=False, allow_blank=True)
    weight_grams = strict.WholeNumberField(required=False, allow_null=True)
    track_inventory = serializers.BooleanField(required=False)
    position = strict.WholeNumberField(required=False)

    def service_arguments(self) -> tuple[str, dict]:
        return split_texts(self.validated_data, NAME_FIELDS)


class VariantCreateSerializer(VariantWriteSerializer):
    sku = serializers.CharField(help_text="Unique in the shop.")


# --- product types, attributes -------------------------------------------------------------------


class NamedSerializer(serializers.Serializer):
    """A row with a translated name: the shown language and every language's text."""

    text_fields: tuple[str, ...] = NAME_FIELDS

    language = serializers.SerializerMethodField()
    translations = serializers.SerializerMethodField()

    def get_language(self, obj) -> str:
        return shown_language(obj, "name")

    @extend_schema_field(TEXTS_SCHEMA)
    def get_translations(self, obj):
        return translations(obj, self.text_fields)


class TypeAttributeSerializer(serializers.Serializer):
    attribute = serializers.CharField(source="attribute.slug", help_text="The attribute's slug.")
    level = serializers.ChoiceField(choices=Level.choices)


class ProductTypeSerializer(NamedSerializer, serializers.ModelSerializer):
    attributes = TypeAttributeSerializer(source="type_attributes", many=True)

    class Meta:
        model = ProductType
        fields = ["id", "slug", "name", "language", "translations", "has_variants", "attributes"]


class NameTextSerializer(strict.Serializer):
    name = serializers.CharField(required=False, allow_blank=True)


class TypeAttributeInputSerializer(strict.Serializer):
    attribute = serializers.CharField(help_text="An attribute's slug.")
    level = serializers.ChoiceField(
        choices=Level.choices, required=False, help_text="product (default) or variant."
    )


class NamedWriteSerializer(NameTextSerializer):
    language = serializers.ChoiceField(choices=_languages(), required=False, help_text=LANGUAGE_HELP)
    translations = serializers.DictField(
        child=NameTextSerializer(), required=False, help_text=TRANSLATIONS_HELP, validators=[_check_languages]
    )

    def service_arguments(self) -> tuple[str, dict]:
        return split_texts(self.validated_data, NAME_FIELDS)


class ProductTypeWriteSerializer(NamedWriteSerializer):
    unknown_field_hints = {
        "slug": _("A product type's slug is fixed at creation."),
        "has_variants": _("Whether a type has variants is fixed at creation."),
    }

    attributes = TypeAttributeInputSerializer(
        many=True, required=False, help_text="Its attributes in order; one left out loses its values."
    )


class ProductTypeCreateSerializer(ProductTypeWriteSerializer):
    unknown_field_hints = {}

    slug = serializers.CharField()
    has_variants = serializers.BooleanField(required=False)


class AttributeChoiceSerializer(NamedSerializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    color = serializers.CharField(help_text="#rrggbb (swatches), else empty.")
    position = serializers.IntegerField()


class AttributeSerializer(NamedSerializer, serializers.ModelSerializer):
    choices = AttributeChoiceSerializer(many=True)

    class Meta:
        model = Attribute
        fields = [
            "id", "slug", "name", "language", "translations", "input_type", "unit", "filterable",
            "position", "choices",
        ]  # fmt: skip


class ChoiceInputSerializer(NamedWriteSerializer):
    slug = serializers.CharField()
    color = serializers.CharField(required=False, allow_blank=True, help_text="#rrggbb, swatches only.")


def choice_arguments(choices: list[dict]) -> list[dict]:
    """Validated choices as the attribute services take them: {slug, texts, color}."""
    found = []
    for choice in choices:
        _language, arguments = split_texts(choice, NAME_FIELDS)
        found.append(
            {"slug": arguments["slug"], "texts": arguments["texts"], "color": arguments.get("color", "")}
        )
    return found


class AttributeWriteSerializer(NamedWriteSerializer):
    unknown_field_hints = {
        "slug": _("An attribute's slug is fixed at creation."),
        "input_type": _("An attribute's type is fixed at creation: values were written for it."),
    }

    unit = serializers.CharField(required=False, allow_blank=True, help_text="Numbers only: kg, cm, ...")
    filterable = serializers.BooleanField(required=False)
    position = strict.WholeNumberField(required=False)
    choices = ChoiceInputSerializer(
        many=True,
        required=False,
        help_text="Every choice in order, matched by slug; one left out is deleted.",
    )


class AttributeCreateSerializer(AttributeWriteSerializer):
    unknown_field_hints = {}

    slug = serializers.CharField()
    input_type = serializers.ChoiceField(choices=InputType.choices)


# --- categories, collections, tax classes --------------------------------------------------------


class ProductCategorySerializer(NamedSerializer, serializers.ModelSerializer):
    text_fields = CATEGORY_FIELDS

    children = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()

    class Meta:
        model = ProductCategory
        fields = [
            "id", "name", "slug", "description", "language", "parent", "children", "position", "image",
            "translations",
        ]  # fmt: skip

    def get_children(self, category) -> list[int]:
        """The ids of its subcategories, in order."""
        if "tree" not in self.context:
            self.context["tree"] = selectors.category_tree()
        return self.context["tree"].get(category.pk, [])

    def get_image(self, category) -> str | None:
        return _absolute(self.context, category.image.url) if category.image else None


class TextsSerializer(NameTextSerializer):
    slug = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class GroupWriteSerializer(TextsSerializer):
    language = serializers.ChoiceField(choices=_languages(), required=False, help_text=LANGUAGE_HELP)
    translations = serializers.DictField(
        child=TextsSerializer(), required=False, help_text=TRANSLATIONS_HELP, validators=[_check_languages]
    )

    def service_arguments(self) -> tuple[str, dict]:
        return split_texts(self.validated_data, CATEGORY_FIELDS)


class ProductCategoryWriteSerializer(GroupWriteSerializer):
    parent = serializers.PrimaryKeyRelatedField(
        queryset=ProductCategory.objects.all(), required=False, allow_null=True
    )
    position = serializers.IntegerField(required=False, min_value=0, max_value=MAX_POSITION)


class CollectionSerializer(NamedSerializer, serializers.ModelSerializer):
    text_fields = COLLECTION_FIELDS

    products = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()

    class Meta:
        model = Collection
        fields = [
            "id", "name", "slug", "description", "language", "published_from", "published_until",
            "products", "image", "translations",
        ]  # fmt: skip

    def get_products(self, collection) -> list[int]:
        """The ids of its products, in order (readers: the active ones)."""
        return [entry.product_id for entry in collection.entries.all()]

    def get_image(self, collection) -> str | None:
        return _absolute(self.context, collection.image.url) if collection.image else None


class CollectionWriteSerializer(GroupWriteSerializer):
    published_from = serializers.DateTimeField(required=False, allow_null=True, help_text="null: always.")
    published_until = serializers.DateTimeField(required=False, allow_null=True, help_text="null: forever.")
    products = strict.PrimaryKeyRelatedField(
        queryset=Product.objects.all(),
        many=True,
        required=False,
        help_text="Ids of products in order; replaces them.",
    )


class TaxClassSerializer(NamedSerializer, serializers.ModelSerializer):
    class Meta:
        model = TaxClass
        fields = ["id", "slug", "name", "language", "translations"]


class TaxClassWriteSerializer(NamedWriteSerializer):
    slug = serializers.CharField(required=False)


class TaxClassCreateSerializer(TaxClassWriteSerializer):
    slug = serializers.CharField()


# --- the shop's settings -------------------------------------------------------------------------


class ShopSettingsSerializer(serializers.Serializer):
    default_currency = serializers.CharField(help_text="Every active product has a price in it.")
    currencies = serializers.ListField(child=serializers.CharField(), help_text="The others.")
    all_currencies = serializers.ListField(child=serializers.CharField(), help_text="The default first.")


class ShopSettingsWriteSerializer(strict.Serializer):
    unknown_field_hints = {"all_currencies": _("Set default_currency and currencies.")}

    default_currency = serializers.CharField(required=False, help_text="ISO 4217 code.")
    currencies = serializers.ListField(child=serializers.CharField(), required=False)
