"""OpenAPI 3 at /api/schema/, Swagger UI and ReDoc served from local assets."""

import json
import re

import jsonschema
import pytest
import yaml
from django.test import Client
from django_tenants.utils import schema_context

from tests.conftest import ALPHA_HOST, bearer


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
        assert not re.search(r"//[\w.-]*cdn", page.lower())  # no CDN host (a nonce may hold "cdn")
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


# --- the document describes what the API answers ------------------------------------------------


def as_json_schema(node):
    """An OpenAPI 3.0 schema as JSON Schema: `nullable: true` becomes "or null"."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: as_json_schema(value) for key, value in node.items() if key != "nullable"}
    return {"anyOf": [converted, {"type": "null"}]} if node.get("nullable") else converted


OpenApiValidator = jsonschema.Draft4Validator


def answer_schema(document: dict, path: str, method: str = "get", status: str = "200") -> dict:
    operation = document["paths"][path][method]
    found = operation["responses"][status]["content"]["application/json"]["schema"]
    return {**as_json_schema(found), "components": as_json_schema(document["components"])}


def assert_described(document: dict, path: str, answer, **where) -> None:
    errors = list(OpenApiValidator(answer_schema(document, path, **where)).iter_errors(answer))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


@pytest.fixture
def document(client_a) -> dict:
    return client_a.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def test_slugs_carry_no_pattern_that_refuses_the_unicode_slugs_the_api_gives(document):
    slug = document["components"]["schemas"]["Category"]["properties"]["slug"]
    assert "pattern" not in slug
    assert "Letters and digits of any script" in slug["description"]
    patterns = re.findall(r'"pattern": "([^"]*)"', json.dumps(document))
    assert not [p for p in patterns if "\\\\w" in p or "\\\\p" in p], patterns


def test_the_document_describes_users_as_they_are_answered(document, tenant_a):
    from tests.accounts.factories import OwnerFactory, UserFactory

    with schema_context("alpha"):
        owner = OwnerFactory(preferred_language="")
        UserFactory(preferred_language="ru", display_name="")
    client = Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, owner))
    users = client.get("/api/v1/users/").json()
    assert {user["preferred_language"] for user in users["results"]} == {"", "ru"}
    assert_described(document, "/api/v1/users/", users)
    assert_described(document, "/api/v1/users/{id}/", client.get(f"/api/v1/users/{owner.pk}/").json())
    me = client.get("/api/auth/me/").json()
    assert me["preferred_language"] == ""
    assert_described(document, "/api/auth/me/", me)
    changed = client.patch("/api/auth/me/", {"preferred_language": ""}, content_type="application/json")
    assert_described(document, "/api/auth/me/", changed.json(), method="patch")


def test_the_document_describes_content_with_unicode_slugs(document, tenant_a, reader_a):
    from tests.content.factories import make_category, make_node, make_tag

    with schema_context("alpha"):
        about = make_category(name="About", ru={"name": "О нас", "slug": "о-нас"})
        tag = make_tag(name="чай")
        make_node(
            kind="post",
            status="published",
            texts={"en": {"title": "Tea"}, "ru": {"title": "О чае"}},
            categories=[about],
            tags=[tag],
        )
    ru = {"HTTP_ACCEPT_LANGUAGE": "ru"}
    categories = reader_a.get("/api/v1/content/categories/", {"lang": "ru"}, **ru).json()
    assert categories["results"][0]["slug"] == "о-нас"
    assert_described(document, "/api/v1/content/categories/", categories)
    tags = reader_a.get("/api/v1/content/tags/").json()
    assert tags["results"][0]["slug"] == "чай"
    assert_described(document, "/api/v1/content/tags/", tags)
    nodes = reader_a.get("/api/v1/content/nodes/", {"lang": "ru"}, **ru).json()
    assert nodes["results"][0]["categories"][0]["slug"] == "о-нас"
    assert_described(document, "/api/v1/content/nodes/", nodes)
    assert_described(document, "/api/v1/blog/posts/", reader_a.get("/api/v1/blog/posts/").json())
