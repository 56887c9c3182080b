"""Translated text over REST: writers send one language as plain fields (`name`, `slug`, ...) and
the others under `translations` ({"ru": {"name": "..."}}); services take
`{language: {field: value}}` and name columns in their errors (`slug_ru`), which this API names
as it takes them (`slug` for the language of the plain fields, `translations.ru.slug`)."""

from __future__ import annotations

from rustok.errors import InvalidInput
from rustok.i18n import current_language, language_codes
from rustok.texts import texts_from


def split_texts(data, fields, given=None) -> tuple[str, dict]:
    """Validated write data as (the language of its plain fields, service keyword arguments).

    The plain text fields go to `texts[language]` (`language` given, else the active one), the
    `translations` to their languages; only `fields` are kept. The rest passes through.
    """
    data = dict(data)
    language = data.pop("language", None) or current_language()
    translated = list(data.pop("translations", {}).items())
    plain = {field: data.pop(field) for field in (given or fields) if field in data}
    if plain:
        translated.append((language, plain))
    return language, {"texts": texts_from(fields, translated), **data}


def renamed(error: InvalidInput, language: str) -> InvalidInput:
    """A service's errors named as this API takes the fields: `slug` for the language of the
    plain fields, `translations.ru.slug` for the others (services name columns: `slug_ru`)."""
    names = {}
    for code in language_codes():
        for key in error.errors:
            if key.endswith(f"_{code}"):
                field = key.removesuffix(f"_{code}")
                names[key] = field if code == language else f"translations.{code}.{field}"
    if not names:
        return error
    errors = {names.get(key, key): messages for key, messages in error.errors.items()}
    detail = "; ".join(f"{key}: {' '.join(messages)}" for key, messages in errors.items())
    return InvalidInput(detail, errors=errors, **error.extra)


class Renaming:
    """Run a service, renaming the columns in its InvalidInput to this API's field names."""

    def __init__(self, language: str):
        self.language = language

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if isinstance(exc, InvalidInput):
            raise renamed(exc, self.language) from None
        return False
