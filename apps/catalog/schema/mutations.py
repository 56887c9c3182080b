"""GraphQL mutations of the catalogue: one per use case, each calling apps.catalog.services.

Each declares `catalog.manage_catalog` (managers, admins, the owner); the service checks it
again. Ids are looked up here (NOT_FOUND naming the argument); everything else is checked by the
service, in its one transaction, so a refused mutation writes nothing. Errors name the fields as
the services do (`sku`, `prices.0.amount`, `attributes.size`, `name_en`). Images are changed,
reordered and removed here, but uploaded over REST only (uploads take multipart bodies).
"""

from __future__ import annotations

import graphene
from graphene.types.generic import GenericScalar

from apps.catalog import services
from apps.catalog.models import Attribute as AttributeRow
from apps.catalog.models import Collection as CollectionRow
from apps.catalog.models import Product as ProductRow
from apps.catalog.models import ProductCategory as CategoryRow
from apps.catalog.models import ProductImage as ImageRow
from apps.catalog.models import ProductType as ProductTypeRow
from apps.catalog.models import Variant as VariantRow
from apps.catalog.schema.queries import pk_of
from apps.catalog.schema.types import (
    Amount,
    Attribute,
    AttributeLevel,
    AttributeType,
    Collection,
    Product,
    ProductCategory,
    ProductTransition,
    ProductType,
    ShopSettings,
    Variant,
    value_of,
)
from apps.catalog.selectors import variants_by_id
from apps.catalog.services.types import UNSET
from apps.catalog.translation import CATEGORY_FIELDS, COLLECTION_FIELDS, PRODUCT_FIELDS
from rustok.errors import InvalidInput, NotFound
from rustok.texts import texts_from

MANAGE = "catalog.manage_catalog"


def _row(model, value, field: str, label: str):
    """The row with id `value`; NotFound naming `field` otherwise."""
    pk = pk_of(value)
    found = model.objects.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise NotFound(f"No such {label}.", field=field)
    return found


def _rows(model, values, field: str, label: str) -> list:
    """The rows with these ids, in the order given; InvalidInput naming `field` for unknown ones."""
    pks = [pk_of(value) for value in values]
    found = model.objects.in_bulk([pk for pk in pks if pk is not None])
    unknown = [str(value) for value, pk in zip(values, pks, strict=True) if pk not in found]
    if unknown:
        raise InvalidInput.for_field(field, f"Unknown {label} id(s): {', '.join(unknown)}.")
    return list(dict.fromkeys(found[pk] for pk in pks))


def _texts(translations, fields) -> dict:
    """[{language, field: value}] as the services take text; a language at most once."""
    return texts_from(fields, ((item["language"], item) for item in translations or ()), once="translations")


def _attribute_values(given) -> dict:
    """[{slug, value}] as {slug: value}; a slug at most once."""
    values = {}
    for number, item in enumerate(given):
        if item["slug"] in values:
            raise InvalidInput.for_field(f"attributes.{number}.slug", f"'{item['slug']}' is given twice.")
        values[item["slug"]] = item.get("value")
    return values


def _given(data, name: str, convert=lambda value: value):
    """`convert(data[name])` if the input has `name`, else what the type and attribute services
    take as "leave it as it is"."""
    return convert(data[name]) if name in data else UNSET


def _text_input(name: str, fields: tuple[str, ...]) -> type:
    """The input type of one language's text: only the fields given change; "" or null clears one."""
    attrs = {"language": graphene.String(required=True)}
    attrs |= {field: graphene.String() for field in fields}
    return type(name, (graphene.InputObjectType,), attrs)


ProductTranslationInput = _text_input("ProductTranslationInput", PRODUCT_FIELDS)
NameTranslationInput = _text_input("NameTranslationInput", ("name",))
CategoryTranslationInput = _text_input("ProductCategoryTranslationInput", CATEGORY_FIELDS)
CollectionTranslationInput = _text_input("CollectionTranslationInput", COLLECTION_FIELDS)


class AttributeValueInput(graphene.InputObjectType):
    """The value of one attribute: text (or {"en": ..., "ru": ...}), a number (an integer or a
    decimal string), true or false, a date (YYYY-MM-DD), a choice's slug, a list of slugs; null
    removes it."""

    slug = graphene.String(required=True)
    value = GenericScalar()


class PriceInput(graphene.InputObjectType):
    """A price in one currency, in minor units; an amount of null removes the currency's price."""

    currency = graphene.String(required=True)
    amount = Amount()
    compare_at_amount = Amount()
    cost_amount = Amount()


def _prices(given) -> list[dict]:
    return [dict(price) for price in given]


class Deleted(graphene.ObjectType):
    """What a delete mutation answers."""

    ok = graphene.Boolean(required=True)
    id = graphene.ID(required=True, description="The id of what was deleted.")


def _deleted(row, delete) -> Deleted:
    pk = row.pk
    delete()
    return Deleted(ok=True, id=pk)


# --- products ------------------------------------------------------------------------------------


class ProductUpdateInput(graphene.InputObjectType):
    """What to change in a product; fields left out stay as they are."""

    translations = graphene.List(graphene.NonNull(ProductTranslationInput))
    category_ids = graphene.List(graphene.NonNull(graphene.ID), description="The full set; [] removes all.")
    tax_class = graphene.String(description="A tax class's slug; null for none.")
    weight_grams = graphene.Int()
    attributes = graphene.List(graphene.NonNull(AttributeValueInput), description="Product-level values.")


class ProductCreateInput(ProductUpdateInput):
    """A new draft product: its type and a name in at least one language."""

    product_type = graphene.ID(required=True)
    translations = graphene.List(graphene.NonNull(ProductTranslationInput), required=True)


def _product_changes(data) -> dict:
    changes = {}
    if "translations" in data:
        changes["texts"] = _texts(data["translations"], PRODUCT_FIELDS)
    if "category_ids" in data:
        changes["categories"] = _rows(CategoryRow, data["category_ids"] or [], "categoryIds", "category")
    if "attributes" in data:
        changes["attributes"] = _attribute_values(data["attributes"] or [])
    for name in ("tax_class", "weight_grams"):
        if name in data:
            changes[name] = data[name]
    return changes


class ProductPayload(graphene.ObjectType):
    product = graphene.Field(Product, required=True)


class ProductCreate(graphene.Mutation):
    """Write a new draft product."""

    access = MANAGE

    class Arguments:
        input = ProductCreateInput(required=True)

    Output = ProductPayload

    @staticmethod
    def mutate(root, info, input):
        product_type = _row(ProductTypeRow, input["product_type"], "productType", "product type")
        changes = _product_changes(input)
        product = services.create_product(actor=info.context.user, product_type=product_type, **changes)
        return ProductPayload(product=product)


class ProductUpdate(graphene.Mutation):
    """Change a product's text, categories, tax class, weight or attribute values."""

    access = MANAGE

    class Arguments:
        id = graphene.ID(required=True)
        input = ProductUpdateInput(required=True)

    Output = ProductPayload

    @staticmethod
    def mutate(root, info, id, input):
        product = _row(ProductRow, id, "id", "product")
        changes = _product_changes(input)
        return ProductPayload(
            product=services.update_product(actor=info.context.user, product=product, **changes)
        )


class ProductTransitionMutation(graphene.Mutation):
    """Move a product through its workflow; TRANSITION_NOT_ALLOWED names the steps its status
    allows, CONFLICT `price_required` an activation without a price in the default currency."""

    access = MANAGE

    class Arguments:
        id = graphene.ID(required=True)
        transition = ProductTransition(required=True)

    Output = ProductPayload

    @staticmethod
    def mutate(root, info, id, transition):
        product = _row(ProductRow, id, "id", "product")
        product = services.transition_product(
            actor=info.context.user, product=product, name=value_of(transition)
        )
        return ProductPayload(product=product)


class ProductDelete(graphene.Mutation):
    """Delete a product with its variants, prices, values and images."""

    access = MANAGE

    class Arguments:
        id = graphene.ID(required=True)

    Output = Deleted

    @staticmethod
    def mutate(root, info, id):
        product = _row(ProductRow, id, "id", "product")
        return _deleted(product, lambda: services.delete_product(actor=info.context.user, product=product))


class ProductBulkAction(graphene.Enum):
    """What a bulk call does to every product it is given."""

    ACTIVATE = "activate"
    DEACTIVATE = "deactivate"
    ARCHIVE = "archive"
    UNARCHIVE = "unarchive"
    CHANGE_PRICES = "change_prices"
    ASSIGN_CATEGORY = "assign_category"
    REMOVE_CATEGORY = "remove_category"
    ADD_TO_COLLECTION = "add_to_collection"
    REMOVE_FROM_COLLECTION = "remove_from_collection"


class ProductBulkInput(graphene.InputObjectType):
    """One action over many products; the options are those the action takes."""

    action = ProductBulkAction(required=True)
    products = graphene.List(graphene.NonNull(graphene.ID), required=True, description="1 to 1000 ids.")
    percent = GenericScalar(
        description="CHANGE_PRICES (required): a number or decimal string above -100, at most 1000, "
        "not 0, two decimal places at most."
    )
    currency = graphene.String(description="CHANGE_PRICES: only the prices in this currency.")
    field = graphene.String(description="CHANGE_PRICES: amount (default), compare_at_amount or cost_amount.")
    category = graphene.ID(description="ASSIGN_CATEGORY, REMOVE_CATEGORY: the category's id.")
    collection = graphene.ID(description="ADD_TO_COLLECTION, REMOVE_FROM_COLLECTION: the collection's id.")


class ProductBulkPayload(graphene.ObjectType):
    products = graphene.Int(required=True, description="How many products the action was given.")
    changed = graphene.Int(required=True, description="How many of them it changed.")


def _id_or_given(value):
    """An id argument as the services take it: the row id, or the value itself (refused there)."""
    pk = pk_of(value)
    return value if pk is None else pk


class ProductBulk(graphene.Mutation):
    """Activate, deactivate, archive or unarchive many products, change their prices by a
    percentage, or put them in or take them out of a category or collection: all or nothing.
    CONFLICT `products_refused` lists in `refused` every product the workflow cannot move."""

    access = MANAGE

    class Arguments:
        input = ProductBulkInput(required=True)

    Output = ProductBulkPayload

    @staticmethod
    def mutate(root, info, input):
        options = {name: input[name] for name in ("percent", "currency", "field") if name in input}
        for name in ("category", "collection"):
            if name in input:
                options[name] = _id_or_given(input[name])
        outcome = services.bulk_action(
            actor=info.context.user,
            action=value_of(input["action"]),
            products=[_id_or_given(value) for value in input["products"]],
            **options,
        )
        return ProductBulkPayload(products=len(outcome.products), changed=len(outcome.changed))


# --- images --------------------------------------------------------------------------------------

ImageTranslationInput = _text_input("ProductImageTranslationInput", ("alt",))


class ProductImageInput(graphene.InputObjectType):
    """What to change in an image; fields left out stay as they are."""

    translations = graphene.List(graphene.NonNull(ImageTranslationInput))
    position = graphene.Int(description="Its place in the gallery: 0 is first; past the end is the end.")


class ProductImageUpdate(graphene.Mutation):
    """Change an image's alt text (the languages given) or its place; the answer is its product."""

    access = MANAGE

    class Arguments:
        id = graphene.ID(required=True)
        input = ProductImageInput(required=True)

    Output = ProductPayload

    @staticmethod
    def mutate(root, info, id, input):
        image = _row(ImageRow, id, "id", "image")
        changes = {"texts": _texts(input.get("translations"), ("alt",))}
        if input.get("position") is not None:
            changes["position"] = input["position"]
        image = services.update_product_image(actor=info.context.user, image=image, **changes)
        return ProductPayload(product=image.product)


class ProductImageDelete(graphene.Mutation):
    """Remove an image from its product's gallery; the others close up."""

    access = MANAGE

    class Arguments:
        id = graphene.ID(required=True)

    Output = Deleted

    @staticmethod
    def mutate(root, info, id):
        image = _row(ImageRow, id, "id", "image")
        return _deleted(image, lambda: services.delete_product_image(actor=info.context.user, image=image))


class ProductImagesReorder(graphene.Mutation):
    """Put a product's images in the order given, naming every one once (INVALID naming
    `images` otherwise)."""

    access = MANAGE

    class Arguments:
        product_id = graphene.ID(required=True)
        image_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)

    Output = ProductPayload

    @staticmethod
    def mutate(root, info, product_id, image_ids):
        product = _row(ProductRow, product_id, "productId", "product")
        services.reorder_product_images(
            actor=info.context.user, product=product, image_ids=[_id_or_given(i) for i in image_ids]
        )
        return ProductPayload(product=ProductRow.objects.get(pk=product.pk))


# --- variants ------------------------------------------------------------------------------------


class VariantUpdateInput(graphene.InputObjectType):
    """What to change in a variant; fields left out stay as they are."""

    sku = graphene.String()
    translations = graphene.List(graphene.NonNull(NameTranslationInput))
    attributes = graphene.List(graphene.NonNull(AttributeValueInput), description="Options and other values.")
    prices = graphene.List(graphene.NonNull(PriceInput), description="The currencies given; others stay.")
    barcode = graphene.String()
    weight_grams = graphene.Int()
    track_inventory = graphene.Boolean()
    position = graphene.Int()


class VariantCreateInput(VariantUpdateInput):
    """A new variant: its SKU, its options, its prices."""

    sku = graphene.String(required=True)


def _variant_changes(data) -> dict:
    changes = {}
    if "translations" in data:
        changes["texts"] = _texts(data["translations"], ("name",))
    if "attributes" in data:
        changes["attributes"] = _attribute_values(data["attributes"] or [])
    if "prices" in data:
        changes["prices"] = _prices(data["prices"] or [])
    for name in ("sku", "barcode", "weight_grams", "track_inventory", "position"):
        if name in data:
            changes[name] = data[name]
    return changes


class VariantPayload(graphene.ObjectType):
    variant = graphene.Field(Variant, required=True)


def _answered(variant) -> VariantRow:
    """The variant as written, with its prices (a mutation answers from the write side)."""
    return variants_by_id([variant.pk])[variant.pk]


class VariantCreate(graphene.Mutation):
    """Add a variant to a product (a type without variants has one only: CONFLICT `has_no_variants`)."""

    access = MANAGE

    class Arguments:
        product_id = graphene.ID(required=True)
        input = VariantCreateInput(required=True)

    Output = VariantPayload

    @staticmethod
    def mutate(root, info, product_id, input):
        product = _row(ProductRow, product_id, "productId", "product")
        variant = services.create_variant(actor=info.context.user, product=product, **_variant_changes(input))
        return VariantPayload(variant=_answered(variant))


class VariantUpdate(graphene.Mutation):
    """Change a variant's SKU, name, options, prices or flags."""

    access = MANAGE

    class Arguments:
        id = graphene.ID(required=True)
        input = VariantUpdateInput(required=True)

    Output = VariantPayload

    @staticmethod
    def mutate(root, info, id, input):
        variant = _row(VariantRow, id, "id", "variant")
        variant = services.update_variant(actor=info.context.user, variant=variant, **_variant_changes(input))
        return VariantPayload(variant=_answered(variant))


class VariantSetPrices(graphene.Mutation):
    """Set a variant's prices in the currencies given (an amount of null removes one)."""

    access = MANAGE

    class Arguments:
        id = graphene.ID(required=True)
        prices = graphene.List(graphene.NonNull(PriceInput), required=True)

    Output = VariantPayload

    @staticmethod
    def mutate(root, info, id, prices):
        variant = _row(VariantRow, id, "id", "variant")
        variant = services.set_prices(actor=info.context.user, variant=variant, prices=_prices(prices))
        return VariantPayload(variant=_answered(variant))


class VariantDelete(graphene.Mutation):
    """Delete a variant; an active product keeps one (CONFLICT `last_variant`)."""

    access = MANAGE

    class Arguments:
        id = graphene.ID(required=True)

    Output = Deleted

    @staticmethod
    def mutate(root, info, id):
        variant = _row(VariantRow, id, "id", "variant")
        return _deleted(variant, lambda: services.delete_variant(actor=info.context.user, variant=variant))


# --- product types and attributes ----------------------------------------------------------------


class TypeAttributeInput(graphene.InputObjectType):
    """An attribute of a product type, by slug, on its products or its variants."""

    attribute = graphene.String(required=True)
    level = AttributeLevel(default_value="product")


class ProductTypeInput(graphene.InputObjectType):
    """A product type; on update, fields left out stay as they are (slug and hasVariants are fixed)."""

    slug = graphene.String()
    has_variants = graphene.Boolean()
    translations = graphene.List(graphene.NonNull(NameTranslationInput))
    attributes = graphene.List(graphene.NonNull(TypeAttributeInput), description="In order; the full set.")


def _type_attributes(given) -> list[dict]:
    return [
        {"attribute": item["attribute"], "level": value_of(item.get("level")) or "product"} for item in given
    ]


class ProductTypePayload(graphene.ObjectType):
    product_type = graphene.Field(ProductType, required=True)


class ProductTypeCreate(graphene.Mutation):
    """Add a product type with its attributes."""

    access = MANAGE

    class Arguments:
        input = ProductTypeInput(required=True)

    Output = ProductTypePayload

    @staticmethod
    def mutate(root, info, input):
        product_type = services.create_product_type(
            actor=info.context.user,
            slug=input.get("slug"),
            texts=_texts(input.get("translations"), ("name",)),
            has_variants=input.get("has_variants", True),
            attributes=_type_attributes(input.get("attributes") or []),
        )
        return ProductTypePayload(product_type=product_type)


class ProductTypeUpdate(graphene.Mutation):
    """Change a type's names or attributes (an attribute taken off loses its values)."""

    access = MANAGE

    class Arguments:
        id = graphene.ID(required=True)
        input = ProductTypeInput(required=True)

    Output = ProductTypePayload

    @staticmethod
    def mutate(root, info, id, input):
        product_type = _row(ProductTypeRow, id, "id", "product type")
        for fixed in ("slug", "has_variants"):
            if fixed in input:
                raise InvalidInput.for_field(fixed, "A product type's slug and variants are fixed.")
        product_type = services.update_product_type(
            actor=info.context.user,
            product_type=product_type,
            texts=_texts(input.get("translations"), ("name",)),
            attributes=_given(input, "attributes", lambda given: _type_attributes(given or [])),
        )
        return ProductTypePayload(product_type=product_type)


class ProductTypeDelete(graphene.Mutation):
    """Delete a product type no product has (CONFLICT `in_use`)."""

    access = MANAGE

    class Arguments:
        id = graphene.ID(required=True)

    Output = Deleted

    @staticmethod
    def mutate(root, info, id):
        product_type = _row(ProductTypeRow, id, "id", "product type")
        return _deleted(
            product_type,
            lambda: services.delete_product_type(actor=info.context.user, product_type=product_type),
        )


class AttributeChoiceInput(graphene.InputObjectType):
    """A choice of an attribute, kept by slug."""

    slug = graphene.String(required=True)
    translations = graphene.List(graphene.NonNull(NameTranslationInput))
    color = graphene.String(description="#rrggbb, swatches only.")


class AttributeInput(graphene.InputObjectType):
    """An attribute; on update, fields left out stay as they are (slug and type are fixed)."""

    slug = graphene.String()
    type = AttributeType()
    translations = graphene.List(graphene.NonNull(NameTranslationInput))
    unit = graphene.String()
    filterable = graphene.Boolean()
    position = graphene.Int()
    choices = graphene.List(graphene.NonNull(AttributeChoiceInput), description="In order; the full set.")


def _choices(given) -> list[dict]:
    return [
        {"slug": c["slug"], "texts": _texts(c.get("translations"), ("name",)), "color": c.get("color") or ""}
        for c in given
    ]


class AttributePayload(graphene.ObjectType):
    attribute = graphene.Field(Attribute, required=True)


class AttributeCreate(graphene.Mutation):
    """Add an attribute (its choices, for choice types and swatches)."""

    access = MANAGE

    class Arguments:
        input = AttributeInput(required=True)

    Output = AttributePayload

    @staticmethod
    def mutate(root, info, input):
        if input.get("type") is None:
            raise InvalidInput.for_field("type", "This field is required.")
        options = {
            name: input[name] for name in ("unit", "filterable", "position") if input.get(name) is not None
        }
        attribute = services.create_attribute(
            actor=info.context.user,
            slug=input.get("slug"),
            input_type=value_of(input["type"]),
            texts=_texts(input.get("translations"), ("name",)),
            choices=_choices(input.get("choices") or []),
            **options,
        )
        return AttributePayload(attribute=attribute)


class AttributeUpdate(graphene.Mutation):
    """Change an attribute's names, unit, filterability, position or choices."""

    access = MANAGE

    class Arguments:
        id = graphene.ID(required=True)
        input = AttributeInput(required=True)

    Output = AttributePayload

    @staticmethod
    def mutate(root, info, id, input):
        attribute = _row(AttributeRow, id, "id", "attribute")
        for fixed in ("slug", "type"):
            if fixed in input:
                raise InvalidInput.for_field(fixed, "An attribute's slug and type are fixed.")
        attribute = services.update_attribute(
            actor=info.context.user,
            attribute=attribute,
            texts=_texts(input.get("translations"), ("name",)),
            unit=_given(input, "unit"),
            filterable=_given(input, "filterable"),
            position=_given(input, "position"),
            choices=_given(input, "choices", lambda given: _choices(given or [])),
        )
        return AttributePayload(attribute=attribute)


class AttributeDelete(graphene.Mutation):
    """Delete an attribute no product type uses (CONFLICT `in_use`)."""

    access = MANAGE

    class Arguments:
        id = graphene.ID(required=True)

    Output = Deleted

    @staticmethod
    def mutate(root, info, id):
        attribute = _row(AttributeRow, id, "id", "attribute")
        return _deleted(
            attribute, lambda: services.delete_attribute(actor=info.context.user, attribute=attribute)
        )


# --- categories, collections, the shop's currencies ----------------------------------------------


class ProductCategoryInput(graphene.InputObjectType):
    """A category's text, parent and position; on update, fields left out stay as they are."""

    translations = graphene.List(graphene.NonNull(CategoryTranslationInput))
    parent_id = graphene.ID(description="null makes it a top category.")
    position = graphene.Int()


def _category_changes(data) -> dict:
    changes = {}
    if "translations" in data:
        changes["texts"] = _texts(data["translations"], CATEGORY_FIELDS)
    if "parent_id" in data:
        parent = data["parent_id"]
        changes["parent"] = (
            None if parent is None else _rows(CategoryRow, [parent], "parentId", "category")[0]
        )
    if "position" in data:
        changes["position"] = data["position"]
    return changes


class ProductCategoryPayload(graphene.ObjectType):
    category = graphene.Field(ProductCategory, required=True)


class ProductCategoryCreate(graphene.Mutation):
    """Add a product category."""

    access = MANAGE

    class Arguments:
        input = ProductCategoryInput(required=True)

    Output = ProductCategoryPayload

    @staticmethod
    def mutate(root, info, input):
        category = services.create_category(actor=info.context.user, **_category_changes(input))
        return ProductCategoryPayload(category=category)


class ProductCategoryUpdate(graphene.Mutation):
    """Change a category's text, parent or position."""

    access = MANAGE

    class Arguments:
        id = graphene.ID(required=True)
        input = ProductCategoryInput(required=True)

    Output = ProductCategoryPayload

    @staticmethod
    def mutate(root, info, id, input):
        category = _row(CategoryRow, id, "id", "category")
        category = services.update_category(
            actor=info.context.user, category=category, **_category_changes(input)
        )
        return ProductCategoryPayload(category=category)


class ProductCategoryDelete(graphene.Mutation):
    """Delete a category without subcategories (CONFLICT `has_children`); its products lose it."""

    access = MANAGE

    class Arguments:
        id = graphene.ID(required=True)

    Output = Deleted

    @staticmethod
    def mutate(root, info, id):
        category = _row(CategoryRow, id, "id", "category")
        return _deleted(
            category, lambda: services.delete_category(actor=info.context.user, category=category)
        )


class CollectionInput(graphene.InputObjectType):
    """A collection's text, window and products; on update, fields left out stay as they are."""

    translations = graphene.List(graphene.NonNull(CollectionTranslationInput))
    published_from = graphene.DateTime()
    published_until = graphene.DateTime()
    product_ids = graphene.List(graphene.NonNull(graphene.ID), description="In order; the full set.")


def _collection_changes(data) -> dict:
    changes = {}
    if "translations" in data:
        changes["texts"] = _texts(data["translations"], COLLECTION_FIELDS)
    for name in ("published_from", "published_until"):
        if name in data:
            changes[name] = data[name]
    if "product_ids" in data:
        changes["products"] = _rows(ProductRow, data["product_ids"] or [], "productIds", "product")
    return changes


class CollectionPayload(graphene.ObjectType):
    collection = graphene.Field(Collection, required=True)


class CollectionCreate(graphene.Mutation):
    """Add a collection."""

    access = MANAGE

    class Arguments:
        input = CollectionInput(required=True)

    Output = CollectionPayload

    @staticmethod
    def mutate(root, info, input):
        collection = services.create_collection(actor=info.context.user, **_collection_changes(input))
        return CollectionPayload(collection=collection)


class CollectionUpdate(graphene.Mutation):
    """Change a collection's text, window or products (which replace its products and their order)."""

    access = MANAGE

    class Arguments:
        id = graphene.ID(required=True)
        input = CollectionInput(required=True)

    Output = CollectionPayload

    @staticmethod
    def mutate(root, info, id, input):
        collection = _row(CollectionRow, id, "id", "collection")
        collection = services.update_collection(
            actor=info.context.user, collection=collection, **_collection_changes(input)
        )
        return CollectionPayload(collection=collection)


class CollectionDelete(graphene.Mutation):
    """Delete a collection; its products stay."""

    access = MANAGE

    class Arguments:
        id = graphene.ID(required=True)

    Output = Deleted

    @staticmethod
    def mutate(root, info, id):
        collection = _row(CollectionRow, id, "id", "collection")
        return _deleted(
            collection, lambda: services.delete_collection(actor=info.context.user, collection=collection)
        )


class ShopSettingsUpdate(graphene.Mutation):
    """Change the default currency or the others (CONFLICT `price_required`, `currency_in_use`)."""

    access = MANAGE

    class Arguments:
        default_currency = graphene.String()
        currencies = graphene.List(graphene.NonNull(graphene.String), description="The others; the full set.")

    Output = ShopSettings

    @staticmethod
    def mutate(root, info, default_currency=None, currencies=None):
        return services.update_shop_settings(
            actor=info.context.user, default_currency=default_currency, currencies=currencies
        )


class Mutation(graphene.ObjectType):
    """Writing the catalogue, one mutation per use case."""

    product_create = ProductCreate.Field()
    product_update = ProductUpdate.Field()
    product_transition = ProductTransitionMutation.Field()
    product_delete = ProductDelete.Field()
    product_bulk = ProductBulk.Field()
    product_image_update = ProductImageUpdate.Field()
    product_image_delete = ProductImageDelete.Field()
    product_images_reorder = ProductImagesReorder.Field()
    variant_create = VariantCreate.Field()
    variant_update = VariantUpdate.Field()
    variant_set_prices = VariantSetPrices.Field()
    variant_delete = VariantDelete.Field()
    product_type_create = ProductTypeCreate.Field()
    product_type_update = ProductTypeUpdate.Field()
    product_type_delete = ProductTypeDelete.Field()
    attribute_create = AttributeCreate.Field()
    attribute_update = AttributeUpdate.Field()
    attribute_delete = AttributeDelete.Field()
    product_category_create = ProductCategoryCreate.Field()
    product_category_update = ProductCategoryUpdate.Field()
    product_category_delete = ProductCategoryDelete.Field()
    collection_create = CollectionCreate.Field()
    collection_update = CollectionUpdate.Field()
    collection_delete = CollectionDelete.Field()
    shop_settings_update = ShopSettingsUpdate.Field()
