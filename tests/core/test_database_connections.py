"""A persistent database connection is checked before a request reuses it without a round trip
while it is quiet, and replaced when the server has closed it since (rustok.postgresql_backend)."""

import select
import time

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept():
    """A second connection to the test database, reused across "requests" as a web process does."""
    wrapper = connections.create_connection("default")
    wrapper.settings_dict["CONN_HEALTH_CHECKS"] = True
    wrapper.settings_dict["CONN_MAX_AGE"] = 60
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def next_request(wrapper):
    """What Django does with a kept connection when a request starts (request_started)."""
    wrapper.close_if_unusable_or_obsolete()


def backend_of(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_a_quiet_connection_is_reused_without_asking_the_server(kept, monkeypatch):
    pid = backend_of(kept)
    asked = []
    monkeypatch.setattr(kept, "is_usable", lambda: asked.append(1) or True)
    for _ in range(3):
        next_request(kept)
        assert backend_of(kept) == pid
    assert asked == []


def test_a_connection_the_server_closed_is_replaced_before_the_request_uses_it(kept):
    pid = backend_of(kept)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    poller = select.poll()
    poller.register(kept.connection.fileno(), select.POLLIN)
    deadline = time.monotonic() + 5
    while not poller.poll(50) and time.monotonic() < deadline:  # the server's goodbye arrives
        pass
    next_request(kept)
    replaced = backend_of(kept)  # no error: the request runs on a new connection
    assert replaced != pid


def test_a_closed_connection_is_checked_the_way_django_checks_it(kept, monkeypatch):
    backend_of(kept)
    kept.connection.close()  # the socket is gone: it cannot be polled
    next_request(kept)
    assert backend_of(kept)  # Django's check found it unusable and a new connection was made
