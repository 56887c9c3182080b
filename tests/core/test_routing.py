"""Requests reach the schema of the tenant their host name belongs to, and no other."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.core import services
from apps.core.models import Domain, Tenant
from rustok.tenancy import routes
from tests.conftest import ALPHA_HOST
from tests.testapps.notes.models import Note


def test_site_endpoint_answers_for_the_tenant_of_the_host(client_a, client_b):
    assert client_a.get("/api/v1/site/").json()["slug"] == "alpha"
    assert client_b.get("/api/v1/site/").json()["slug"] == "beta"


def test_a_row_written_in_one_tenant_is_not_visible_through_another_host(client_a, client_b, tenant_a):
    with schema_context("alpha"):
        Note.objects.create(text="alpha's secret")

    assert [n["text"] for n in client_a.get("/api/v1/notes/").json()["results"]] == ["alpha's secret"]
    assert client_b.get("/api/v1/notes/").json()["results"] == []


def test_a_row_created_through_one_host_lands_in_that_tenants_schema(client_a, editor_b):
    response = editor_b.post("/api/v1/notes/", {"text": "beta note"}, content_type="application/json")
    assert response.status_code == 201

    with schema_context("beta"):
        assert list(Note.objects.values_list("text", flat=True)) == ["beta note"]
    with schema_context("alpha"):
        assert not Note.objects.exists()
    note_id = response.json()["id"]
    assert client_a.get(f"/api/v1/notes/{note_id}/").status_code == 404


def test_unknown_host_gets_problem_json_under_api(db, client):
    response = client.get("/api/v1/site/", HTTP_HOST="nowhere.test")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "tenant_not_found"
    assert "nowhere.test" in response.json()["detail"]


def test_unknown_host_gets_an_html_page_for_a_browser(db, client):
    response = client.get("/", HTTP_HOST="nowhere.test", HTTP_ACCEPT="text/html,*/*")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"Unknown site" in response.content


def test_suspended_tenant_answers_503_problem_and_keeps_its_data(client_a, tenant_a):
    from apps.core import services

    with schema_context("alpha"):
        Note.objects.create(text="kept")
    services.suspend_tenant(tenant=tenant_a)

    response = client_a.get("/api/v1/notes/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "tenant_suspended"
    assert response["Retry-After"]

    services.resume_tenant(tenant=tenant_a)
    assert [n["text"] for n in client_a.get("/api/v1/notes/").json()["results"]] == ["kept"]


def test_public_host_serves_the_platform_not_a_tenant(platform_client):
    assert platform_client.get("/").status_code == 200
    assert platform_client.get("/api/v1/site/").status_code == 404


def test_host_names_are_matched_whatever_their_case_and_a_trailing_dot(db, client):
    for host in ("ALPHA.TEST", "Alpha.Test", "alpha.test.", "ALPHA.TEST.:8000"):
        response = client.get("/api/v1/site/", HTTP_HOST=host)
        assert response.status_code == 200, host
        assert response.json()["slug"] == "alpha"


# --- the routes a process keeps (rustok.tenancy) -------------------------------------------------


class Clock:
    """time.monotonic for rustok.tenancy, moved on by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    found = Clock()
    monkeypatch.setattr("rustok.tenancy.time.monotonic", found)
    return found


def slug_at(client, host: str) -> str | int:
    response = client.get("/api/v1/site/", HTTP_HOST=host)
    return response.json()["slug"] if response.status_code == 200 else response.status_code


def test_a_routed_host_is_not_looked_up_again(client_a):
    client_a.get("/api/v1/site/")
    with CaptureQueriesContext(connection) as queries:
        assert client_a.get("/api/v1/site/").status_code == 200
    assert not [query for query in queries.captured_queries if "core_domain" in query["sql"]]


def test_a_domain_moved_to_another_tenant_routes_there_at_once(client, tenant_a, tenant_b):
    assert slug_at(client, ALPHA_HOST) == "alpha"
    Domain.objects.filter(domain=ALPHA_HOST).get().delete()
    Domain.objects.create(domain=ALPHA_HOST, tenant=tenant_b, is_primary=False)
    assert slug_at(client, ALPHA_HOST) == "beta"


def test_a_removed_domain_is_unknown_at_once(client, tenant_a):
    assert slug_at(client, ALPHA_HOST) == "alpha"
    Domain.objects.get(domain=ALPHA_HOST).delete()
    assert slug_at(client, ALPHA_HOST) == 404


def test_a_tenant_suspended_after_it_was_routed_is_refused_at_once(client_a, tenant_a):
    assert client_a.get("/api/v1/site/").status_code == 200
    services.suspend_tenant(tenant=tenant_a)
    response = client_a.get("/api/v1/site/")
    assert (response.status_code, response.json()["code"]) == (503, "tenant_suspended")


def test_a_change_made_by_another_process_is_honoured_within_the_routing_seconds(
    client, tenant_b, settings, clock
):
    settings.TENANT_ROUTING_CACHE_SECONDS = 5
    assert slug_at(client, ALPHA_HOST) == "alpha"
    # Another process moves the host and suspends beta: this process gets no signal of it.
    Domain.objects.filter(domain=ALPHA_HOST).update(tenant=tenant_b)
    Tenant.objects.filter(pk=tenant_b.pk).update(status=Tenant.Status.SUSPENDED)
    clock.now += 4.9
    assert slug_at(client, ALPHA_HOST) == "alpha"
    clock.now += 0.2
    assert slug_at(client, ALPHA_HOST) == 503


def test_with_no_routing_seconds_every_request_looks_its_host_up(client, tenant_b, settings):
    assert slug_at(client, ALPHA_HOST) == "alpha"  # kept, while routes are kept
    settings.TENANT_ROUTING_CACHE_SECONDS = 0
    assert slug_at(client, ALPHA_HOST) == "alpha"
    Domain.objects.filter(domain=ALPHA_HOST).update(tenant=tenant_b)  # no signal, as from elsewhere
    assert slug_at(client, ALPHA_HOST) == "beta"


def test_an_unknown_host_is_looked_up_again_so_a_new_domain_answers_at_once(client, tenant_a):
    assert slug_at(client, "new.alpha.test") == 404
    # Created by another process: bulk_create sends this one no signal.
    Domain.objects.bulk_create([Domain(domain="new.alpha.test", tenant=tenant_a, is_primary=False)])
    assert slug_at(client, "new.alpha.test") == "alpha"


def test_each_request_gets_a_tenant_of_its_own(tenant_a):
    first, second = routes.tenant(ALPHA_HOST), routes.tenant(ALPHA_HOST)
    assert first == second == tenant_a and first is not second
    first.name = "changed by one request"
    assert routes.tenant(ALPHA_HOST).name == tenant_a.name
