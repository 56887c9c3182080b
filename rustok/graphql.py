"""The GraphQL schema, composed from each module's `schema.py` (`Query` and `Mutation` classes).

Every root field is owned by the module that declared it, and declares its access (PUBLIC,
SIGNED_IN or a permission name) with `@declare(...)` on its resolver or an `access` attribute on
its Mutation class; the schema refuses to build with a root field that declares nothing.
ModuleGateMiddleware answers a field of a disabled module with an error whose `extensions.code`
is MODULE_DISABLED, and a field the user may not use with NOT_AUTHENTICATED or
PERMISSION_DENIED; errors raised by services carry their stable code the same way. A query over
the size, depth, alias, field or cost limits is refused before it runs (rustok.graphql_limits),
and what GraphQL itself refuses (syntax, validation, variables, the request) is coded by
rustok.graphql_errors, so every error has an `extensions.code`. Requests are
authenticated and rate limited like REST requests (rustok.api.gateway). Resolvers run
synchronously, in the request's thread, so they keep the tenant's connection; relations are read
in batches by per-request loaders (rustok.dataloaders).
"""

from __future__ import annotations

import functools
import logging

import graphene
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from graphene.utils.str_converters import to_camel_case
from graphene_django.settings import graphene_settings
from graphene_django.views import GraphQLView, HttpError
from graphene_django_graphiql_static.views import GraphiQLOfflineView
from graphql import (
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLSyntaxError,
    OperationType,
    execute,
    get_operation_ast,
    specified_rules,
    validate,
)
from graphql.validation.rules.values_of_correct_type import ValuesOfCorrectTypeRule

from rustok.api import parsers
from rustok.api.gateway import authenticate_and_throttle
from rustok.database import unavailable
from rustok.dataloaders import ExecutionContext
from rustok.errors import DomainError, ModuleDisabled
from rustok.graphql_errors import (
    INVALID,
    PARSE_ERROR,
    NamedValuesOfCorrectTypeRule,
    coded_request_error,
    coded_syntax_error,
    coded_validation_errors,
    uncoded_extensions,
)
from rustok.graphql_limits import check_operation, check_variables, parse_within_limits
from rustok.modules import registry
from rustok.modules.gate import module_enabled_for
from rustok.permissions import access_error

log = logging.getLogger(__name__)

_ANSWERED_ERRORS = "_rustok_graphql_errors"  # on the request: its answer has errors

# (root type name, field name) -> module slug / declared access, filled when the schema is built.
FIELD_OWNERS: dict[tuple[str, str], str] = {}
FIELD_ACCESS: dict[tuple[str, str], str] = {}
# Sign-in style mutations (`signs_in = True` on the Mutation class: login, refresh, ...), which
# read no credentials, as their REST routes do not (see RustokGraphQLView.dispatch).
SIGN_IN_FIELDS: set[str] = set()


def _mutation_classes(base=graphene.Mutation):
    for sub in base.__subclasses__():
        yield sub
        yield from _mutation_classes(sub)


def _resolver_and_mutation(cls, attname: str, field) -> tuple:
    """A root field's resolver, and the Mutation class it belongs to (None for a query field)."""
    resolver = getattr(field, "resolver", None) or getattr(cls, f"resolve_{attname}", None)
    if resolver is None:
        return None, None
    owner = next((m for m in _mutation_classes() if getattr(m._meta, "resolver", None) is resolver), None)
    return resolver, owner


def _declared_access(cls, attname: str, field) -> str | None:
    """A root field's access: `@declare` on its resolver, or `access` on its Mutation class."""
    resolver, owner = _resolver_and_mutation(cls, attname, field)
    return getattr(resolver, "access", None) or getattr(owner, "access", None)


def build_schema() -> graphene.Schema:
    """Compose the root Query and Mutation types from every module's schema.py."""
    parts: dict[str, list[type]] = {"Query": [], "Mutation": []}
    for module in registry:
        schema_module = module.submodule("schema")
        if schema_module is None:
            continue
        for root in parts:
            cls = getattr(schema_module, root, None)
            if cls is None:
                continue
            parts[root].append(cls)
            for attname, field in cls._meta.fields.items():
                key = (root, field.name or to_camel_case(attname))
                access = _declared_access(cls, attname, field)
                if access is None:
                    raise ImproperlyConfigured(
                        f"GraphQL field {root}.{key[1]} of module '{module.slug}' declares no access: "
                        "use @declare(...) on its resolver or `access = ...` on its Mutation."
                    )
                FIELD_OWNERS[key] = module.slug
                FIELD_ACCESS[key] = access
                if getattr(_resolver_and_mutation(cls, attname, field)[1], "signs_in", False):
                    SIGN_IN_FIELDS.add(key[1])
    query = type("Query", (*parts["Query"], graphene.ObjectType), {})
    mutation = type("Mutation", (*parts["Mutation"], graphene.ObjectType), {}) if parts["Mutation"] else None
    return graphene.Schema(query=query, mutation=mutation, auto_camelcase=True)


def refusal_of(error: GraphQLError) -> DomainError | None:
    """The refusal an error stands for: a service's DomainError, or the database down or busy."""
    original = unavailable(error.original_error) or error.original_error
    return original if isinstance(original, DomainError) else None


def error_code(refusal: DomainError) -> dict:
    """Extensions for a refusal: its stable code (upper case), its details, and the messages of
    each wrong field under `fields` ({"slug_ru": ["..."]})."""
    fields = {"fields": refusal.errors} if refusal.errors else {}
    return {"code": refusal.code.upper(), **refusal.extra, **fields}


class Refused(HttpError):
    """A request refused before its query is read, with the `extensions` of its error."""

    def __init__(self, response, code: str, **members):
        super().__init__(response)
        self.extensions = {"code": code, **members}


def http_error_extensions(error: HttpError) -> dict:
    """Extensions for a request graphene-django or the view refused before reading its query:
    a method other than GET or POST is METHOD_NOT_ALLOWED, a body or `variables` that is not
    JSON (or not an object) PARSE_ERROR."""
    extensions = getattr(error, "extensions", None)
    if extensions:
        return extensions
    status = getattr(getattr(error, "response", None), "status_code", 400)
    return {"code": "METHOD_NOT_ALLOWED" if status == 405 else PARSE_ERROR}


class ModuleGateMiddleware:
    """Refuse root fields of disabled modules, and root fields the user may not use."""

    def resolve(self, next_, root, info, **kwargs):
        if info.path.prev is None:
            key = (info.parent_type.name, info.field_name)
            slug = FIELD_OWNERS.get(key)
            if slug and not module_enabled_for(info.context, slug):
                raise ModuleDisabled(slug)
            access = FIELD_ACCESS.get(key)
            if access is not None:
                error = access_error(info.context.user, access)
                if error is not None:
                    raise error
        return next_(root, info, **kwargs)


class RustokGraphQLView(GraphiQLOfflineView):
    """GraphQL over HTTP. Requests signed in by session cookie must pass the CSRF check.

    Browsers get GraphiQL when settings.GRAPHIQL is on (with DEBUG, by default), its assets from
    the platform's own static files (graphene-django-graphiql-static), so it works offline.
    Relations are read through the request's loaders (rustok.dataloaders.ExecutionContext).
    """

    execution_context_class = ExecutionContext

    def can_display_graphiql(self, request, data):
        return settings.GRAPHIQL and super().can_display_graphiql(request, data)

    @staticmethod
    def format_error(error):
        """The error as answered, always with an `extensions.code` (docs/api/errors.md)."""
        formatted = GraphQLView.format_error(error)
        if not isinstance(error, GraphQLError):
            return {**formatted, "extensions": http_error_extensions(error)}
        refusal = refusal_of(error)
        extensions = formatted.get("extensions", {})
        if refusal is not None:
            formatted["extensions"] = {**extensions, **error_code(refusal)}
            formatted["message"] = str(refusal)
        elif error.original_error is not None and not isinstance(error.original_error, GraphQLError):
            # A bug, not a refusal: log it, and show nothing of its internals.
            log.error("GraphQL resolver failed", exc_info=error.original_error)
            formatted["message"] = "Internal server error."
            formatted["extensions"] = {**extensions, "code": "INTERNAL"}
        elif "code" not in extensions:
            formatted["extensions"] = {**extensions, **uncoded_extensions(error)}
            if formatted["extensions"]["code"] == "INTERNAL":
                log.error("GraphQL answered an error without a code: %s", error.message)
                formatted["message"] = "Internal server error."
        return formatted

    def execute_graphql_request(self, request, data, query, variables, operation_name, show_graphiql=False):
        """Answer the query, noting on the request whether the answer has errors: one with errors
        is sent with `Cache-Control: no-store`, so that no cache keeps it (rustok.page_cache)."""
        result = self._execute(request, data, query, variables, operation_name, show_graphiql)
        if result is not None and result.errors:
            setattr(request, _ANSWERED_ERRORS, True)
        return result

    def _execute(self, request, data, query, variables, operation_name, show_graphiql=False):
        """Check the query against the limits (rustok.graphql_limits), then validate and run it.

        Parsing and validating a document cost more than answering a small query; both depend on
        the query text alone, so they are done once per process for each text (`prepared`).
        What depends on the request (the operation chosen, sizes given as variables, the
        variables' text) is checked every time. Mutations commit in their services' own
        transactions (no ATOMIC_MUTATIONS).
        """
        if not query:
            if show_graphiql:
                return None
            message = "Must provide query string."
            raise Refused(HttpResponseBadRequest(message), INVALID, field="query")
        try:
            document, validation_errors = prepared(query)
            check_operation(self.schema.graphql_schema, document, operation_name, variables)
            check_variables(variables)
        except GraphQLError as refusal:  # a limit, or a syntax error
            return ExecutionResult(errors=[refusal])
        operation = get_operation_ast(document, operation_name)
        if request.method == "GET" and operation is not None and operation.operation != OperationType.QUERY:
            if show_graphiql:
                return None
            message = f"Can only perform a {operation.operation.value} operation from a POST request."
            raise Refused(HttpResponseNotAllowed(["POST"], message), "METHOD_NOT_ALLOWED")
        if validation_errors:
            return ExecutionResult(data=None, errors=list(validation_errors))
        result = execute(
            self.schema.graphql_schema,
            document,
            root_value=self.get_root_value(request),
            context_value=self.get_context(request),
            variable_values=variables,
            operation_name=operation_name,
            middleware=self.get_middleware(request),
            execution_context_class=self.execution_context_class,
        )
        if result.data is None and result.errors and not any(error.path for error in result.errors):
            # Refused before any field ran: the operation to run, or the variables' values.
            errors = [coded_request_error(error, operation is not None) for error in result.errors]
            return ExecutionResult(data=None, errors=errors)
        return result

    def parse_body(self, request):
        """graphene-django's parsing, after refusing JSON nested deeper than JSON_MAX_DEPTH (400)."""
        if self.get_content_type(request) == "application/json":
            try:
                parsers.loads(request.body)
            except parsers.TooDeep as error:
                raise Refused(HttpResponseBadRequest(str(error)), PARSE_ERROR) from None
            except ValueError:
                pass  # not JSON: graphene-django answers that itself
        return super().parse_body(request)

    def signs_in_only(self, request) -> bool:
        """Whether the request is one mutation operation made only of sign-in style fields."""
        if request.method != "POST":
            return False
        try:
            query, _, operation_name, _ = self.get_graphql_params(request, self.parse_body(request))
            document, errors = prepared(query or "")
        except (HttpError, GraphQLError, ValueError, TypeError):
            return False
        operation = None if errors else get_operation_ast(document, operation_name)
        if operation is None or operation.operation != OperationType.MUTATION:
            return False
        fields = operation.selection_set.selections
        return all(isinstance(field, FieldNode) and field.name.value in SIGN_IN_FIELDS for field in fields)

    def dispatch(self, request, *args, **kwargs):
        """Authenticate and rate limit, check CSRF for session cookies, then answer.

        Credentials that are refused (expired, revoked, another site's) refuse the request with
        401, but for an operation made only of sign-in style mutations (login, register,
        refresh, the password reset): like their REST routes, those read no credentials, so a
        client whose token expired can still refresh it or sign in again.
        """
        refusal = authenticate_and_throttle(request)
        if refusal is not None and refusal.status_code == 401 and self.signs_in_only(request):
            refusal = authenticate_and_throttle(request, credentials=False)
        if refusal is not None:
            return refusal
        if request.method == "POST" and request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            check = CsrfViewMiddleware(lambda _request: None)
            check.process_request(request)
            refusal = check.process_view(request, None, (), {})
            if refusal is not None:
                return refusal
        response = super().dispatch(request, *args, **kwargs)
        for finish in getattr(request, "on_graphql_response", ()):
            finish(response)  # e.g. cookies set by a cookie-mode login mutation
        if request.method == "GET" and response.get("Content-Type", "").startswith("application/json"):
            # graphene-django sets the CSRF cookie for GraphiQL's page to post with; a query's
            # answer needs none (clients get it from /api/auth/csrf/), and without one it can be
            # shared by the page cache and CDNs.
            response.cookies.pop(settings.CSRF_COOKIE_NAME, None)
        if response.status_code != 200 or getattr(request, _ANSWERED_ERRORS, False):
            patch_cache_control(response, no_store=True)
        return response


VALIDATION_RULES = [
    NamedValuesOfCorrectTypeRule if rule is ValuesOfCorrectTypeRule else rule for rule in specified_rules
]

schema = build_schema()

# Queries up to this long have their parsed and validated document kept, PREPARED_QUERIES at most
# per process (least recently used first out): clients send the same few queries again and again.
PREPARED_QUERY_BYTES = 8192
PREPARED_QUERIES = 256


def prepare(query: str) -> tuple:
    """(document, validation errors) of `query`, each error with its code; LimitExceeded or a
    syntax error (PARSE_ERROR) if refused."""
    try:
        document = parse_within_limits(query)
    except GraphQLSyntaxError as error:
        raise coded_syntax_error(error) from None
    errors = validate(
        schema.graphql_schema,
        document,
        VALIDATION_RULES,
        max_errors=graphene_settings.MAX_VALIDATION_ERRORS,
    )
    return document, coded_validation_errors(document, errors)


_prepare_kept = functools.lru_cache(maxsize=PREPARED_QUERIES)(prepare)


def prepared(query: str) -> tuple:
    """`prepare(query)`, kept for short queries."""
    return _prepare_kept(query) if len(query) <= PREPARED_QUERY_BYTES else prepare(query)


def _forget_prepared(setting, **kwargs) -> None:
    if setting.startswith("GRAPHQL_") or setting == "JSON_MAX_DEPTH":
        _prepare_kept.cache_clear()  # documents were accepted under the former limits


setting_changed.connect(_forget_prepared)
graphql_view = csrf_exempt(RustokGraphQLView.as_view(graphiql=True, schema=schema))
