"""Rate limits on the API, counted in Redis: per tenant, per user (or token), per address.

Fixed windows counted with Redis SET NX EX + INCR in one pipelined round trip; INCR is atomic
across processes. (DRF's own
SimpleRateThrottle keeps a list of request times per client and writes it back on every request:
neither atomic nor cheap at hundreds of requests a minute.) Keys go through the default cache,
whose keys carry the tenant's schema, so every limit is per tenant.

Redis is reached through the request path's breaker (rustok.resilience.through_redis), so a hung
Redis costs a request one short timeout at most. While it is unavailable a cache outage must not
take the API down, nor leave it unlimited: requests are let through for THROTTLE_FAIL_OPEN_SECONDS
(logged once), then each process counts the same windows in its own memory (so the limits hold
per process) until Redis answers again.

Rates are `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]`, e.g. "600/min".
"""

from __future__ import annotations

import logging
import math
import threading
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django_redis import get_redis_connection
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from rustok.net import client_ip
from rustok.resilience import UNAVAILABLE, through_redis

log = logging.getLogger(__name__)

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'600/min' -> (600, 60)."""
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[0]]


class LocalWindows:
    """Window counts of this process alone, for while Redis is unavailable.

    The outage starts at the first failed count; for THROTTLE_FAIL_OPEN_SECONDS from then every
    request is let through, afterwards they are counted here. A count in Redis that succeeds
    ends the outage and forgets the local counts.
    """

    MAX_KEYS = 100_000  # beyond this many identities in a window, start the window afresh

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self._outage_since: float | None = None
        self._counting = False

    def count(self, key: str, now: float) -> int | None:
        """This request's number in `key`'s window; None while the outage fails open."""
        with self._lock:
            if self._outage_since is None:
                self._outage_since = now
                log.warning(
                    "rate limit store unavailable: limits fail open for %ss, then count per process",
                    settings.THROTTLE_FAIL_OPEN_SECONDS,
                )
            if now - self._outage_since < settings.THROTTLE_FAIL_OPEN_SECONDS:
                return None
            if not self._counting:
                self._counting = True
                log.warning("rate limit store still unavailable: limits now counted per process")
            if len(self._counts) >= self.MAX_KEYS:
                self._counts.clear()
            self._counts[key] = self._counts.get(key, 0) + 1
            return self._counts[key]

    def recovered(self) -> None:
        """Redis counted again: the outage is over."""
        if self._outage_since is not None:
            with self._lock:
                if self._outage_since is not None:
                    log.info("rate limit store answers again; limits counted in Redis")
                self._outage_since, self._counting = None, False
                self._counts.clear()


local_windows = LocalWindows()


def _count_in_redis(full_key: str, window: int) -> int:
    """One round trip: create the window's counter if new, then count this request."""
    pipe = get_redis_connection("default").pipeline(transaction=False)
    pipe.set(full_key, 0, ex=window + 1, nx=True)
    pipe.incr(full_key)
    return pipe.execute()[1]


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
        full_key = cache.make_key(f"throttle:{self.scope}:{ident}:{int(now // window)}")
        count = through_redis("rate limits", _count_in_redis, full_key, window)
        if count is UNAVAILABLE:
            count = local_windows.count(full_key, now)
            if count is None:
                return True
        else:
            local_windows.recovered()
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


class StorefrontThrottle(WindowThrottle):
    """Storefront pages and feeds per client address (`storefront`), a generous limit against
    scrapers and floods that a reader never meets."""

    scope = "storefront"

    def identity(self, request) -> str | None:
        return f"ip:{client_ip(request)}"


def limited(view, throttle_class=StorefrontThrottle):
    """`view` answering 429 with Retry-After (a page, or problem+json for JSON clients) once its
    client is over the throttle's rate."""

    @wraps(view)
    def limited_view(request, *args, **kwargs):
        throttle = throttle_class()
        if not throttle.allow_request(request, None):
            return too_many_requests(request, throttle.wait())
        return view(request, *args, **kwargs)

    return limited_view


def too_many_requests(request, wait: float | None):
    from django.shortcuts import render

    from rustok.api.problems import problem, problem_response, wants_problem

    seconds = max(1, math.ceil(wait or 1))
    if wants_problem(request):
        detail = f"Too many requests from your address. Try again in {seconds} s."
        response = problem_response(
            problem(status=429, code="throttled", title="Too many requests", detail=detail)
        )
    else:  # a page for readers, in the site's language
        context = {
            "title": _("Too many requests"),
            "detail": _("Too many requests from your address. Try again in %(seconds)s s.")
            % {"seconds": seconds},
        }
        response = render(request, "errors/too_many_requests.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
