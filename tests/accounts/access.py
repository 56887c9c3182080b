"""The access matrix of accounts (tests/access_matrix.py): users, API tokens, the audit log,
signing in (/api/auth/) and their GraphQL fields.

Object rules: an admin manages every user but owners; only an owner manages owners or makes
someone an owner, and an admin cannot mint a token acting as an owner. Managing users and tokens,
one's profile and password are for people only (never an API token).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from apps.accounts import services
from apps.accounts.models import AuditEntry, Role
from apps.accounts.services.users import reset_link
from rustok.permissions import PERSON, PUBLIC, SIGNED_IN
from tests.access_matrix import ADMINS, EVERYONE, OWNER, On, graphql, rest
from tests.accounts.factories import PASSWORD, OwnerFactory, UserFactory

NEW_PASSWORD = "a-fresh-horse-battery-staple"
MANAGE = "accounts.manage_users"
TOKENS = "accounts.manage_api_tokens"
AUDIT = "accounts.view_audit_log"
VIEW = "accounts.view_user"
SCOPES = ["content.view_node"]


def build(world) -> None:
    """Users to act on (a customer and a second owner, active and not), the admin's and an
    owner's API token, an audit entry, a refresh token and a password-reset link of the customer
    persona."""
    admin, member = world.users[Role.ADMIN], world.users[Role.CUSTOMER]
    world.add("target", UserFactory(email="target@alpha.test"))
    world.add("owner_target", OwnerFactory(email="owner2@alpha.test"))
    world.add("inactive", UserFactory(email="inactive@alpha.test", is_active=False))
    world.add("inactive_owner", OwnerFactory(email="inactive-owner@alpha.test", is_active=False))
    token, _ = services.create_api_token(actor=admin, name="ci", user=admin, scopes=SCOPES)
    world.add("api_token", token)
    owner = world.objects["owner_target"]
    token, _ = services.create_api_token(actor=owner, name="owner's", user=owner, scopes=SCOPES)
    world.add("owners_token", token)
    world.add("audit_entry", services.record(AuditEntry.Action.LOGIN, actor=world.users[Role.EDITOR]))
    world.values["refresh"] = services.start_session(user=member, mode="bearer").refresh
    link = parse_qs(urlsplit(reset_link(member, "http://alpha.test")).query)
    world.values["reset"] = {"uid": link["uid"][0], "token": link["token"][0]}


def member(world, refs) -> dict:
    return {"email": world.users[Role.CUSTOMER].email, "password": PASSWORD}


def refresh(world, refs) -> dict:
    return {"refresh": world.values["refresh"]}


def reset(world, refs) -> dict:
    return {**world.values["reset"], "new_password": NEW_PASSWORD}


NEWCOMER = {"email": "newcomer@alpha.test", "password": NEW_PASSWORD}

ENTRIES = [
    rest("GET /api/v1/users/", VIEW, On("all", ADMINS)),
    rest(
        "POST /api/v1/users/",
        MANAGE,
        On("customer", ADMINS, body={"email": "invited@alpha.test", "role": Role.CUSTOMER}),
        On("owner", OWNER, body={"email": "invited@alpha.test", "role": Role.OWNER}),
    ),
    rest(
        "GET /api/v1/users/{pk}/",
        VIEW,
        On("customer_target", ADMINS, obj="target"),
        On("owner_target", ADMINS, obj="owner_target"),
    ),
    rest(
        "POST /api/v1/users/{pk}/role/",
        MANAGE,
        On("customer_target", ADMINS, obj="target", body={"role": Role.EDITOR}),
        On("owner_target", OWNER, obj="owner_target", body={"role": Role.ADMIN}),
        On("to_owner", OWNER, obj="target", body={"role": Role.OWNER}),
    ),
    rest(
        "POST /api/v1/users/{pk}/deactivate/",
        MANAGE,
        On("customer_target", ADMINS, obj="target"),
        On("owner_target", OWNER, obj="owner_target"),
    ),
    rest(
        "POST /api/v1/users/{pk}/activate/",
        MANAGE,
        On("customer_target", ADMINS, obj="inactive"),
        On("owner_target", OWNER, obj="inactive_owner"),
    ),
    rest("GET /api/v1/api-tokens/", TOKENS, On("all", ADMINS)),
    rest(
        "POST /api/v1/api-tokens/",
        TOKENS,
        On("own", ADMINS, body={"name": "deploy", "scopes": SCOPES}),
        On(
            "acting_as_owner",
            OWNER,
            body=lambda world, refs: {
                "name": "deploy",
                "scopes": SCOPES,
                "user": world.objects["owner_target"].pk,
            },
        ),
    ),
    # Tokens have no object rule: an admin sees and revokes an owner's token too.
    rest(
        "GET /api/v1/api-tokens/{pk}/",
        TOKENS,
        On("admins_token", ADMINS, obj="api_token"),
        On("owners_token", ADMINS, obj="owners_token"),
    ),
    rest(
        "POST /api/v1/api-tokens/{pk}/revoke/",
        TOKENS,
        On("admins_token", ADMINS, obj="api_token"),
        On("owners_token", ADMINS, obj="owners_token"),
    ),
    rest("GET /api/v1/audit-log/", AUDIT, On("all", ADMINS)),
    rest("GET /api/v1/audit-log/{pk}/", AUDIT, On("entry", ADMINS, obj="audit_entry")),
    # Signing in: csrf, register, login, refresh and the password reset read no credentials.
    rest("GET /api/auth/csrf/", PUBLIC, On("anyone", EVERYONE), signs_in=True),
    rest("POST /api/auth/register/", PUBLIC, On("new_address", EVERYONE, body=NEWCOMER), signs_in=True),
    rest("POST /api/auth/login/", PUBLIC, On("member", EVERYONE, body=member), signs_in=True),
    rest("POST /api/auth/refresh/", PUBLIC, On("member", EVERYONE, body=refresh), signs_in=True),
    rest("POST /api/auth/logout/", PUBLIC, On("member", EVERYONE, body=refresh)),
    rest("GET /api/auth/me/", SIGNED_IN, On("self", EVERYONE)),
    rest("PATCH /api/auth/me/", PERSON, On("self", EVERYONE, body={"display_name": "Renamed"})),
    rest(
        "POST /api/auth/password/change/",
        PERSON,
        On("self", EVERYONE, body={"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
    ),
    rest(
        "POST /api/auth/password/reset/",
        PUBLIC,
        On("member", EVERYONE, body=lambda world, refs: {"email": world.users[Role.CUSTOMER].email}),
        signs_in=True,
    ),
    rest("POST /api/auth/password/reset/confirm/", PUBLIC, On("member", EVERYONE, body=reset), signs_in=True),
    # GraphQL.
    graphql("Query.me", SIGNED_IN, "query { me { id permissions } }", On("self", EVERYONE)),
    graphql("Query.users", VIEW, "query { users { id email } }", On("all", ADMINS)),
    graphql("Query.apiTokens", TOKENS, "query { apiTokens { id name user { id } } }", On("all", ADMINS)),
    graphql(
        "Query.auditLog", AUDIT, "query { auditLog(limit: 5) { id action actor { id } } }", On("all", ADMINS)
    ),
    graphql(
        "Mutation.setUserRole",
        MANAGE,
        "mutation($id: ID!, $role: Role!) { setUserRole(id: $id, role: $role) { user { id role } } }",
        On(
            "customer_target",
            ADMINS,
            obj="target",
            body=lambda world, refs: {"id": refs["pk"], "role": "EDITOR"},
        ),
        On(
            "owner_target",
            OWNER,
            obj="owner_target",
            body=lambda world, refs: {"id": refs["pk"], "role": "ADMIN"},
        ),
        On("to_owner", OWNER, obj="target", body=lambda world, refs: {"id": refs["pk"], "role": "OWNER"}),
    ),
    graphql(
        "Mutation.deactivateUser",
        MANAGE,
        "mutation($id: ID!) { deactivateUser(id: $id) { user { id isActive } } }",
        On("customer_target", ADMINS, obj="target", body=lambda world, refs: {"id": refs["pk"]}),
        On("owner_target", OWNER, obj="owner_target", body=lambda world, refs: {"id": refs["pk"]}),
    ),
    graphql(
        "Mutation.register",
        PUBLIC,
        "mutation($email: String!, $password: String!) "
        "{ register(email: $email, password: $password) { ok } }",
        On("new_address", EVERYONE, body=NEWCOMER),
        signs_in=True,
    ),
    graphql(
        "Mutation.login",
        PUBLIC,
        "mutation($email: String!, $password: String!) "
        "{ login(email: $email, password: $password) { expiresIn } }",
        On("member", EVERYONE, body=member),
        signs_in=True,
    ),
    graphql(
        "Mutation.refresh",
        PUBLIC,
        "mutation($refresh: String) { refresh(refreshToken: $refresh) { expiresIn } }",
        On("member", EVERYONE, body=refresh),
        signs_in=True,
    ),
    graphql(
        "Mutation.logout",
        PUBLIC,
        "mutation($refresh: String) { logout(refreshToken: $refresh) { ok } }",
        On("member", EVERYONE, body=refresh),
    ),
    graphql(
        "Mutation.passwordChange",
        PERSON,
        "mutation($current: String!, $new: String!) "
        "{ passwordChange(currentPassword: $current, newPassword: $new) { ok } }",
        On("self", EVERYONE, body={"current": PASSWORD, "new": NEW_PASSWORD}),
    ),
    graphql(
        "Mutation.passwordReset",
        PUBLIC,
        "mutation($email: String!) { passwordReset(email: $email) { ok } }",
        On("member", EVERYONE, body=lambda world, refs: {"email": world.users[Role.CUSTOMER].email}),
        signs_in=True,
    ),
    graphql(
        "Mutation.passwordResetConfirm",
        PUBLIC,
        "mutation($uid: String!, $token: String!, $new: String!) "
        "{ passwordResetConfirm(uid: $uid, token: $token, newPassword: $new) { ok } }",
        On(
            "member",
            EVERYONE,
            body=lambda world, refs: {**world.values["reset"], "new": NEW_PASSWORD},
        ),
        signs_in=True,
    ),
]
