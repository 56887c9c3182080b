"""A database that is down or busy answers 503 with Retry-After, never a 500; a row lock held
elsewhere cannot hold a request longer than the request lock timeout."""

import threading

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from tests.conftest import bearer
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


def test_a_request_waiting_for_a_lock_gives_up_after_the_lock_timeout(live_tenant, settings):
    from tests.accounts.factories import EditorFactory

    settings.REQUEST_LOCK_TIMEOUT = 0.2
    connection.close()  # the next connection is made with the setting
    with schema_context("live_events"):
        note = Note.objects.create(text="held")
        editor = EditorFactory()
    client = Client(
        HTTP_HOST="live-events.test",
        HTTP_AUTHORIZATION=bearer(live_tenant, editor),
        raise_request_exception=False,
    )
    held, release = threading.Event(), threading.Event()

    def hold_the_row():
        dsn = connection.settings_dict
        with psycopg.connect(
            host=dsn["HOST"], port=dsn["PORT"] or 5432, user=dsn["USER"], dbname=dsn["NAME"]
        ) as other:
            other.execute("SELECT 1 FROM live_events.notes_note WHERE id = %s FOR UPDATE", [note.pk])
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    try:
        assert held.wait(10)
        response = client.delete(f"/api/v1/notes/{note.pk}/")
    finally:
        release.set()
        holder.join()
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert response["Retry-After"]
    connection.close()
