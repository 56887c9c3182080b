"""The client's address, the same for throttling, login lockout and the audit log."""

from __future__ import annotations

from django.conf import settings


def client_ip(request, credentials=None) -> str | None:
    """REMOTE_ADDR, or the address TRUSTED_PROXY_COUNT proxies in front of us saw.

    With N trusted proxies, the client is the N-th address from the right of X-Forwarded-For;
    anything further left was written by the client and is not trusted. (The signature also
    fits django-axes' AXES_CLIENT_IP_CALLABLE.)
    """
    request = getattr(request, "_request", request)  # a DRF Request wraps Django's
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            return forwarded[-min(proxies, len(forwarded))]
    return request.META.get("REMOTE_ADDR") or None


def user_agent(request) -> str:
    request = getattr(request, "_request", request)
    return request.META.get("HTTP_USER_AGENT", "")[:255]
