"""Authentication and rate limits for API entry points that are not DRF views (GraphQL, MCP).

They run the same DRF authentication and throttle classes as the REST views, so a credential or
a limit means the same whichever interface it is sent to.
"""

from __future__ import annotations

from django.http import HttpResponse
from rest_framework import exceptions as drf_exceptions
from rest_framework.request import Request
from rest_framework.settings import api_settings

from rustok.api.problems import exception_handler, problem_response
from rustok.errors import DomainError


def authenticate_and_throttle(request, *, credentials: bool = True) -> HttpResponse | None:
    """Set `request.user` / `request.auth` from the API credentials; a refusal as a response.

    With `credentials=False` none are read (the request is anonymous), as for REST's sign-in
    routes; the rate limits apply all the same."""
    # Read the body now: DRF's CSRF check may parse it, and the view must still find it whole.
    request.body  # noqa: B018
    authenticators = api_settings.DEFAULT_AUTHENTICATION_CLASSES if credentials else ()
    drf_request = Request(
        request,
        parsers=[cls() for cls in api_settings.DEFAULT_PARSER_CLASSES],
        authenticators=[cls() for cls in authenticators],
    )
    try:
        request.user = drf_request.user
        request.auth = drf_request.auth
        for throttle in (cls() for cls in api_settings.DEFAULT_THROTTLE_CLASSES):
            if not throttle.allow_request(drf_request, None):
                raise drf_exceptions.Throttled(wait=throttle.wait())
    except (drf_exceptions.APIException, DomainError) as exc:
        answer = exception_handler(exc, {})
        response = problem_response(answer.data)
        for name in ("WWW-Authenticate", "Retry-After"):
            if name in answer:
                response[name] = answer[name]
        return response
    return None
