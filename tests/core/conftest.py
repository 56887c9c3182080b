"""Fixtures of the kernel's tests: the platform asked as gunicorn asks it (rustok.wsgi), and the
page cache's lookups in Redis counted."""

from dataclasses import dataclass
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from rustok import page_cache
from rustok.page_cache import CachedPages
from rustok.tenancy import routes
from tests.conftest import ALPHA_HOST


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


@pytest.fixture
def wsgi(settings):
    """Ask the platform as gunicorn does: the page cache's application in front of Django's
    (rustok.wsgi builds the same; importing it refuses the tests' development key)."""
    settings.TENANT_ROUTING_CACHE_SECONDS = 300  # the host's route stays kept through the test
    routes.forget()
    application = CachedPages(WSGIHandler())

    def ask(path: str, *, method: str = "GET", host: str = ALPHA_HOST, **headers) -> Answer:
        path_info, _, query = path.partition("?")
        environ = {"REQUEST_METHOD": method, "PATH_INFO": path_info, "QUERY_STRING": query}
        accept = "application/json" if path.startswith("/api/") else "text/html"
        environ.update(HTTP_HOST=host, HTTP_ACCEPT=accept, **headers)
        setup_testing_defaults(environ)
        started = []
        # As Django's test client does: the request signals leave the test's transaction open.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            body = application(environ, lambda *answer: started.append(answer[:2]))
            try:
                content = b"".join(body)
            finally:
                if hasattr(body, "close"):  # as a WSGI server does
                    body.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        status, headers = started[0]
        return Answer(int(status.split()[0]), dict(headers), content)

    yield ask
    routes.forget()


def lookups_of(monkeypatch, kind: str) -> list:
    """One item per lookup in Redis (the page cache's script) of an entry of `kind`: `page`, or
    `part` (a part of a page, `fragment`)."""
    asked = []
    real = page_cache._look_up_script

    def look_up(keys, args):
        if f":{kind}:" in keys[1]:
            asked.append(1)
        return real(keys, args)

    monkeypatch.setattr(page_cache, "_look_up_script", look_up)
    return asked


@pytest.fixture
def redis_asked(monkeypatch) -> list:
    """One item per lookup of a page in Redis (not of the page's parts)."""
    return lookups_of(monkeypatch, "page")


@pytest.fixture
def part_lookups(monkeypatch) -> list:
    """One item per lookup of a part of a page (`fragment`) in Redis."""
    return lookups_of(monkeypatch, "part")
