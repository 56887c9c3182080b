"""Filters of REST's product lists (query parameters), applied as GraphQL's (field arguments).

`ProductFilter` checks the parameters of managers' lists and `ProductReadingFilter` the same
ones of readers'; the selectors GraphQL's `products` uses apply them, over the tables
(apps.catalog.selectors.filtered_products) or over the documents readers read
(selectors.filtered_documents), so that a reader and a manager asking
`?category=3&price_max=2000&ordering=price` get the same active products, as in GraphQL.
Prices are whole minor units of the shop's default currency; a product's price is its lowest.
Attribute filters, `attribute.<slug>=<value>` (repeatable), are read by `by_attributes`: values of
one attribute are alternatives, attributes all apply.
"""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from apps.catalog import selectors
from apps.catalog.models import Product, Status
from apps.index.models import Document
from rustok.api.filters import FilterSet, IdFilter
from rustok.errors import InvalidInput
from rustok.money import MAX_MINOR

ORDERINGS = (("newest", "newest"), ("price", "price"), ("-price", "-price"), ("name", "name"))
ATTRIBUTE_PREFIX = "attribute."
ATTRIBUTE_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,120}$")
MAX_ATTRIBUTE_VALUES = 20


class AmountField(forms.IntegerField):
    """An amount in minor units: a whole number from 0 to PostgreSQL's bigint maximum."""

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=MAX_MINOR, **kwargs)


@extend_schema_field(OpenApiTypes.INT64)
class AmountFilter(django_filters.Filter):
    field_class = AmountField


@extend_schema_field(OpenApiTypes.INT64)
class ByIdFilter(IdFilter):
    """An id read by a filter method (its type said for the OpenAPI document)."""


def attribute_filters(params) -> dict[str, list[str]]:
    """The `attribute.<slug>` parameters of a request: {slug: [values]}; 400 naming a malformed one."""
    found: dict[str, list[str]] = {}
    for name in params:
        if not name.startswith(ATTRIBUTE_PREFIX):
            continue
        slug = name.removeprefix(ATTRIBUTE_PREFIX)
        values = [v.strip() for v in params.getlist(name)] if hasattr(params, "getlist") else [params[name]]
        if not ATTRIBUTE_SLUG.match(slug):
            raise InvalidInput.for_field(name, "Name an attribute by its slug: attribute.<slug>=<value>.")
        if any(not v or "\x00" in v or len(v) > 120 for v in values) or len(values) > MAX_ATTRIBUTE_VALUES:
            raise InvalidInput.for_field(
                name, f"Give 1 to {MAX_ATTRIBUTE_VALUES} values of at most 120 characters."
            )
        found[slug] = values
    return found


def by_attributes(queryset: QuerySet, params, *, documents: bool) -> QuerySet:
    """`queryset` narrowed by the request's `attribute.<slug>` parameters, as the GraphQL lists
    narrow theirs (the same tests, apps.catalog.selectors)."""
    for slug, values in attribute_filters(params).items():
        if documents:
            queryset = queryset.filter(selectors.documents_with_attribute(slug, values))
        else:
            queryset = queryset.filter(selectors.attribute_filter(slug, values))
    return queryset


class ProductFilter(FilterSet):
    """Managers' product lists: every status, from the tables. The parameters are checked here
    and applied by the selector the GraphQL list uses (apps.catalog.selectors.filtered_products),
    so both interfaces filter and order alike."""

    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices, help_text="One or more statuses (readers see active products only)."
    )
    product_type = django_filters.CharFilter(help_text="A product type's slug.")
    category = ByIdFilter(help_text="A category's id: its products and its subcategories'.")
    collection = ByIdFilter(help_text="A collection's id.")
    price_min = AmountFilter(help_text="Lowest price at least this (minor units).")
    price_max = AmountFilter(help_text="Lowest price at most this (minor units).")
    in_stock = django_filters.BooleanFilter(help_text="true: can be bought now.")
    ordering = django_filters.ChoiceFilter(
        choices=ORDERINGS, help_text="newest (the default), price, -price or name."
    )

    class Meta:
        model = Product
        fields = []

    def chosen(self) -> dict:
        """The filters given, as the selectors name them."""
        data = self.form.cleaned_data
        return {
            "statuses": list(data.get("status") or []) or None,
            "category": data.get("category"),
            "collection": data.get("collection"),
            "product_type": data.get("product_type") or None,
            "price_min": data.get("price_min"),
            "price_max": data.get("price_max"),
            "in_stock": data.get("in_stock"),
            "sort": data.get("ordering") or "newest",
        }

    def filter_queryset(self, queryset):
        return selectors.filtered_products(found=queryset, **self.chosen())


class ProductReadingFilter(ProductFilter):
    """ProductFilter's parameters over readers' documents (active products in their language),
    applied by the selector of the GraphQL readers' list (selectors.filtered_documents)."""

    class Meta:
        model = Document
        fields = []

    def filter_queryset(self, queryset):
        return selectors.filtered_documents(queryset, **self.chosen())
