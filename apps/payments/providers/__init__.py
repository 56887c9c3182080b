"""The payment providers of the site, from the setting PAYMENTS_PROVIDERS (dotted paths of
Provider classes): `get(name)` and `available()`. A new provider (Stripe) is a class and a line
in that setting; nothing else changes.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from apps.payments.providers.base import (
    FAILED,
    PENDING,
    SUCCESS,
    InvalidSignature,
    Notification,
    Provider,
    ProviderTimeout,
    ProviderUnavailable,
    Result,
)
from rustok.errors import InvalidInput

__all__ = [
    "FAILED",
    "PENDING",
    "SUCCESS",
    "InvalidSignature",
    "Notification",
    "Provider",
    "ProviderTimeout",
    "ProviderUnavailable",
    "Result",
    "available",
    "get",
    "known",
]


@functools.cache
def _built(paths: tuple[str, ...]) -> dict[str, Provider]:
    found: dict[str, Provider] = {}
    for path in paths:
        cls = import_string(path)
        if not (isinstance(cls, type) and issubclass(cls, Provider)) or not cls.name:
            raise ImproperlyConfigured(f"PAYMENTS_PROVIDERS: {path} is not a Provider class with a name.")
        if cls.name in found:
            raise ImproperlyConfigured(f"PAYMENTS_PROVIDERS: two providers are called '{cls.name}'.")
        found[cls.name] = cls()
    return found


def available() -> dict[str, Provider]:
    """Every configured provider by name, in the setting's order."""
    return dict(_built(tuple(settings.PAYMENTS_PROVIDERS)))


def known(name) -> Provider | None:
    """The provider called `name`, or None."""
    return _built(tuple(settings.PAYMENTS_PROVIDERS)).get(name) if isinstance(name, str) else None


def get(name, field: str = "provider") -> Provider:
    """The provider called `name`; InvalidInput naming `field` (and the known ones) if none is."""
    found = known(name)
    if found is None:
        names = ", ".join(available()) or "none"
        raise InvalidInput.for_field(field, f"Unknown payment provider '{name}'. Known: {names}.")
    return found
