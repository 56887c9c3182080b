"""Answers kept for the length of one request, on the request object.

What many parts of one request ask alike (the module toggles: the REST gate, the GraphQL
middleware, the storefront's hooks, the kinds of content shown) is worked out once per request:
`remembered(key, compute)` returns the answer the request being served already has for `key`, or
computes and keeps it. RequestMemoMiddleware makes the request current for the length of its
answer (a context variable, so each thread of a worker serves its own request), and the next
request starts empty, so a change made between requests shows on the next one.

Outside a request (workers, commands, shells) nothing is kept: `compute()` runs on every call,
as if there were no memo at all.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_ATTRIBUTE = "_rustok_memo"
_current: ContextVar = ContextVar("rustok_request", default=None)


class RequestMemoMiddleware:
    """Make the request current while it is answered, with an empty memo of its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        setattr(request, _ATTRIBUTE, {})
        token = _current.set(request)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


def _memo() -> dict | None:
    request = _current.get()
    return None if request is None else getattr(request, _ATTRIBUTE, None)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """The current request's answer for `key`, computed by `compute()` on first use; outside a
    request, `compute()` itself."""
    memo = _memo()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget() -> None:
    """Drop what the current request remembered: after a write in the request that changes an
    answer (a module switched), what follows in the same request asks again."""
    memo = _memo()
    if memo is not None:
        memo.clear()
