"""The access matrix: every REST route and GraphQL root field, as every kind of caller.

Routes and fields are read from the URL resolver and the GraphQL schema, so those of modules
added later join by themselves. For each one the test checks what its declared access promises:
anonymous callers get 401, signed-in users without the permission 403, users with it are let
through, and an admin of another tenant with a valid token of that tenant gets 401. No answer
ever contains the other tenant's data. An API token holding every permission of its admin is
refused (403 `api_token_not_allowed`) wherever the access is PERSON or a people-only permission,
and let through wherever its admin would be.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django_tenants.utils import schema_context
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
)

from apps.accounts import services
from apps.accounts.models import ApiToken, AuditEntry, Role, User
from apps.accounts.services.api_tokens import known_permissions
from rustok.api.access import declared_access
from rustok.graphql import FIELD_ACCESS, schema
from rustok.permissions import PEOPLE_ONLY, PERSON, PUBLIC, SIGNED_IN
from tests.accounts.factories import UserFactory, legacy_api_token
from tests.conftest import ALPHA_HOST, bearer
from tests.testapps.notes.models import Note

pytestmark = pytest.mark.django_db

SECRET = "beta-secret"  # in every row of the other tenant; must never appear in an answer
PERSONAS = ["anonymous", "customer", "editor", "admin", "foreign_admin"]
REFUSALS = {"not_authenticated", "permission_denied"}


@dataclass(frozen=True)
class Route:
    path: str
    method: str
    view: type
    action: str | None

    @property
    def name(self) -> str:
        return f"{self.method.upper()} /{self.path}"


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def api_routes() -> list[Route]:
    """Every (path pattern, method) under /api/v1/ and /api/auth/ that a DRF view answers."""
    routes = []
    for pattern, callback in _walk(get_resolver(settings.ROOT_URLCONF).url_patterns):
        pattern = re.sub(r"(?<!\[)\^", "", pattern).replace("$", "")  # anchors, not [^...]
        if not pattern.startswith(("api/v1/", "api/auth/")) or "format" in pattern:
            continue
        view = getattr(callback, "cls", None)
        assert view is not None, f"/{pattern} is not a DRF view: it cannot declare its access"
        actions = getattr(callback, "actions", None)
        if actions:
            pairs = list(actions.items())
        else:
            pairs = [(m, None) for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)]
        routes.extend(Route(pattern, method, view, action) for method, action in pairs)
    return routes


ROUTES = api_routes()


def access_of(route: Route) -> str | None:
    view = route.view()
    view.action = route.action
    return declared_access(view, route.method)


def test_the_matrix_sees_the_routes_of_every_module():
    names = {route.name for route in ROUTES}
    for expected in [
        "GET /api/v1/site/",
        "GET /api/v1/notes/",
        "POST /api/v1/users/",
        "POST /api/v1/users/(?P<pk>[^/.]+)/role/",
        "POST /api/v1/api-tokens/(?P<pk>[^/.]+)/revoke/",
        "GET /api/v1/audit-log/",
        "POST /api/auth/login/",
    ]:
        assert expected in names


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_every_route_declares_its_access(route):
    assert access_of(route) is not None, f"{route.name} declares no access"


@pytest.fixture
def world(tenant_a, tenant_b):
    """Users of every role in alpha, an object of each kind, and a beta admin with secrets."""
    with schema_context("beta"):
        foreign = UserFactory(email=f"admin-{SECRET}@beta.test", role=Role.ADMIN, display_name=SECRET)
        Note.objects.create(text=SECRET)
        foreign_token = bearer(tenant_b, foreign)
    with schema_context("alpha"):
        people = {
            role: UserFactory(email=f"{role}@alpha.test", role=role)
            for role in ("owner", "customer", "editor", "admin")
        }
        services.create_api_token(
            actor=people["admin"], name="ci", user=people["admin"], scopes=["notes.change_note"]
        )
        Note.objects.create(text="alpha note")
        services.record(AuditEntry.Action.LOGIN, actor=people["editor"])
        target = UserFactory(email="target@alpha.test")  # the newest user: what detail routes act on
        samples = {
            User: target.pk,
            Note: Note.objects.latest("pk").pk,
            ApiToken: ApiToken.objects.latest("pk").pk,
        }
        samples[AuditEntry] = AuditEntry.objects.latest("pk").pk
        headers = {role: bearer(tenant_a, people[role]) for role in ("customer", "editor", "admin")}
        # Every permission of the admin, people-only ones included (as no service would grant).
        granted = [name for name in known_permissions() if people["admin"].has_perm(name)]
        headers["admin_token"] = f"Token {legacy_api_token(people['admin'], granted)}"
    headers["foreign_admin"] = foreign_token
    return {"people": people, "headers": headers, "samples": samples}


def concrete_path(route: Route, samples) -> str:
    model = getattr(getattr(route.view, "queryset", None), "model", None)
    sample = samples.get(model, 1)
    return "/" + re.sub(r"\(\?P<\w+>[^)]*\)|<[\w:]+>", str(sample), route.path)


def call(persona: str, method: str, path: str, world, body=None):
    client = Client(HTTP_HOST=ALPHA_HOST, raise_request_exception=False)
    extra = {}
    if persona != "anonymous":
        extra["HTTP_AUTHORIZATION"] = world["headers"][persona]
    with transaction.atomic():  # every caller meets the same data
        response = client.generic(
            method.upper(), path, json.dumps(body or {}), content_type="application/json", **extra
        )
        transaction.set_rollback(True)
    return response


def may(persona: str, access: str, world) -> bool:
    if access == PUBLIC:
        return True
    if persona == "anonymous":
        return False
    if access in (SIGNED_IN, PERSON):
        return True
    with schema_context("alpha"):
        return User.objects.get(email=f"{persona}@alpha.test").has_perm(access)


def code_of(response) -> str | None:
    if response.get("Content-Type") == "application/problem+json":
        return response.json().get("code")
    return None


RELAXED = override_settings(
    REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}},  # no rate limits here
    AXES_ENABLED=False,
)


@RELAXED
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_rest_route_answers_each_caller_as_its_access_declares(route, world):
    access = access_of(route)
    path = concrete_path(route, world["samples"])
    for persona in PERSONAS:
        response = call(persona, route.method, path, world)
        assert SECRET.encode() not in response.content, (
            f"{route.name} as {persona} leaked the other tenant's data"
        )
        code = code_of(response)
        where = f"{route.name} as {persona}: {response.status_code} {code}"
        if persona == "foreign_admin":
            if route.view.authentication_classes:  # sign-in routes ignore credentials
                assert response.status_code == 401 and code == "authentication_failed", where
            continue
        if may(persona, access, world):
            assert code not in REFUSALS, where
        elif persona == "anonymous":
            assert response.status_code == 401 and code == "not_authenticated", where
        else:
            assert response.status_code == 403 and code == "permission_denied", where


def for_people_only(access: str) -> bool:
    return access == PERSON or access in PEOPLE_ONLY


@RELAXED
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_rest_route_answers_an_api_token_as_its_access_declares(route, world):
    access = access_of(route)
    response = call("admin_token", route.method, concrete_path(route, world["samples"]), world)
    code = code_of(response)
    where = f"{route.name} with an API token: {response.status_code} {code}"
    if for_people_only(access):
        assert response.status_code == 403 and code == "api_token_not_allowed", where
    elif may("admin", access, world):
        assert code not in REFUSALS | {"api_token_not_allowed"}, where


# --- GraphQL ------------------------------------------------------------------------------------


def _named(gql_type):
    while isinstance(gql_type, GraphQLNonNull | GraphQLList):
        gql_type = gql_type.of_type
    return gql_type


def _literal(gql_type) -> str:
    named = _named(gql_type)
    if isinstance(named, GraphQLEnumType):
        return next(iter(named.values))
    if isinstance(named, GraphQLScalarType):
        return {"Int": "1", "Float": "1.0", "Boolean": "true"}.get(named.name, '"1"')
    if isinstance(named, GraphQLInputObjectType):
        required = [
            f"{n}: {_literal(f.type)}" for n, f in named.fields.items() if isinstance(f.type, GraphQLNonNull)
        ]
        return "{" + ", ".join(required) + "}"
    raise AssertionError(f"no sample value for {named}")


def graphql_document(root: str, name: str) -> str:
    graphql_schema = schema.graphql_schema
    root_type = graphql_schema.query_type if root == "Query" else graphql_schema.mutation_type
    field = root_type.fields[name]
    args = ", ".join(
        f"{arg}: {_literal(a.type)}" for arg, a in field.args.items() if isinstance(a.type, GraphQLNonNull)
    )
    selection = " { __typename }" if isinstance(_named(field.type), GraphQLObjectType) else ""
    call_ = f"{name}({args})" if args else name
    return f"{'mutation ' if root == 'Mutation' else ''}{{ {call_}{selection} }}"


FIELDS = sorted(FIELD_ACCESS)


def test_the_graphql_matrix_sees_the_fields_of_every_module():
    assert {("Query", "site"), ("Query", "notes"), ("Query", "users"), ("Mutation", "setUserRole")} <= set(
        FIELDS
    )


@RELAXED
@pytest.mark.parametrize("field", FIELDS, ids=lambda field: ".".join(field))
def test_graphql_field_answers_each_caller_as_its_access_declares(field, world):
    access = FIELD_ACCESS[field]
    document = graphql_document(*field)
    for persona in PERSONAS:
        response = call(persona, "post", "/api/graphql/", world, {"query": document})
        assert SECRET.encode() not in response.content, f"{field} as {persona} leaked the other tenant's data"
        where = f"{field} as {persona}: {response.status_code} {response.content[:200]!r}"
        if persona == "foreign_admin":
            assert response.status_code == 401, where
            continue
        codes = {e.get("extensions", {}).get("code") for e in response.json().get("errors", [])}
        if may(persona, access, world):
            assert not codes & {"NOT_AUTHENTICATED", "PERMISSION_DENIED"}, where
        elif persona == "anonymous":
            assert "NOT_AUTHENTICATED" in codes, where
        else:
            assert "PERMISSION_DENIED" in codes, where


@RELAXED
@pytest.mark.parametrize("field", FIELDS, ids=lambda field: ".".join(field))
def test_graphql_field_answers_an_api_token_as_its_access_declares(field, world):
    access = FIELD_ACCESS[field]
    response = call("admin_token", "post", "/api/graphql/", world, {"query": graphql_document(*field)})
    codes = {e.get("extensions", {}).get("code") for e in response.json().get("errors", [])}
    where = f"{field} with an API token: {response.status_code} {response.content[:200]!r}"
    if for_people_only(access):
        assert "API_TOKEN_NOT_ALLOWED" in codes, where
    elif may("admin", access, world):
        assert not codes & {"NOT_AUTHENTICATED", "PERMISSION_DENIED", "API_TOKEN_NOT_ALLOWED"}, where
