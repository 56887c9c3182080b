"""Circuit breakers around calls to the outside (Redis as a broker, later payment providers,
webhooks): after repeated failures the call is not even tried for a while, so a dead or hanging
dependency costs one timeout per interval instead of one per request.

    queue = breaker("events.queue")
    try:
        queue.call(send, message)
    except CircuitOpen:
        ...  # skipped: the dependency failed recently

Breakers are per process (pybreaker's in-memory state): each web or worker process finds out
on its own, which is what its own requests need.
"""

from __future__ import annotations

import logging

import pybreaker

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
        elif new_state.name == pybreaker.STATE_CLOSED and old_state is not None:
            log.info("circuit %s closed again", cb.name)


def breaker(name: str, *, fail_max: int = 3, reset_timeout: float = 30) -> pybreaker.CircuitBreaker:
    """The process's circuit breaker called `name` (created on first use with these settings)."""
    if name not in _breakers:
        _breakers[name] = pybreaker.CircuitBreaker(
            fail_max=fail_max, reset_timeout=reset_timeout, name=name, listeners=[_LogChanges()]
        )
    return _breakers[name]


def reset_all() -> None:
    """Close every breaker (tests, and operators after a repair)."""
    for each in _breakers.values():
        each.close()
