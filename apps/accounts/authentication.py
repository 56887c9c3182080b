"""How API requests say who they are: bearer JWT, JWT cookie, API token (and the admin session).

Each class raises rustok's AuthenticationFailed (401 problem+json) for a credential that is wrong,
expired, revoked or issued for another site. A stale *cookie* is the exception: browsers send it
uninvited, so it is ignored (the request is anonymous) rather than refused, and a signed-out
visitor can still sign in again.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework import authentication
from rest_framework.request import Request

from apps.accounts import services
from rustok.api.problems import Refusal
from rustok.errors import AuthenticationFailed, DomainError, PermissionDenied


def _scheme_credentials(request, scheme: str) -> str | None:
    header = authentication.get_authorization_header(request).decode("latin-1")
    name, _, value = header.partition(" ")
    if name.lower() != scheme.lower():
        return None
    value = value.strip()
    if not value or " " in value:
        raise Refusal(
            AuthenticationFailed(f"Send 'Authorization: {scheme} <credentials>'.", reason="malformed")
        )
    return value


def enforce_csrf(request) -> None:
    """Cookie-borne credentials must come with the CSRF token on unsafe methods."""
    django_request = getattr(request, "_request", request)
    check = authentication.CSRFCheck(lambda _request: None)
    check.process_request(django_request)
    reason = check.process_view(django_request, None, (), {})
    if reason is not None:
        raise Refusal(
            PermissionDenied(
                "CSRF check failed: send the csrftoken cookie's value as X-CSRFToken.", reason="csrf"
            )
        )


class BearerAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <access JWT>`, checked for tenant, expiry and revocation."""

    def authenticate(self, request: Request):
        raw = _scheme_credentials(request, "Bearer")
        if raw is None:
            return None
        try:
            user, family = services.user_of_access(raw)
        except DomainError as exc:
            raise Refusal(exc) from None
        return user, family

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class CookieAuthentication(authentication.BaseAuthentication):
    """The access JWT in the HttpOnly cookie set by a cookie-mode login; CSRF on unsafe methods."""

    def authenticate(self, request: Request):
        raw = request.COOKIES.get(settings.AUTH_ACCESS_COOKIE)
        if not raw:
            return None
        try:
            user, family = services.user_of_access(raw)
        except AuthenticationFailed:
            return None
        enforce_csrf(request)
        return user, family


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token rtk_...` of an integration; the user it acts as carries its scopes."""

    def authenticate(self, request: Request):
        raw = _scheme_credentials(request, "Token")
        if raw is None:
            return None
        try:
            user = services.authenticate_api_token(raw)
        except DomainError as exc:
            raise Refusal(exc) from None
        return user, user.api_token

    def authenticate_header(self, request):
        return 'Token realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The admin's session (staff browsing the API); CSRF as DRF enforces it."""
