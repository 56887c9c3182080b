"""Attribute values of products and variants: each checked against its attribute's type.

Values are given by attribute slug: `{"material": {"en": "Cotton", "ru": "Хлопок"}, "weight":
"1.25", "organic": true, "released": "2026-03-01", "size": "m", "features": ["zip", "hood"]}`.
Text and rich text take a string (the site's language) or one per language; numbers an integer
or a decimal string (not a float: 0.1 is not exactly 0.1); booleans true or false; dates
YYYY-MM-DD; a single choice or swatch a choice's slug; a multiple choice a list of slugs. `None`
removes the value. Errors name `attributes.<slug>`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from apps.catalog.models import (
    OPTION_TYPES,
    Attribute,
    AttributeValue,
    InputType,
    Level,
    Product,
    Variant,
)
from rustok.errors import InvalidInput
from rustok.i18n import language_codes, site_language
from rustok.markup import sanitize
from rustok.texts import column

MAX_NUMBER = Decimal("9999999999.9999")  # what the column holds (14 digits, 4 after the point)


def attributes_of(product_type_id: int, level: str) -> dict[str, Attribute]:
    """The attributes a type gives its products or its variants, by slug, in order."""
    found = Attribute.objects.filter(
        type_uses__product_type_id=product_type_id, type_uses__level=level
    ).order_by("type_uses__position")
    return {attribute.slug: attribute for attribute in found.prefetch_related("choices")}


def option_attributes(product_type_id: int) -> dict[str, Attribute]:
    """The variant-level choice attributes of a type: the options a shopper picks."""
    return {
        slug: attribute
        for slug, attribute in attributes_of(product_type_id, Level.VARIANT).items()
        if attribute.input_type in OPTION_TYPES
    }


def _texts(value, field: str, rich: bool) -> dict[str, str]:
    if isinstance(value, str):
        value = {site_language(): value}
    if not isinstance(value, Mapping):
        raise InvalidInput.for_field(field, 'Give text, or text per language ({"en": ...}).')
    known = language_codes()
    clean = {}
    for language, text in value.items():
        if language not in known:
            raise InvalidInput.for_field(field, f"Unknown language '{language}'. Known: {', '.join(known)}.")
        if text is not None and not isinstance(text, str):
            raise InvalidInput.for_field(field, "Must be text.")
        text = (text or "").strip()
        if "\x00" in text:
            raise InvalidInput.for_field(field, "Must not contain NUL characters.")
        clean[language] = sanitize(text) if rich and text else text
    return clean


def _number(value, field: str) -> Decimal:
    if isinstance(value, bool | float) or not isinstance(value, int | str | Decimal):
        raise InvalidInput.for_field(field, 'Give a number as an integer or a decimal string ("1.25").')
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput.for_field(field, "Must be a number.") from None
    if not number.is_finite() or abs(number) > MAX_NUMBER:
        raise InvalidInput.for_field(field, f"Must be a number of at most {MAX_NUMBER}.")
    if number != number.quantize(Decimal("0.0001")):
        raise InvalidInput.for_field(field, "At most 4 digits after the point.")
    return number


def _choices(attribute: Attribute, value, field: str) -> list:
    by_slug = {choice.slug: choice for choice in attribute.choices.all()}
    many = attribute.input_type == InputType.MULTI_CHOICE
    if many and not isinstance(value, list | tuple):
        raise InvalidInput.for_field(field, "Give a list of choices.")
    slugs = list(value) if many else [value]
    chosen = []
    for slug in slugs:
        if not isinstance(slug, str) or slug not in by_slug:
            raise InvalidInput.for_field(
                field, f"Unknown choice '{slug}'. Choices: {', '.join(by_slug) or 'none'}."
            )
        if by_slug[slug] not in chosen:
            chosen.append(by_slug[slug])
    return chosen


def write_values(owner: Product | Variant, values: Mapping | None, *, level: str) -> list[str]:
    """Set the given attribute values of a product or variant (saved); returns the slugs changed.
    Every value is checked before anything is written."""
    if values is None:
        return []
    if not isinstance(values, Mapping):
        raise InvalidInput.for_field("attributes", "Give the values by attribute slug.")
    product_type_id = owner.product_type_id if level == Level.PRODUCT else owner.product.product_type_id
    known = attributes_of(product_type_id, level)
    planned = []
    for slug, value in values.items():
        field = f"attributes.{slug}"
        attribute = known.get(slug)
        if attribute is None:
            raise InvalidInput.for_field(
                field,
                f"This product type has no {level} attribute '{slug}'. It has: {', '.join(known) or 'none'}.",
            )
        planned.append((attribute, check_value(attribute, value, field)))
    existing = {value.attribute_id: value for value in owner.attribute_values.prefetch_related("choices")}
    changed = []
    for attribute, value in planned:
        stored = existing.get(attribute.pk)
        if value is None:
            if stored is not None:
                stored.delete()
                changed.append(attribute.slug)
            continue
        stored = stored or AttributeValue(attribute=attribute, **{level: owner})
        if _assign(stored, attribute, value):
            changed.append(attribute.slug)
    return changed


def check_value(attribute: Attribute, value, field: str):
    """`value` checked against the attribute's type, as it is stored (texts per language, a
    Decimal, a bool, a date, the chosen AttributeChoice rows); None stays None."""
    if value is None:
        return None
    kind = attribute.input_type
    if kind in (InputType.TEXT, InputType.RICH_TEXT):
        return _texts(value, field, rich=kind == InputType.RICH_TEXT)
    if kind == InputType.NUMBER:
        return _number(value, field)
    if kind == InputType.BOOLEAN:
        if not isinstance(value, bool):
            raise InvalidInput.for_field(field, "Must be true or false.")
        return value
    if kind == InputType.DATE:
        try:
            if isinstance(value, str) and len(value) == 10:
                return dt.date.fromisoformat(value)
        except ValueError:
            pass
        raise InvalidInput.for_field(field, "Give a date as YYYY-MM-DD.")
    return _choices(attribute, value, field)


def _assign(stored: AttributeValue, attribute: Attribute, value) -> bool:
    """Write `value` into the column of the attribute's type; whether anything changed."""
    new = stored.pk is None
    changed = fill_value(stored, attribute, value)
    stored.save()
    if attribute.has_choices and (new or choices_differ(stored, value)):
        stored.choices.set(value)
        return True
    return new or changed


def fill_value(stored: AttributeValue, attribute: Attribute, value) -> bool:
    """Put a checked value (check_value) into the columns of the attribute's type, unsaved (choices
    are not columns: see choices_differ); whether a column changed."""
    kind = attribute.input_type
    before = _snapshot(stored)
    if kind in (InputType.TEXT, InputType.RICH_TEXT):
        for language, text in value.items():
            setattr(stored, column("text", language), text)
    elif kind == InputType.NUMBER:
        stored.number = value
    elif kind == InputType.BOOLEAN:
        stored.boolean = value
    elif kind == InputType.DATE:
        stored.date = value
    return before != _snapshot(stored)


def choices_differ(stored: AttributeValue, chosen) -> bool:
    """Whether a stored value's choices (prefetched) are other than `chosen`."""
    return {c.pk for c in stored.choices.all()} != {c.pk for c in chosen}


def _snapshot(stored: AttributeValue) -> tuple:
    texts = tuple(getattr(stored, column("text", code)) or "" for code in language_codes())
    return (texts, stored.number, stored.boolean, stored.date)


def options_key_of(chosen: Mapping[str, list[str]]) -> str:
    """Options as one string: "attribute:choice" pairs sorted, joined with "|" (chosen: choice
    slugs by option attribute slug)."""
    return "|".join(sorted(f"{slug}:{choice}" for slug, choices in chosen.items() for choice in choices))


def options_key(variant: Variant) -> str:
    """The variant's options as one string (options_key_of)."""
    options = option_attributes(variant.product.product_type_id)
    chosen: dict[str, list[str]] = {}
    for value in variant.attribute_values.filter(attribute__slug__in=options).prefetch_related("choices"):
        chosen.setdefault(value.attribute.slug, []).extend(choice.slug for choice in value.choices.all())
    return options_key_of(chosen)
