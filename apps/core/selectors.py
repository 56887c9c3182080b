"""Reads about tenants and their modules; `is_enabled` is on the path of every API request."""

from __future__ import annotations

import logging

from django.core.cache import caches

from apps.core.models import Tenant, TenantModule
from rustok.modules import registry
from rustok.per_request import forget, remembered
from rustok.resilience import UNAVAILABLE, through_redis

log = logging.getLogger(__name__)

CACHE_ALIAS = "platform"
CACHE_TIMEOUT = 300


def _cache_key(schema_name: str) -> str:
    return f"modules:enabled:{schema_name}"


def module_states(tenant: Tenant) -> dict[str, bool]:
    """Every registered module mapped to whether it is on for `tenant`, read from the database."""
    rows = dict(TenantModule.objects.filter(tenant_id=tenant.pk).values_list("module", "enabled"))
    return {
        module.slug: True if module.core else rows.get(module.slug, module.default_enabled)
        for module in registry
    }


def enabled_modules(tenant: Tenant) -> frozenset[str]:
    """The slugs of the modules on for `tenant`, from a per-tenant cache entry, read at most once
    per request (rustok.per_request): the gate, the GraphQL middleware, the storefront's hooks and
    the enabled kinds of one request share the answer; a switch shows on the next request.

    The entry is dropped whenever a toggle of the tenant changes (see services.set_module_enabled).
    If Redis is unavailable (through the request path's breaker, rustok.resilience) the answer
    comes from the database, so a cache outage never turns modules off nor holds a request.
    """
    return remembered(("modules", tenant.schema_name), lambda: _read_enabled_modules(tenant))


def _read_enabled_modules(tenant: Tenant) -> frozenset[str]:
    cache = caches[CACHE_ALIAS]
    key = _cache_key(tenant.schema_name)
    cached = through_redis("module toggles", cache.get, key)
    if cached is not None and cached is not UNAVAILABLE:
        return frozenset(cached)
    enabled = frozenset(slug for slug, on in module_states(tenant).items() if on)
    if cached is None:  # a miss: keep the answer; after a failure, do not try again now
        through_redis("module toggles", cache.set, key, sorted(enabled), CACHE_TIMEOUT)
    return enabled


def is_enabled(tenant: Tenant | None, slug: str) -> bool:
    """Whether module `slug` is on for `tenant`. The public schema has only the core modules."""
    if tenant is None or tenant.is_public:
        return registry.get(slug).core
    return slug in enabled_modules(tenant)


def forget_module_states(tenant: Tenant, *, strict: bool = False) -> None:
    """Drop the cached toggles of `tenant` so the next read comes from the database.

    A failure is logged, or raised when `strict` (the worker's handler, which the bus retries
    until Redis answers: apps.core.handlers). The current request, if any, forgets what it
    remembered, so what follows the switch in the same request sees it.
    """
    forget()
    try:
        caches[CACHE_ALIAS].delete(_cache_key(tenant.schema_name))
    except Exception:
        if strict:
            raise
        log.error("could not drop the module cache of %s", tenant.schema_name, exc_info=True)


def current_tenant() -> Tenant | None:
    """The tenant whose schema the connection is on (the row, also under schema_context)."""
    from django.db import connection

    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Tenant) and tenant.schema_name == connection.schema_name:
        return tenant
    return Tenant.objects.filter(schema_name=connection.schema_name).first()
