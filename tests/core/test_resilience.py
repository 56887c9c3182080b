"""rustok.resilience.call_with_retries: bounded tries on the exceptions named, through a breaker."""

from __future__ import annotations

import pytest

from rustok.resilience import CircuitOpen, breaker, call_with_retries


class Flaky(Exception):
    pass


def counting(failures: int, error: type[Exception] = Flaky):
    """A call that raises `error` its first `failures` times, then answers how often it ran."""
    calls = []

    def call(value):
        calls.append(value)
        if len(calls) <= failures:
            raise error("not now")
        return len(calls)

    return call, calls


def test_a_call_failing_twice_is_answered_on_the_third_try_with_the_same_arguments():
    call, calls = counting(2)
    assert call_with_retries("test.flaky", call, "key-1", retry_on=(Flaky,), attempts=3, backoff=0) == 3
    assert calls == ["key-1", "key-1", "key-1"]


def test_the_last_exception_is_raised_once_the_tries_are_spent():
    call, calls = counting(5)
    with pytest.raises(Flaky):
        call_with_retries("test.spent", call, "k", retry_on=(Flaky,), attempts=2, backoff=0)
    assert len(calls) == 2


def test_other_exceptions_are_not_retried():
    call, calls = counting(1, error=KeyError)
    with pytest.raises(KeyError):
        call_with_retries("test.other", call, "k", retry_on=(Flaky,), attempts=3, backoff=0)
    assert len(calls) == 1


def test_the_breaker_opens_after_fail_max_failures_and_stops_the_tries():
    call, calls = counting(10)
    with pytest.raises(CircuitOpen):
        call_with_retries("test.breaker", call, "k", retry_on=(Flaky,), attempts=5, backoff=0, fail_max=2)
    assert len(calls) == 2
    with pytest.raises(CircuitOpen):
        call_with_retries("test.breaker", call, "k", retry_on=(Flaky,), attempts=5, backoff=0, fail_max=2)
    assert len(calls) == 2  # not called while the circuit is open
    breaker("test.breaker", fail_max=2).close()
