"""GraphQL of the core module: the `site` field."""

import graphene

from apps.core.selectors import enabled_modules
from rustok.permissions import PUBLIC, declare


class SiteType(graphene.ObjectType):
    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    default_language = graphene.String(required=True)
    default_currency = graphene.String(required=True)
    modules = graphene.List(graphene.NonNull(graphene.String), required=True)

    @staticmethod
    def resolve_slug(tenant, info):
        return tenant.schema_name

    @staticmethod
    def resolve_modules(tenant, info):
        return sorted(enabled_modules(tenant))


class Query(graphene.ObjectType):
    site = graphene.Field(SiteType, required=True, description="The site served at this host.")

    @staticmethod
    @declare(PUBLIC)
    def resolve_site(root, info):
        return info.context.tenant
