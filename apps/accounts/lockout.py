"""Login lockout (django-axes) answers: problem+json 429 for API clients, a page for people."""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.shortcuts import render

from rustok.api.problems import problem, problem_response, wants_problem


def lockout_username(request, credentials=None) -> str:
    """Lockouts count per e-mail address whatever its case (AXES_USERNAME_CALLABLE)."""
    credentials = credentials or {}
    value = credentials.get("username") or credentials.get("email")
    if value is None and request is not None and request.method == "POST":
        value = request.POST.get("username")
    return str(value or "").strip().lower()


def retry_after(request=None) -> int:
    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else 3600


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: what a locked-out sign-in gets, whichever interface it came by."""
    seconds = retry_after(request)
    detail = f"Too many failed sign-ins. Try again in {max(seconds // 60, 1)} minute(s)."
    if wants_problem(request):
        response = problem_response(
            problem(status=429, code="login_locked", title="Too many failed sign-ins", detail=detail)
        )
    else:
        response = render(
            request,
            "errors/locked_out.html",
            {"title": "Too many failed sign-ins", "detail": detail},
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response
