"""Subscriptions: which handlers consume which event types.

Handlers are declared in each module's `handlers.py`:

    @subscribe("core.module.enabled")
    def rebuild_documents(envelope: Envelope) -> None:
        ...

A handler runs inside a transaction together with the bus's record that it processed the event,
so a redelivered event is applied once (for writes to the database; an outside call such as a
mail may happen again). A handler of a module the tenant switched off is skipped.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.apps import apps as django_apps
from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

from rustok.events.types import Event

event_delivered = Signal()
"""Sent in the worker after an event has been through all its handlers (and committed).

Arguments: `sender` (the event class), `envelope` (Envelope) and `schema_name`. Receivers run
in-process, for cache invalidation and the like; an exception in one is logged and ignored.
"""


@dataclasses.dataclass(frozen=True)
class Envelope:
    """What a handler receives: the typed event and where it came from."""

    id: UUID
    sequence: int
    type: str
    version: int
    event: Event
    occurred_at: dt.datetime
    schema_name: str
    request_id: str
    attempt: int


@dataclasses.dataclass(frozen=True)
class Handler:
    name: str
    event_type: str
    func: Callable[[Envelope], Any]
    app_label: str
    # Whether the handler wants this event at all; one that does not is passed over unrecorded.
    when: Callable[[Envelope], bool] | None = None

    def wants(self, envelope: Envelope) -> bool:
        if self.when is None:
            return True
        try:
            return bool(self.when(envelope))
        except Exception:  # let the handler run and its failure be recorded where it can be seen
            return True


_handlers: dict[str, list[Handler]] = {}


def subscribe(
    event_type: str,
    *,
    name: str | None = None,
    app_label: str | None = None,
    when: Callable[[Envelope], bool] | None = None,
):
    """Register the decorated function as a handler of `event_type` (an event name).

    `name` identifies the handler in the processed-events record and in dead letters; it
    defaults to the function's dotted path, so keep it stable (or pass one) when moving code.
    The handler belongs to the module of its app (or of `app_label`, for handlers made on a
    module's behalf, such as its index projections): it is skipped while that module is off.
    `when`, given the envelope, says whether the handler wants that event: the bus passes over
    the events it does not want without running it or recording a delivery (routing).
    """

    def register(func: Callable[[Envelope], Any]):
        handler_name = name or f"{func.__module__}.{func.__qualname__}"
        app = (
            django_apps.get_app_config(app_label)
            if app_label
            else django_apps.get_containing_app_config(func.__module__)
        )
        if app is None:
            raise ImproperlyConfigured(f"Handler {handler_name} is not in an installed app.")
        subscribers = _handlers.setdefault(event_type, [])
        for known in subscribers:
            if known.name == handler_name:
                if known.func.__code__ is not func.__code__:
                    raise ImproperlyConfigured(f"Two handlers of '{event_type}' are named {handler_name}.")
                return func
        subscribers.append(Handler(handler_name, event_type, func, app.label, when))
        return func

    return register


def handlers_for(event_type: str) -> list[Handler]:
    """The handlers subscribed to `event_type`, in registration order."""
    return list(_handlers.get(event_type, ()))


def all_handlers() -> list[Handler]:
    return [handler for handlers in _handlers.values() for handler in handlers]


def autodiscover() -> None:
    """Import every module's `events.py` and `handlers.py`; check that each event type belongs
    to the module that declares it and that every subscription names a declared event type."""
    from rustok.events.types import declared_types
    from rustok.modules import registry

    for module in registry:
        events = module.submodule("events")
        if events is not None:
            for value in vars(events).values():
                own = (
                    isinstance(value, type)
                    and issubclass(value, Event)
                    and value.__module__ == events.__name__
                )
                if own and value.type and value.type.split(".", 1)[0] != module.slug:
                    raise ImproperlyConfigured(
                        f"Event type '{value.type}' is declared by module '{module.slug}'; "
                        f"its name must start with '{module.slug}.'."
                    )
        module.submodule("handlers")
    declared = declared_types()
    unknown = sorted(event_type for event_type in _handlers if event_type not in declared)
    if unknown:
        raise ImproperlyConfigured(f"Handlers subscribe to undeclared event type(s): {', '.join(unknown)}.")
