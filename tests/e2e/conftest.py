"""Browser tests: the demo site served over HTTP from this process, and Debian's chromium.

The demo is seeded exactly as `make run` seeds it (`manage.py rustok demo`), committed for real,
and served by a threaded WSGI server on a free port of 127.0.0.1. Chromium resolves
`demo.localhost` and `localhost` to the loopback address itself, so the browser reaches the demo
site and the platform host by their names. Playwright drives the chromium at $CHROMIUM
(default /usr/bin/chromium, installed by `make test`); it never downloads a browser.

Every request the browser makes is recorded; one to another host is refused and fails the test.
Screenshots go to test-artifacts/e2e/. `another_browser` opens more browser contexts (other
shoppers); `shop_worker` turns the page cache on and runs a Celery worker that relays the events
while the browser runs, as production does; `database` runs database work outside Playwright's
thread.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.testcases import LiveServerThread
from django_tenants.utils import schema_context

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
DEMO_PASSWORD = "rustok-demo"
# No updates, sync, crash reports or field trials: nothing the browser itself would fetch.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-domain-reliability",
    "--disable-breakpad",
    "--disable-field-trial-config",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
]


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The demo tenant and the platform's operator, as `make run` seeds them; removed afterwards."""
    from apps.accounts.models import User
    from apps.core import services
    from apps.core.models import Domain, Tenant
    from tests.conftest import deliver

    os.environ.setdefault("RUSTOK_DEMO_PASSWORD", DEMO_PASSWORD)
    with django_db_blocker.unblock():
        had_localhost = Domain.objects.filter(domain="localhost").exists()
        before = set(Tenant.objects.values_list("schema_name", flat=True))
        call_command("rustok", "demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        deliver("demo")  # the worker's part: search documents of the seeded content
        connection.set_schema_to_public()
        try:
            yield Tenant.objects.get(schema_name="demo")
        finally:
            connection.set_schema_to_public()
            # The demo, and the sites a test made through the platform admin.
            for tenant in Tenant.objects.exclude(schema_name__in=before):
                services.delete_tenant(tenant=tenant)
            operator = list(User.objects.filter(email__iexact="admin@localhost").values_list("pk", flat=True))
            forget_users(User._meta.db_table, operator)
            if not had_localhost:
                Domain.objects.filter(domain="localhost").delete()


def forget_users(table: str, ids: list[int]) -> None:
    """Delete users of the public schema and every row that refers to them, in SQL: the ORM's
    cascade would look for tenant tables (nodes by author) in the public schema."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conrelid::regclass::text, a.attname FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) "
            "WHERE c.contype = 'f' AND c.confrelid = %s::regclass",
            [f"public.{table}"],
        )
        for referring, column in cursor.fetchall():
            cursor.execute(f'DELETE FROM {referring} WHERE "{column}" = ANY(%s)', [ids])
        cursor.execute(f'DELETE FROM public."{table}" WHERE id = ANY(%s)', [ids])


@pytest.fixture(scope="module")
def server(demo_site, django_db_blocker):
    """The platform over HTTP on a free port of 127.0.0.1, static files included."""
    with django_db_blocker.unblock(), override_settings(GRAPHIQL=True, GRAPHQL_INTROSPECTION=True):
        thread = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        try:
            yield thread.port
        finally:
            thread.terminate()


class Browser:
    """One page of chromium, with every request it made and the outside ones it was refused."""

    def __init__(self, page, port: int, name: str) -> None:
        self.page = page
        self.port = port
        self.name = name
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.shots = 0

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        path = ARTIFACTS / f"{self.name}-{self.shots:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture(scope="module")
def playwright_instance(server):
    """Chromium, started once the site is up (Playwright runs an event loop in this thread, where
    Django then refuses database work: the site is seeded before and removed after it)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (or set CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def _open(playwright_instance, port: int, name: str, locale: str = "en-US"):
    """A new browser context (its own cookies) and its page, every request recorded and one to
    another host refused; answers the context and its Browser."""

    def own(parts) -> bool:  # the platform's host names on this server: localhost, *.localhost
        host = parts.hostname or ""
        return parts.port == port and (host == "localhost" or host.endswith(".localhost"))

    context = playwright_instance.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    seen = Browser(page, port, name)

    def route(route_):
        address = route_.request.url
        seen.requests.append(address)
        parts = urlsplit(address)
        if parts.scheme in ("http", "https", "ws", "wss") and not own(parts):
            seen.outside.append(address)
            route_.abort()
        else:
            route_.continue_()

    context.route("**/*", route)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    return context, seen


@pytest.fixture
def browser(playwright_instance, server, request):
    context, seen = _open(playwright_instance, server, request.node.name.removeprefix("test_"))
    try:
        yield seen
    finally:
        context.close()
    assert seen.outside == [], f"the browser was asked to load from another host: {seen.outside}"


@pytest.fixture
def another_browser(playwright_instance, server, request):
    """Opens more browsers (contexts of their own: another shopper) for the test, by name."""
    opened = []

    def open_(name: str, locale: str = "en-US") -> Browser:
        context, seen = _open(
            playwright_instance, server, f"{request.node.name.removeprefix('test_')}-{name}", locale
        )
        opened.append((context, seen))
        return seen

    try:
        yield open_
    finally:
        for context, _seen in opened:
            context.close()
    outside = [address for _context, seen in opened for address in seen.outside]
    assert outside == [], f"a browser was asked to load from another host: {outside}"


@pytest.fixture(scope="module")
def shop_worker(server, django_db_blocker):
    """The shop as production runs it, for the module's tests: the page cache, its kept parts and
    its near copy on (the test settings turn them off) and a Celery worker relaying events while
    the browser runs.

    Events reach the worker as in production: a write commits its events to the tenant's outbox
    and, on commit, queues an `events.relay` task for the tenant (apps.events.dispatch.kick); the
    worker (a thread of this process, solo pool, consuming the test run's queue from the test
    Redis) runs the relay, whose handlers rewrite the product documents and invalidate the cached
    pages that show them. Nothing here calls a relay by hand. Started before chromium (Celery's
    Django fixup closes database connections as the worker starts, which Django refuses in
    Playwright's thread). Tasks left in the queue by an earlier run are purged, and the demo's
    "relay queued" mark dropped with them, so the first commit queues a relay again.
    """
    from celery.contrib.testing.worker import start_worker

    from apps.events.dispatch import forget
    from rustok.celery import app as celery_app

    production = {"PAGE_CACHE": True, "FRAGMENT_CACHE": True, "PAGE_CACHE_NEAR_BYTES": 32 << 20}
    with django_db_blocker.unblock(), override_settings(**production):
        celery_app.control.purge()
        forget("demo")
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield


@pytest.fixture
def database(django_db_blocker):
    """Runs a function on the demo's schema in a thread of its own and answers its result: the
    test's own thread runs Playwright's event loop, where Django refuses database work."""

    def run(work, *args, **kwargs):
        def in_demo():
            try:
                with schema_context("demo"):
                    return work(*args, **kwargs)
            finally:
                connection.close()

        with django_db_blocker.unblock(), ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(in_demo).result()

    return run
