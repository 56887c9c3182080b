"""GraphQL at /api/graphql/: error codes, CSRF for cookie sessions, query cost of the gate."""

from django.test import Client
from django_tenants.utils import schema_context

from apps.core import services
from tests.accounts.factories import EditorFactory, UserFactory

ADD = 'mutation { addNote(text: "%s") { note { text } } }'


def post(client, query, **extra):
    return client.post("/api/graphql/", {"query": query}, content_type="application/json", **extra)


def test_a_service_error_carries_its_stable_code_and_fields(editor_a):
    body = post(editor_a, ADD % " ").json()
    [error] = body["errors"]
    assert error["extensions"]["code"] == "INVALID"
    assert error["message"] == "text: Write something."
    assert body["data"]["addNote"] is None


def test_mutations_of_a_disabled_module_are_refused(editor_a, tenant_a):
    services.set_module_enabled(tenant=tenant_a, module="notes", enabled=False)
    [error] = post(editor_a, ADD % "hi").json()["errors"]
    assert error["extensions"]["code"] == "MODULE_DISABLED"


def test_a_field_needing_a_permission_is_refused_to_anonymous_and_customers(client_a, tenant_a):
    [error] = post(client_a, ADD % "hi").json()["errors"]
    assert error["extensions"]["code"] == "NOT_AUTHENTICATED"
    client = Client(HTTP_HOST="alpha.test")
    with schema_context("alpha"):
        client.force_login(UserFactory())
    [error] = post(client, ADD % "hi").json()["errors"]
    assert error["extensions"]["code"] == "PERMISSION_DENIED"
    assert error["extensions"]["permission"] == "notes.change_note"


def test_cookie_session_without_csrf_token_is_refused(tenant_a):
    client = Client(HTTP_HOST="alpha.test", enforce_csrf_checks=True)
    with schema_context("alpha"):
        client.force_login(UserFactory())
    assert post(client, ADD % "forged").status_code == 403


def test_cookie_session_with_csrf_token_is_accepted(tenant_a):
    client = Client(HTTP_HOST="alpha.test", enforce_csrf_checks=True)
    with schema_context("alpha"):
        client.force_login(EditorFactory())
    client.get("/api/auth/csrf/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    body = post(client, ADD % "real", HTTP_X_CSRFTOKEN=token).json()
    assert body["data"]["addNote"]["note"]["text"] == "real"


def test_requests_without_a_session_cookie_need_no_csrf_token(tenant_a):
    client = Client(HTTP_HOST="alpha.test", enforce_csrf_checks=True)
    assert post(client, "{ site { slug } }").json() == {"data": {"site": {"slug": "alpha"}}}


def test_the_module_gate_costs_no_query_once_toggles_are_cached(client_a, django_assert_max_num_queries):
    post(client_a, "{ notes { id } }")  # warms the toggle cache (and the host's route)
    # routing: SET search_path tenant (the host's tenant is kept by the process); then the notes
    with django_assert_max_num_queries(2):
        assert post(client_a, "{ site { slug modules } notes { id } }").status_code == 200
    with django_assert_max_num_queries(3):  # + the count of the paginated list
        assert client_a.get("/api/v1/notes/").status_code == 200


def test_a_bug_in_a_resolver_shows_no_internals(editor_a):
    [error] = post(editor_a, ADD % ("x" * 300)).json()["errors"]  # too long for the column
    assert error["message"] == "Internal server error."
    assert error["extensions"]["code"] == "INTERNAL"
    assert "varying" not in str(error)
