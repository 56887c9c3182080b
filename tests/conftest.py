"""Test-wide fixtures: two tenants created once per session, clients bound to their hosts.

The database is migrated once; the template schema is built once; tenants `alpha` and `beta` are
cloned from it once. Each test then runs in a transaction that is rolled back, schema changes
included, so tests can create and delete tenants freely.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import translation
from django_redis import get_redis_connection
from django_tenants.utils import schema_context

from apps.core import services
from apps.core.models import Tenant
from rustok.api.throttling import local_windows
from rustok.database import bound_request_queries
from rustok.resilience import reset_all
from rustok.tenancy import routes

# The test client serves requests in this process: its connections get the request timeouts.
bound_request_queries()

ALPHA_HOST = "alpha.test"
BETA_HOST = "beta.test"


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_keepdb, django_db_modify_db_settings
):
    """The test database, always (pytest-django would skip it when only tests that commit for
    real, without the `db` fixture, are selected), with the template schema and two tenants.
    Under pytest-xdist each worker has its own database (`test_rustok_gw0`, ...)."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        databases = setup_databases(
            verbosity=request.config.option.verbose,
            interactive=False,
            aliases={"default"},
            keepdb=django_db_keepdb,
        )
        services.ensure_public_tenant(domains=("platform.test",))
        services.ensure_template_schema()
        services.create_tenant(slug="alpha", name="Alpha", domain=ALPHA_HOST)
        services.create_tenant(slug="beta", name="Beta", domain=BETA_HOST, default_language="ru")
        connection.set_schema_to_public()
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(databases, verbosity=request.config.option.verbose)


@pytest.fixture(autouse=True)
def _clean_state():
    """Leave the connection on the public schema and the caches empty after every test."""
    yield
    connection.set_schema_to_public()
    # The site language a connection read under schema_context (rustok.i18n.site_language): a
    # test that changed a site's default language rolled the row back, not what was read of it.
    if hasattr(connection, "_rustok_site_language"):
        del connection._rustok_site_language
    routes.forget()  # the hosts routed: a rolled-back tenant or domain is not kept
    translation.deactivate()  # the language the last request answered in (a Russian site's)
    reset_all()  # circuit breakers: a test that took Redis away leaves none open
    local_windows.recovered()  # nor rate limits counted in the process
    for alias, config in settings.CACHES.items():
        # Keys of every schema (the default cache prefixes them with the schema name).
        redis = get_redis_connection(alias)
        keys = list(redis.scan_iter(f"*{config['KEY_PREFIX']}:*"))
        if keys:
            redis.delete(*keys)


@pytest.fixture
def tenant_a(db) -> Tenant:
    return Tenant.objects.get(schema_name="alpha")


@pytest.fixture
def tenant_b(db) -> Tenant:
    return Tenant.objects.get(schema_name="beta")


@pytest.fixture
def client_a(db) -> Client:
    return Client(HTTP_HOST=ALPHA_HOST)


@pytest.fixture
def client_b(db) -> Client:
    return Client(HTTP_HOST=BETA_HOST)


class Reader(Client):
    """A reader's browser on a site whose worker is caught up: before each request, every event
    due in the site's schema is relayed, so the documents readers read (apps.index, kept by the
    projections) follow what the test wrote. Query-count tests deliver first and measure with a
    plain client instead."""

    def __init__(self, schema_name: str, **defaults):
        super().__init__(**defaults)
        self.schema_name = schema_name

    def request(self, **request):
        deliver(self.schema_name)
        return super().request(**request)


@pytest.fixture
def reader_a(db) -> Client:
    return Reader("alpha", HTTP_HOST=ALPHA_HOST)


@pytest.fixture
def reader_b(db) -> Client:
    return Reader("beta", HTTP_HOST=BETA_HOST)


@pytest.fixture
def platform_client(db) -> Client:
    return Client(HTTP_HOST="platform.test")


def bearer(tenant: Tenant, user) -> str:
    """An `Authorization` value for `user` of `tenant`, as a login would issue it."""
    from apps.accounts.services import start_session

    with schema_context(tenant.schema_name):
        tokens = start_session(user=user, mode="bearer")
    return f"Bearer {tokens.access}"


def signed_in(tenant: Tenant, user, *, reader: bool = False) -> Client:
    """A client of `tenant`'s host signed in as `user` with a bearer token; a `Reader` (whose
    requests first relay the site's events) if `reader`."""
    host = {"alpha": ALPHA_HOST, "beta": BETA_HOST}.get(
        tenant.schema_name
    ) or tenant.get_primary_domain().domain
    if reader:
        return Reader(tenant.schema_name, HTTP_HOST=host, HTTP_AUTHORIZATION=bearer(tenant, user))
    return Client(HTTP_HOST=host, HTTP_AUTHORIZATION=bearer(tenant, user))


def admin_session(user, schema_name: str = "alpha", host: str = ALPHA_HOST) -> Client:
    """A browser of the site's admin, signed in as `user` with a session (as the admin's login)."""
    client = Client(HTTP_HOST=host)
    with schema_context(schema_name):
        client.force_login(user)
    return client


def problem_of(response, status: int = 400) -> dict:
    """The problem+json body of `response`, which must have `status`."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


@pytest.fixture
def editor_a(tenant_a) -> Client:
    """A client of alpha signed in (bearer token) as an editor."""
    from tests.accounts.factories import EditorFactory

    with schema_context("alpha"):
        user = EditorFactory(email="editor@alpha.test")
    return Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, user))


@pytest.fixture
def editor_b(tenant_b) -> Client:
    from tests.accounts.factories import EditorFactory

    with schema_context("beta"):
        user = EditorFactory(email="editor@beta.test")
    return Client(HTTP_HOST=BETA_HOST, HTTP_AUTHORIZATION=bearer(tenant_b, user))


def deliver(schema_name: str):
    """Relay the schema's due events to their handlers now, as a worker would after the commit."""
    from apps.events.services import relay_all

    with schema_context(schema_name):
        return relay_all()


def wait_until(check, timeout: float = 30.0):
    """Poll `check` until it is true; fail naming it (its docstring) after `timeout` seconds."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"not reached within {timeout}s: {check.__doc__ or check}")


@pytest.fixture
def live_tenant(django_db_setup, django_db_blocker):
    """A tenant whose writes really commit (no test transaction), deleted afterwards.

    For what needs commits: a worker in another thread, on-commit callbacks, row locks between
    two connections. Use no `db` fixture with it.
    """
    with django_db_blocker.unblock():
        tenant = services.create_tenant(slug="live_events", name="Live", domain="live-events.test")
        connection.set_schema_to_public()
        try:
            yield tenant
        finally:
            connection.set_schema_to_public()
            services.delete_tenant(tenant=tenant)


@pytest.fixture
def page_cache_on(settings):
    """The page cache and the parts of pages it keeps on (the test settings turn both off), with
    nothing kept by earlier tests and Redis timeouts that a loaded test machine cannot miss: what
    such tests ask is whether a page is a hit or a miss, not how fast Redis answers (an outage is
    tested with a stopped server)."""
    settings.PAGE_CACHE = settings.FRAGMENT_CACHE = True
    patient = {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2}
    settings.CACHES = {alias: {**config, "OPTIONS": patient} for alias, config in settings.CACHES.items()}
    forget_kept_pages()


def forget_kept_pages() -> None:
    """Drop what the test run's earlier tests kept (pages, their parts, sequences and tags of
    tenants made again with the same schema): a test starts with nothing kept."""
    from django.core.cache import caches

    from rustok.page_cache import near_copy

    cache = caches["pages"]
    client = cache.client.get_client(write=True)
    for key in client.scan_iter(f"{cache.key_prefix}:*", count=1000):
        client.delete(key)
    near = near_copy()
    if near is not None:  # what this process copied of them
        near.clear()


@pytest.fixture
def relay(django_capture_on_commit_callbacks):
    """Deliver a tenant's events as its worker does, with what the handlers do after commit."""

    def run(schema_name: str = "alpha"):
        with django_capture_on_commit_callbacks(execute=True):
            deliver(schema_name)

    return run


@pytest.fixture
def worker():
    """Start a real worker (a thread of this process, solo pool) on demand; stopped afterwards."""
    from celery.contrib.testing.worker import start_worker

    from rustok.celery import app as celery_app

    started = []

    def start():
        celery_app.control.purge()
        context = start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10)
        context.__enter__()
        started.append(context)

    yield start
    for context in started:
        context.__exit__(None, None, None)


def _switch_broker(url: str) -> None:
    """Point the Celery app's producers at another broker (drops the pooled connections).

    kombu keeps its producer and connection pools per broker in pool groups of its own: closing
    the app's pool alone left a closed pool there, which the next task sent to the same broker
    after switching back took ("Acquire on closed pool"). Those groups are dropped too.
    """
    import kombu.pools

    from rustok.celery import app as celery_app

    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    kombu.pools.reset()
    celery_app.conf.broker_url = url


@pytest.fixture
def private_redis(tmp_path, settings):
    """A Redis of this test alone (tests.servers.PrivateRedis) behind the caches and the broker."""
    from rustok.celery import app as celery_app
    from tests.servers import PrivateRedis

    server = PrivateRedis(tmp_path)
    server.start()
    saved_broker = celery_app.conf.broker_url
    settings.CACHES = {alias: {**config, "LOCATION": server.url} for alias, config in settings.CACHES.items()}
    _switch_broker(server.url)
    try:
        yield server
    finally:
        _switch_broker(saved_broker)
        if server.process.poll() is None:
            server.stop()


@pytest.fixture
def media(settings, tmp_path):
    """MEDIA_ROOT in a fresh directory for this test.

    django-tenants' storage caches the root it joins the schema to and drops that cache only when
    MULTITENANT_RELATIVE_MEDIA_ROOT changes, so it is dropped here on the way in and out.
    """
    from django.core.files.storage import default_storage
    from django.utils.functional import empty

    def forget():
        storage = getattr(default_storage, "_wrapped", empty)
        if storage is not empty:  # not yet built: nothing cached
            storage.__dict__.pop("relative_media_root", None)

    forget()
    settings.MEDIA_ROOT = tmp_path
    yield tmp_path
    forget()
