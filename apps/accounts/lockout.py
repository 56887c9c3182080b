"""Login lockout (django-axes): what locks what, and the 429 answer (problem+json or a page).

The rule, per site (axes' tables are in each tenant schema):

- a failed sign-in (or a wrong current password at a password change) is counted against the
  pair (e-mail address, client address) and against the client address alone
  (AXES_LOCKOUT_PARAMETERS);
- the pair is locked after AXES_FAILURE_LIMIT failures (AUTH_LOCKOUT_FAILURES, 5): guessing
  someone's password from one place never locks them out elsewhere;
- the client address alone is locked after AUTH_LOCKOUT_ADDRESS_FAILURES (50) failures, whatever
  the e-mail addresses: a scan over many accounts from one place, not a few typos;
- failures are forgotten AXES_COOLOFF_TIME (AUTH_LOCKOUT_MINUTES, 15) after the last one, so a
  lockout lasts that long from the failure that reached the limit; tries during a lockout are
  refused and not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off), so they do not
  extend it.

axes compares every lockout parameter with one limit; LockoutHandler only gives the address
alone its own. Recording, the cool-off and resets (axes.utils.reset) stay axes' own.
"""

from __future__ import annotations

import math
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.shortcuts import render
from django.utils import timezone

from rustok.api.problems import problem, problem_response, wants_problem


def limit_of(parameter, failure_limit: int) -> int:
    """The failures that lock a lockout parameter: an address alone has the higher limit."""
    names = [parameter] if isinstance(parameter, str) else list(parameter)
    return failure_limit if "username" in names else settings.AUTH_LOCKOUT_ADDRESS_FAILURES


class LockoutHandler(AxesDatabaseHandler):
    """AXES_HANDLER: axes' database handler with a limit per lockout parameter (see limit_of)."""

    def _counts(self, request, credentials=None):
        """(parameter, its limit, its recent attempts, their failures) for each lockout parameter."""
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            yield parameter, limit_of(parameter, limit), attempts, failures

    def get_failures(self, request, credentials=None) -> int:
        """The failures axes compares with AXES_FAILURE_LIMIT: that limit, less what the parameter
        nearest to its own limit has left; so it reaches the limit exactly when one parameter
        reaches its own."""
        limit = get_failure_limit(request, credentials)
        left = min(
            own - failures for _parameter, own, _attempts, failures in self._counts(request, credentials)
        )
        return limit - left

    def locked_until(self, request, credentials=None) -> datetime | None:
        """When the current lockout of this request ends (None if it is not locked)."""
        ends = [
            attempts.aggregate(last=Max("attempt_time"))["last"]
            for _parameter, own, attempts, failures in self._counts(request, credentials)
            if failures >= own
        ]
        ends = [end for end in ends if end is not None]
        return max(ends) + get_cool_off(request) if ends else None


def current_lockouts() -> QuerySet[AccessAttempt]:
    """The recorded failures that lock a pair (e-mail, address) or an address now, in this
    schema, each with `pair_failures` and `address_failures` (what the admin lists)."""
    since = timezone.now() - get_cool_off()
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    pairs = (
        recent.values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    addresses = (
        recent.values("ip_address")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AUTH_LOCKOUT_ADDRESS_FAILURES)
        .values("ip_address")
    )
    locking = Q(ip_address__in=addresses)
    for pair in pairs:
        locking |= Q(username=pair["username"], ip_address=pair["ip_address"])

    def total(**match):
        return Subquery(
            recent.filter(**{key: OuterRef(value) for key, value in match.items()})
            .values(*match)
            .annotate(n=Sum("failures_since_start"))
            .values("n")
        )

    return recent.filter(locking).annotate(
        pair_failures=total(username="username", ip_address="ip_address"),
        address_failures=total(ip_address="ip_address"),
    )


def lockout_username(request, credentials=None) -> str:
    """Lockouts count per e-mail address whatever its case (AXES_USERNAME_CALLABLE)."""
    credentials = credentials or {}
    value = credentials.get("username") or credentials.get("email")
    if value is None and request is not None and request.method == "POST":
        value = request.POST.get("username")
    return str(value or "").strip().lower()


def retry_after(request=None, credentials=None) -> int:
    """Seconds until the request's lockout ends (the whole cool-off if that cannot be told)."""
    from axes.handlers.proxy import AxesProxyHandler

    handler = AxesProxyHandler.get_implementation()
    if request is not None and isinstance(handler, LockoutHandler):
        AxesProxyHandler.update_request(request)
        until = handler.locked_until(request, credentials or getattr(request, "axes_credentials", None))
        if until is not None:
            return max(math.ceil((until - timezone.now()).total_seconds()), 1)
    return int(get_cool_off(request).total_seconds())


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: what a locked-out sign-in gets, whichever interface it came by.

    A page that shows the lockout itself (the storefront's sign-in form, with what was typed,
    marked `shows_lockout`) is kept as it is, with its Retry-After."""
    seconds = retry_after(request, credentials)
    if getattr(original_response, "shows_lockout", False):
        original_response["Retry-After"] = str(seconds)
        return original_response
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
