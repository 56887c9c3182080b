"""Translated text of a module's rows (content's nodes, categories and tags; the catalogue's
products, ...): how services take it in and check it, and the per-language slug constraints.

Services receive text as `{language: {field: value}}`, e.g.
`{"en": {"title": "Hello"}, "ru": {"title": "Привет"}}`; `texts_from` makes it from what REST,
GraphQL and the admin receive. Errors name the column the value goes
to (`slug_ru`), as the admin's form fields are named; REST renames them to its own fields (`slug`,
`translations.ru.slug`) and GraphQL lists them under `extensions.fields`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug
from django.db.models import Model, Q, QuerySet, UniqueConstraint
from django.utils.text import slugify

from rustok.errors import InvalidInput
from rustok.i18n import fallback_order, language_codes

Texts = Mapping[str, Mapping[str, str | None]]


def column(field: str, language: str) -> str:
    return f"{field}_{language}"


def unique_slug_per_language(name: str, *scope: str) -> list[UniqueConstraint]:
    """One constraint per language: a non-empty slug is unique in that language (within `scope`).
    Constraint names end in `slug_<language>_uniq`, which rustok.rows.save_with_slugs reads."""
    return [
        UniqueConstraint(
            fields=[*scope, column("slug", code)],
            condition=Q(**{f"slug_{code}__gt": ""}),
            name=f"{name}_slug_{code}_uniq",
        )
        for code in language_codes()
    ]


def texts_from(
    fields: Iterable[str],
    translations: Iterable[tuple[str, Mapping[str, Any]]] = (),
    *,
    columns: Mapping[str, Any] | None = None,
    once: str | None = None,
) -> dict[str, dict[str, Any]]:
    """What an interface received, as the services take text: {language: {field: value}}.

    `translations` are (language, {field: value}) pairs: REST's `translations` and its plain
    fields, GraphQL's list; `columns` a mapping by column (`title_ru`), as a form's cleaned data.
    Only the `fields` that were given are kept; the services check the values. A language given
    in several pairs gets all their values (the later win), unless `once` names the input:
    then a language given twice is refused (InvalidInput naming `once`).
    """
    fields = tuple(fields)
    pairs = list(translations)
    if columns is not None:
        for code in language_codes():
            given = {
                field: columns[column(field, code)] for field in fields if column(field, code) in columns
            }
            if given:
                pairs.append((code, given))
    texts: dict[str, dict[str, Any]] = {}
    for language, values in pairs:
        if once is not None and language in texts:
            raise InvalidInput.for_field(once, f"The language '{language}' is given twice.")
        texts.setdefault(language, {}).update((k, v) for k, v in values.items() if k in fields)
    return texts


def check_texts(texts: Texts | None, fields: Iterable[str]) -> dict[str, dict[str, str]]:
    """`texts` with known languages and fields only, values as stripped strings (None: "")."""
    allowed = set(fields)
    known = language_codes()
    errors: dict[str, list[str]] = {}
    clean: dict[str, dict[str, str]] = {}
    for language, values in (texts or {}).items():
        if language not in known:
            errors.setdefault("language", []).append(
                f"Unknown language '{language}'. Known: {', '.join(known)}."
            )
            continue
        for field, value in values.items():
            name = column(field, language)
            if field not in allowed:
                errors.setdefault(name, []).append("This field cannot be set.")
            elif value is not None and not isinstance(value, str):
                errors.setdefault(name, []).append("Must be text.")
            elif value is not None and "\x00" in value:
                errors.setdefault(name, []).append("Must not contain NUL characters.")
            else:
                clean.setdefault(language, {})[field] = (value or "").strip()
    if errors:
        raise InvalidInput("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()), errors=errors)
    return clean


def assign(obj: Model, texts: dict[str, dict[str, str]]) -> list[str]:
    """Write `texts` to `obj`'s columns; the names of the columns whose value changed."""
    changed = []
    for language, values in texts.items():
        for field, value in values.items():
            name = column(field, language)
            if (getattr(obj, name) or "") != value:
                setattr(obj, name, value)
                changed.append(name)
    return changed


def check_lengths(obj: Model, fields: Iterable[str]) -> None:
    """InvalidInput naming each column whose text is longer than the column allows."""
    errors = {}
    for field in fields:
        limit = obj._meta.get_field(field).max_length
        for language in language_codes():
            name = column(field, language)
            if limit and len(getattr(obj, name) or "") > limit:
                errors[name] = [f"At most {limit} characters."]
    if errors:
        raise InvalidInput("; ".join(f"{k}: {v[0]}" for k, v in errors.items()), errors=errors)


def fill_slugs(
    obj: Model,
    *,
    source: str,
    scope: QuerySet | None = None,
    required: str,
    taken: Mapping[str, set[str]] | None = None,
) -> None:
    """Give every language that has a `source` text (title, name) a slug unique in `scope`.

    A slug typed by the writer is checked (format, uniqueness: InvalidInput naming `slug_<lang>`);
    a missing one is made from the source text, with -2, -3, ... appended when taken. A language
    with a slug or other text but no `source` is refused, and at least one language needs
    `required` text.

    Writers of many rows at once pass `taken` instead of `scope`: per language, the slugs the
    other rows use (read once, not `obj`'s own); no query is made, and the slugs given to `obj`
    are added to it, so the next row sees them.
    """
    errors: dict[str, list[str]] = {}
    others = None if taken is not None else (scope.exclude(pk=obj.pk) if obj.pk else scope)

    def used(slug_column: str, language: str, slug: str) -> bool:
        if taken is not None:
            return slug in taken.get(language, ())
        return others.filter(**{slug_column: slug}).exists()

    def starting_with(slug_column: str, language: str, base: str) -> set[str]:
        if taken is not None:
            return taken.get(language, set())  # candidates start with `base`: the set itself will do
        return set(others.filter(**{f"{slug_column}__startswith": base}).values_list(slug_column, flat=True))

    if not any(getattr(obj, column(required, code)) for code in language_codes()):
        errors[required] = ["Give the text in at least one language."]
    for language in language_codes():
        slug_column = column("slug", language)
        text = getattr(obj, column(source, language)) or ""
        slug = (getattr(obj, slug_column) or "").strip()
        if not text:
            if slug:
                errors.setdefault(column(source, language), []).append(
                    "A translation with a slug needs this too."
                )
            continue
        if slug:
            try:
                validate_unicode_slug(slug)
            except ValidationError:
                errors.setdefault(slug_column, []).append(
                    "Use only letters, numbers, underscores and hyphens."
                )
                continue
            if used(slug_column, language, slug):
                errors.setdefault(slug_column, []).append(
                    f"The slug '{slug}' is already used in '{language}'."
                )
            continue
        limit = obj._meta.get_field(slug_column).max_length - 4
        base = (slugify(text, allow_unicode=True) or "item")[:limit].strip("-") or "item"
        similar = starting_with(slug_column, language, base)
        candidate, number = base, 1
        while candidate in similar:
            number += 1
            candidate = f"{base}-{number}"
        setattr(obj, slug_column, candidate)
    if errors:
        raise InvalidInput("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()), errors=errors)
    if taken is not None:
        for language in language_codes():
            slug = getattr(obj, column("slug", language))
            if slug:
                taken.setdefault(language, set()).add(slug)


def write_named(obj: Model, texts: Texts | None, fields: Iterable[str]) -> list[str]:
    """Write a named row's translated `fields` (a name and a slug at least: a category, a tag, a
    collection) from `texts`, checked; slugs made from names where missing, unique among the rows
    of its model. Returns the columns that changed."""
    changed = assign(obj, check_texts(texts, fields))
    check_lengths(obj, ("name", "slug"))
    fill_slugs(obj, source="name", scope=type(obj)._default_manager.all(), required="name")
    return changed


def shown_language(obj: Model, field: str = "title") -> str:
    """The language `obj`'s `field` is shown in now: the active one if it has text there, else the
    first language of the site's fallback order that has."""
    order = fallback_order()
    return next((code for code in order if getattr(obj, column(field, code))), order[0])


def translations(obj: Model, fields: Iterable[str]) -> dict[str, dict[str, str]]:
    """Every language's text of `obj`: {language: {field: value}}."""
    return {code: {f: getattr(obj, column(f, code)) or "" for f in fields} for code in language_codes()}
