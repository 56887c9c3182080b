"""Routing of a request to its tenant's schema by host name (django-tenants), with our answers
for an unknown host (404) and a suspended tenant (503): problem+json for APIs, a page for people.

Each process keeps what a host name routes to (the tenant's row as it was read) for
TENANT_ROUTING_CACHE_SECONDS, so a request does not look its domain up in the database every
time; a host no tenant has is looked up every time, so a new domain answers at once. A change of
a tenant or a domain (saved or deleted, by a service, the admin or a command) forgets every route
kept by the process that made it, at once and again when its transaction commits; the other
processes see it within TENANT_ROUTING_CACHE_SECONDS (docs/architecture.md, "The path of a
request"). 0 looks every request up, as django-tenants does.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponseNotFound
from django.http.request import split_domain_port
from django.shortcuts import render
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import (
    app_labels,
    get_tenant_database_alias,
    get_tenant_domain_model,
    get_tenant_model,
    remove_www,
)

from rustok.api.problems import problem, problem_response, wants_problem
from rustok.logs import bind_tenant

# Host names kept at most (a bound against a flood of made-up hosts: only found ones are kept).
MAX_ROUTES = 10_000


def _row_fields() -> list[str]:
    """The tenant's columns, in the order a kept row holds them."""
    return [field.attname for field in get_tenant_model()._meta.concrete_fields]


class Routes:
    """Host name -> the row of the tenant it routes to, kept by this process for a short while.

    A lookup hands out a new tenant instance built from the kept row every time, so nothing a
    request sets on its `request.tenant` reaches another request. `forget()` drops everything;
    a lookup that started before a `forget()` does not keep what it read.
    """

    def __init__(self) -> None:
        self._kept: dict[str, tuple[float, tuple]] = {}
        self._generation = 0
        self._lock = threading.Lock()

    def tenant(self, hostname: str):
        """The tenant `hostname` routes to, or None if no tenant has it (the connection is then
        on the public schema)."""
        kept = self.kept(hostname)
        if kept is not None:
            return kept
        seconds = settings.TENANT_ROUTING_CACHE_SECONDS
        now = time.monotonic()
        generation = self._generation
        connection.set_schema_to_public()  # where tenants and domains are
        domain_model = get_tenant_domain_model()
        try:
            tenant = domain_model.objects.select_related("tenant").get(domain=hostname).tenant
        except domain_model.DoesNotExist:
            self._kept.pop(hostname, None)
            return None
        if seconds > 0:
            with self._lock:
                if generation == self._generation:  # no change was made meanwhile
                    if len(self._kept) >= MAX_ROUTES:
                        self._kept.clear()
                    row = tuple(getattr(tenant, name) for name in _row_fields())
                    self._kept[hostname] = (now + seconds, row)
        return tenant

    def kept(self, hostname: str):
        """The tenant `hostname` routes to if this process keeps its route now, else None (not
        looked up: no query)."""
        seconds = settings.TENANT_ROUTING_CACHE_SECONDS
        found = self._kept.get(hostname) if seconds > 0 else None
        if found is None or found[0] <= time.monotonic():
            return None
        return get_tenant_model().from_db(get_tenant_database_alias(), _row_fields(), found[1])

    def forget(self) -> None:
        """Drop every route this process keeps."""
        with self._lock:
            self._generation += 1
            self._kept.clear()


routes = Routes()


def forget_routes(**_signal) -> None:
    """Forget the routes this process keeps, now and once the current transaction commits (a
    request of another thread must not keep the row as it was before the commit)."""
    routes.forget()
    if connection.in_atomic_block:
        transaction.on_commit(routes.forget)


for _model in (settings.TENANT_MODEL, settings.TENANT_DOMAIN_MODEL):
    post_save.connect(forget_routes, sender=_model, dispatch_uid=f"rustok.tenancy.routes.save.{_model}")
    post_delete.connect(forget_routes, sender=_model, dispatch_uid=f"rustok.tenancy.routes.delete.{_model}")


def _refuse(request, *, status: int, code: str, title: str, detail: str, template: str):
    if wants_problem(request):
        response = problem_response(problem(status=status, code=code, title=title, detail=detail))
    else:
        response = render(request, template, {"title": title, "detail": detail}, status=status)
    if status == 503:
        response["Retry-After"] = "3600"
    return response


class TenantMiddleware(TenantMainMiddleware):
    """Select the tenant's schema from the host; refuse unknown hosts and suspended tenants."""

    @staticmethod
    def hostname_from_request(request) -> str:
        """The host name as domains are stored: lower case, without the port or a trailing dot
        (DNS names are case-insensitive and `shop.example.com.` is the same name)."""
        domain, _port = split_domain_port(request.get_host())
        return remove_www(domain)

    def no_tenant_found(self, request, hostname):
        return _refuse(
            request,
            status=404,
            code="tenant_not_found",
            title="Unknown site",
            detail=f"No site is served at '{hostname}'.",
            template="errors/unknown_host.html",
        )

    def process_request(self, request):
        try:
            hostname = self.hostname_from_request(request)
        except DisallowedHost:
            connection.set_schema_to_public()
            return HttpResponseNotFound()
        tenant = routes.tenant(hostname)
        if tenant is None:
            return self.no_tenant_found(request, hostname)
        tenant.domain_url = hostname
        request.tenant = tenant
        same = connection.schema_name == tenant.schema_name and connection.include_public_schema
        if same and connection.search_path_set_schemas:
            # The connection is on this schema already (the previous request was this site's) and
            # the search path it set still holds (the backend forgets it on a rollback or a new
            # connection): the tenant's copy is taken, no SET is sent again.
            connection.tenant = tenant
        else:
            connection.set_tenant(tenant)
        self.setup_url_routing(request)
        bind_tenant(tenant.schema_name)
        if not request.tenant.is_active:
            return _refuse(
                request,
                status=503,
                code="tenant_suspended",
                title="Site suspended",
                detail="This site is suspended. Its data is kept; it will answer again once resumed.",
                template="errors/suspended.html",
            )
        return None


def tenant_only_app(app_label: str) -> bool:
    """Whether the app's tables live only in tenant schemas (none in the public schema)."""
    return app_label not in app_labels(settings.SHARED_APPS)
