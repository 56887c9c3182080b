"""GraphQL of the index module: the `search` field."""

import graphene

from apps.index import selectors
from rustok.permissions import PUBLIC, declare


class SearchHitType(graphene.ObjectType):
    type = graphene.String(required=True)
    id = graphene.ID(required=True)
    language = graphene.String(required=True)
    title = graphene.String(required=True)
    url = graphene.String(required=True)
    snippet = graphene.String(required=True, description="HTML-escaped text; matches are in <mark>.")
    rank = graphene.Float(required=True)
    data = graphene.JSONString(required=True)
    categories = graphene.List(graphene.NonNull(graphene.String), required=True)
    tags = graphene.List(graphene.NonNull(graphene.String), required=True)
    price = graphene.Decimal()
    availability = graphene.String(required=True)
    published_at = graphene.DateTime()


class FacetValueType(graphene.ObjectType):
    value = graphene.String(required=True)
    count = graphene.Int(required=True)
    label = graphene.String(
        required=True, description="What readers call the value; empty: the value itself."
    )


class FacetType(graphene.ObjectType):
    name = graphene.String(required=True)
    values = graphene.List(graphene.NonNull(FacetValueType), required=True)


class SearchResultType(graphene.ObjectType):
    count = graphene.Int(required=True)
    language = graphene.String(required=True)
    results = graphene.List(graphene.NonNull(SearchHitType), required=True)
    facets = graphene.List(graphene.NonNull(FacetType), required=True)

    @staticmethod
    def resolve_facets(result, info):
        return [FacetType(name=name, values=values) for name, values in result.facets.items()]


class Query(graphene.ObjectType):
    search = graphene.Field(
        SearchResultType,
        required=True,
        description="Full-text search over the site's published documents, with facet counts.",
        q=graphene.String(default_value=""),
        type=graphene.List(graphene.NonNull(graphene.String)),
        facets=graphene.List(graphene.NonNull(graphene.String)),
        lang=graphene.String(),
        category=graphene.List(graphene.NonNull(graphene.String)),
        tag=graphene.List(graphene.NonNull(graphene.String)),
        availability=graphene.String(default_value=""),
        price_min=graphene.Decimal(),
        price_max=graphene.Decimal(),
        key=graphene.List(
            graphene.NonNull(graphene.String),
            description="Documents with these keys: alternatives within a group, every group applies.",
        ),
        sort=graphene.String(default_value="", description="relevance, newest, price or -price."),
        limit=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
    )

    @staticmethod
    @declare(PUBLIC)
    def resolve_search(root, info, q, limit, offset, availability, sort, **filters):
        return selectors.search(
            tenant=info.context.tenant,
            q=q,
            types=filters.get("type"),
            language=filters.get("lang"),
            facets=filters.get("facets"),
            categories=filters.get("category"),
            tags=filters.get("tag"),
            availability=availability,
            price_min=filters.get("price_min"),
            price_max=filters.get("price_max"),
            keys=filters.get("key"),
            sort=sort,
            limit=limit,
            offset=offset,
        )
