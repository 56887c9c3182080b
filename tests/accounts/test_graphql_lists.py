"""GraphQL lists of accounts: users, API tokens and the audit log, with the users they point at.

The users a token or an audit entry points at are read by one loader (rustok.dataloaders), so
each list costs the same for 5 items and for 50. Budgets count routing (1), the owner's token,
the list, and one query for every user it points at.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts import services
from tests.accounts.factories import EditorFactory, OwnerFactory, SiteAdminFactory
from tests.conftest import ALPHA_HOST, bearer
from tests.queries import flat

pytestmark = pytest.mark.django_db

FEW, MANY = 5, 50
USERS = "{ users { id email displayName role isActive dateJoined lastLogin } }"
TOKENS = """{ apiTokens { id name prefix scopes createdAt expiresAt lastUsedAt revokedAt
  user { id email } createdBy { id email } } }"""
AUDIT = """query($action: AuditAction, $limit: Int, $offset: Int) {
  auditLog(action: $action, limit: $limit, offset: $offset) {
    id at action actorEmail targetType targetId targetLabel ipAddress data actor { id email role } } }"""


def answer(client, query: str, **variables) -> dict:
    response = client.post(
        "/api/graphql/", {"query": query, "variables": variables}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def data(client, query: str, **variables) -> dict:
    body = answer(client, query, **variables)
    assert "errors" not in body, body["errors"]
    return body["data"]


@pytest.fixture
def owner(tenant_a):
    with schema_context("alpha"):
        return OwnerFactory(email="owner@alpha.test")


@pytest.fixture
def as_owner(tenant_a, owner) -> Client:
    return Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, owner))


def add_tokens(count: int) -> None:
    """`count` tokens, each made by its own admin and acting as its own editor."""
    with schema_context("alpha"):
        for n in range(count):
            maker = SiteAdminFactory()
            services.create_api_token(
                actor=maker, name=f"T{n}", user=EditorFactory(), scopes=["content.view_node"]
            )


def add_role_changes(count: int) -> None:
    """`count` audit entries of role changes, each by its own admin."""
    with schema_context("alpha"):
        for _ in range(count):
            admin = SiteAdminFactory()
            services.set_role(actor=admin, target=EditorFactory(), role="moderator")


def test_the_user_list_costs_the_same_for_5_and_50_users(as_owner, owner, django_assert_max_num_queries):
    def add(count: int):
        with schema_context("alpha"):
            for _ in range(count):
                EditorFactory()

    add(FEW)
    # routing (the search path), the token, the users
    flat(
        django_assert_max_num_queries,
        3,
        ask=lambda: data(as_owner, USERS),
        grow=lambda: add(MANY - FEW),
        size=lambda answered: len(answered["users"]),
    )


def test_the_api_token_list_with_its_users_costs_the_same_for_5_and_50_tokens(
    as_owner, django_assert_max_num_queries
):
    add_tokens(FEW)
    # routing (the search path), the token, the tokens, their users and makers
    _few, many = flat(
        django_assert_max_num_queries,
        4,
        ask=lambda: data(as_owner, TOKENS),
        grow=lambda: add_tokens(MANY - FEW),
        size=lambda answered: len(answered["apiTokens"]),
    )
    newest = many["apiTokens"][0]
    assert newest["name"] == f"T{MANY - FEW - 1}"
    assert newest["user"]["email"] != newest["createdBy"]["email"]
    assert newest["scopes"] == ["content.view_node"]


def test_the_audit_log_with_its_actors_costs_the_same_for_5_and_50_entries(
    as_owner, owner, django_assert_max_num_queries
):
    add_role_changes(FEW)
    # routing (the search path), the token, the entries, their actors
    _few, many = flat(
        django_assert_max_num_queries,
        4,
        ask=lambda: data(as_owner, AUDIT, action="ROLE_CHANGED", limit=100),
        grow=lambda: add_role_changes(MANY - FEW),
        size=lambda answered: len(answered["auditLog"]),
    )
    entries = many["auditLog"]
    assert len(entries) == MANY
    assert {entry["action"] for entry in entries} == {"ROLE_CHANGED"}
    assert all(entry["actor"]["email"] == entry["actorEmail"] for entry in entries)
    assert entries[0]["actor"]["role"] == "admin"


def test_the_audit_log_is_answered_page_by_page_newest_first(as_owner, owner):
    add_role_changes(6)
    everything = data(as_owner, AUDIT, action="ROLE_CHANGED")["auditLog"]
    second_page = data(as_owner, AUDIT, action="ROLE_CHANGED", limit=2, offset=2)["auditLog"]
    assert [entry["id"] for entry in second_page] == [entry["id"] for entry in everything[2:4]]
    assert everything == sorted(everything, key=lambda entry: entry["at"], reverse=True)


def test_a_negative_page_of_the_audit_log_is_refused_naming_the_argument(as_owner):
    [error] = answer(as_owner, AUDIT, offset=-1)["errors"]
    assert error["extensions"]["code"] == "INVALID"
    assert list(error["extensions"]["fields"]) == ["offset"]


def test_an_actor_whose_account_is_gone_is_null_and_keeps_their_address(as_owner, owner):
    with schema_context("alpha"):
        admin = SiteAdminFactory(email="gone@alpha.test")
        services.set_role(actor=admin, target=EditorFactory(), role="moderator")
        admin.delete()
    [entry] = data(as_owner, AUDIT, action="ROLE_CHANGED")["auditLog"]
    assert entry["actor"] is None and entry["actorEmail"] == "gone@alpha.test"


@pytest.mark.parametrize("query", [TOKENS, AUDIT], ids=["apiTokens", "auditLog"])
def test_an_editor_may_not_read_tokens_or_the_audit_log(tenant_a, query):
    with schema_context("alpha"):
        editor = EditorFactory()
    client = Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, editor))
    body = answer(client, query)
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert body["data"] is None or not any(body["data"].values())
