"""Declared event types: a name, a version and typed fields, checked when an event is published.

    class ModuleEnabled(Event):
        '''A module was switched on for the tenant.'''

        type = "core.module.enabled"
        version = 1

        module: str

Subclasses become frozen keyword-only dataclasses. Field types are limited to what survives a
JSON round trip: str, int, float, bool, Decimal, UUID, datetime (aware), date, None, unions of
these, list[...], tuple[..., ...] and dict[str, ...]. A payload that does not match is refused
with EventPayloadError naming the field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import types
import typing
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar
from uuid import UUID

from django.core.exceptions import ImproperlyConfigured

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){2,}$")
SCALARS = (str, int, float, bool, Decimal, UUID, dt.datetime, dt.date, type(None))


class PublishError(RuntimeError):
    """An event cannot be published here (no transaction, no tenant schema, unknown type)."""


class EventPayloadError(PublishError, TypeError):
    """An event's fields do not match its declaration."""


_types: dict[str, type[Event]] = {}


def event_type(name: str) -> type[Event]:
    """The declared event class for `name`."""
    try:
        return _types[name]
    except KeyError:
        raise LookupError(f"No event type '{name}' is declared.") from None


def is_declared(cls: type) -> bool:
    """Whether `cls` is the declared class of its event type (no copy of the registry: hot path)."""
    return _types.get(getattr(cls, "type", "")) is cls


def declared_types() -> dict[str, type[Event]]:
    """Every declared event type by name."""
    return dict(_types)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every domain event. Set `type` ("module.aggregate.verb") and `version` on subclasses."""

    type: ClassVar[str] = ""
    version: ClassVar[int] = 1

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "type" not in cls.__dict__:
            return  # an abstract intermediate class
        dataclasses.dataclass(frozen=True, kw_only=True)(cls)
        if not NAME_RE.match(cls.type):
            raise ImproperlyConfigured(
                f"Event type '{cls.type}' of {cls.__qualname__} must be '<module>.<aggregate>.<verb>'."
            )
        if not isinstance(cls.version, int) or cls.version < 1:
            raise ImproperlyConfigured(f"{cls.__qualname__}.version must be a positive integer.")
        for field, hint in _hints(cls).items():
            _check_declaration(cls, field, hint)
        known = _types.get(cls.type)
        if known is not None and (known.__module__, known.__qualname__) != (cls.__module__, cls.__qualname__):
            raise ImproperlyConfigured(
                f"Event type '{cls.type}' is declared twice: by {known.__module__}.{known.__qualname__} "
                f"and by {cls.__module__}.{cls.__qualname__}."
            )
        _types[cls.type] = cls

    def validate(self) -> None:
        """Raise EventPayloadError unless every field holds a value of its declared type."""
        for field, hint in _hints(type(self)).items():
            _check_value(f"{self.type}.{field}", hint, getattr(self, field))

    def to_payload(self) -> dict[str, Any]:
        """The fields as JSON-compatible values (validated first)."""
        self.validate()
        return {field: _dump(getattr(self, field)) for field in _hints(type(self))}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Event:
        """Rebuild the event from a stored payload of the same version."""
        hints = _hints(cls)
        unknown = set(payload) - set(hints)
        missing = {f.name for f in dataclasses.fields(cls) if f.name not in payload and _required(f)}
        if unknown or missing:
            raise EventPayloadError(
                f"Stored payload of {cls.type} does not match version {cls.version}: "
                f"unknown {sorted(unknown)}, missing {sorted(missing)}."
            )
        return cls(**{name: _load(hint, payload[name]) for name, hint in hints.items() if name in payload})


def _required(field: dataclasses.Field) -> bool:
    return field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """The field types of an event class, resolved once per class (publishing is a hot path)."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


@functools.cache
def _parts(hint) -> tuple[Any, tuple]:
    """The origin and arguments of a type hint, once per hint (asked for every field published)."""
    origin = typing.get_origin(hint)
    if origin is types.UnionType:
        origin = typing.Union
    return origin, typing.get_args(hint)


def _check_declaration(cls, field: str, hint) -> None:
    origin, args = _parts(hint)
    if hint is Any or hint in SCALARS or hint is None:
        return
    if origin is typing.Union or origin is list or origin is typing.Literal:
        for arg in args if origin is not typing.Literal else ():
            _check_declaration(cls, field, arg)
        return
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        _check_declaration(cls, field, args[0])
        return
    if origin is dict and args and args[0] is str:
        _check_declaration(cls, field, args[1])
        return
    raise ImproperlyConfigured(
        f"{cls.__qualname__}.{field}: type {hint!r} cannot be carried by an event "
        "(use str, int, float, bool, Decimal, UUID, datetime, date, lists, tuple[T, ...], dict[str, T])."
    )


def _describe(hint) -> str:
    return getattr(hint, "__name__", None) or repr(hint).replace("typing.", "")


def _check_value(path: str, hint, value) -> None:
    origin, args = _parts(hint)
    ok: bool
    if hint is Any:
        return
    if hint is None or hint is type(None):
        ok = value is None
    elif hint is bool:
        ok = isinstance(value, bool)
    elif hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif hint is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif hint is dt.datetime:
        ok = isinstance(value, dt.datetime)
        if ok and value.tzinfo is None:
            raise EventPayloadError(f"{path}: a datetime must be timezone-aware, got {value!r}.")
    elif hint is dt.date:
        ok = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    elif hint in SCALARS:
        ok = isinstance(value, hint)
    elif origin is typing.Literal:
        ok = value in args
    elif origin is typing.Union:
        if value is None and type(None) in args:
            return
        for arg in args:
            try:
                _check_value(path, arg, value)
                return
            except EventPayloadError:
                continue
        ok = False
    elif origin in (list, tuple):
        if not isinstance(value, list | tuple):
            ok = False
        else:
            for i, item in enumerate(value):
                _check_value(f"{path}[{i}]", args[0], item)
            return
    elif origin is dict:
        if not isinstance(value, dict):
            ok = False
        else:
            for key, item in value.items():
                if not isinstance(key, str):
                    raise EventPayloadError(f"{path}: keys must be strings, got {key!r}.")
                _check_value(f"{path}[{key!r}]", args[1], item)
            return
    else:  # pragma: no cover - refused at declaration
        ok = False
    if not ok:
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        raise EventPayloadError(f"{path}: expected {_describe(hint)}, got {type(value).__name__} {shown}.")


def _dump(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_dump(item) for item in value]
    if isinstance(value, dict):
        return {key: _dump(item) for key, item in value.items()}
    return value


def _load(hint, value):
    origin, args = _parts(hint)
    if value is None:
        return None
    if hint is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if hint is dt.date:
        return dt.date.fromisoformat(value)
    if hint is Decimal:
        try:
            return Decimal(value)
        except InvalidOperation:
            raise EventPayloadError(f"Stored value {value!r} is not a decimal.") from None
    if hint is UUID:
        return UUID(value)
    if origin is list:
        return [_load(args[0], item) for item in value]
    if origin is tuple:
        return tuple(_load(args[0], item) for item in value)
    if origin is dict:
        return {key: _load(args[1], item) for key, item in value.items()}
    if origin is typing.Union:
        for arg in args:
            if arg is type(None):
                continue
            try:
                loaded = _load(arg, value)
                _check_value("", arg, loaded)
                return loaded
            except (EventPayloadError, ValueError, TypeError):
                continue
    return value
