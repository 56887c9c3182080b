"""Writes of the core module: tenants, their domains and their module toggles.

These functions are the only writers of the public tables; the admin, the `rustok` command and
the API call them. Each one is atomic: on any error nothing of it stays, the schema included
(PostgreSQL DDL is transactional).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django_tenants.utils import schema_context, schema_exists

from apps.core import selectors
from apps.core.events import LanguageChanged, ModuleDisabled, ModuleEnabled
from apps.core.models import Domain, Tenant, TenantModule
from apps.core.validators import (
    validate_currency,
    validate_hostname,
    validate_language,
    validate_tenant_slug,
)
from rustok import events, page_cache
from rustok.errors import Conflict, InvalidInput, ModuleDependencyError, NotFound
from rustok.hooks import Hook
from rustok.modules import registry

Progress = Callable[[str], None]

first_owner = Hook(
    "first owner",
    "(email=, password=, invite_base_url=, invited_by=) -> the new site's owner, created in the "
    "site's schema with its audit entry and event; provided by the accounts module.",
)


def _quiet(_message: str) -> None:
    """Default progress callback: say nothing."""


def _check(field: str, validator, value) -> None:
    try:
        validator(value)
    except ValidationError as exc:
        raise InvalidInput.for_field(field, " ".join(exc.messages)) from None


def get_tenant(slug: str) -> Tenant:
    """The tenant with this slug, or NotFound."""
    try:
        return Tenant.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME).get(schema_name=slug)
    except Tenant.DoesNotExist:
        raise NotFound(f"No tenant with the slug '{slug}'.") from None


def ensure_public_tenant(*, domains: tuple[str, ...] = ("localhost",)) -> Tenant:
    """Create (once) the row of the public schema, which serves the platform host names."""
    public, _created = Tenant.objects.get_or_create(
        schema_name=settings.PUBLIC_SCHEMA_NAME, defaults={"name": "Platform"}
    )
    for host in domains:
        Domain.objects.get_or_create(domain=host, defaults={"tenant": public, "is_primary": True})
    return public


def ensure_template_schema(*, progress: Progress = _quiet) -> None:
    """Create and migrate the template schema that new tenants are cloned from."""
    from django.core.management import call_command

    template = settings.TENANT_BASE_SCHEMA
    if not schema_exists(template):
        progress(f"creating template schema {template}")
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {connection.ops.quote_name(template)}")
    progress(f"migrating template schema {template}")
    call_command("migrate_schemas", schema_name=template, tenant=True, interactive=False, verbosity=0)
    connection.set_schema_to_public()


def template_is_current() -> bool:
    """Whether the template schema exists and has every tenant migration applied."""
    from django.db.migrations.executor import MigrationExecutor

    template = settings.TENANT_BASE_SCHEMA
    if not schema_exists(template):
        return False
    previous = connection.schema_name
    connection.set_schema(template, include_public=False)
    try:
        executor = MigrationExecutor(connection)
        return not executor.migration_plan(executor.loader.graph.leaf_nodes())
    finally:
        connection.set_schema(previous)


@transaction.atomic
def create_tenant(
    *,
    slug: str,
    name: str,
    domain: str,
    default_language: str = "en",
    default_currency: str = "USD",
    admin_email: str | None = None,
    admin_password: str | None = None,
    admin_invite_base_url: str = "",
    invited_by: str = "",
    progress: Progress = _quiet,
) -> Tenant:
    """Create a tenant: its schema (cloned from the template), its primary domain, its modules'
    default toggles and, when given, its first owner. Fails with InvalidInput naming the field.

    The owner (`admin_email`) signs in with `admin_password`, or, without one, is mailed an
    invitation to choose a password at `admin_invite_base_url` (the new site's address; the mail
    names `invited_by`). All of it is one transaction: a refusal leaves no schema, row or user.
    """
    domain = (domain or "").strip().lower()
    _check("slug", validate_tenant_slug, slug)
    if not (name or "").strip():
        raise InvalidInput.for_field("name", "A display name is required.")
    _check("domain", validate_hostname, domain)
    _check("default_language", validate_language, default_language)
    _check("default_currency", validate_currency, default_currency)
    if admin_password and not admin_email:
        raise InvalidInput.for_field("admin_email", "Give the owner's e-mail address with the password.")
    if admin_email and not (admin_password or admin_invite_base_url):
        raise InvalidInput.for_field(
            "admin_password", "Give the owner a password, or send an invitation mail."
        )
    if admin_email:
        _check("admin_email", validate_email, admin_email)
        if admin_password:
            _check("admin_password", validate_password, admin_password)
    if Tenant.objects.filter(schema_name=slug).exists() or schema_exists(slug):
        raise InvalidInput.for_field("slug", f"The slug '{slug}' is taken.")
    if Domain.objects.filter(domain=domain).exists():
        raise InvalidInput.for_field("domain", f"The host '{domain}' already belongs to a tenant.")

    started = time.monotonic()
    if not template_is_current():
        # New tenants are cloned and their migrations faked: a stale template would leave them
        # without tables (after a plain `migrate_schemas --tenant`, which skips the template).
        ensure_template_schema(progress=progress)
    progress(f"creating schema {slug} from template {settings.TENANT_BASE_SCHEMA}")
    tenant = Tenant(
        schema_name=slug,
        name=name.strip(),
        default_language=default_language,
        default_currency=default_currency,
    )
    tenant.save(verbosity=0)
    progress(f"schema ready in {time.monotonic() - started:.1f}s")
    Domain.objects.create(domain=domain, tenant=tenant, is_primary=True)
    TenantModule.objects.bulk_create(
        TenantModule(tenant=tenant, module=module.slug, enabled=module.core or module.default_enabled)
        for module in registry
    )
    with schema_context(tenant.schema_name):
        for module in registry:
            if module.on_enable and (module.core or module.default_enabled):
                module.on_enable(tenant)
        if admin_email:
            progress(f"creating owner {admin_email}")
            try:
                first_owner(
                    email=admin_email,
                    password=admin_password or None,
                    invite_base_url=admin_invite_base_url,
                    invited_by=invited_by or "RusToK",
                )
            except InvalidInput as exc:
                # The owner's fields are admin_* here, as the caller named them.
                errors = {key.replace("owner_", "admin_"): texts for key, texts in (exc.errors or {}).items()}
                raise InvalidInput(exc.detail.replace("owner_", "admin_"), errors=errors) from None
    transaction.on_commit(lambda: selectors.forget_module_states(tenant))
    progress(f"tenant {slug} created in {time.monotonic() - started:.1f}s")
    return tenant


@transaction.atomic
def update_tenant(
    *,
    tenant: Tenant,
    name: str,
    default_language: str,
    default_currency: str,
    allow_signup: bool | None = None,
) -> Tenant:
    """Change a tenant's display name, default language, default currency or sign-up policy."""
    if not (name or "").strip():
        raise InvalidInput.for_field("name", "A display name is required.")
    _check("default_language", validate_language, default_language)
    _check("default_currency", validate_currency, default_currency)
    previous = tenant.default_language
    tenant.name = name.strip()
    tenant.default_language = default_language
    tenant.default_currency = default_currency
    if allow_signup is not None:
        tenant.allow_signup = allow_signup
    tenant.save(update_fields=["name", "default_language", "default_currency", "allow_signup", "updated_at"])
    if default_language != previous:  # in the tenant's own outbox, with this write
        with schema_context(tenant.schema_name):
            events.publish(LanguageChanged(language=default_language, previous=previous))
    page_cache.invalidate_on_commit(tenant.schema_name)  # pages show the site's name
    return tenant


def _set_status(tenant: Tenant, status: str) -> Tenant:
    tenant.status = status
    tenant.save(update_fields=["status", "updated_at"])
    return tenant


@transaction.atomic
def suspend_tenant(*, tenant: Tenant) -> Tenant:
    """Stop serving the tenant (503 on every host of it); its data is kept."""
    return _set_status(tenant, Tenant.Status.SUSPENDED)


@transaction.atomic
def resume_tenant(*, tenant: Tenant) -> Tenant:
    """Serve a suspended tenant again."""
    return _set_status(tenant, Tenant.Status.ACTIVE)


@transaction.atomic
def delete_tenant(*, tenant: Tenant) -> None:
    """Delete the tenant, its domains, its toggles and its schema with all its data."""
    if tenant.is_public:
        raise Conflict("The public schema cannot be deleted.")
    selectors.forget_module_states(tenant)
    tenant.delete(force_drop=True)


def check_module_states(*, tenant: Tenant, desired: Mapping[str, bool]) -> dict[str, bool]:
    """Return the module states that would result from `desired`, or raise if a rule is broken.

    Rules: a core module cannot be switched off; a module cannot be on while a module it depends
    on is off. Both directions name the modules in the way.
    """
    states = selectors.module_states(tenant)
    for slug, on in desired.items():
        module = _module(slug)
        if module.core and not on:
            raise Conflict(f"'{slug}' is a core module and is always on.", module=slug)
        states[slug] = bool(on)

    for slug, on in desired.items():
        if on:
            missing = [dep for dep in registry.requirements(slug) if not states[dep]]
            if missing:
                raise ModuleDependencyError(
                    f"'{slug}' needs {', '.join(missing)} enabled first.", module=slug, missing=missing
                )
        else:
            blocking = [m.slug for m in registry.dependents(slug) if states[m.slug]]
            if blocking:
                raise ModuleDependencyError(
                    f"'{slug}' is needed by {', '.join(blocking)}; disable those first.",
                    module=slug,
                    dependents=blocking,
                )
    return states


@transaction.atomic
def set_module_states(*, tenant: Tenant, desired: Mapping[str, bool]) -> list[str]:
    """Switch several modules of `tenant` at once; returns the slugs whose state changed.

    Hooks run inside the tenant's schema; the cache of toggles is dropped after commit.
    """
    if tenant.is_public:
        raise Conflict("Modules are switched per tenant, not for the public schema.")
    # One switch at a time per tenant: the rules are checked against a state nobody else changes.
    Tenant.objects.select_for_update().filter(pk=tenant.pk).first()
    before = selectors.module_states(tenant)
    check_module_states(tenant=tenant, desired=desired)
    changed = [slug for slug, on in desired.items() if before[slug] != bool(on)]
    for slug in changed:
        TenantModule.objects.update_or_create(
            tenant=tenant, module=slug, defaults={"enabled": bool(desired[slug])}
        )
    with schema_context(tenant.schema_name):
        # Disable dependents before what they need, enable what is needed before its dependents.
        order = list(registry.modules)
        turned_off = sorted((s for s in changed if not desired[s]), key=order.index, reverse=True)
        turned_on = sorted((s for s in changed if desired[s]), key=order.index)
        for slug in turned_off:
            if hook := registry.get(slug).on_disable:
                hook(tenant)
            events.publish(ModuleDisabled(module=slug))
        for slug in turned_on:
            if hook := registry.get(slug).on_enable:
                hook(tenant)
            events.publish(ModuleEnabled(module=slug))
    # Dropped now for readers inside this transaction, and again after commit in case another
    # request cached the old states between the two. Once committed, the tenant's pages are
    # invalidated too (the menu, the home page, the feeds change): after the toggles are dropped,
    # so no page rendered with the old toggles is served after the switch.
    selectors.forget_module_states(tenant)
    if changed:
        transaction.on_commit(lambda: _switched(tenant))
    else:
        transaction.on_commit(lambda: selectors.forget_module_states(tenant))
    return changed


def _switched(tenant: Tenant) -> None:
    """After a switch commits: drop the cached toggles, then the cached pages, in this order."""
    selectors.forget_module_states(tenant)
    page_cache.invalidate(tenant.schema_name)


def set_module_enabled(*, tenant: Tenant, module: str, enabled: bool) -> bool:
    """Switch one module on or off for `tenant`; returns whether anything changed."""
    return bool(set_module_states(tenant=tenant, desired={module: enabled}))


def _module(slug: str):
    try:
        return registry.get(slug)
    except LookupError as exc:
        raise InvalidInput.for_field("module", str(exc)) from None
