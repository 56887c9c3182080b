"""Rate limits on the API, counted in Redis: per tenant, per user (or token), per address.

Fixed windows counted with Redis SET NX EX + INCR in one pipelined round trip; INCR is atomic
across processes. (DRF's own
SimpleRateThrottle keeps a list of request times per client and writes it back on every request:
neither atomic nor cheap at hundreds of requests a minute.) Keys go through the default cache,
whose keys carry the tenant's schema, so every limit is per tenant. If Redis is unreachable the
request is let through: a cache outage must not take the API down.

Rates are `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]`, e.g. "600/min".
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django_redis import get_redis_connection
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from rustok.net import client_ip

log = logging.getLogger(__name__)

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'600/min' -> (600, 60)."""
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[0]]


class WindowThrottle(BaseThrottle):
    """Allow `rate` requests per window for each identity this throttle names."""

    scope = ""

    def __init__(self) -> None:
        self._wait: float | None = None

    def identity(self, request) -> str | None:
        """What to count against; None exempts the request from this throttle."""
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        ident = self.identity(request)  # may choose the scope (ClientThrottle)
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if not rate or ident is None:
            return True
        limit, window = parse_rate(rate)
        now = time.time()
        key = f"throttle:{self.scope}:{ident}:{int(now // window)}"
        try:
            # One round trip: create the window's counter if new, then count this request.
            full_key = cache.make_key(key)
            pipe = get_redis_connection("default").pipeline(transaction=False)
            pipe.set(full_key, 0, ex=window + 1, nx=True)
            pipe.incr(full_key)
            count = pipe.execute()[1]
        except Exception:
            log.warning("rate limit store unavailable; request let through", exc_info=True)
            return True
        if count > limit:
            self._wait = window - (now % window)
            return False
        return True

    def wait(self) -> float | None:
        return self._wait


class TenantThrottle(WindowThrottle):
    """All API requests of one site together: one busy tenant cannot starve the others.

    Anonymous requests have their own, smaller bucket (`tenant_anon`), so a flood of anonymous
    clients cannot use up what the site's signed-in users and integrations need.
    """

    def identity(self, request) -> str | None:
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        self.scope = "tenant" if signed_in else "tenant_anon"
        return "signed_in" if signed_in else "anonymous"


class ClientThrottle(WindowThrottle):
    """Signed-in users (or API tokens) by id, anonymous clients by address."""

    def identity(self, request) -> str | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            token = getattr(user, "api_token", None)
            self.scope = "user"
            return f"token:{token.pk}" if token is not None else f"user:{user.pk}"
        self.scope = "anon"
        return f"ip:{client_ip(request)}"


class SignInThrottle(WindowThrottle):
    """Sign-in, sign-up and password-reset attempts per address (besides the lockout)."""

    scope = "auth"

    def identity(self, request) -> str | None:
        return f"ip:{client_ip(request)}"
