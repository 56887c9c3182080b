"""What an API token can never do, whatever its scopes: change its user's account, manage tokens
or users; and wrong current passwords count towards the lockout like failed sign-ins."""

import pytest
from django.test import Client, override_settings
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import ApiToken, AuditEntry, Role, User
from tests.accounts.factories import PASSWORD, SiteAdminFactory, UserFactory, legacy_api_token
from tests.conftest import ALPHA_HOST, bearer

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def admin(tenant_a):
    with schema_context("alpha"):
        return SiteAdminFactory(email="admin@alpha.test")


@pytest.fixture
def reader(tenant_a, admin):
    """An integration holding a token of the admin that may only read content."""
    with schema_context("alpha"):
        _token, secret = services.create_api_token(
            actor=admin, name="reader", user=admin, scopes=["content.view_node"]
        )
    return Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=f"Token {secret}")


def refused_for_the_token(response) -> bool:
    body = response.json()
    return (
        response.status_code == 403
        and response["Content-Type"] == "application/problem+json"
        and body["code"] == "api_token_not_allowed"
    )


def test_an_api_token_cannot_change_its_users_password(reader, admin):
    body = {"current_password": PASSWORD, "new_password": "taken-over-passphrase"}
    response = reader.post("/api/auth/password/change/", body, content_type=JSON)
    assert refused_for_the_token(response)
    with schema_context("alpha"):
        assert User.objects.get(pk=admin.pk).check_password(PASSWORD)


def test_an_api_token_cannot_guess_its_users_password(reader, admin):
    body = {"current_password": "guess", "new_password": "taken-over-passphrase"}
    response = reader.post("/api/auth/password/change/", body, content_type=JSON)
    assert refused_for_the_token(response)  # refused before the password is looked at


def test_an_api_token_reads_but_cannot_change_the_profile(reader, admin):
    assert reader.get("/api/auth/me/").json()["email"] == "admin@alpha.test"
    response = reader.patch("/api/auth/me/", {"display_name": "Hijacked"}, content_type=JSON)
    assert refused_for_the_token(response)
    with schema_context("alpha"):
        assert User.objects.get(pk=admin.pk).display_name != "Hijacked"


def test_graphql_password_change_refuses_an_api_token(reader, admin):
    query = f'mutation {{ passwordChange(currentPassword: "{PASSWORD}", newPassword: "x-long-1") {{ ok }} }}'
    [error] = reader.post("/api/graphql/", {"query": query}, content_type=JSON).json()["errors"]
    assert error["extensions"]["code"] == "API_TOKEN_NOT_ALLOWED"
    with schema_context("alpha"):
        assert User.objects.get(pk=admin.pk).check_password(PASSWORD)


def test_a_token_cannot_be_given_a_scope_that_manages_tokens_or_users(tenant_a, admin):
    client = Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, admin))
    for scope in ("accounts.manage_api_tokens", "accounts.manage_users"):
        response = client.post("/api/v1/api-tokens/", {"name": "x", "scopes": [scope]}, content_type=JSON)
        assert response.status_code == 400
        [error] = response.json()["errors"]
        assert error["field"] == "scopes" and scope in error["message"]
    with schema_context("alpha"):
        assert not ApiToken.objects.exists()


def test_a_token_that_names_token_management_still_cannot_list_or_mint_tokens(tenant_a, admin):
    with schema_context("alpha"):
        secret = legacy_api_token(admin, ["accounts.manage_api_tokens", "notes.change_note"])
    integration = Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=f"Token {secret}")
    assert refused_for_the_token(integration.get("/api/v1/api-tokens/"))
    body = {"name": "forever", "scopes": ["notes.change_note"]}
    assert refused_for_the_token(integration.post("/api/v1/api-tokens/", body, content_type=JSON))
    with schema_context("alpha"):
        assert ApiToken.objects.count() == 1


def test_a_token_that_names_user_management_still_cannot_manage_users(tenant_a, admin):
    with schema_context("alpha"):
        secret = legacy_api_token(admin, ["accounts.manage_users", "accounts.view_user"])
        customer = UserFactory(email="c@alpha.test")
    integration = Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=f"Token {secret}")
    assert integration.get("/api/v1/users/").status_code == 200  # reading stays within its scopes
    body = {"email": "sock@alpha.test", "role": "admin", "password": "a-known-passphrase"}
    assert refused_for_the_token(integration.post("/api/v1/users/", body, content_type=JSON))
    query = f'mutation {{ setUserRole(id: "{customer.pk}", role: ADMIN) {{ user {{ role }} }} }}'
    [error] = integration.post("/api/graphql/", {"query": query}, content_type=JSON).json()["errors"]
    assert error["extensions"]["code"] == "API_TOKEN_NOT_ALLOWED"
    with schema_context("alpha"):
        assert not User.objects.filter(email="sock@alpha.test").exists()
        assert User.objects.get(pk=customer.pk).role == Role.CUSTOMER


def test_the_services_refuse_a_token_as_actor_too(tenant_a, admin):
    from apps.accounts.services import authenticate_api_token
    from rustok.errors import PermissionDenied

    with schema_context("alpha"):
        secret = legacy_api_token(admin, ["accounts.manage_api_tokens", "notes.change_note"])
        acting = authenticate_api_token(secret)
        with pytest.raises(PermissionDenied) as refusal:
            services.create_api_token(actor=acting, name="x", user=acting, scopes=["notes.change_note"])
    assert refusal.value.code == "api_token_not_allowed"


# --- wrong current passwords and the lockout ----------------------------------------------------


@pytest.fixture
def signed_in(tenant_a, admin):
    return Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, admin), REMOTE_ADDR="10.3.0.1")


def change(client, current):
    body = {"current_password": current, "new_password": "another-long-passphrase"}
    return client.post("/api/auth/password/change/", body, content_type=JSON)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_wrong_current_passwords_lock_the_password_change_like_failed_sign_ins(signed_in, admin):
    for _ in range(2):
        wrong = change(signed_in, "guess")
        assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "current_password"
    assert change(signed_in, "guess").status_code == 429  # the third failure locks
    response = change(signed_in, PASSWORD)
    assert response.status_code == 429 and response.json()["code"] == "login_locked"
    assert int(response["Retry-After"]) > 0
    with schema_context("alpha"):
        assert User.objects.get(pk=admin.pk).check_password(PASSWORD)
        # The three wrong passwords and the refused right one, as for sign-ins.
        assert AuditEntry.objects.filter(action="login_failed", actor_email="admin@alpha.test").count() == 4


@override_settings(AXES_FAILURE_LIMIT=3)
def test_failed_sign_ins_lock_the_password_change_from_the_same_address(tenant_a, signed_in, admin):
    guesser = Client(HTTP_HOST=ALPHA_HOST, REMOTE_ADDR="10.3.0.1")
    for _ in range(3):
        guesser.post("/api/auth/login/", {"email": "admin@alpha.test", "password": "x"}, content_type=JSON)
    assert change(signed_in, PASSWORD).status_code == 429


@override_settings(AXES_FAILURE_LIMIT=2)
def test_graphql_password_change_counts_wrong_passwords_too(signed_in, admin):
    query = 'mutation { passwordChange(currentPassword: "guess", newPassword: "x-long-passphrase") { ok } }'
    for _ in range(2):
        signed_in.post("/api/graphql/", {"query": query}, content_type=JSON)
    right = query.replace('"guess"', f'"{PASSWORD}"')
    response = signed_in.post("/api/graphql/", {"query": right}, content_type=JSON)
    assert response.status_code == 429 and response.json()["code"] == "login_locked"
    with schema_context("alpha"):
        assert User.objects.get(pk=admin.pk).check_password(PASSWORD)
