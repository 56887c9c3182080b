"""Django's error handlers: problem+json under /api/ and for JSON clients, pages for people."""

import sys

from django.http import HttpResponseNotFound, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

from rustok.api.problems import domain_error_body, problem, problem_response, wants_problem
from rustok.database import unavailable


def _on_site(request) -> bool:
    """Whether the request came to a tenant's host (a site with a storefront), not the platform's."""
    tenant = getattr(request, "tenant", None)
    return tenant is not None and not getattr(tenant, "is_public", True)


def not_found(request, exception=None):
    if wants_problem(request):
        return problem_response(
            problem(status=404, code="not_found", title="Not found", detail=f"Nothing at {request.path}.")
        )
    if _on_site(request):  # readers of a site: the storefront's page, in its frame
        return HttpResponseNotFound(loader.render_to_string("storefront/404.html", request=request))
    return defaults.page_not_found(request, exception)


def server_error(request):
    outage = unavailable(sys.exc_info()[1])  # called while Django handles the exception
    if outage is not None:
        return service_unavailable(request, outage)
    if wants_problem(request):
        return problem_response(
            problem(
                status=500,
                code="server_error",
                title="Server error",
                detail="An unexpected error occurred; it has been logged.",
            )
        )
    if _on_site(request):
        # Rendered without the request's context: the database may be what failed.
        return HttpResponseServerError(loader.render_to_string("storefront/500.html"))
    return defaults.server_error(request)


def permission_denied(request, exception=None):
    if wants_problem(request):
        return problem_response(
            problem(status=403, code="permission_denied", title="Forbidden", detail="You may not do this.")
        )
    return defaults.permission_denied(request, exception)


def bad_request(request, exception=None):
    if wants_problem(request):
        return problem_response(
            problem(status=400, code="bad_request", title="Bad request", detail="The request is malformed.")
        )
    return defaults.bad_request(request, exception)


def service_unavailable(request, error):
    """503 with Retry-After: the database is down or busy (rustok.database)."""
    if wants_problem(request):
        response = problem_response(domain_error_body(error))
    else:
        context = {
            "title": _("Site unavailable"),
            "detail": _("The site cannot answer just now. Try again in a minute."),
        }
        response = render(request, "errors/unavailable.html", context, status=503)
    response["Retry-After"] = str(int(error.retry_after))
    return response
