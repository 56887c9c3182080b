"""A database that is down or busy answers 503 with Retry-After, never a 500; a row lock held
elsewhere cannot hold a request longer than the request lock timeout."""

import threading
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from apps.content.models import Node
from tests.accounts.factories import EditorFactory, SiteAdminFactory
from tests.conftest import bearer
from tests.content.factories import make_node
from tests.servers import free_port
from tests.testapps.notes.models import Note


@pytest.fixture
def database_down(django_db_blocker):
    """The database's address points at a port nobody listens on (a refused connection)."""
    with django_db_blocker.unblock():
        connection.close()
        saved = connection.settings_dict["PORT"]
        connection.settings_dict["PORT"] = str(free_port())
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict["PORT"] = saved


def test_an_api_request_without_a_database_is_a_503_problem_with_retry_after(database_down):
    response = Client(HTTP_HOST="alpha.test", raise_request_exception=False).get("/api/v1/site/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "service_unavailable"
    assert int(response["Retry-After"]) > 0


def test_a_page_without_a_database_is_a_503_page_with_retry_after(database_down):
    client = Client(HTTP_HOST="alpha.test", raise_request_exception=False)
    response = client.get("/blog/", HTTP_ACCEPT="text/html")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert int(response["Retry-After"]) > 0


@contextmanager
def row_locked_elsewhere(table: str, pk: int):
    """Another connection holds `table`'s row `pk` FOR UPDATE until the block ends."""
    held, release = threading.Event(), threading.Event()

    def hold():
        dsn = connection.settings_dict
        with psycopg.connect(
            host=dsn["HOST"], port=dsn["PORT"] or 5432, user=dsn["USER"], dbname=dsn["NAME"]
        ) as other:
            other.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE", [pk])
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(10)
        yield
    finally:
        release.set()
        holder.join()


@pytest.fixture
def short_lock_timeout(live_tenant, settings):
    settings.REQUEST_LOCK_TIMEOUT = 0.2
    connection.close()  # the next connection is made with the setting
    yield
    connection.close()


def _client(tenant, user) -> Client:
    return Client(
        HTTP_HOST="live-events.test", HTTP_AUTHORIZATION=bearer(tenant, user), raise_request_exception=False
    )


def test_a_request_waiting_for_a_lock_gives_up_after_the_lock_timeout(live_tenant, short_lock_timeout):
    with schema_context("live_events"):
        note = Note.objects.create(text="held")
        client = _client(live_tenant, EditorFactory())
    with row_locked_elsewhere("live_events.notes_note", note.pk):
        response = client.delete(f"/api/v1/notes/{note.pk}/")
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert response["Retry-After"]


def test_a_graphql_mutation_waiting_for_a_lock_is_refused_as_unavailable(live_tenant, short_lock_timeout):
    with schema_context("live_events"):
        admin = SiteAdminFactory()
        node = make_node(actor=admin, title="Held")
        client = _client(live_tenant, admin)
    mutation = f'mutation {{ deleteContentNode(id: "{node.pk}") {{ ok }} }}'
    with row_locked_elsewhere("live_events.content_node", node.pk):
        response = client.post("/api/graphql/", {"query": mutation}, content_type="application/json")
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert "unavailable or busy" in error["message"]
    with schema_context("live_events"):
        assert Node.objects.filter(pk=node.pk).exists()
