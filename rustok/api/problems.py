"""RFC 7807 problem details: the body of every REST error.

    {"type": "https://rustok.dev/problems/invalid", "title": "Invalid input", "status": 400,
     "detail": "...", "code": "invalid", "errors": [{"field": "slug", "message": "...", "code": "..."}]}

`code` is stable and listed in docs/api/errors.md. The same helpers render errors raised by DRF,
by services (rustok.errors.DomainError), and by Django itself under /api/ (404, 500).
"""

from __future__ import annotations

import logging
import math

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response

from rustok.database import unavailable
from rustok.errors import DomainError

log = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://rustok.dev/problems/"

# DRF's own codes mapped to ours where the names differ.
_DRF_CODES = {
    "not_authenticated": "not_authenticated",
    "authentication_failed": "authentication_failed",
    "permission_denied": "permission_denied",
    "not_found": "not_found",
    "method_not_allowed": "method_not_allowed",
    "not_acceptable": "not_acceptable",
    "unsupported_media_type": "unsupported_media_type",
    "throttled": "throttled",
    "parse_error": "parse_error",
    "invalid": "invalid",
}


def problem(
    *, status: int, code: str, title: str, detail: str = "", errors: list[dict] | None = None, **extra
) -> dict:
    """The problem+json body as a dict."""
    body = {"type": TYPE_BASE + code, "title": title, "status": status, "detail": detail, "code": code}
    if errors:
        body["errors"] = errors
    body.update(extra)
    return body


def problem_response(body: dict) -> JsonResponse:
    """A plain Django response carrying a problem (for middleware and Django's error handlers)."""
    return JsonResponse(
        body,
        status=body["status"],
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def _field_errors(detail, prefix: str = "") -> list[dict]:
    """Flatten DRF's nested validation detail into [{field, message, code}]."""
    out: list[dict] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key == "non_field_errors" else str(key)
            out.extend(_field_errors(value, f"{prefix}.{name}" if prefix and name else prefix or name))
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list) and not isinstance(value, drf_exceptions.ErrorDetail):
                out.extend(_field_errors(value, f"{prefix}.{index}" if prefix else str(index)))
            else:
                out.extend(_field_errors(value, prefix))
    else:
        out.append(
            {"field": prefix or None, "message": str(detail), "code": getattr(detail, "code", "invalid")}
        )
    return out


def domain_error_body(exc: DomainError) -> dict:
    errors = [
        {"field": field, "message": message, "code": exc.code}
        for field, messages in exc.errors.items()
        for message in messages
    ]
    return problem(
        status=exc.status, code=exc.code, title=exc.title, detail=exc.detail, errors=errors, **exc.extra
    )


class Refusal(drf_exceptions.APIException):
    """A DomainError raised where DRF only lets APIExceptions through (authentication classes)."""

    def __init__(self, error: DomainError):
        super().__init__(error.detail)
        self.error = error
        self.status_code = error.status


# What a 401 answer names as the ways to authenticate (RFC 9110 WWW-Authenticate).
WWW_AUTHENTICATE = 'Bearer realm="api", Token realm="api"'


def domain_error_headers(exc: DomainError) -> dict:
    headers = {}
    if exc.status == 401:
        headers["WWW-Authenticate"] = WWW_AUTHENTICATE
    if exc.retry_after:
        headers["Retry-After"] = str(int(exc.retry_after))
    return headers


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every error of a view becomes problem+json."""
    # Imported here: rest_framework.views imports the authentication classes, which import us.
    from rest_framework.views import set_rollback

    if isinstance(exc, Refusal):
        exc = exc.error
    exc = unavailable(exc) or exc  # the database down or busy: 503, not a bug
    if isinstance(exc, DomainError):
        set_rollback()
        return Response(
            domain_error_body(exc),
            status=exc.status,
            headers=domain_error_headers(exc),
            content_type=PROBLEM_CONTENT_TYPE,
        )
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    if not isinstance(exc, drf_exceptions.APIException):
        return None  # a real bug: Django's handler500 answers (problem+json under /api/)

    set_rollback()
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(math.ceil(exc.wait))

    if isinstance(exc, drf_exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        detail = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
        body = problem(
            status=exc.status_code, code="invalid", title="Invalid input", detail=detail, errors=errors
        )
    else:
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        code = _DRF_CODES.get(code, code)
        body = problem(
            status=exc.status_code,
            code=code,
            title=str(exc.default_detail),
            detail=str(exc.detail),
        )
    return Response(body, status=exc.status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def wants_problem(request) -> bool:
    """Whether an error for this request is answered as problem+json rather than an HTML page."""
    if request.path.startswith("/api/") or request.path.startswith("/health/"):
        return True
    accept = request.headers.get("Accept", "")
    return "html" not in accept and ("json" in accept or not accept)
