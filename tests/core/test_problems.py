"""Every REST error is RFC 7807 application/problem+json with a stable code."""

import pytest

PROBLEM_KEYS = {"type", "title", "status", "detail", "code"}


def assert_problem(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body.keys() >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"].endswith("/" + code)
    return body


def test_unknown_api_path_is_a_problem_404(client_a):
    assert_problem(client_a.get("/api/v1/no-such-thing/"), 404, "not_found")


def test_missing_object_is_a_problem_404(client_a):
    assert_problem(client_a.get("/api/v1/notes/999999/"), 404, "not_found")


def test_wrong_method_is_a_problem_405(editor_a):
    assert_problem(
        editor_a.put("/api/v1/notes/", {}, content_type="application/json"), 405, "method_not_allowed"
    )


def test_validation_error_names_the_field(editor_a):
    body = assert_problem(
        editor_a.post("/api/v1/notes/", {}, content_type="application/json"), 400, "invalid"
    )
    assert body["errors"] == [{"field": "text", "message": "This field is required.", "code": "required"}]
    assert "text" in body["detail"]


def test_malformed_json_is_a_problem_400(editor_a):
    assert_problem(
        editor_a.post("/api/v1/notes/", "{not json", content_type="application/json"), 400, "parse_error"
    )


@pytest.mark.django_db
def test_server_error_under_api_is_a_problem_500(client_a):
    client_a.raise_request_exception = False
    body = assert_problem(client_a.get("/api/v1/boom/"), 500, "server_error")
    assert "bug" not in body["detail"]  # no internals leak


def test_any_method_on_an_unknown_api_address_is_a_404_problem(db):
    from django.test import Client

    client = Client(HTTP_HOST="alpha.test", enforce_csrf_checks=True)
    for method in ("get", "post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/nowhere/")
        assert response.status_code == 404, method
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "not_found"


def test_the_api_root_is_an_index_of_the_api(client_a):
    response = client_a.get("/api/")
    assert response.status_code == 200
    index = response.json()
    assert index["versions"] == {"v1": "http://alpha.test/api/v1/"}
    assert index["schema"] == "http://alpha.test/api/schema/"
    assert index["docs"] == "http://alpha.test/api/docs/"
    assert index["graphql"] == "http://alpha.test/api/graphql/"
    assert index["auth"] == "http://alpha.test/api/auth/"
