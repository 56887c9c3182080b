"""Bodies and parameters that would break a parser or the database are a 400 or 404, never a 500.

Tests run with DEBUG off (rustok/settings/test.py), so a server error would be a 500 here.
"""

import json

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from tests.accounts.factories import OwnerFactory
from tests.conftest import problem_of, signed_in

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000


@pytest.fixture
def owner_a(tenant_a) -> Client:
    with schema_context("alpha"):
        user = OwnerFactory()
    return signed_in(tenant_a, user)


def nested(levels: int):
    value = "x"
    for _ in range(levels):
        value = [value]
    return value


@pytest.mark.parametrize("path", ["/api/auth/login/", "/api/v1/content/nodes/", "/api/v1/notes/"])
def test_a_body_nested_100000_deep_is_a_parse_error(editor_a, path):
    body = problem_of(editor_a.post(path, DEEP, content_type="application/json"))
    assert body["code"] == "parse_error"
    assert "nested deeper than 32 levels" in body["detail"]


def test_a_body_one_level_deeper_than_the_limit_is_a_parse_error_and_the_limit_is_not(client_a, settings):
    settings.JSON_MAX_DEPTH = 4
    deep = {"email": nested(4), "password": "x"}
    body = problem_of(client_a.post("/api/auth/login/", json.dumps(deep), content_type="application/json"))
    assert body["code"] == "parse_error"
    within = {"email": nested(3), "password": "x"}
    body = problem_of(client_a.post("/api/auth/login/", json.dumps(within), content_type="application/json"))
    assert body["code"] == "invalid"
    assert [error["field"] for error in body["errors"]] == ["email"]


@pytest.mark.parametrize("body", [DEEP, '{"query": "{ __typename }", "variables": ' + DEEP])
def test_a_graphql_body_nested_100000_deep_is_a_400(client_a, body):
    response = client_a.post("/api/graphql/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    [error] = response.json()["errors"]
    assert error["message"] == "JSON nested deeper than 32 levels."


def test_a_graphql_body_within_the_limit_still_runs(client_a):
    query = {"query": "{ __typename }", "variables": {"deep": nested(20)}}
    response = client_a.post("/api/graphql/", query, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize("name", ["since", "until"])
def test_an_audit_log_filter_with_an_offset_beyond_15_59_is_a_400_naming_it(owner_a, name):
    body = problem_of(owner_a.get("/api/v1/audit-log/", {name: "0453-12-19T01:33:20+22:06"}))
    assert [(e["field"], e["code"]) for e in body["errors"]] == [(name, "offset")]


# --- pages of lists ---------------------------------------------------------------------------------

LISTS = [
    "/api/v1/users/",
    "/api/v1/audit-log/",
    "/api/v1/api-tokens/",
    "/api/v1/content/nodes/",
    "/api/v1/content/categories/",
    "/api/v1/content/tags/",
    "/api/v1/blog/posts/",
]
HUGE = "99999999999999999999999"


@pytest.fixture
def one_of_each(tenant_a, owner_a):
    """A row in every list: the owner, an API token (and its audit entry), a post, a category, a tag."""
    from apps.accounts.models import User
    from apps.accounts.services import create_api_token
    from tests.content.factories import make_category, make_node, make_tag

    with schema_context("alpha"):
        owner = User.objects.get(role="owner")
        create_api_token(actor=owner, name="CI", user=owner, scopes=["content.view_node"])
        news = make_category(name="News")
        make_node(kind="post", status="published", texts={"en": {"title": "A post"}}, categories=[news])
        make_tag(name="python")
    return owner_a


@pytest.mark.parametrize("path", LISTS)
def test_a_limit_beyond_64_bits_is_clamped_to_the_largest_page(one_of_each, path):
    response = one_of_each.get(path, {"limit": HUGE})
    assert response.status_code == 200, response.content
    assert response.json()["count"] >= 1 and response.json()["results"]


@pytest.mark.parametrize("path", LISTS)
def test_an_offset_beyond_64_bits_is_an_empty_page(one_of_each, path):
    response = one_of_each.get(path, {"offset": HUGE, "limit": HUGE})
    assert response.status_code == 200, response.content
    assert response.json()["results"] == []


def test_no_list_gives_more_than_100_rows_a_page(owner_a):
    from tests.accounts.factories import UserFactory

    with schema_context("alpha"):
        UserFactory.create_batch(101)
    page = owner_a.get("/api/v1/users/", {"limit": "1000"}).json()
    assert page["count"] == 102
    assert len(page["results"]) == 100
    assert "limit=100" in page["next"]


@pytest.mark.parametrize(
    ("query", "variables", "field"),
    [
        ('mutation { login(email: "a\\u0000@b.test", password: "x") { user { email } } }', None, "email"),
        (
            'mutation($email: String!) { login(email: $email, password: "x") { user { email } } }',
            {"email": "a\x00@b.test"},
            "email",
        ),
        (
            'mutation($name: String) { register(email: "n@b.test", password: "long-enough-9", '
            "displayName: $name) { ok } }",
            {"name": "Ann\x00"},
            "name",
        ),
    ],
)
def test_a_nul_byte_in_any_graphql_string_is_invalid_input_naming_it(client_a, query, variables, field):
    body = {"query": query, **({"variables": variables} if variables else {})}
    response = client_a.post("/api/graphql/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "INVALID"
    assert list(error["extensions"]["fields"]) == [field]
