"""State machines: transition tables declared on models with django-fsm, applied through here.

A model declares its transitions with `django_fsm.transition` on methods named after them
(`publish`, `archive`, ...). Services apply them with `apply(obj, "publish")`, which turns a
transition the current state does not allow into TransitionNotAllowed (HTTP 409 problem+json,
GraphQL `TRANSITION_NOT_ALLOWED`) naming the transitions that are allowed, instead of writing
anything.
"""

from __future__ import annotations

import functools
from typing import Any

from django_fsm import can_proceed

from rustok.errors import TransitionNotAllowed

STATE_FIELD = "status"


def allowed_transitions(obj, field: str = STATE_FIELD) -> list[str]:
    """The names of the transitions possible from `obj`'s current state, in declaration order."""
    available = {t.name for t in getattr(obj, f"get_available_{field}_transitions")()}
    return [name for name in all_transitions(type(obj), field) if name in available]


def all_transitions(model, field: str = STATE_FIELD) -> list[str]:
    """The names of every transition `model` declares on `field`."""
    return _declared(model, field)


@functools.cache
def _declared(model, field: str) -> list[str]:
    """Transition names in the order the model declares its methods."""
    names = {t.name for t in getattr(model(), f"get_all_{field}_transitions")()}
    return [name for name in vars(model) if name in names] + sorted(
        name for name in names if name not in vars(model)
    )


def apply(obj, name: str, *args: Any, field: str = STATE_FIELD, **kwargs: Any) -> Any:
    """Run transition `name` on `obj` (not saved), or raise TransitionNotAllowed."""
    method = getattr(obj, name, None)
    if method is None or name not in all_transitions(type(obj), field):
        raise ValueError(f"{type(obj).__name__} has no transition '{name}'")
    if not can_proceed(method):
        state = getattr(obj, field)
        allowed = allowed_transitions(obj, field)
        label = getattr(obj, f"get_{field}_display", lambda: state)()
        raise TransitionNotAllowed(
            f"Cannot {name.replace('_', ' ')} from '{label}'. "
            + (f"Allowed: {', '.join(allowed)}." if allowed else "No transition is allowed from here."),
            transition=name,
            state=state,
            allowed=allowed,
        )
    return method(*args, **kwargs)
