"""REST writes refuse what they cannot honour, naming the field, and write nothing: unknown
fields, read-only fields changed, values that do not parse, strings given numbers, and a `kind`
that does not belong to the endpoint (rustok.api.serializers, docs/api/errors.md)."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import ApiToken, User
from apps.content.models import Category, Node, Tag
from apps.core.services import set_module_enabled
from tests.accounts.factories import OwnerFactory, SiteAdminFactory, UserFactory
from tests.conftest import problem_of, signed_in
from tests.content.factories import make_category, make_node

pytestmark = pytest.mark.django_db

NODES = "/api/v1/content/nodes/"
POSTS = "/api/v1/blog/posts/"
JSON = "application/json"


@pytest.fixture
def admin_a(tenant_a) -> Client:
    with schema_context("alpha"):
        user = SiteAdminFactory()
    return signed_in(tenant_a, user)


@pytest.fixture
def owner_a(tenant_a) -> Client:
    with schema_context("alpha"):
        user = OwnerFactory(email="owner@alpha.test")
    return signed_in(tenant_a, user)


def errors_of(response) -> dict[str, str]:
    """{field: code} of a 400 problem."""
    body = problem_of(response)
    assert body["code"] == "invalid"
    return {error["field"]: error["code"] for error in body["errors"]}


def nodes() -> int:
    with schema_context("alpha"):
        return Node.objects.count()


# --- unknown fields -----------------------------------------------------------------------------


def test_a_publish_at_sent_with_a_new_node_is_refused_and_points_to_the_schedule(admin_a):
    response = admin_a.post(NODES, {"kind": "page", "title": "Soon", "publish_at": "tomorrow"}, JSON)
    assert errors_of(response) == {"publish_at": "unknown_field"}
    assert "schedule/" in response.json()["errors"][0]["message"]
    assert nodes() == 0


def test_every_unknown_field_is_named_even_nested_and_nothing_is_written(admin_a):
    body = {"kind": "page", "title": "Tea", "bdy": "x", "translations": {"ru": {"titel": "Чай"}}}
    assert errors_of(admin_a.post(NODES, body, JSON)) == {
        "bdy": "unknown_field",
        "translations.ru.titel": "unknown_field",
    }
    assert nodes() == 0


def test_an_unknown_field_of_an_update_is_refused_and_nothing_changes(admin_a):
    with schema_context("alpha"):
        node = make_node(title="Tea")
    response = admin_a.patch(f"{NODES}{node.pk}/", {"title": "Coffee", "bdy": "x"}, JSON)
    assert errors_of(response) == {"bdy": "unknown_field"}
    assert admin_a.get(f"{NODES}{node.pk}/").json()["title"] == "Tea"


def test_a_tag_refuses_a_description_and_a_parent(admin_a):
    body = {"name": "green", "description": "Leaves", "parent": None}
    assert errors_of(admin_a.post("/api/v1/content/tags/", body, JSON)) == {
        "description": "unknown_field",
        "parent": "unknown_field",
    }
    with schema_context("alpha"):
        assert not Tag.objects.exists()


def test_sign_in_and_api_tokens_refuse_unknown_fields(client_a, owner_a):
    response = client_a.post(
        "/api/auth/login/", {"email": "owner@alpha.test", "password": "x", "remember": True}, JSON
    )
    assert errors_of(response) == {"remember": "unknown_field"}
    response = owner_a.post(
        "/api/v1/api-tokens/", {"name": "ci", "scopes": ["content.add_node"], "ttl": 5}, JSON
    )
    assert errors_of(response) == {"ttl": "unknown_field"}
    with schema_context("alpha"):
        assert not ApiToken.objects.exists()


def test_a_model_serializers_read_only_field_is_refused_when_creating(tenant_a):
    with schema_context("alpha"):
        user = OwnerFactory()
    response = signed_in(tenant_a, user).post("/api/v1/notes/", {"id": 77, "text": "hi"}, JSON)
    assert errors_of(response) == {"id": "read_only"}


def test_a_model_serializers_read_only_field_sent_back_is_ignored_unless_changed(tenant_a):
    with schema_context("alpha"):
        user = OwnerFactory()
    client = signed_in(tenant_a, user)
    note = client.post("/api/v1/notes/", {"text": "hi"}, JSON).json()
    response = client.put(f"/api/v1/notes/{note['id']}/", {**note, "text": "hello"}, JSON)
    assert response.status_code == 200, response.content
    assert response.json() == {"id": note["id"], "text": "hello"}
    response = client.put(f"/api/v1/notes/{note['id']}/", {"id": note["id"] + 1, "text": "x"}, JSON)
    assert errors_of(response) == {"id": "read_only"}


# --- what the client read, sent back --------------------------------------------------------------


def test_a_node_read_and_sent_back_whole_is_accepted_and_changes_nothing(admin_a):
    with schema_context("alpha"):
        node = make_node(title="Tea", body="Green.")
        revisions = node.revisions.count()
    read = admin_a.get(f"{NODES}{node.pk}/").json()
    response = admin_a.put(f"{NODES}{node.pk}/", read, JSON)
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Tea"
    with schema_context("alpha"):
        assert node.revisions.count() == revisions


def test_a_read_only_field_sent_back_changed_is_refused(admin_a):
    with schema_context("alpha"):
        node = make_node(title="Tea")
    read = admin_a.get(f"{NODES}{node.pk}/").json()
    body = {**read, "title": "Coffee", "status": "published", "publish_at": "2099-01-01T00:00:00Z"}
    assert errors_of(admin_a.put(f"{NODES}{node.pk}/", body, JSON)) == {
        "status": "read_only",
        "publish_at": "read_only",
    }
    after = admin_a.get(f"{NODES}{node.pk}/").json()
    assert (after["title"], after["status"], after["publish_at"]) == ("Tea", "draft", None)


def test_a_profile_sent_back_is_accepted_but_a_changed_role_is_refused(tenant_a):
    with schema_context("alpha"):
        user = UserFactory(display_name="Ann")
    client = signed_in(tenant_a, user)
    me = client.get("/api/auth/me/").json()
    response = client.patch("/api/auth/me/", {**me, "display_name": "Anna"}, JSON)
    assert response.status_code == 200, response.content
    assert response.json()["display_name"] == "Anna"
    assert errors_of(client.patch("/api/auth/me/", {**me, "role": "owner"}, JSON)) == {"role": "read_only"}
    with schema_context("alpha"):
        assert User.objects.get(pk=user.pk).role == me["role"]


def test_a_category_sent_back_is_accepted(admin_a):
    with schema_context("alpha"):
        category = make_category(name="News")
    path = f"/api/v1/content/categories/{category.pk}/"
    read = admin_a.get(path).json()
    response = admin_a.put(path, {**read, "name": "Tidings"}, JSON)
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Tidings"


# --- strings given other JSON types ---------------------------------------------------------------


@pytest.mark.parametrize("value", [123, 1.5, True, ["a"], {"a": 1}])
def test_a_title_that_is_not_a_string_is_refused(admin_a, value):
    body = {"kind": "page", "title": value, "translations": {"ru": {"title": value}}}
    assert set(errors_of(admin_a.post(NODES, body, JSON))) == {"title", "translations.ru.title"}
    assert nodes() == 0


def test_numbers_given_to_string_fields_of_accounts_are_refused(client_a, owner_a):
    assert errors_of(client_a.post("/api/auth/login/", {"email": 1, "password": 2}, JSON)) == {
        "email": "invalid_type",
        "password": "invalid_type",
    }
    response = owner_a.post("/api/v1/api-tokens/", {"name": 7, "scopes": ["content.add_node", 3]}, JSON)
    assert errors_of(response) == {"name": "invalid_type", "scopes.1": "invalid_type"}
    with schema_context("alpha"):
        assert not ApiToken.objects.exists()


def test_a_number_given_to_a_taxonomy_name_is_refused(admin_a):
    assert errors_of(admin_a.post("/api/v1/content/categories/", {"name": 2024}, JSON)) == {
        "name": "invalid_type"
    }
    with schema_context("alpha"):
        assert not Category.objects.exists()


# --- values that do not parse ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("parent", "abc"),
        ("parent", 1.5),
        ("parent", True),
        ("parent", 999999),
        ("categories", [999999]),
        ("categories", [1.5]),
        ("tags", "3"),
        ("position", "first"),
        ("position", 1.5),
        ("position", -1),
        ("body_format", "rtf"),
        ("language", "xx"),
        ("translations", {"xx": {"title": "?"}}),
    ],
)
def test_a_value_that_does_not_parse_is_refused_naming_its_field(admin_a, field, value):
    body = {"kind": "page", "title": "Tea", field: value}
    assert {name.split(".")[0] for name in errors_of(admin_a.post(NODES, body, JSON))} == {field}
    assert nodes() == 0


def test_a_date_that_does_not_parse_is_refused(admin_a, owner_a):
    with schema_context("alpha"):
        node = make_node(title="Tea")
    response = admin_a.post(f"{NODES}{node.pk}/schedule/", {"publish_at": "tomorrow"}, JSON)
    assert errors_of(response) == {"publish_at": "invalid"}
    assert admin_a.get(f"{NODES}{node.pk}/").json()["publish_at"] is None
    response = owner_a.post(
        "/api/v1/api-tokens/", {"name": "ci", "scopes": ["content.add_node"], "expires_at": "soon"}, JSON
    )
    assert errors_of(response) == {"expires_at": "invalid"}


def test_an_id_and_a_choice_that_do_not_parse_are_refused_in_accounts(owner_a):
    body = {"name": "ci", "scopes": ["content.add_node"], "user": "me"}
    assert errors_of(owner_a.post("/api/v1/api-tokens/", body, JSON)) == {"user": "invalid"}
    body = {"email": "new@alpha.test", "role": "king"}
    assert errors_of(owner_a.post("/api/v1/users/", body, JSON)) == {"role": "invalid_choice"}
    with schema_context("alpha"):
        assert not User.objects.filter(email="new@alpha.test").exists()


# --- kinds ---------------------------------------------------------------------------------------


def test_the_posts_endpoint_refuses_a_page_and_writes_nothing(admin_a):
    response = admin_a.post(POSTS, {"kind": "page", "title": "About"}, JSON)
    assert errors_of(response) == {"kind": "wrong_kind"}
    assert "this endpoint writes post" in response.json()["errors"][0]["message"]
    assert nodes() == 0


def test_the_posts_endpoint_takes_kind_post_or_none(admin_a):
    for body in ({"kind": "post", "title": "One"}, {"title": "Two"}):
        response = admin_a.post(POSTS, body, JSON)
        assert response.status_code == 201, response.content
        assert response.json()["kind"] == "post"


def test_a_post_cannot_be_turned_into_a_page(admin_a):
    with schema_context("alpha"):
        post = make_node(kind="post", title="News")
    assert errors_of(admin_a.patch(f"{POSTS}{post.pk}/", {"kind": "page"}, JSON)) == {"kind": "wrong_kind"}
    assert admin_a.get(f"{POSTS}{post.pk}/").json()["kind"] == "post"


def test_the_nodes_endpoint_refuses_an_unknown_kind_and_a_kind_whose_module_is_off(admin_a, tenant_a):
    assert errors_of(admin_a.post(NODES, {"kind": "recipe", "title": "Soup"}, JSON)) == {
        "kind": "invalid_choice"
    }
    set_module_enabled(tenant=tenant_a, module="blog", enabled=False)
    try:
        assert set(errors_of(admin_a.post(NODES, {"kind": "post", "title": "News"}, JSON))) == {"kind"}
    finally:
        set_module_enabled(tenant=tenant_a, module="blog", enabled=True)
    assert nodes() == 0


def test_a_list_filtered_by_an_unknown_kind_is_refused_naming_it(client_a):
    assert errors_of(client_a.get(NODES, {"kind": "recipe"})) == {"kind": "invalid_choice"}
    assert client_a.get(NODES, {"kind": "page"}).status_code == 200


def test_a_node_needs_a_kind_on_the_nodes_endpoint(admin_a):
    assert errors_of(admin_a.post(NODES, {"title": "Tea"}, JSON)) == {"kind": "required"}


# --- every write serializer is strict ------------------------------------------------------------


def test_every_write_operation_parses_its_body_with_a_strict_serializer():
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.plumbing import build_mock_request
    from rest_framework import serializers

    from rustok.api.serializers import StrictInput

    generator = SchemaGenerator()
    generator._initialise_endpoints()
    loose, checked = [], 0
    for path, regex, method, view in generator._get_paths_and_endpoints():
        if method not in ("POST", "PUT", "PATCH"):
            continue
        view.request = build_mock_request(method, path, view, None)
        schema = view.schema
        schema.method, schema.path, schema.path_regex = method, path, regex
        request = schema.get_request_serializer()
        checked += 1
        if isinstance(request, dict):
            request = next(iter(request.values()))
        if isinstance(request, type):
            request = request()
        if isinstance(request, serializers.BaseSerializer) and not isinstance(request, StrictInput):
            loose.append(f"{method} {path}: {type(request).__name__}")
    assert loose == []
    assert checked > 30


def test_the_refusal_is_in_the_language_of_the_request(admin_a):
    response = admin_a.post(
        NODES, {"kind": "page", "title": "Чай", "bdy": "x"}, JSON, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert problem_of(response)["errors"] == [
        {"field": "bdy", "message": "Неизвестное поле.", "code": "unknown_field"}
    ]
