"""Query counts of accounts: the API-token list and the audit log are flat in their length, and
every REST and GraphQL write (sign-up, sign-in, tokens, passwords, roles) costs a fixed number.

A write's budget counts routing (the search path; the domain too for the first request of a
host), the caller's token, the lockout's
reads of a sign-in, the write with its audit entry and its event.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import ApiToken, AuditEntry
from tests.accounts.factories import PASSWORD, EditorFactory, OwnerFactory, UserFactory
from tests.conftest import ALPHA_HOST, bearer
from tests.queries import costs, flat, mutation_costs

pytestmark = pytest.mark.django_db

JSON = "application/json"
NEW_PASSWORD = "a-brand-new-passphrase"


@pytest.fixture
def owner(tenant_a):
    with schema_context("alpha"):
        return OwnerFactory(email="owner@alpha.test")


@pytest.fixture
def as_owner(tenant_a, owner) -> Client:
    return Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, owner))


def results(response) -> int:
    assert response.status_code == 200, response.content
    return len(response.json()["results"])


# --- lists ----------------------------------------------------------------------------------------


def test_the_api_token_list_costs_the_same_for_2_and_12_tokens(
    as_owner, owner, django_assert_max_num_queries
):
    def add(count: int):
        with schema_context("alpha"):
            for n in range(count):
                user = EditorFactory()  # each token acts as someone else, made by the owner
                services.create_api_token(actor=owner, name=f"T{n}", user=user, scopes=["content.view_node"])

    add(2)
    # routing (the search path), the caller's token, the count, the page with each token's user
    # and maker
    flat(
        django_assert_max_num_queries,
        4,
        ask=lambda: as_owner.get("/api/v1/api-tokens/"),
        grow=lambda: add(10),
        size=results,
    )


def test_the_audit_log_costs_the_same_for_a_few_and_many_entries(
    as_owner, owner, django_assert_max_num_queries
):
    def add(count: int):
        with schema_context("alpha"):
            for _ in range(count):
                services.set_role(actor=owner, target=EditorFactory(), role="moderator")

    add(2)
    # routing (the search path), the caller's token, the count, the page
    flat(
        django_assert_max_num_queries,
        4,
        ask=lambda: as_owner.get("/api/v1/audit-log/"),
        grow=lambda: add(10),
        size=results,
    )
    with schema_context("alpha"):
        assert AuditEntry.objects.filter(action="role_changed").count() == 12


# --- writes ---------------------------------------------------------------------------------------


@pytest.fixture
def people(tenant_a, owner):
    """Whom the writes act on: an editor, a deactivated customer, a token of the owner."""
    with schema_context("alpha"):
        editor = EditorFactory(email="ed@alpha.test")
        gone = UserFactory(email="gone@alpha.test", is_active=False)
        token, _secret = services.create_api_token(
            actor=owner, name="Old", user=owner, scopes=["content.view_node"]
        )
    return {"editor": editor, "gone": gone, "token": token}


def reset_of(user) -> dict:
    """The uid and token of a mailed reset link of `user`."""
    from apps.accounts.services.users import reset_link

    with schema_context("alpha"):
        link = reset_link(user, "http://alpha.test")
    uid, token = re.search(r"uid=([\w-]+)&token=([\w-]+)", link).groups()
    return {"uid": uid, "token": token}


def refresh_of(tenant, user) -> str:
    with schema_context(tenant.schema_name):
        return services.start_session(user=user, mode="bearer").refresh


def editor_client(tenant, user) -> Client:
    return Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant, user))


def rest_writes(tenant, people, owner, client_a, as_owner) -> dict:
    """Each REST write of accounts: (client, method, address, body, budget)."""
    editor, gone, token = people["editor"], people["gone"], people["token"]
    return {
        "register": (
            client_a,
            "/api/auth/register/",
            {"email": "new@alpha.test", "password": NEW_PASSWORD},
            13,
        ),
        "login": (client_a, "/api/auth/login/", {"email": "ed@alpha.test", "password": PASSWORD}, 12),
        "refresh": (client_a, "/api/auth/refresh/", lambda: {"refresh": refresh_of(tenant, editor)}, 7),
        "logout": (lambda: editor_client(tenant, editor), "/api/auth/logout/", None, 9),
        "update_profile": (lambda: editor_client(tenant, editor), "/api/auth/me/", {"display_name": "Ed"}, 7),
        "change_password": (
            lambda: editor_client(tenant, editor),
            "/api/auth/password/change/",
            {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
            12,
        ),
        "request_a_password_reset": (client_a, "/api/auth/password/reset/", {"email": "ed@alpha.test"}, 8),
        "reset_the_password": (
            client_a,
            "/api/auth/password/reset/confirm/",
            lambda: {**reset_of(editor), "new_password": NEW_PASSWORD},
            9,
        ),
        "invite_a_user": (as_owner, "/api/v1/users/", {"email": "invited@alpha.test", "role": "editor"}, 12),
        "change_a_role": (as_owner, f"/api/v1/users/{editor.pk}/role/", {"role": "moderator"}, 12),
        "deactivate_a_user": (as_owner, f"/api/v1/users/{editor.pk}/deactivate/", None, 14),
        "activate_a_user": (as_owner, f"/api/v1/users/{gone.pk}/activate/", None, 10),
        "create_an_api_token": (
            as_owner,
            "/api/v1/api-tokens/",
            {"name": "CI", "scopes": ["content.view_node"], "user": editor.pk},
            9,
        ),
        "revoke_an_api_token": (as_owner, f"/api/v1/api-tokens/{token.pk}/revoke/", None, 9),
    }


REST_WRITES = [
    "register",
    "login",
    "refresh",
    "logout",
    "update_profile",
    "change_password",
    "request_a_password_reset",
    "reset_the_password",
    "invite_a_user",
    "change_a_role",
    "deactivate_a_user",
    "activate_a_user",
    "create_an_api_token",
    "revoke_an_api_token",
]


def _given(value):
    return value() if callable(value) else value


@pytest.mark.parametrize("write", REST_WRITES)
def test_each_rest_write_of_accounts_costs_a_fixed_number_of_queries(
    tenant_a, people, owner, client_a, as_owner, django_assert_max_num_queries, write
):
    client, address, body, budget = rest_writes(tenant_a, people, owner, client_a, as_owner)[write]
    client, body = _given(client), _given(body)
    client.get("/api/v1/site/")  # the module toggles are cached once, as on a running site
    method = client.patch if write == "update_profile" else client.post
    response = costs(
        django_assert_max_num_queries,
        budget,
        lambda: method(address, body, content_type=JSON) if body is not None else method(address),
    )
    assert response.status_code in (200, 201, 202, 204), response.content


def test_deactivating_a_user_with_many_tokens_costs_what_one_token_costs(
    tenant_a, owner, as_owner, django_assert_max_num_queries
):
    """Every token acting as the user, or made by them, is revoked and audited in one go."""
    with schema_context("alpha"):
        admins = [OwnerFactory(), OwnerFactory()]
        for made, admin in zip((1, 5), admins, strict=True):
            for n in range(made):
                services.create_api_token(
                    actor=admin, name=f"Made {n}", user=owner, scopes=["content.view_node"]
                )
    as_owner.get("/api/v1/site/")
    spent = []
    for admin in admins:
        with django_assert_max_num_queries(20) as queries:
            response = as_owner.post(f"/api/v1/users/{admin.pk}/deactivate/")
        assert response.status_code == 200, response.content
        spent.append(len(queries.captured_queries))
    assert spent[0] == spent[1]
    with schema_context("alpha"):
        revoked = AuditEntry.objects.filter(action="api_token_revoked", data__reason="user_deactivated")
        assert revoked.count() == 6
        assert {entry.actor_email for entry in revoked} == {"owner@alpha.test"}
        assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 0


GRAPHQL_WRITES = {
    "register": (
        'mutation { register(email: "new@alpha.test", password: "a-brand-new-passphrase") { ok } }',
        "anonymous",
        13,
    ),
    "login": (
        f'mutation {{ login(email: "ed@alpha.test", password: "{PASSWORD}")'
        " { accessToken refreshToken user { email } } }",
        "anonymous",
        12,
    ),
    "refresh": (
        "mutation($refresh: String) { refresh(refreshToken: $refresh) { accessToken } }",
        "anonymous",
        7,
    ),
    "logout": ("mutation { logout { ok } }", "editor", 9),
    "passwordChange": (
        f'mutation {{ passwordChange(currentPassword: "{PASSWORD}", newPassword: "a-brand-new-passphrase")'
        " { ok } }",
        "editor",
        12,
    ),
    "passwordReset": ('mutation { passwordReset(email: "ed@alpha.test") { ok } }', "anonymous", 8),
    "passwordResetConfirm": (
        """mutation($uid: String!, $token: String!) { passwordResetConfirm(uid: $uid, token: $token,
        newPassword: "a-brand-new-passphrase") { ok } }""",
        "anonymous",
        9,
    ),
    "setUserRole": (
        "mutation($editor: ID!) { setUserRole(id: $editor, role: MODERATOR) { user { id role } } }",
        "owner",
        12,
    ),
    "deactivateUser": (
        "mutation($editor: ID!) { deactivateUser(id: $editor) { user { isActive } } }",
        "owner",
        14,
    ),
}


@pytest.mark.parametrize("mutation", list(GRAPHQL_WRITES))
def test_each_graphql_mutation_of_accounts_costs_a_fixed_number_of_queries(
    tenant_a, people, client_a, as_owner, django_assert_max_num_queries, mutation
):
    query, who, budget = GRAPHQL_WRITES[mutation]
    editor = people["editor"]
    client = {"anonymous": client_a, "owner": as_owner}.get(who) or editor_client(tenant_a, editor)
    given = {"editor": editor.pk}
    if "$refresh" in query:
        given["refresh"] = refresh_of(tenant_a, editor)
    if "$uid" in query:
        given.update(reset_of(editor))
    variables = {name: value for name, value in given.items() if f"${name}" in query}
    client.get("/api/v1/site/")
    mutation_costs(django_assert_max_num_queries, budget, client, query, variables, mutation)
