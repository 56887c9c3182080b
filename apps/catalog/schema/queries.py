"""GraphQL queries of the catalogue: products page by page, a product, and the catalogue's
structure (categories, collections, product types, attributes, the shop's currencies)."""

from __future__ import annotations

import graphene
from django.conf import settings
from django.db.models import Count, QuerySet, Window
from django.utils import timezone
from graphene import relay
from graphql_relay import cursor_to_offset, offset_to_cursor

from apps.catalog import selectors
from apps.catalog.models import Attribute as AttributeRow
from apps.catalog.models import Collection as CollectionRow
from apps.catalog.models import Product as ProductRow
from apps.catalog.models import ProductCategory as CategoryRow
from apps.catalog.models import ProductType as ProductTypeRow
from apps.catalog.schema import documents
from apps.catalog.schema.types import (
    DEFAULT_PAGE,
    Attribute,
    Collection,
    Product,
    ProductCategory,
    ProductConnection,
    ProductSort,
    ProductStatus,
    ProductType,
    ShopSettings,
    is_manager,
    value_of,
)
from apps.catalog.services import shop_settings
from rustok.errors import InvalidInput
from rustok.i18n import current_language, fallback_order
from rustok.permissions import PUBLIC, declare

MAX_PAGE = settings.GRAPHQL_MAX_PAGE_SIZE
BIGINT = 2**63 - 1


def pk_of(value) -> int | None:
    """`value` as a row id, None if it cannot be one."""
    text = str(value)
    if not (text.isascii() and text.isdecimal()) or int(text) > BIGINT:
        return None
    return int(text)


def id_argument(value, field: str) -> int | None:
    """An id argument of a filter; InvalidInput naming `field` if it cannot be an id."""
    if value is None:
        return None
    pk = pk_of(value)
    if pk is None:
        raise InvalidInput.for_field(field, f"'{str(value)[:40]}' is not an id.")
    return pk


def page(rows: QuerySet, connection, *, first: int | None, after: str | None, wrap=None):
    """One page of `rows` (ordered) by offset cursors, `first` capped at MAX_PAGE; the total is
    counted in the page's own query (a window), so a page is one query. `wrap` makes what the page
    shows of each row."""
    if first is not None and first < 0:
        raise InvalidInput.for_field("first", "Must be zero or more.")
    start = 0
    if after is not None:
        offset = cursor_to_offset(after)
        if offset is None or offset < 0:
            raise InvalidInput.for_field("after", "Not a cursor of this list.")
        start = offset + 1
    size = min(DEFAULT_PAGE if first is None else first, MAX_PAGE)
    items = list(rows.annotate(listed_total=Window(Count("*")))[start : start + size]) if size else []
    total = items[0].listed_total if items else (rows.count() if start or not size else 0)
    shown = [wrap(item) for item in items] if wrap else items
    edges = [connection.Edge(node=node, cursor=offset_to_cursor(start + i)) for i, node in enumerate(shown)]
    return connection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=start + len(items) < total,
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )


class AttributeFilter(graphene.InputObjectType):
    """Products with one of `values` of the attribute `slug` (theirs or a variant's): choice
    slugs, or true / false for yes-or-no attributes. The attribute must be filterable."""

    slug = graphene.String(required=True)
    values = graphene.List(graphene.NonNull(graphene.String), required=True)


def _attribute_filters(given) -> dict[str, list[str]]:
    """{slug: values}; InvalidInput naming `attributes.<n>.slug` for an attribute one cannot filter by."""
    if not given:
        return {}
    known = selectors.filterable_attributes(item["slug"] for item in given)
    found: dict[str, list[str]] = {}
    for number, item in enumerate(given):
        if item["slug"] not in known:
            raise InvalidInput.for_field(
                f"attributes.{number}.slug", f"No filterable attribute '{item['slug'][:60]}'."
            )
        if not item["values"]:
            raise InvalidInput.for_field(f"attributes.{number}.values", "Give at least one value.")
        found.setdefault(item["slug"], []).extend(item["values"])
    return found


def _filters(
    info, status, category, collection, product_type, price_min, price_max, in_stock, attributes, sort
):
    for field, value in (("priceMin", price_min), ("priceMax", price_max)):
        if value is not None and value < 0:
            raise InvalidInput.for_field(field, "Must be zero or more.")
    if price_min is not None and price_max is not None and price_min > price_max:
        raise InvalidInput.for_field("priceMin", "Must not be above priceMax.")
    return {
        "statuses": [value_of(s) for s in status] if status else None,
        "category": id_argument(category, "category"),
        "collection": id_argument(collection, "collection"),
        "product_type": product_type,
        "price_min": price_min,
        "price_max": price_max,
        "in_stock": in_stock,
        "attributes": _attribute_filters(attributes),
        "sort": value_of(sort) or "newest",
    }


class Query(graphene.ObjectType):
    """Reading the catalogue. The root fields are nullable: while the catalogue is off for the
    site each answers null with a MODULE_DISABLED error, and the others keep their data."""

    products = graphene.Field(
        ProductConnection,
        description="Products page by page: readers get the active ones, managers every one.",
        first=graphene.Int(description=f"At most {MAX_PAGE}; {DEFAULT_PAGE} when not given."),
        after=graphene.String(),
        category=graphene.ID(description="In this category or one under it."),
        collection=graphene.ID(),
        product_type=graphene.String(description="A product type's slug."),
        price_min=graphene.Int(description="Lowest price in the default currency, minor units, at least."),
        price_max=graphene.Int(description="Lowest price in the default currency, minor units, at most."),
        in_stock=graphene.Boolean(),
        attributes=graphene.List(graphene.NonNull(AttributeFilter), description="Every one applies."),
        sort=ProductSort(default_value="newest"),
        status=graphene.List(
            graphene.NonNull(ProductStatus), description="Managers; readers see active products only."
        ),
    )
    product = graphene.Field(Product, id=graphene.ID(required=True))
    product_by_slug = graphene.Field(
        Product,
        slug=graphene.String(required=True),
        description="The product whose slug this is in the shown language, else in a fallback language.",
    )
    product_categories = graphene.List(
        graphene.NonNull(ProductCategory), description="The top categories, their children under them."
    )
    collections = graphene.List(
        graphene.NonNull(Collection), description="Readers: those in their publication window."
    )
    product_types = graphene.List(graphene.NonNull(ProductType))
    attributes = graphene.List(graphene.NonNull(Attribute))
    shop_settings = graphene.Field(ShopSettings)

    @staticmethod
    @declare(PUBLIC)
    def resolve_products(
        root,
        info,
        first=None,
        after=None,
        status=None,
        category=None,
        collection=None,
        product_type=None,
        price_min=None,
        price_max=None,
        in_stock=None,
        attributes=None,
        sort=None,
    ):
        filters = _filters(
            info, status, category, collection, product_type, price_min, price_max, in_stock, attributes, sort
        )
        if is_manager(info):
            return page(selectors.filtered_products(**filters), ProductConnection, first=first, after=after)
        rows = selectors.filtered_documents(documents.documents(current_language()), **filters)
        return page(rows, ProductConnection, first=first, after=after, wrap=documents.ReadProduct)

    @staticmethod
    @declare(PUBLIC)
    def resolve_product(root, info, id):
        pk = pk_of(id)
        if pk is None:
            return None
        if is_manager(info):
            return ProductRow.objects.select_related("product_type").filter(pk=pk).first()
        return documents.by_id(pk, current_language())

    @staticmethod
    @declare(PUBLIC)
    def resolve_product_by_slug(root, info, slug):
        language = current_language()
        if not is_manager(info):
            return documents.by_slug(slug, language)
        for code in fallback_order(language):
            found = ProductRow.objects.select_related("product_type").filter(**{f"slug_{code}": slug}).first()
            if found is not None:
                return found
        return None

    @staticmethod
    @declare(PUBLIC)
    def resolve_product_categories(root, info):
        return CategoryRow.objects.filter(parent=None).order_by("position", "id")

    @staticmethod
    @declare(PUBLIC)
    def resolve_collections(root, info):
        found = CollectionRow.objects.order_by("name", "id")
        if is_manager(info):
            return found
        now = timezone.now()
        return [collection for collection in found if collection.is_shown(now)]

    @staticmethod
    @declare(PUBLIC)
    def resolve_product_types(root, info):
        return ProductTypeRow.objects.order_by("name", "id")

    @staticmethod
    @declare(PUBLIC)
    def resolve_attributes(root, info):
        return AttributeRow.objects.order_by("position", "id")

    @staticmethod
    @declare(PUBLIC)
    def resolve_shop_settings(root, info):
        return shop_settings()
