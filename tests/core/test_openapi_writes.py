"""The OpenAPI write schemas say what the API checks: required fields are marked, no other
property is taken, and every request example succeeds at its own endpoint."""

from __future__ import annotations

import json
import re

import pytest
from django_tenants.utils import schema_context

from tests.accounts.factories import OwnerFactory, UserFactory
from tests.conftest import signed_in
from tests.content.factories import make_category, make_node, make_tag

pytestmark = pytest.mark.django_db


def _document() -> dict:
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


@pytest.fixture(scope="module")
def document() -> dict:
    return _document()


def component(document, name: str) -> dict:
    return document["components"]["schemas"][name]


def request_schema(document, path: str, method: str) -> dict:
    ref = document["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return component(document, ref.rsplit("/", 1)[-1])


def test_write_schemas_mark_the_fields_the_api_requires(document):
    assert request_schema(document, "/api/v1/content/nodes/", "post")["required"] == ["kind"]
    assert "required" not in request_schema(document, "/api/v1/content/nodes/{id}/", "patch")
    assert set(request_schema(document, "/api/auth/login/", "post")["required"]) == {"email", "password"}
    assert set(request_schema(document, "/api/v1/api-tokens/", "post")["required"]) == {"name", "scopes"}
    assert request_schema(document, "/api/v1/content/nodes/{id}/schedule/", "post")["required"] == [
        "publish_at"
    ]


def test_write_schemas_take_no_other_properties_and_leave_out_read_only_ones(document):
    node = request_schema(document, "/api/v1/content/nodes/", "post")
    assert node["additionalProperties"] is False
    assert not {"id", "status", "publish_at", "author", "created_at"} & node["properties"].keys()


def test_the_posts_endpoint_documents_posts_only(document):
    post = request_schema(document, "/api/v1/blog/posts/", "post")
    assert "kind" not in post.get("required", [])
    assert component(document, "PostKindEnum")["enum"] == ["post"]
    examples = document["paths"]["/api/v1/blog/posts/"]["post"]["requestBody"]["content"]["application/json"][
        "examples"
    ]
    assert all(example["value"].get("kind", "post") == "post" for example in examples.values())
    assert set(component(document, "ContentKindEnum")["enum"]) >= {"page", "post"}


# Objects an example's {id} refers to, made for each address that has one.
MAKERS = {
    "/api/v1/content/nodes/{id}/": lambda: make_node(title="Here").pk,
    "/api/v1/blog/posts/{id}/": lambda: make_node(kind="post", title="Here").pk,
    "/api/v1/content/categories/{id}/": lambda: make_category(name="Here").pk,
    "/api/v1/content/tags/{id}/": lambda: make_tag(name="here").pk,
    "/api/v1/users/{id}/": lambda: UserFactory().pk,
}


def _examples(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}) if isinstance(operation, dict) else {}
            for media_type, content in body.get("content", {}).items():
                for name, example in content.get("examples", {}).items():
                    yield path, method, media_type, name, example["value"]
                if "example" in content:
                    yield path, method, media_type, "example", content["example"]


def test_every_request_example_succeeds_at_its_own_endpoint(tenant_a):
    examples = list(_examples(_document()))
    assert {(path, method) for path, method, *_ in examples} >= {
        ("/api/v1/content/nodes/", "post"),
        ("/api/v1/blog/posts/", "post"),
        ("/api/v1/content/nodes/{id}/", "patch"),
    }
    for path, method, media_type, name, value in examples:
        with schema_context("alpha"):
            owner = OwnerFactory()
            address = path
            if "{id}" in path:
                prefix = re.sub(r"\{id\}/.*", "{id}/", path)
                assert prefix in MAKERS, f"no object to try the example of {method} {path} on"
                address = path.replace("{id}", str(MAKERS[prefix]()))
        client = signed_in(tenant_a, owner)
        response = getattr(client, method)(address, value, content_type=media_type)
        assert 200 <= response.status_code < 300, (method, path, name, response.content)
