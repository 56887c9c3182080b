"""Hooks: a call the kernel (or a module) makes that another module answers, so imports go one way.

The caller declares the hook next to the code that calls it; the module that answers provides its
function at start-up, in its AppConfig.ready(); calling the hook calls that function:

    # rustok/modules/gate.py (the kernel)
    toggle_check = Hook("module toggles", "(tenant, slug) -> whether the module is on")

    # apps/core/apps.py (the module that owns the toggles)
    def ready(self):
        from rustok.modules.gate import toggle_check
        toggle_check.provide(selectors.is_enabled)

The answering module imports the caller (the kernel, or a module it depends on), never the
reverse. A hook has one provider; calling one that nobody provides is a configuration error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured


class Hook:
    """One function, declared by its caller and provided by the module that implements it."""

    def __init__(self, name: str, doc: str = ""):
        self.name = name
        self.__doc__ = doc or name
        self._func: Callable[..., Any] | None = None

    def provide(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Answer the hook with `func` (usable as a decorator). A second, other provider is refused."""
        if self._func is not None and self._func is not func:
            raise ImproperlyConfigured(
                f"The hook '{self.name}' is provided twice: by {_name(self._func)} and {_name(func)}."
            )
        self._func = func
        return func

    @property
    def provided(self) -> bool:
        """Whether a module answers this hook."""
        return self._func is not None

    def __call__(self, *args, **kwargs):
        if self._func is None:
            raise ImproperlyConfigured(
                f"Nothing provides the hook '{self.name}': is the module that answers it installed?"
            )
        return self._func(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {_name(self._func) if self._func else 'not provided'}>"


def _name(func) -> str:
    return f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', repr(func))}"
