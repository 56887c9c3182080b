"""Attributes (with their choices) and product types (which attributes their products and
variants have). Managers and admins write them (catalog.manage_catalog)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction

from apps.catalog.events import AttributeChanged, ProductTypeChanged
from apps.catalog.models import (
    Attribute,
    AttributeChoice,
    InputType,
    Level,
    Product,
    ProductType,
    ProductTypeAttribute,
)
from rustok.errors import Conflict, InvalidInput
from rustok.events import publish
from rustok.permissions import require
from rustok.rows import lock
from rustok.texts import Texts, assign, check_lengths, check_texts

PERM = "catalog.manage_catalog"
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
UNSET = object()


def _slug(value, field: str = "slug") -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput.for_field(field, "This field is required.")
    value = value.strip()
    try:
        validate_slug(value)
    except ValidationError:
        raise InvalidInput.for_field(field, "Use only letters, numbers, underscores and hyphens.") from None
    if len(value) > 120:
        raise InvalidInput.for_field(field, "At most 120 characters.")
    return value


def _save_unique(obj, field: str, noun: str) -> None:
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        if "uniq" in str(exc) or "unique" in str(exc).lower():
            raise InvalidInput.for_field(field, f"Another {noun} has this {field}.") from None
        raise


def _products_of_attribute(attribute: Attribute) -> list[int]:
    found = Product.objects.filter(product_type__type_attributes__attribute=attribute)
    return list(found.values_list("pk", flat=True))


# --- attributes ----------------------------------------------------------------------------------


def _check_choices(attribute: Attribute, choices) -> list[dict]:
    """Choices as given: [{"slug", "texts"?: {language: {"name"}}, "color"?}], checked."""
    if not isinstance(choices, list | tuple):
        raise InvalidInput.for_field("choices", "Give a list of choices.")
    if choices and not attribute.has_choices:
        raise InvalidInput.for_field(
            "choices", f"A {attribute.get_input_type_display()} attribute has no choices."
        )
    seen, clean = set(), []
    for number, choice in enumerate(choices):
        field = f"choices.{number}"
        if not isinstance(choice, Mapping):
            raise InvalidInput.for_field(field, "Give each choice as an object with a slug.")
        slug = _slug(choice.get("slug"), f"{field}.slug")
        if slug in seen:
            raise InvalidInput.for_field(f"{field}.slug", f"The slug '{slug}' is given twice.")
        seen.add(slug)
        color = choice.get("color") or ""
        if attribute.input_type == InputType.SWATCH and not COLOR.match(color):
            raise InvalidInput.for_field(f"{field}.color", "Give a colour as #rrggbb.")
        if color and attribute.input_type != InputType.SWATCH:
            raise InvalidInput.for_field(f"{field}.color", "Only swatches have a colour.")
        clean.append({"slug": slug, "texts": choice.get("texts") or {}, "color": color})
    return clean


def _write_choices(attribute: Attribute, choices: list[dict]) -> None:
    """Make the attribute's choices these, in this order (kept by slug; others deleted)."""
    existing = {choice.slug: choice for choice in attribute.choices.all()}
    for position, given in enumerate(choices):
        choice = existing.pop(given["slug"], None) or AttributeChoice(attribute=attribute, slug=given["slug"])
        assign(choice, check_texts(given["texts"], ("name",)))
        check_lengths(choice, ("name",))
        if not any(getattr(choice, column) for column in _name_columns()):
            choice.name = given["slug"]
        choice.color, choice.position = given["color"], position
        choice.save()
    for gone in existing.values():
        gone.delete()


def _name_columns() -> list[str]:
    from rustok.i18n import language_codes

    return [f"name_{code}" for code in language_codes()]


@transaction.atomic
def create_attribute(
    *,
    actor,
    slug: str,
    input_type: str,
    texts: Texts | None = None,
    unit: str = "",
    filterable: bool = False,
    position: int = 0,
    choices: Iterable = (),
) -> Attribute:
    """A new attribute; its name defaults to the slug. Choices only for choice types and swatches."""
    require(actor, PERM)
    if input_type not in InputType.values:
        raise InvalidInput.for_field(
            "input_type", f"Unknown type '{input_type}'. Known: {', '.join(InputType.values)}."
        )
    attribute = Attribute(slug=_slug(slug), input_type=input_type)
    assign(attribute, check_texts(texts, ("name",)))
    check_lengths(attribute, ("name",))
    if not any(getattr(attribute, column) for column in _name_columns()):
        attribute.name = attribute.slug
    _attribute_options(attribute, unit=unit, filterable=filterable, position=position)
    clean = _check_choices(attribute, list(choices))
    _save_unique(attribute, "slug", "attribute")
    _write_choices(attribute, clean)
    publish(AttributeChanged(attribute_id=attribute.pk, actor_id=actor.pk))
    return attribute


def _attribute_options(attribute: Attribute, *, unit=UNSET, filterable=UNSET, position=UNSET) -> None:
    if unit is not UNSET:
        unit = (unit or "").strip()
        if unit and attribute.input_type != InputType.NUMBER:
            raise InvalidInput.for_field("unit", "Only numbers have a unit.")
        if len(unit) > 16:
            raise InvalidInput.for_field("unit", "At most 16 characters.")
        attribute.unit = unit
    if filterable is not UNSET:
        if not isinstance(filterable, bool):
            raise InvalidInput.for_field("filterable", "Must be true or false.")
        attribute.filterable = filterable
    if position is not UNSET:
        if not isinstance(position, int) or isinstance(position, bool) or not 0 <= position < 2**31:
            raise InvalidInput.for_field("position", "Must be a whole number from 0.")
        attribute.position = position


@transaction.atomic
def update_attribute(
    *,
    actor,
    attribute: Attribute,
    texts: Texts | None = None,
    unit=UNSET,
    filterable=UNSET,
    position=UNSET,
    choices=UNSET,
) -> Attribute:
    """Change an attribute's names, unit, filterability, position or choices (its type and slug
    stay: values were written for them). Choices are matched by slug; one left out is deleted
    with its uses."""
    require(actor, PERM)
    attribute = lock(Attribute, attribute, "attribute")
    assign(attribute, check_texts(texts, ("name",)))
    check_lengths(attribute, ("name",))
    _attribute_options(attribute, unit=unit, filterable=filterable, position=position)
    attribute.save()
    if choices is not UNSET:
        _write_choices(attribute, _check_choices(attribute, list(choices)))
    publish(
        AttributeChanged(
            attribute_id=attribute.pk, actor_id=actor.pk, product_ids=_products_of_attribute(attribute)
        )
    )
    return attribute


@transaction.atomic
def delete_attribute(*, actor, attribute: Attribute) -> None:
    """Delete an attribute no product type uses (409 `in_use` naming the types otherwise)."""
    require(actor, PERM)
    attribute = lock(Attribute, attribute, "attribute")
    types = list(attribute.product_types.values_list("slug", flat=True))
    if types:
        raise Conflict(
            f"Product types use this attribute: {', '.join(types)}; take it off them first.",
            reason="in_use",
            product_types=types,
        )
    attribute_id = attribute.pk
    attribute.delete()
    publish(AttributeChanged(attribute_id=attribute_id, actor_id=actor.pk, deleted=True))


# --- product types -------------------------------------------------------------------------------


def _check_type_attributes(given) -> list[tuple[Attribute, str]]:
    """[(attribute or its slug, level)] or [{"attribute", "level"}], checked: known attributes, each once."""
    if not isinstance(given, list | tuple):
        raise InvalidInput.for_field("attributes", "Give a list of attributes with their level.")
    clean, seen = [], set()
    for number, item in enumerate(given):
        field = f"attributes.{number}"
        if isinstance(item, Mapping):
            ref, level = item.get("attribute"), item.get("level", Level.PRODUCT)
        elif isinstance(item, list | tuple) and len(item) == 2:
            ref, level = item
        else:
            ref, level = item, Level.PRODUCT
        attribute = ref if isinstance(ref, Attribute) else Attribute.objects.filter(slug=str(ref)).first()
        if attribute is None:
            raise InvalidInput.for_field(field, f"No attribute '{ref}'.")
        if level not in Level.values:
            raise InvalidInput.for_field(f"{field}.level", f"Give one of: {', '.join(Level.values)}.")
        if attribute.pk in seen:
            raise InvalidInput.for_field(field, f"The attribute '{attribute.slug}' is given twice.")
        seen.add(attribute.pk)
        clean.append((attribute, level))
    return clean


def _write_type_attributes(product_type: ProductType, attributes: list[tuple[Attribute, str]]) -> None:
    existing = {use.attribute_id: use for use in product_type.type_attributes.all()}
    for position, (attribute, level) in enumerate(attributes):
        use = existing.pop(attribute.pk, None)
        if use is not None and use.level != level and _has_values(product_type, attribute):
            raise Conflict(
                f"Products of this type have values of '{attribute.slug}' on their "
                f"{use.level}s; it cannot move to their {level}s.",
                reason="in_use",
            )
        use = use or ProductTypeAttribute(product_type=product_type, attribute=attribute)
        use.level, use.position = level, position
        use.save()
    for gone in existing.values():
        # Its values on this type's products and variants go with it.
        from apps.catalog.models import AttributeValue

        AttributeValue.objects.filter(
            attribute_id=gone.attribute_id, product__product_type=product_type
        ).delete()
        AttributeValue.objects.filter(
            attribute_id=gone.attribute_id, variant__product__product_type=product_type
        ).delete()
        gone.delete()


def _has_values(product_type: ProductType, attribute: Attribute) -> bool:
    from apps.catalog.models import AttributeValue

    return AttributeValue.objects.filter(
        attribute=attribute, product__product_type=product_type
    ).exists() or (
        AttributeValue.objects.filter(
            attribute=attribute, variant__product__product_type=product_type
        ).exists()
    )


@transaction.atomic
def create_product_type(
    *, actor, slug: str, texts: Texts | None = None, has_variants: bool = True, attributes: Iterable = ()
) -> ProductType:
    """A new product type with its attributes, product- or variant-level, in the order given."""
    require(actor, PERM)
    if not isinstance(has_variants, bool):
        raise InvalidInput.for_field("has_variants", "Must be true or false.")
    product_type = ProductType(slug=_slug(slug), has_variants=has_variants)
    assign(product_type, check_texts(texts, ("name",)))
    check_lengths(product_type, ("name",))
    if not any(getattr(product_type, column) for column in _name_columns()):
        product_type.name = product_type.slug
    clean = _check_type_attributes(list(attributes))
    _check_levels(product_type, clean)
    _save_unique(product_type, "slug", "product type")
    _write_type_attributes(product_type, clean)
    publish(ProductTypeChanged(product_type_id=product_type.pk, actor_id=actor.pk))
    return product_type


def _check_levels(product_type: ProductType, attributes: list[tuple[Attribute, str]]) -> None:
    if not product_type.has_variants and any(level == Level.VARIANT for _a, level in attributes):
        raise InvalidInput.for_field("attributes", "A type without variants has no variant attributes.")


@transaction.atomic
def update_product_type(
    *, actor, product_type: ProductType, texts: Texts | None = None, attributes=UNSET
) -> ProductType:
    """Change a type's names or attributes. An attribute taken off the type loses its values on
    the type's products; one cannot move between product and variant level while it has values."""
    require(actor, PERM)
    product_type = lock(ProductType, product_type, "product type")
    assign(product_type, check_texts(texts, ("name",)))
    check_lengths(product_type, ("name",))
    product_type.save()
    if attributes is not UNSET:
        clean = _check_type_attributes(list(attributes))
        _check_levels(product_type, clean)
        _write_type_attributes(product_type, clean)
    product_ids = list(product_type.products.values_list("pk", flat=True))
    publish(ProductTypeChanged(product_type_id=product_type.pk, actor_id=actor.pk, product_ids=product_ids))
    return product_type


@transaction.atomic
def delete_product_type(*, actor, product_type: ProductType) -> None:
    """Delete a type no product has (409 `in_use` with their count otherwise)."""
    require(actor, PERM)
    product_type = lock(ProductType, product_type, "product type")
    count = product_type.products.count()
    if count:
        raise Conflict(f"{count} products are of this type.", reason="in_use", products=count)
    type_id = product_type.pk
    product_type.delete()
    publish(ProductTypeChanged(product_type_id=type_id, actor_id=actor.pk, deleted=True))
