"""Circuit breakers around calls to the outside (Redis, the broker, later payment providers,
webhooks): after repeated failures the call is not even tried for a while, so a dead or hanging
dependency costs one timeout per interval instead of one per request.

    queue = breaker("events.queue")
    try:
        queue.call(send, message)
    except CircuitOpen:
        ...  # skipped: the dependency failed recently

Breakers are per process (pybreaker's in-memory state): each web or worker process finds out
on its own, which is what its own requests need.

Calls that may be retried (a payment provider with an idempotency key) go through
`call_with_retries`: the breaker, and a few more tries with a short growing pause when the call
raises one of the exceptions the caller names as passing trouble (a timeout).

Redis on the request path (module toggles, rate limits) goes through one breaker, `redis`, with
`through_redis`: every call has the caches' short socket timeout (REDIS_TIMEOUT), and after
REDIS_BREAKER_FAILURES failures in a row no call is tried for REDIS_BREAKER_SECONDS, so a hung
Redis costs a request one timeout at most and then nothing. Each caller names its fallback.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import pybreaker
from django.conf import settings

log = logging.getLogger(__name__)

CircuitOpen = pybreaker.CircuitBreakerError

_breakers: dict[str, pybreaker.CircuitBreaker] = {}


class _LogChanges(pybreaker.CircuitBreakerListener):
    def state_change(self, cb, old_state, new_state):
        if new_state.name == pybreaker.STATE_OPEN:
            log.warning(
                "circuit %s open after %s failures; calls skipped for %ss",
                cb.name,
                cb.fail_max,
                cb.reset_timeout,
            )
        elif (
            new_state.name == pybreaker.STATE_CLOSED
            and old_state is not None
            and old_state.name != new_state.name
        ):
            log.info("circuit %s closed again", cb.name)


def breaker(name: str, *, fail_max: int = 3, reset_timeout: float = 30) -> pybreaker.CircuitBreaker:
    """The process's circuit breaker called `name`, with these settings (created on first use)."""
    found = _breakers.get(name)
    if found is None:
        found = _breakers[name] = pybreaker.CircuitBreaker(
            fail_max=fail_max, reset_timeout=reset_timeout, name=name, listeners=[_LogChanges()]
        )
    elif (found.fail_max, found.reset_timeout) != (fail_max, reset_timeout):
        found.fail_max, found.reset_timeout = fail_max, reset_timeout  # settings changed
    return found


def redis_breaker() -> pybreaker.CircuitBreaker:
    """The breaker of Redis on the request path."""
    return breaker(
        "redis", fail_max=settings.REDIS_BREAKER_FAILURES, reset_timeout=settings.REDIS_BREAKER_SECONDS
    )


class _Unavailable:
    def __repr__(self) -> str:
        return "UNAVAILABLE"


UNAVAILABLE = _Unavailable()


def through_redis(what: str, call, *args, **kwargs):
    """`call(*args, **kwargs)`, a Redis operation, through the `redis` breaker; UNAVAILABLE if it
    failed or Redis failed just now (the caller falls back). A failure is logged with `what` it
    was for; an open circuit is not (its opening was)."""
    try:
        return redis_breaker().call(call, *args, **kwargs)
    except CircuitOpen:
        return UNAVAILABLE
    except Exception as exc:
        log.warning("redis unavailable for %s: %s", what, exc or type(exc).__name__)
        return UNAVAILABLE


def call_with_retries(
    name: str,
    call: Callable[..., Any],
    *args: Any,
    retry_on: tuple[type[BaseException], ...],
    attempts: int = 3,
    backoff: float = 0.2,
    fail_max: int = 5,
    reset_timeout: float = 30,
    **kwargs: Any,
) -> Any:
    """`call(*args, **kwargs)` through the breaker `name`, tried at most `attempts` times while it
    raises one of `retry_on`, pausing `backoff`, then twice that, ... between tries.

    Every try is the same call with the same arguments: a call that is retried must be safe to
    repeat (an idempotency key among its arguments). Raises CircuitOpen when the breaker is open
    or the failures open it (no further try), the last `retry_on` exception when the tries are
    spent, and any other exception at once.
    """
    guard = breaker(name, fail_max=fail_max, reset_timeout=reset_timeout)
    for attempt in range(max(1, attempts)):
        try:
            return guard.call(call, *args, **kwargs)
        except CircuitOpen:
            raise
        except retry_on as exc:
            if attempt + 1 >= max(1, attempts):
                raise
            log.info("%s: try %s failed (%s); trying again", name, attempt + 1, exc or type(exc).__name__)
            if backoff > 0:
                time.sleep(backoff * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def reset_all() -> None:
    """Close every breaker (tests, and operators after a repair)."""
    for each in _breakers.values():
        each.close()
