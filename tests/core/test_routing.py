"""Requests reach the schema of the tenant their host name belongs to, and no other."""

from django_tenants.utils import schema_context

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
