"""The access matrix: every REST route and GraphQL root field, called on real objects by every
kind of caller, answers as its declared access and the rules promise.

Each module's `tests/<module>/access.py` lists an entry per route or root field the module owns
(`ENTRIES`) and builds the objects they are called on (`build(world)`, with the module's
factories). An entry names the access it declares (checked against the code) and its variants:
the object it acts on (the editor's own draft, someone else's draft, an owner as the target, ...),
a body or variables with which an allowed call really succeeds, and the roles allowed on that
object. Every (entry, variant, persona) is a case of its own, named like
`PATCH/api/v1/content/nodes/:pk/-others_draft-editor`, and expects:

- from an allowed caller, a 2xx answer (GraphQL: the field's data and no error);
- from a refused one, exactly the refusal the access layer gives, in the order it checks:
  the credentials (401 `authentication_failed`), a sign-in (401 `not_authenticated`), a token
  on what is for people only (403 `api_token_not_allowed`), the declared permission (403
  `permission_denied`), whether the caller may see the object at all (404 `not_found`, GraphQL
  NOT_FOUND or null), then the rule on the object (403 `permission_denied`); and a refused
  write publishes no event;
- never an answer that holds the other tenant's data.

Personas: anonymous; a user of each role of `Role`; an admin of another tenant with a valid token
of that tenant (`foreign`); an API token of the admin holding one scope, the one the case needs
(`token`), or one no entry needs (`stray_token`); the admin's access JWT past its expiry
(`expired_jwt`) and an API token past its `expires_at` (`expired_token`).

The world (personas and objects) is built once per test process, in a transaction rolled back at
the end; each case runs in a savepoint of its own, rolled back after it, so every case meets the
objects exactly as built and passes alone or in any order.
"""

from __future__ import annotations

import functools
import importlib
import json
import pkgutil
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_tenants.utils import schema_context
from rest_framework_simplejwt.tokens import AccessToken

import tests
from apps.accounts.models import Role
from apps.core.models import Tenant
from apps.events.models import OutboxEvent
from rustok.api.access import declared_access
from rustok.graphql import FIELD_ACCESS
from rustok.permissions import PEOPLE_ONLY, PERSON, PUBLIC, SIGNED_IN
from tests.conftest import ALPHA_HOST, bearer, deliver

SECRET = "beta-secret"  # in every row of the other tenant; must never appear in an answer

ROLES: tuple[str, ...] = tuple(Role.values)
EVERYONE = frozenset(ROLES)
OWNER = frozenset({Role.OWNER.value})
ADMINS = frozenset({Role.OWNER.value, Role.ADMIN.value})
WRITERS = ADMINS | {Role.EDITOR.value}

TOKEN_USER = Role.ADMIN.value  # whom the API tokens act as
STRAY_SCOPE = "events.view_events"  # a scope no entry needs: what a token meant for something else holds
CREDENTIAL_FAILURES = ("foreign", "expired_jwt", "expired_token")
PERSONAS = ("anonymous", *ROLES, "token", "stray_token", *CREDENTIAL_FAILURES)

MINUTE = timedelta(minutes=1)
OK = "ok"
NULL = "null"  # a GraphQL query field that answers null, without an error, for what one may not see
STATUS = {
    "authentication_failed": 401,
    "not_authenticated": 401,
    "api_token_not_allowed": 403,
    "permission_denied": 403,
    "not_found": 404,
}


# --- what the matrix says ----------------------------------------------------------------------


@dataclass(frozen=True)
class Hidden:
    """The object is visible only to `roles` and to tokens holding `scope`; to everyone else it
    does not exist: `answer` is what they get (404 `not_found`, or NULL from a query field)."""

    roles: frozenset[str]
    scope: str
    answer: str = "not_found"


@dataclass(frozen=True)
class On:
    """A variant of an entry: the object it acts on and who may act on that object.

    `body` is the JSON body (REST) or the variables (GraphQL): a dict, or `body(world, refs)`
    where `refs` are the object's values ({"pk": ..., and what its builder added}). `scope` is the
    permission the call needs beyond the declared access (a workflow step of a SIGNED_IN field).
    """

    name: str
    allowed: frozenset[str]
    obj: str | None = None
    body: Any = None
    scope: str | None = None
    hidden: Hidden | None = None


@dataclass(frozen=True)
class Entry:
    """A REST route (`key` "METHOD /path/{pk}/") or a GraphQL root field ("Query.name").

    `access` is what the route or field declares; `gate` the roles that pass it (by default every
    role for PUBLIC, SIGNED_IN and PERSON, else those allowed on some variant). `signs_in`: a
    sign-in style entry (login, refresh, ...) reads no credentials, so a caller with wrong or
    expired ones is answered as anyone else, and can sign in again. REST only:
    `query` (formatted with the refs), `multipart` bodies, and `status`, the answer of an allowed
    call when it is not a 2xx. GraphQL only: `document`, a query or mutation taking `body` as its
    variables.
    """

    key: str
    access: str
    variants: tuple[On, ...]
    gate: frozenset[str] | None = None
    query: str = ""
    multipart: bool = False
    status: int | None = None
    document: str = ""
    signs_in: bool = False

    @property
    def graphql(self) -> bool:
        return self.key.startswith(("Query.", "Mutation."))

    @property
    def method(self) -> str:
        return "POST" if self.graphql else self.key.split(" ", 1)[0]

    @property
    def path(self) -> str:
        return "/api/graphql/" if self.graphql else self.key.split(" ", 1)[1]

    @property
    def field_name(self) -> str:
        return self.key.split(".", 1)[1]

    @property
    def passing_gate(self) -> frozenset[str]:
        if self.gate is not None:
            return self.gate
        if self.access in (PUBLIC, SIGNED_IN, PERSON):
            return EVERYONE
        return frozenset().union(*(variant.allowed for variant in self.variants))


def rest(key: str, access: str, *variants: On, **options) -> Entry:
    return Entry(key, access, variants, **options)


def graphql(key: str, access: str, document: str, *variants: On, **options) -> Entry:
    return Entry(key, access, variants, document=document, **options)


def is_permission(access: str) -> bool:
    return access not in (PUBLIC, SIGNED_IN, PERSON)


def for_people_only(access: str) -> bool:
    return access == PERSON or access in PEOPLE_ONLY


def token_scope(entry: Entry, variant: On) -> str | None:
    """The one scope of the `token` persona: what the case needs (None: nothing beyond a sign-in)."""
    if variant.scope:
        return variant.scope
    if is_permission(entry.access):
        return entry.access
    return variant.hidden.scope if variant.hidden else None


def judge(entry: Entry, variant: On, persona: str) -> tuple[str, bool]:
    """(OK or the refusal `persona` gets, whether the object decided it), by the order in which
    the access layer checks: credentials, sign-in, people-only, the declared permission (all
    before the object is looked at), then visibility and the rule on the object."""
    access, hidden = entry.access, variant.hidden
    if entry.signs_in or persona == "anonymous" or persona in CREDENTIAL_FAILURES:
        if persona in CREDENTIAL_FAILURES and not entry.signs_in:
            return "authentication_failed", False
        if access != PUBLIC:
            return "not_authenticated", False
        return (hidden.answer, True) if hidden else (OK, True)
    if persona in ("token", "stray_token"):
        scope = token_scope(entry, variant) if persona == "token" else STRAY_SCOPE
        if for_people_only(access):
            return "api_token_not_allowed", False
        if is_permission(access) and scope != access:
            return "permission_denied", False
        if hidden and scope != hidden.scope:
            return hidden.answer, True
        if variant.scope and scope != variant.scope:
            return "permission_denied", True
        return OK if TOKEN_USER in variant.allowed else "permission_denied", True
    if persona not in entry.passing_gate:
        return "permission_denied", False
    if hidden and persona not in hidden.roles:
        return hidden.answer, True
    return OK if persona in variant.allowed else "permission_denied", True


def expected(entry: Entry, variant: On, persona: str) -> str:
    """OK, or the refusal `persona` gets (see `judge`)."""
    return judge(entry, variant, persona)[0]


@dataclass(frozen=True)
class Case:
    entry: Entry
    variant: On
    persona: str

    @property
    def expected(self) -> str:
        return expected(self.entry, self.variant, self.persona)

    def __str__(self) -> str:
        key = self.entry.key.replace(" ", "")
        key = re.sub(r"\{(\w+)\}", r":\1", key)
        return f"{key}-{self.variant.name}-{self.persona}"


def cases(entries: list[Entry]) -> list[Case]:
    """Every (entry, variant, persona). A refusal decided before the object is looked at (the
    credentials, a sign-in, the declared permission) is asked on the first variant only; the
    `token` persona only where it holds a scope the `stray_token` does not."""
    found = []
    for entry in entries:
        for index, variant in enumerate(entry.variants):
            for persona in PERSONAS:
                if persona == "token" and token_scope(entry, variant) is None:
                    continue
                if index and not judge(entry, variant, persona)[1]:
                    continue
                found.append(Case(entry, variant, persona))
    return found


# --- the routes and fields of the code ---------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str
    view: type
    action: str | None

    @property
    def method(self) -> str:
        return self.key.split(" ", 1)[0]


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def readable(pattern: str) -> str:
    """`api/v1/users/(?P<pk>[^/.]+)/role/` as `/api/v1/users/{pk}/role/`."""
    pattern = re.sub(r"(?<!\[)\^", "", pattern).replace("$", "")  # anchors, not [^...]
    pattern = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern)


def api_routes() -> dict[str, Route]:
    """Every "METHOD /path/" under /api/v1/ and /api/auth/ that a DRF view answers."""
    routes = {}
    for pattern, callback in _walk(get_resolver(settings.ROOT_URLCONF).url_patterns):
        path = readable(pattern)
        if not path.startswith(("/api/v1/", "/api/auth/")) or "format" in path:
            continue
        view = getattr(callback, "cls", None)
        assert view is not None, f"{path} is not a DRF view: it cannot declare its access"
        actions = getattr(callback, "actions", None)
        if actions:
            pairs = list(actions.items())
        else:
            pairs = [(m, None) for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)]
        for method, action in pairs:
            key = f"{method.upper()} {path}"
            routes[key] = Route(key, view, action)
    return routes


ROUTES = api_routes()


def access_of(route: Route) -> str | None:
    """What the route's view declares for its action and method."""
    view = route.view()
    view.action = route.action
    return declared_access(view, route.method.lower())


def graphql_fields() -> dict[str, str]:
    """Every root field ("Query.name", "Mutation.name") and the access it declares."""
    return {f"{root}.{name}": access for (root, name), access in FIELD_ACCESS.items()}


# A module may keep its GraphQL entries apart from its REST ones, in `access_graphql.py`.
MATRIX_FILES = ("access", "access_graphql")


def matrix_modules() -> list:
    """Every `tests/<module>/access.py` and `access_graphql.py`: the matrix entries and objects
    of each module."""
    found = []
    for info in pkgutil.iter_modules(tests.__path__):
        if not info.ispkg:
            continue
        for name in MATRIX_FILES:
            try:
                found.append(importlib.import_module(f"tests.{info.name}.{name}"))
            except ModuleNotFoundError as error:
                if error.name != f"tests.{info.name}.{name}":
                    raise
    return found


def all_entries() -> list[Entry]:
    return [entry for module in matrix_modules() for entry in module.ENTRIES]


def missing_entries(entries: list[Entry], routes: dict[str, Route], fields: dict[str, str]) -> list[str]:
    """A line for each route or root field that no entry covers, naming it and its module."""
    covered = {entry.key for entry in entries}
    lines = [
        f"{key} ({route.view.__module__}.{route.view.__name__}) has no entry in the access matrix: "
        "add one to its module's tests/<module>/access.py"
        for key, route in routes.items()
        if key not in covered
    ]
    lines += [
        f"GraphQL field {key} has no entry in the access matrix: add one to its module's "
        "tests/<module>/access.py"
        for key in fields
        if key not in covered
    ]
    return lines


# --- the world ---------------------------------------------------------------------------------


@dataclass
class World:
    """The personas and objects every case meets: alpha's, and the other tenant's admin."""

    tenant: Tenant
    users: dict[str, Any] = field(default_factory=dict)
    authorization: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # scope -> "Token ..." of the admin
    objects: dict[str, Any] = field(default_factory=dict)
    refs: dict[str, dict] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    def add(self, name: str, obj, **refs) -> None:
        """Keep `obj` as `name`; its pk and `refs` fill the placeholders of paths and bodies."""
        self.objects[name] = obj
        self.refs[name] = {"pk": obj.pk, **refs}

    def header(self, case: Case) -> str | None:
        """The `Authorization` value the case's persona sends (None: anonymous)."""
        if case.persona == "anonymous":
            return None
        if case.persona == "token":
            return self.tokens[token_scope(case.entry, case.variant)]
        if case.persona == "stray_token":
            return self.tokens[STRAY_SCOPE]
        return self.authorization[case.persona]


def expired_access(raw: str) -> str:
    """`raw` (an access JWT) signed again with its expiry a minute ago."""
    token = AccessToken(raw)
    token.set_exp(lifetime=-MINUTE)
    return str(token)


def build_world(entries: list[Entry]) -> World:
    """Personas of both tenants, then each module's objects (its `build`), with the documents
    their events make."""
    from apps.accounts import services
    from tests.accounts.factories import UserFactory, api_token_row

    alpha = Tenant.objects.get(schema_name="alpha")
    world = World(tenant=alpha)
    with schema_context("beta"):
        foreign = UserFactory(email=f"admin-{SECRET}@beta.test", role=Role.ADMIN, display_name=SECRET)
        world.authorization["foreign"] = bearer(Tenant.objects.get(schema_name="beta"), foreign)
    with schema_context("alpha"):
        for role in ROLES:
            world.users[role] = user = UserFactory(email=f"{role}@alpha.test", role=role)
            world.authorization[role] = bearer(alpha, user)
        admin = world.users[TOKEN_USER]
        scheme, raw = world.authorization[TOKEN_USER].split()
        world.authorization["expired_jwt"] = f"{scheme} {expired_access(raw)}"
        scopes = {token_scope(e, v) for e in entries for v in e.variants} - {None} | {STRAY_SCOPE}
        for scope in sorted(scopes):
            if scope in PEOPLE_ONLY:  # never granted by the service: a row as an older release wrote it
                secret = api_token_row(admin, [scope], name=f"only {scope}")
            else:
                _, secret = services.create_api_token(
                    actor=admin, name=f"only {scope}", user=admin, scopes=[scope]
                )
            world.tokens[scope] = f"Token {secret}"
        expired = api_token_row(admin, sorted(scopes), name="expired", expires_at=timezone.now() - MINUTE)
        world.authorization["expired_token"] = f"Token {expired}"
    for module in matrix_modules():
        with schema_context("beta"):
            getattr(module, "build_foreign", lambda: None)()
        with schema_context("alpha"):
            getattr(module, "build", lambda world: None)(world)
    for schema in ("beta", "alpha"):
        deliver(schema)  # the events reach their handlers: readers read the documents they keep
    return world


def world_fixture(entries: list[Entry]):
    """A module-scoped fixture: the world, built once in a transaction rolled back afterwards."""

    @pytest.fixture(scope="module")
    def world(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                built = build_world(entries)
            except BaseException:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                raise
        yield built
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)

    return world


# --- one case ----------------------------------------------------------------------------------


def _body(variant: On, world: World, refs: dict):
    return variant.body(world, refs) if callable(variant.body) else variant.body


def _last_event() -> int:
    with schema_context("alpha"):
        return OutboxEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _events_since(last: int) -> list[str]:
    with schema_context("alpha"):
        return list(OutboxEvent.objects.filter(id__gt=last).values_list("type", flat=True))


@functools.cache
def _client(raise_request_exception: bool) -> Client:
    """A client of alpha's host, kept for every case (its middleware is loaded once)."""
    return Client(HTTP_HOST=ALPHA_HOST, raise_request_exception=raise_request_exception)


def call(case: Case, world: World):
    """Send the case's request as its persona; returns the response."""
    entry, variant = case.entry, case.variant
    refs = world.refs.get(variant.obj, {})
    extra = {}
    authorization = world.header(case)
    if authorization:
        extra["HTTP_AUTHORIZATION"] = authorization
    client = _client((entry.status or 200) < 500)
    body = _body(variant, world, refs)
    client.cookies.clear()  # nothing carried over from another case
    if entry.graphql:
        data = json.dumps({"query": entry.document, "variables": body or {}})
        return client.post(entry.path, data, content_type="application/json", **extra)
    path = entry.path.format(**refs) + (f"?{entry.query.format(**refs)}" if entry.query else "")
    if entry.method == "GET":
        return client.get(path, **extra)
    if entry.multipart:
        data, content_type = encode_multipart(BOUNDARY, body or {}), MULTIPART_CONTENT
    else:
        data, content_type = ("" if body is None else json.dumps(body)), "application/json"
    return client.generic(entry.method, path, data, content_type=content_type, **extra)


def _problem_code(response) -> str | None:
    if response.get("Content-Type") == "application/problem+json":
        return response.json().get("code")
    return None


def check(case: Case, world: World) -> None:
    """Make the case's call and assert its answer is the expected one."""
    entry, want = case.entry, case.expected
    writes = entry.key.startswith("Mutation.") if entry.graphql else entry.method != "GET"
    last = _last_event() if writes and want != OK else None
    response = call(case, world)
    where = f"{case} expected {want}, got {response.status_code}: {response.content[:300]!r}"
    assert SECRET.encode() not in response.content, f"{case} leaked the other tenant's data"
    if entry.graphql:
        _check_graphql(entry, want, response, where)
    elif want == OK:
        if entry.status is not None:
            assert response.status_code == entry.status, where
        else:
            assert 200 <= response.status_code < 300, where
    else:
        assert (response.status_code, _problem_code(response)) == (STATUS[want], want), where
    if last is not None:
        assert not _events_since(last), f"{case} was refused but published {_events_since(last)}"


def _check_graphql(entry: Entry, want: str, response, where: str) -> None:
    if want == "authentication_failed":
        assert (response.status_code, _problem_code(response)) == (401, want), where
        return
    assert response.status_code == 200, where
    body = response.json()
    errors = body.get("errors") or []
    value = (body.get("data") or {}).get(entry.field_name)
    if want == OK:
        assert not errors and value is not None, where
    elif want == NULL:
        assert not errors and value is None, where
    else:
        codes = [error.get("extensions", {}).get("code") for error in errors]
        assert codes == [want.upper()] and value is None, where
