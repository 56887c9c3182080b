"""Bodies and parameters that would break a parser or the database are a 400 or 404, never a 500.

Tests run with DEBUG off (rustok/settings/test.py), so a server error would be a 500 here.
"""

import json

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from tests.accounts.factories import OwnerFactory
from tests.conftest import ALPHA_HOST, bearer

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000


@pytest.fixture
def owner_a(tenant_a) -> Client:
    with schema_context("alpha"):
        user = OwnerFactory()
    return Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, user))


def problem(response, status=400) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def nested(levels: int):
    value = "x"
    for _ in range(levels):
        value = [value]
    return value


@pytest.mark.parametrize("path", ["/api/auth/login/", "/api/v1/content/nodes/", "/api/v1/notes/"])
def test_a_body_nested_100000_deep_is_a_parse_error(editor_a, path):
    body = problem(editor_a.post(path, DEEP, content_type="application/json"))
    assert body["code"] == "parse_error"
    assert "nested deeper than 32 levels" in body["detail"]


def test_a_body_one_level_deeper_than_the_limit_is_a_parse_error_and_the_limit_is_not(client_a, settings):
    settings.JSON_MAX_DEPTH = 4
    deep = {"email": nested(4), "password": "x"}
    body = problem(client_a.post("/api/auth/login/", json.dumps(deep), content_type="application/json"))
    assert body["code"] == "parse_error"
    within = {"email": nested(3), "password": "x"}
    body = problem(client_a.post("/api/auth/login/", json.dumps(within), content_type="application/json"))
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
    body = problem(owner_a.get("/api/v1/audit-log/", {name: "0453-12-19T01:33:20+22:06"}))
    assert [(e["field"], e["code"]) for e in body["errors"]] == [(name, "offset")]
