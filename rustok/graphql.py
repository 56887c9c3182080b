"""The GraphQL schema, composed from each module's `schema.py` (`Query` and `Mutation` classes).

Every root field is owned by the module that declared it. ModuleGateMiddleware answers a field of
a disabled module with an error whose `extensions.code` is MODULE_DISABLED; errors raised by
services carry their stable code the same way. Resolvers run synchronously, in the request's
thread, so they keep the tenant's connection.
"""

from __future__ import annotations

import logging

import graphene
from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt
from graphene.utils.str_converters import to_camel_case
from graphene_django.views import GraphQLView
from graphql import GraphQLError

from rustok.errors import DomainError, ModuleDisabled
from rustok.modules import registry
from rustok.modules.gate import module_enabled_for

log = logging.getLogger(__name__)

# (root type name, field name) -> module slug, filled when the schema is built.
FIELD_OWNERS: dict[tuple[str, str], str] = {}


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
                FIELD_OWNERS[(root, field.name or to_camel_case(attname))] = module.slug
    query = type("Query", (*parts["Query"], graphene.ObjectType), {})
    mutation = type("Mutation", (*parts["Mutation"], graphene.ObjectType), {}) if parts["Mutation"] else None
    return graphene.Schema(query=query, mutation=mutation, auto_camelcase=True)


def error_code(error: GraphQLError) -> dict:
    """Extensions for an error: a DomainError's stable code (upper case) and its details."""
    original = error.original_error
    if isinstance(original, DomainError):
        return {"code": original.code.upper(), **original.extra}
    return {}


class ModuleGateMiddleware:
    """Refuse root fields of modules that are disabled for the request's tenant."""

    def resolve(self, next_, root, info, **kwargs):
        if info.path.prev is None:
            slug = FIELD_OWNERS.get((info.parent_type.name, info.field_name))
            if slug and not module_enabled_for(info.context, slug):
                raise ModuleDisabled(slug)
        return next_(root, info, **kwargs)


class RustokGraphQLView(GraphQLView):
    """GraphQL over HTTP. Requests signed in by session cookie must pass the CSRF check."""

    @staticmethod
    def format_error(error):
        formatted = GraphQLView.format_error(error)
        if not isinstance(error, GraphQLError):
            return formatted
        extensions = error_code(error)
        if extensions:
            formatted["extensions"] = {**formatted.get("extensions", {}), **extensions}
            formatted["message"] = str(error.original_error)
        elif error.original_error is not None and not isinstance(error.original_error, GraphQLError):
            # A bug, not a refusal: log it, and show nothing of its internals.
            log.error("GraphQL resolver failed", exc_info=error.original_error)
            formatted["message"] = "Internal server error."
            formatted["extensions"] = {**formatted.get("extensions", {}), "code": "INTERNAL"}
        return formatted

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            check = CsrfViewMiddleware(lambda _request: None)
            check.process_request(request)
            refusal = check.process_view(request, None, (), {})
            if refusal is not None:
                return refusal
        return super().dispatch(request, *args, **kwargs)


schema = build_schema()
graphql_view = csrf_exempt(RustokGraphQLView.as_view(graphiql=settings.DEBUG, schema=schema))
