"""The base of every REST write serializer: input the API cannot honour is refused, never dropped.

DRF drops the fields it does not know and turns the number 123 into the string "123". Writes of
this project use `Serializer` or `ModelSerializer` from here instead, which refuse, naming each
field (400 `invalid`, docs/api/errors.md):

- a field the serializer does not take: `unknown_field` (with a hint where one is declared in
  `unknown_field_hints`, such as where to schedule a node);
- a field of what the client read (`context["current"]`, the representation it got from a GET;
  by default a model serializer's own representation of the instance it updates) that it
  cannot change here: ignored when sent back unchanged, so a client may send back what it
  read, and `read_only` when its value differs;
- a string field given a number (DRF already refuses booleans, lists and objects), and an id
  given a number that is not an integer (`1.5` would be looked up as `1`): `invalid_type`.

Values that do not parse (dates, numbers, booleans, choices, ids) are refused by DRF's own fields.

`PrimaryKeyRelatedField(many=True)` from here looks the ids up in one query (DRF's asks once per
id), with DRF's own messages for a wrong or unknown id.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.relations import MANY_RELATION_KWARGS

UNKNOWN_FIELD = "unknown_field"
READ_ONLY = "read_only"
INVALID_TYPE = "invalid_type"

MESSAGES = {
    UNKNOWN_FIELD: _("Unknown field."),
    READ_ONLY: _("This field cannot be changed here."),
    "string": _("Not a valid string."),
    "id": _("Not a valid id: give an integer."),
}


def _error(message, code: str) -> list[ErrorDetail]:
    return [ErrorDetail(str(message), code=code)]


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def wrong_type(field: serializers.Field, value):
    """The error detail for `value` given to `field` when it has the wrong JSON type, else None.

    Walks lists, dicts and many-relations to their items; a nested strict serializer checks
    its own fields.
    """
    if value is None:
        return None
    if isinstance(field, serializers.CharField):
        return _error(MESSAGES["string"], INVALID_TYPE) if _is_number(value) else None
    if isinstance(field, serializers.PrimaryKeyRelatedField):
        if isinstance(value, float) or (isinstance(value, str) and not value.strip().isdigit()):
            return _error(MESSAGES["id"], INVALID_TYPE)
        return None
    children = None
    if isinstance(field, serializers.ManyRelatedField) and isinstance(value, list):
        children = (field.child_relation, enumerate(value))
    elif isinstance(field, serializers.ListField) and isinstance(value, list):
        children = (field.child, enumerate(value))
    elif isinstance(field, serializers.DictField) and isinstance(value, Mapping):
        children = (field.child, value.items())
    if children is None:
        return None
    child, items = children
    errors = {key: error for key, item in items if (error := wrong_type(child, item))}
    return errors or None


class StrictInput:
    """Mixin of a DRF serializer: unknown fields, changed read-only fields and wrong JSON types
    are refused, each error naming its field (see the module's docstring)."""

    # Field name -> a sentence added to its `unknown_field` or `read_only` message.
    unknown_field_hints: dict[str, str] = {}

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)  # DRF's "expected a dictionary"
        current = self._current()
        errors = {**self._unknown_fields(data, current), **self._wrong_types(data)}
        try:
            value = super().to_internal_value(self._without_echo(data, current))
        except ValidationError as exc:
            if not errors or not isinstance(exc.detail, Mapping):
                raise
            raise ValidationError({**exc.detail, **errors}) from None
        if errors:
            raise ValidationError(errors)
        return value

    def _current(self) -> Mapping:
        """What the client read of the object it writes (only for the top-level serializer):
        `context["current"]`, else the serializer's own representation of the instance it updates."""
        if self.parent is not None:
            return {}
        current = self.context.get("current")
        if current is None and getattr(self, "instance", None) is not None:
            current = self.to_representation(self.instance)
        return current if isinstance(current, Mapping) else {}

    def _writable(self) -> set[str]:
        return {field.field_name for field in self._writable_fields}

    def _without_echo(self, data, current: Mapping):
        """`data` without the read-only fields sent back unchanged (they are not ours to parse)."""
        writable = self._writable()
        echoed = [key for key in data if key not in writable and key in current]
        if not echoed:
            return data
        kept = data.copy()  # a QueryDict (form bodies) stays one, so lists keep their items
        for key in echoed:
            del kept[key]
        return kept

    def _unknown_fields(self, data, current: Mapping) -> dict:
        writable = self._writable()
        errors = {}
        for key in data:
            if key in writable:
                continue
            if key in current:
                if data[key] != current[key]:
                    errors[key] = self._refusal(key, READ_ONLY)
            elif key in self.fields:  # a declared read-only field, and nothing read to compare
                errors[key] = self._refusal(key, READ_ONLY)
            else:
                errors[key] = self._refusal(key, UNKNOWN_FIELD)
        return errors

    def _refusal(self, key: str, code: str) -> list[ErrorDetail]:
        message = str(MESSAGES[code])
        hint = self.unknown_field_hints.get(key)
        return _error(f"{message} {hint}" if hint else message, code)

    def _wrong_types(self, data) -> dict:
        errors = {}
        for field in self._writable_fields:
            if field.field_name in data and not isinstance(field, StrictInput):
                error = wrong_type(field, data[field.field_name])
                if error:
                    errors[field.field_name] = error
        return errors


class Serializer(StrictInput, serializers.Serializer):
    """A write serializer of this project (see the module's docstring)."""


class ModelSerializer(StrictInput, serializers.ModelSerializer):
    """A model write serializer of this project (see the module's docstring)."""


class WholeNumberField(serializers.IntegerField):
    """A JSON integer: a float (12.5, and 12.0 too), a string or a boolean is refused (`invalid`),
    so a quantity or an amount in minor units is never rounded or guessed."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class ManyPrimaryKeysField(serializers.ManyRelatedField):
    """A list of ids of rows, looked up in one query; the rows come back in the order given."""

    def to_internal_value(self, data):
        if isinstance(data, str | Mapping) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        data = list(data)
        if not self.allow_empty and not data:
            self.fail("empty")
        child = self.child_relation
        field = child.get_queryset().model._meta.pk
        keys = []
        for item in data:
            if isinstance(item, bool):
                child.fail("incorrect_type", data_type=type(item).__name__)
            try:
                keys.append(field.to_python(item))
            except (TypeError, ValueError, DjangoValidationError):
                child.fail("incorrect_type", data_type=type(item).__name__)
        found = child.get_queryset().in_bulk(keys)
        for item, key in zip(data, keys, strict=True):
            if key not in found:
                child.fail("does_not_exist", pk_value=item)
        return [found[key] for key in keys]


class PrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """DRF's field; with `many=True`, a ManyPrimaryKeysField (one query for every id)."""

    @classmethod
    def many_init(cls, *args, **kwargs):
        many = {key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS}
        return ManyPrimaryKeysField(child_relation=cls(*args, **kwargs), **many)
