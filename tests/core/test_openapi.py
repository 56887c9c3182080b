"""OpenAPI 3 at /api/schema/, Swagger UI and ReDoc served from local assets."""

import json

import yaml


def test_schema_lists_every_modules_routes_with_problem_errors(client_a):
    response = client_a.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/site/", "/api/v1/notes/", "/api/v1/notes/{id}/"} <= schema["paths"].keys()
    site = schema["paths"]["/api/v1/site/"]["get"]
    assert site["responses"]["default"]["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }
    assert "code" in schema["components"]["schemas"]["Problem"]["required"]


def test_schema_is_served_as_yaml_by_default(client_a):
    response = client_a.get("/api/schema/")
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["title"] == "RusToK API"


def test_swagger_ui_and_redoc_use_assets_served_by_the_platform(client_a):
    for url in ("/api/docs/", "/api/redoc/"):
        page = client_a.get(url).content.decode()
        assert "/static/drf_spectacular_sidecar/" in page
        assert "cdn" not in page.lower()
    assert client_a.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css").status_code == 200


def test_schema_builds_without_warnings_and_documents_every_way_to_sign_in(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.json"
    call_command(
        "spectacular",
        "--fail-on-warn",
        "--urlconf",
        "rustok.urls_tenant",
        "--format",
        "openapi-json",
        "--file",
        str(out),
    )
    schema = json.loads(out.read_text())
    assert set(schema["components"]["securitySchemes"]) == {"bearer", "cookie", "apiToken", "session"}
    assert "/api/auth/login/" in schema["paths"]
