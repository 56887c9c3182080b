"""/api/auth/: sign-up, sign-in, token refresh, sign-out, the signed-in user, passwords.

Two modes. Bearer: tokens travel in the body and `Authorization: Bearer <access>`. Cookie: the
tokens are HttpOnly cookies (Secure outside DEBUG, SameSite=Lax); every unsafe request must then
carry the CSRF token (`GET /api/auth/csrf/`, sent back as `X-CSRFToken`).
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.csrf import get_token
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts import serializers as s
from apps.accounts import services
from apps.accounts.authentication import enforce_csrf
from apps.accounts.models import TokenFamily
from rustok.api.problems import PROBLEM_CONTENT_TYPE, domain_error_body, domain_error_headers
from rustok.api.throttling import SignInThrottle, TenantThrottle
from rustok.errors import AuthenticationFailed
from rustok.net import site_url
from rustok.permissions import PERSON, PUBLIC, SIGNED_IN

TAGS = ["auth"]


def _lifetime(name: str) -> int:
    return int(settings.SIMPLE_JWT[name].total_seconds())


def set_auth_cookies(response, tokens: services.Tokens) -> None:
    common = {"secure": settings.SESSION_COOKIE_SECURE, "httponly": True, "samesite": "Lax"}
    response.set_cookie(
        settings.AUTH_ACCESS_COOKIE,
        tokens.access,
        max_age=_lifetime("ACCESS_TOKEN_LIFETIME"),
        path="/",
        **common,
    )
    response.set_cookie(
        settings.AUTH_REFRESH_COOKIE,
        tokens.refresh,
        max_age=_lifetime("REFRESH_TOKEN_LIFETIME"),
        path=settings.AUTH_REFRESH_COOKIE_PATH,
        **common,
    )


def clear_auth_cookies(response) -> None:
    response.delete_cookie(settings.AUTH_ACCESS_COOKIE, path="/", samesite="Lax")
    response.delete_cookie(
        settings.AUTH_REFRESH_COOKIE, path=settings.AUTH_REFRESH_COOKIE_PATH, samesite="Lax"
    )


def session_body(tokens: services.Tokens, request) -> dict:
    """The answer of a sign-in or refresh: tokens for bearer mode, only the user for cookie mode."""
    user = s.MeSerializer(tokens.family.user, context={"request": request}).data
    body = {"expires_in": _lifetime("ACCESS_TOKEN_LIFETIME"), "user": user}
    if tokens.family.mode == TokenFamily.Mode.COOKIE:
        return {"mode": "cookie", **body}
    return {"token_type": "Bearer", "access": tokens.access, "refresh": tokens.refresh, **body}


def session_response(tokens: services.Tokens, request, status_code=status.HTTP_200_OK) -> Response:
    response = Response(session_body(tokens, request), status=status_code)
    if tokens.family.mode == TokenFamily.Mode.COOKIE:
        set_auth_cookies(response, tokens)
    return response


class AnonymousEntry(APIView):
    """Sign-in style endpoints: credentials sent along are ignored, attempts are rate limited."""

    access = PUBLIC
    authentication_classes = ()
    throttle_classes = [TenantThrottle, SignInThrottle]


SESSION_RESPONSES = {
    200: OpenApiResponse(
        s.TokenPairSerializer, description="Bearer mode; cookie mode answers SessionSerializer."
    ),
}


class CsrfView(AnonymousEntry):
    """Set the CSRF cookie for cookie mode and return its value (send it back as X-CSRFToken)."""

    throttle_classes = [TenantThrottle]

    @extend_schema(responses=s.CsrfSerializer, tags=TAGS, operation_id="auth_csrf")
    def get(self, request):
        return Response({"csrf_token": get_token(request._request)})


# The answer to every accepted sign-up: it must not tell whether the address was taken.
REGISTER_DETAIL = "Check your mail: a message about your account is on its way to this address."


class RegisterView(AnonymousEntry):
    """Sign up as a customer (if the site allows it); then sign in with `login`.

    The answer is the same whether the address was free or already taken (202, check your mail):
    a new customer gets a welcome mail, the owner of a taken address a mail saying someone tried.
    """

    @extend_schema(request=s.RegisterSerializer, responses={202: s.RegisterAcceptedSerializer}, tags=TAGS)
    def post(self, request):
        data = s.RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services.register_customer(
            tenant=request.tenant,
            email=values["email"],
            password=values["password"],
            display_name=values["display_name"],
            preferred_language=values["preferred_language"],
            base_url=site_url(request),
            request=request,
        )
        return Response({"detail": REGISTER_DETAIL}, status=status.HTTP_202_ACCEPTED)


class LoginView(AnonymousEntry):
    """Sign in with e-mail and password. Repeated failures lock the account and the address."""

    @extend_schema(request=s.LoginSerializer, responses=SESSION_RESPONSES, tags=TAGS)
    def post(self, request):
        data = s.LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values["mode"] == TokenFamily.Mode.COOKIE:
            enforce_csrf(request)
        tokens = services.sign_in(
            request=request, email=values["email"], password=values["password"], mode=values["mode"]
        )
        return session_response(tokens, request)


def _refresh_token(request, body: dict) -> tuple[str, bool]:
    """The refresh token from the body, else from the cookie (then CSRF applies)."""
    if body.get("refresh"):
        return body["refresh"], False
    raw = request.COOKIES.get(settings.AUTH_REFRESH_COOKIE)
    if not raw:
        raise AuthenticationFailed("Send the refresh token (or its cookie).", reason="missing")
    enforce_csrf(request)
    return raw, True


class RefreshView(AnonymousEntry):
    """Exchange a refresh token for a new pair. Each refresh token works once."""

    @extend_schema(request=s.RefreshSerializer, responses=SESSION_RESPONSES, tags=TAGS)
    def post(self, request):
        data = s.RefreshSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        raw, from_cookie = _refresh_token(request, data.validated_data)
        try:
            tokens = services.refresh_session(raw_refresh=raw, request=request)
        except AuthenticationFailed as exc:
            if not from_cookie:
                raise
            # The cookies are dead: drop them, so the browser stops sending them.
            response = Response(
                domain_error_body(exc),
                status=exc.status,
                headers=domain_error_headers(exc),
                content_type=PROBLEM_CONTENT_TYPE,
            )
            clear_auth_cookies(response)
            return response
        return session_response(tokens, request)


class LogoutView(APIView):
    """End the sign-in: its refresh and access tokens stop working, cookies are cleared."""

    access = PUBLIC
    throttle_classes = [TenantThrottle, SignInThrottle]

    @extend_schema(request=s.RefreshSerializer, responses={204: None}, tags=TAGS)
    def post(self, request):
        family = request.auth if isinstance(request.auth, TokenFamily) else None
        if family is None:
            data = s.RefreshSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            raw, _from_cookie = _refresh_token(request, data.validated_data)
            family = services.family_of_refresh(raw)
        services.end_session(family=family, request=request)
        response = Response(status=status.HTTP_204_NO_CONTENT)
        clear_auth_cookies(response)
        return response


class MeView(APIView):
    """The signed-in user, their role and permissions; change one's name or language.

    An API token may read whom it acts as (and what it may do), but not change the account.
    """

    access = {"get": SIGNED_IN, "default": PERSON}

    @extend_schema(responses=s.MeSerializer, tags=TAGS, operation_id="auth_me_retrieve")
    def get(self, request):
        return Response(s.MeSerializer(request.user).data)

    @extend_schema(
        request=s.ProfileSerializer, responses=s.MeSerializer, tags=TAGS, operation_id="auth_me_update"
    )
    def patch(self, request):
        current = s.MeSerializer(request.user).data  # what the client may send back unchanged
        data = s.ProfileSerializer(data=request.data, context={"current": current})
        data.is_valid(raise_exception=True)
        user = services.update_profile(user=request.user, **data.validated_data)
        return Response(s.MeSerializer(user).data)


class PasswordChangeView(APIView):
    """Change one's password; every other sign-in of the user ends, this one stays.

    Not with an API token; a wrong current password counts as a failed sign-in (lockout).
    """

    access = PERSON

    @extend_schema(request=s.PasswordChangeSerializer, responses={204: None}, tags=TAGS)
    def post(self, request):
        data = s.PasswordChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.change_password(
            user=request.user,
            keep=request.auth if isinstance(request.auth, TokenFamily) else None,
            request=request,
            **data.validated_data,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordResetView(AnonymousEntry):
    """Mail a reset link to the address, if a user has it. The answer is the same either way."""

    @extend_schema(request=s.PasswordResetSerializer, responses={202: None}, tags=TAGS)
    def post(self, request):
        data = s.PasswordResetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_password_reset(
            email=data.validated_data["email"],
            base_url=site_url(request),
            request=request,
        )
        return Response(status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(AnonymousEntry):
    """Choose a new password with the mailed uid and token; every sign-in of the user ends."""

    @extend_schema(request=s.PasswordResetConfirmSerializer, responses={204: None}, tags=TAGS)
    def post(self, request):
        data = s.PasswordResetConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.reset_password(request=request, **data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("csrf/", CsrfView.as_view(), name="auth-csrf"),
    path("register/", RegisterView.as_view(), name="auth-register"),
    path("login/", LoginView.as_view(), name="auth-login"),
    path("refresh/", RefreshView.as_view(), name="auth-refresh"),
    path("logout/", LogoutView.as_view(), name="auth-logout"),
    path("me/", MeView.as_view(), name="auth-me"),
    path("password/change/", PasswordChangeView.as_view(), name="auth-password-change"),
    path("password/reset/", PasswordResetView.as_view(), name="auth-password-reset"),
    path("password/reset/confirm/", PasswordResetConfirmView.as_view(), name="auth-password-reset-confirm"),
]
