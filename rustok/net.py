"""The client's address, the same for throttling, login lockout and the audit log."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request, credentials=None) -> str | None:
    """REMOTE_ADDR, or the address TRUSTED_PROXY_COUNT proxies in front of us saw.

    With N trusted proxies, the client is the N-th address from the right of X-Forwarded-For;
    anything further left was written by the client and is not trusted. Only a valid IP address
    is returned (it is stored in inet columns). (The signature also
    fits django-axes' AXES_CLIENT_IP_CALLABLE.)
    """
    request = getattr(request, "_request", request)  # a DRF Request wraps Django's
    peer = _valid(request.META.get("REMOTE_ADDR"))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        # Fewer entries than proxies, or a garbled entry: not written by our proxies; use the peer.
        if len(forwarded) >= proxies:
            return _valid(forwarded[-proxies]) or peer
    return peer


def user_agent(request) -> str:
    request = getattr(request, "_request", request)
    return request.META.get("HTTP_USER_AGENT", "")[:255]


def site_url(request) -> str:
    """The scheme and host this request reached, for links in mails (`https://shop.example`)."""
    return f"{request.scheme}://{request.get_host()}"
