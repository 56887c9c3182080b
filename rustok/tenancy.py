"""Routing of a request to its tenant's schema by host name (django-tenants), with our answers
for an unknown host (404) and a suspended tenant (503): problem+json for APIs, a page for people.
"""

from django.conf import settings
from django.http.request import split_domain_port
from django.shortcuts import render
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import app_labels, remove_www

from rustok.api.problems import problem, problem_response, wants_problem
from rustok.logs import bind_tenant


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
        response = super().process_request(request)
        if response is not None:
            return response
        bind_tenant(request.tenant.schema_name)
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
