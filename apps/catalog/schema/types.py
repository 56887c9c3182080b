"""GraphQL types of the catalogue and the loaders of their relations.

Product and Variant resolve both what readers get (apps.catalog.schema.documents: ReadProduct and
ReadVariant, read from the product documents) and what managers get (the write side's rows, whose
relations are read by the loaders below: one query per relation for a whole page). A field a
reader may not see (a cost price, stock counts, the description as written) answers null.
"""

from __future__ import annotations

import datetime as dt

import graphene
from django.utils.text import Truncator
from graphene import relay
from graphql import IntValueNode, Undefined

from apps.catalog import selectors
from apps.catalog.models import OPTION_TYPES, InputType, Level, Status
from apps.catalog.projections import SUMMARY_WORDS, category_url, collection_url, product_url
from apps.catalog.schema.documents import (
    ReadProduct,
    ReadVariant,
    category_by_id,
    collection_by_id,
    detail_of,
    type_by_slug,
)
from apps.catalog.services import TRANSITIONS
from apps.catalog.stock import level_in_stock, stock_levels
from rustok import money, renditions
from rustok.dataloaders import Later, Loader
from rustok.i18n import current_language
from rustok.per_request import remembered
from rustok.permissions import can
from rustok.texts import shown_language

DEFAULT_PAGE = 20

ProductStatus = graphene.Enum(
    "ProductStatus", [(s.name, s.value) for s in Status], description="Where a product is in its workflow."
)
ProductTransition = graphene.Enum(
    "ProductTransition",
    [(name.upper(), name) for name in TRANSITIONS],
    description="A step of a product's workflow: activate, deactivate, archive, unarchive.",
)
ProductSort = graphene.Enum(
    "ProductSort",
    [("NEWEST", "newest"), ("PRICE", "price"), ("PRICE_DESC", "-price"), ("NAME", "name")],
    description="The order of a product list (the lowest price in the shop's default currency).",
)
AttributeType = graphene.Enum(
    "AttributeType", [(t.name, t.value) for t in InputType], description="What an attribute's values are."
)
AttributeLevel = graphene.Enum(
    "AttributeLevel", [(lv.name, lv.value) for lv in Level], description="Whose values: products or variants."
)


def value_of(choice):
    """The plain value of an enum member, else the value itself."""
    return getattr(choice, "value", choice)


class Amount(graphene.Scalar):
    """A whole number of a currency's minor units (1250 with EUR is €12.50), up to 2^63 - 1."""

    @staticmethod
    def serialize(value):
        return int(value)

    @staticmethod
    def parse_value(value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("Give a whole number of minor units.")
        return value

    @staticmethod
    def parse_literal(node, _variables=None):
        return int(node.value) if isinstance(node, IntValueNode) else Undefined


def can_see(info, perm: str) -> bool:
    """Whether the user holds `perm` (without an object), asked once per request."""
    user = info.context.user
    return remembered(("catalog.graphql.can", perm, user.pk), lambda: can(user, perm))


def is_manager(info) -> bool:
    return can_see(info, "catalog.view_catalog")


# --- loaders of the write side: one query for each relation a page asks ------------------------

variants_of = Loader(
    "catalog.variants", lambda request, ids: selectors.variants_of_products(ids), default=list
)
values_of = Loader("catalog.values", lambda request, ids: selectors.values_of_products(ids), default=list)
images_of = Loader("catalog.images", lambda request, ids: selectors.images_of_products(ids), default=list)
categories_of = Loader(
    "catalog.product_categories", lambda request, ids: selectors.categories_of_products(ids), default=list
)
collections_of = Loader(
    "catalog.product_collections", lambda request, ids: selectors.collections_of_products(ids), default=list
)
stock_of = Loader("catalog.stock", lambda request, ids: stock_levels(ids) or {})
variant_by_id = Loader("catalog.variant", lambda request, ids: selectors.variants_by_id(ids))
category_children = Loader(
    "catalog.category_children", lambda request, ids: selectors.children_of_categories(ids), default=list
)
attribute_choices = Loader(
    "catalog.attribute_choices", lambda request, ids: selectors.choices_of_attributes(ids), default=list
)
type_attributes = Loader(
    "catalog.type_attributes", lambda request, ids: selectors.type_attributes(ids), default=list
)


# --- small types ---------------------------------------------------------------------------------


class Rendition(graphene.ObjectType):
    """One WebP copy of an image, in one width."""

    url = graphene.String(required=True)
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)
    type = graphene.String(required=True, description="image/webp")


class ProductPicture(graphene.ObjectType):
    """An image at its own size, its alternative text, and its WebP renditions narrowest first."""

    id = graphene.ID(description="The image's id (what productImageUpdate and productImagesReorder take).")
    url = graphene.String(required=True)
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)
    alt = graphene.String(required=True)
    renditions = graphene.List(graphene.NonNull(Rendition), required=True)


def _absolute(info, described: dict | None) -> dict | None:
    return renditions.absolute(described, info.context.build_absolute_uri)


def _image_picture(info, image) -> dict | None:
    """A manager's image: as stored, with the renditions made so far."""
    described = renditions.picture(image.image, make=False)
    return {"id": image.pk, **described, "alt": image.alt or ""} if described else None


class PriceRange(graphene.ObjectType):
    """A product's prices in one currency over its variants."""

    currency = graphene.String(required=True)
    min = Amount(required=True)
    max = Amount(required=True)
    compare_at = Amount(description="The highest former price above the price, shown struck out.")
    formatted = graphene.String(required=True, description="The lowest price, for the shown language.")


class VariantPrice(graphene.ObjectType):
    """A variant's price in one currency."""

    currency = graphene.String(required=True)
    amount = Amount(required=True)
    compare_at_amount = Amount()
    cost_amount = Amount(description="What the shop pays (managers only; null for everyone else).")
    formatted = graphene.String(required=True)


class AttributeSummary(graphene.ObjectType):
    """What a product's attribute or option is."""

    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    type = graphene.Field(AttributeType, required=True)
    unit = graphene.String(required=True)


class AttributeChoiceValue(graphene.ObjectType):
    """A choice a product or variant has (size M, colour red)."""

    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    color = graphene.String(required=True, description="#rrggbb for swatches, else empty.")


class ProductAttribute(graphene.ObjectType):
    """One row of a product's attributes table: the product's value, or its variants' values."""

    attribute = graphene.Field(AttributeSummary, required=True)
    level = graphene.Field(AttributeLevel, required=True)
    values = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="As shown: text, a number with its unit, true or false, a date, the choices' names.",
    )
    choices = graphene.List(graphene.NonNull(AttributeChoiceValue), required=True)


class VariantOption(graphene.ObjectType):
    """An option a variant is in: the attribute (size) and its choice (M)."""

    attribute = graphene.Field(AttributeSummary, required=True)
    choice = graphene.Field(AttributeChoiceValue, required=True)


class VariantStock(graphene.ObjectType):
    """A variant's stock at one location."""

    location_id = graphene.ID(required=True)
    location_name = graphene.String(required=True)
    location_active = graphene.Boolean(required=True)
    on_hand = graphene.Int(required=True)
    reserved = graphene.Int(required=True)
    available = graphene.Int(required=True)

    @staticmethod
    def resolve_location_name(level, info):
        return level.location.name

    @staticmethod
    def resolve_location_active(level, info):
        return level.location.is_active


def _shown(attribute, value) -> tuple[list[str], list[dict]]:
    """A manager's attribute value as shown, and its choices."""
    kind = attribute.input_type
    if kind in (InputType.TEXT, InputType.RICH_TEXT):
        return ([value.text] if value.text else []), []
    if kind == InputType.NUMBER:
        if value.number is None:
            return [], []
        return [f"{value.number.normalize():f} {attribute.unit}".strip()], []
    if kind == InputType.BOOLEAN:
        return ([] if value.boolean is None else ["true" if value.boolean else "false"]), []
    if kind == InputType.DATE:
        return ([value.date.isoformat()] if value.date else []), []
    chosen = [{"slug": c.slug, "name": c.name, "color": c.color} for c in value.chosen]
    return [c["name"] for c in chosen], chosen


def _summary(attribute) -> dict:
    return {
        "slug": attribute.slug,
        "name": attribute.name,
        "type": attribute.input_type,
        "unit": attribute.unit,
    }


def _attribute_table(values) -> list[dict]:
    """A manager's product's attributes table from its values and its variants' (values_of)."""
    rows: dict[tuple, dict] = {}
    for value in values:
        level = (Level.PRODUCT if value.product_id else Level.VARIANT).value
        row = rows.setdefault(
            (value.attribute_id, level),
            {"attribute": _summary(value.attribute), "level": level, "values": [], "choices": []},
        )
        shown, chosen = _shown(value.attribute, value)
        row["values"] += [v for v in shown if v not in row["values"]]
        row["choices"] += [c for c in chosen if c not in row["choices"]]
    return [row for row in rows.values() if row["values"]]


def _read_table(rows: list[dict]) -> list[dict]:
    """A reader's attributes table, from the document."""
    table = []
    for row in rows:
        choices = [v for v in row["values"] if isinstance(v, dict)]
        values = [
            v["name"]
            if isinstance(v, dict)
            else ("true" if v else "false")
            if isinstance(v, bool)
            else str(v)
            for v in row["values"]
        ]
        attribute = {
            "slug": row["slug"],
            "name": row["name"],
            "type": row["type"],
            "unit": row.get("unit", ""),
        }
        table.append({"attribute": attribute, "level": row["level"], "values": values, "choices": choices})
    return table


def _price_ranges(variants, language: str) -> list[dict]:
    ranges: dict[str, dict] = {}
    for variant in variants:
        for price in variant.price_list:
            found = ranges.setdefault(price.currency, {"min": price.amount, "max": price.amount})
            found["min"], found["max"] = min(found["min"], price.amount), max(found["max"], price.amount)
            if price.compare_at_amount and price.compare_at_amount > price.amount:
                found["compare_at"] = max(found.get("compare_at", 0), price.compare_at_amount)
    return [
        {"currency": code, **found, "formatted": money.format_minor(found["min"], code, language)}
        for code, found in ranges.items()
    ]


def _stamp(value):
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


# --- variants ------------------------------------------------------------------------------------


class Variant(graphene.ObjectType):
    """What a shopper buys: a SKU in one set of options, with its prices."""

    id = graphene.ID(required=True)
    sku = graphene.String(required=True)
    name = graphene.String(required=True)
    product_id = graphene.ID(required=True)
    options = graphene.List(graphene.NonNull(VariantOption), required=True)
    prices = graphene.List(graphene.NonNull(VariantPrice), required=True)
    in_stock = graphene.Boolean(required=True)
    weight_grams = graphene.Int()
    barcode = graphene.String(description="Managers only.")
    track_inventory = graphene.Boolean(description="Managers only: sell only what is in stock.")
    position = graphene.Int(description="Managers only.")
    stock = graphene.List(
        graphene.NonNull(VariantStock),
        description="Stock per location (with `inventory.view_stock`; null for everyone else, and "
        "while stock is not counted).",
    )

    @staticmethod
    def resolve_id(variant, info):
        return variant.pk

    @staticmethod
    def resolve_product_id(variant, info):
        return variant.product_id

    @staticmethod
    def resolve_name(variant, info):
        return variant.name or ""

    @staticmethod
    def resolve_options(variant, info):
        if isinstance(variant, ReadVariant):
            return variant.options
        return values_of.load(info, variant.product_id).then(
            lambda values: [
                {"attribute": _summary(v.attribute), "choice": c}
                for v in values
                if v.variant_id == variant.pk and v.attribute.input_type in OPTION_TYPES
                for c in _shown(v.attribute, v)[1][:1]
            ]
        )

    @staticmethod
    def resolve_prices(variant, info):
        if isinstance(variant, ReadVariant):
            return variant.prices
        language = current_language()
        costs = is_manager(info)
        return [
            {
                "currency": p.currency,
                "amount": p.amount,
                "compare_at_amount": p.compare_at_amount,
                "cost_amount": p.cost_amount if costs else None,
                "formatted": money.format_minor(p.amount, p.currency, language),
            }
            for p in variant.price_list
        ]

    @staticmethod
    def resolve_in_stock(variant, info):
        if isinstance(variant, ReadVariant):
            return variant.in_stock
        return stock_of.load(info, variant.pk).then(
            lambda found: level_in_stock(variant.track_inventory, found)
        )

    @staticmethod
    def resolve_barcode(variant, info):
        return None if isinstance(variant, ReadVariant) else variant.barcode

    @staticmethod
    def resolve_track_inventory(variant, info):
        return None if isinstance(variant, ReadVariant) else variant.track_inventory

    @staticmethod
    def resolve_position(variant, info):
        return None if isinstance(variant, ReadVariant) else variant.position

    @staticmethod
    def resolve_stock(variant, info):
        if isinstance(variant, ReadVariant) or not can_see(info, "inventory.view_stock"):
            return None
        return stock_of.load(info, variant.pk)


# --- products ------------------------------------------------------------------------------------


class ProductCategory(graphene.ObjectType):
    """A category of the shop's tree, text in the shown language."""

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    description = graphene.String(required=True)
    url = graphene.String(required=True)
    position = graphene.Int(required=True)
    parent_id = graphene.ID()
    parent = graphene.Field(lambda: ProductCategory)
    children = graphene.List(graphene.NonNull(lambda: ProductCategory), required=True)
    image = graphene.String(description="The address of the category's image.")

    @staticmethod
    def resolve_url(category, info):
        return category_url(category, current_language())

    @staticmethod
    def resolve_parent(category, info):
        return category_by_id.load(info, category.parent_id) if category.parent_id else None

    @staticmethod
    def resolve_children(category, info):
        return category_children.load(info, category.pk)

    @staticmethod
    def resolve_image(category, info):
        return info.context.build_absolute_uri(category.image.url) if category.image else None


class Collection(graphene.ObjectType):
    """A hand-made list of products, shown in its publication window."""

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    description = graphene.String(required=True)
    url = graphene.String(required=True)
    published_from = graphene.DateTime()
    published_until = graphene.DateTime()
    image = graphene.String(description="The address of the collection's image.")

    @staticmethod
    def resolve_url(collection, info):
        return collection_url(collection, current_language())

    @staticmethod
    def resolve_image(collection, info):
        return info.context.build_absolute_uri(collection.image.url) if collection.image else None


class AttributeChoice(graphene.ObjectType):
    """One value a choice attribute offers."""

    id = graphene.ID(required=True)
    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    color = graphene.String(required=True)
    position = graphene.Int(required=True)


class Attribute(graphene.ObjectType):
    """A property products or variants have (material, weight, size)."""

    id = graphene.ID(required=True)
    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    type = graphene.Field(AttributeType, required=True)
    unit = graphene.String(required=True)
    filterable = graphene.Boolean(required=True)
    position = graphene.Int(required=True)
    choices = graphene.List(graphene.NonNull(AttributeChoice), required=True)

    @staticmethod
    def resolve_type(attribute, info):
        return value_of(attribute.input_type)

    @staticmethod
    def resolve_choices(attribute, info):
        return attribute_choices.load(info, attribute.pk)


class ProductTypeAttribute(graphene.ObjectType):
    """An attribute of a product type, on its products or its variants."""

    attribute = graphene.Field(Attribute, required=True)
    level = graphene.Field(AttributeLevel, required=True)

    @staticmethod
    def resolve_level(use, info):
        return value_of(use.level)


class ProductType(graphene.ObjectType):
    """A kind of product: the attributes its products and variants have."""

    id = graphene.ID(required=True)
    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    has_variants = graphene.Boolean(required=True)
    attributes = graphene.List(graphene.NonNull(ProductTypeAttribute), required=True)

    @staticmethod
    def resolve_attributes(product_type, info):
        return type_attributes.load(info, product_type.pk)


def _read_terms(info, loader: Loader, listed: list[dict]):
    """The categories or collections a document lists, by id; one deleted since is left out."""
    return loader.load_many(info, [item["id"] for item in listed]).then(
        lambda found: [item for item in found if item is not None]
    )


def _in_stock(info, product):
    return variants_of.load(info, product.pk).then(
        lambda variants: Later.all(stock_of.load(info, v.pk) for v in variants).then(
            lambda levels: any(
                level_in_stock(v.track_inventory, found) for v, found in zip(variants, levels, strict=True)
            )
        )
    )


class Product(graphene.ObjectType):
    """Something the shop sells, in one or more variants; text in the shown language. Readers see
    active products only, as their documents show them."""

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    language = graphene.String(required=True, description="The language the name is shown in.")
    url = graphene.String(required=True, description="The product's page in the storefront.")
    summary = graphene.String(required=True, description="The description's first words, as text.")
    description = graphene.String(description="The description as written, Markdown (managers only).")
    description_html = graphene.String(required=True)
    seo_title = graphene.String(required=True)
    seo_description = graphene.String(required=True)
    status = graphene.Field(ProductStatus, required=True)
    product_type = graphene.Field(ProductType)
    categories = graphene.List(graphene.NonNull(ProductCategory), required=True)
    collections = graphene.List(graphene.NonNull(Collection), required=True)
    picture = graphene.Field(ProductPicture, description="The first image.")
    images = graphene.List(graphene.NonNull(ProductPicture), required=True)
    price_range = graphene.List(graphene.NonNull(PriceRange), required=True, description="Per currency.")
    in_stock = graphene.Boolean(required=True, description="Whether some variant can be bought now.")
    variants = graphene.List(graphene.NonNull(Variant), required=True)
    attributes = graphene.List(graphene.NonNull(ProductAttribute), required=True)
    weight_grams = graphene.Int()
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    activated_at = graphene.DateTime(description="The first activation.")

    @staticmethod
    def resolve_id(product, info):
        return product.pk

    @staticmethod
    def resolve_language(product, info):
        if isinstance(product, ReadProduct):
            return product.data["language"]
        return shown_language(product, "name")

    @staticmethod
    def resolve_url(product, info):
        if isinstance(product, ReadProduct):
            return product.document.url
        return product_url(product.slug, current_language())

    @staticmethod
    def resolve_summary(product, info):
        if isinstance(product, ReadProduct):
            return product.data["summary"]
        return Truncator(product.description_text or "").words(SUMMARY_WORDS)

    @staticmethod
    def resolve_description(product, info):
        return None if isinstance(product, ReadProduct) else product.description

    @staticmethod
    def resolve_description_html(product, info):
        if isinstance(product, ReadProduct):
            return detail_of(info, product).then(lambda detail: detail["description_html"])
        return product.description_html

    @staticmethod
    def resolve_seo_title(product, info):
        if isinstance(product, ReadProduct):
            return detail_of(info, product).then(lambda detail: detail["seo_title"])
        return product.seo_title

    @staticmethod
    def resolve_seo_description(product, info):
        if isinstance(product, ReadProduct):
            return detail_of(info, product).then(lambda detail: detail["seo_description"])
        return product.seo_description

    @staticmethod
    def resolve_weight_grams(product, info):
        if isinstance(product, ReadProduct):
            return detail_of(info, product).then(lambda detail: detail.get("weight_grams"))
        return product.weight_grams

    @staticmethod
    def resolve_status(product, info):
        return Status.ACTIVE.value if isinstance(product, ReadProduct) else value_of(product.status)

    @staticmethod
    def resolve_product_type(product, info):
        if isinstance(product, ReadProduct):
            return type_by_slug.load(info, product.data["product_type"])
        return product.product_type

    @staticmethod
    def resolve_categories(product, info):
        if isinstance(product, ReadProduct):
            return _read_terms(info, category_by_id, product.data["categories"])
        return categories_of.load(info, product.pk)

    @staticmethod
    def resolve_collections(product, info):
        if isinstance(product, ReadProduct):
            return _read_terms(info, collection_by_id, product.data["collections"])
        return collections_of.load(info, product.pk)

    @staticmethod
    def resolve_picture(product, info):
        if isinstance(product, ReadProduct):
            return _absolute(info, product.data["picture"])
        return images_of.load(info, product.pk).then(
            lambda images: _absolute(info, _image_picture(info, images[0])) if images else None
        )

    @staticmethod
    def resolve_images(product, info):
        if isinstance(product, ReadProduct):
            return detail_of(info, product).then(
                lambda detail: [_absolute(info, p) for p in detail["pictures"]]
            )
        return images_of.load(info, product.pk).then(
            lambda images: [p for p in (_absolute(info, _image_picture(info, i)) for i in images) if p]
        )

    @staticmethod
    def resolve_price_range(product, info):
        if isinstance(product, ReadProduct):
            return [{"currency": code, **found} for code, found in product.data["prices"].items()]
        language = current_language()
        return variants_of.load(info, product.pk).then(lambda variants: _price_ranges(variants, language))

    @staticmethod
    def resolve_in_stock(product, info):
        if isinstance(product, ReadProduct):
            return product.data["in_stock"]
        return _in_stock(info, product)

    @staticmethod
    def resolve_variants(product, info):
        if isinstance(product, ReadProduct):
            return detail_of(info, product).then(product.variants)
        return variants_of.load(info, product.pk)

    @staticmethod
    def resolve_attributes(product, info):
        if isinstance(product, ReadProduct):
            return detail_of(info, product).then(lambda detail: _read_table(detail["attributes"]))
        return values_of.load(info, product.pk).then(_attribute_table)

    @staticmethod
    def resolve_created_at(product, info):
        return _stamp(product.data["created_at"]) if isinstance(product, ReadProduct) else product.created_at

    @staticmethod
    def resolve_updated_at(product, info):
        return _stamp(product.data["updated_at"]) if isinstance(product, ReadProduct) else product.updated_at

    @staticmethod
    def resolve_activated_at(product, info):
        if isinstance(product, ReadProduct):
            return product.document.published_at
        return product.activated_at


class ProductConnection(relay.Connection):
    """A page of products; cursors are opaque and valid for the same filters and order."""

    class Meta:
        node = Product

    total_count = graphene.Int(required=True, description="How many products match, on all pages.")


class ShopSettings(graphene.ObjectType):
    """The currencies the shop sells in."""

    default_currency = graphene.String(required=True, description="Every active product has a price in it.")
    currencies = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="Every currency, the default first."
    )

    @staticmethod
    def resolve_currencies(settings, info):
        return settings.all_currencies
