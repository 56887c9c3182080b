"""Filters of product lists, shared by REST (query parameters) and GraphQL (field arguments).

`ProductFilter` filters the tables (managers' lists); `ProductReadingFilter` takes the same
parameters over the documents readers read (apps.catalog.selectors.documents), so that a reader
and a manager asking `?category=3&price_max=2000&ordering=price` get the same active products.
Prices are whole minor units of the shop's default currency; a product's price is its lowest.
Attribute filters, `attribute.<slug>=<value>` (repeatable), are read by `by_attributes`: values of
one attribute are alternatives, attributes all apply.
"""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.db.models import Exists, F, Min, OuterRef, Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from apps.catalog import selectors
from apps.catalog.models import AttributeValue, Price, Product, Status
from apps.catalog.services.shop import shop_settings
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


def _matches(prefix: str, slug: str, value: str) -> Q:
    """Attribute values (under `prefix`) of attribute `slug` that are `value`: a choice's slug,
    or true/false of a yes-or-no attribute."""
    match = Q(**{f"{prefix}choices__slug": value})
    if value in ("true", "false"):
        match |= Q(**{f"{prefix}boolean": value == "true"})
    return Q(**{f"{prefix}attribute__slug": slug}) & match


def by_attributes(queryset: QuerySet, params, *, documents: bool) -> QuerySet:
    """`queryset` narrowed by the request's `attribute.<slug>` parameters."""
    for slug, values in attribute_filters(params).items():
        if documents:
            queryset = queryset.filter(keys__overlap=[f"attribute:{slug}:{v}" for v in values])
            continue
        match = Q()
        for value in values:
            match |= _matches("", slug, value)
        own = AttributeValue.objects.filter(match, product=OuterRef("pk"))
        of_variant = AttributeValue.objects.filter(match, variant__product=OuterRef("pk"))
        queryset = queryset.filter(Exists(own) | Exists(of_variant))
    return queryset


class ProductFilter(FilterSet):
    """Managers' product lists: every status, from the tables."""

    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices, help_text="One or more statuses (readers see active products only)."
    )
    product_type = django_filters.CharFilter(
        field_name="product_type__slug", help_text="A product type's slug."
    )
    category = ByIdFilter(
        method="by_category", help_text="A category's id: its products and its subcategories'."
    )
    collection = IdFilter(field_name="collection_entries__collection_id", help_text="A collection's id.")
    price_min = AmountFilter(method="by_price_min", help_text="Lowest price at least this (minor units).")
    price_max = AmountFilter(method="by_price_max", help_text="Lowest price at most this (minor units).")
    in_stock = django_filters.BooleanFilter(method="by_stock", help_text="true: can be bought now.")
    ordering = django_filters.ChoiceFilter(
        choices=ORDERINGS, method="by_ordering", help_text="newest (the default), price, -price or name."
    )

    class Meta:
        model = Product
        fields = []

    def by_category(self, queryset, name, value):
        within = Product.objects.filter(categories__in=selectors.with_descendants(value))
        return queryset.filter(pk__in=within.values("pk"))

    def _priced(self, queryset):
        currency = shop_settings().default_currency
        lowest = Price.objects.filter(variant__product=OuterRef("pk"), currency=currency)
        return queryset.alias(
            lowest=lowest.order_by().values("variant__product").annotate(low=Min("amount")).values("low")
        )

    def by_price_min(self, queryset, name, value):
        return self._priced(queryset).filter(lowest__gte=value)

    def by_price_max(self, queryset, name, value):
        return self._priced(queryset).filter(lowest__lte=value)

    def by_stock(self, queryset, name, value):
        return queryset.filter(selectors.stock_filter(value))

    def by_ordering(self, queryset, name, value):
        if value in ("price", "-price"):
            queryset = self._priced(queryset)
            lowest = (
                F("lowest").asc(nulls_last=True) if value == "price" else F("lowest").desc(nulls_last=True)
            )
            return queryset.order_by(lowest, "-id")
        if value == "name":
            return queryset.order_by("name", "id")
        return queryset.order_by("-created_at", "-id")


class ProductReadingFilter(FilterSet):
    """ProductFilter's parameters over readers' documents (active products in their language)."""

    status = django_filters.MultipleChoiceFilter(choices=Status.choices, method="by_status")
    product_type = django_filters.CharFilter(method="by_type")
    category = IdFilter(method="by_category")
    collection = IdFilter(method="by_collection")
    price_min = AmountFilter(field_name="data__price__min", lookup_expr="gte")
    price_max = AmountFilter(field_name="data__price__min", lookup_expr="lte")
    in_stock = django_filters.BooleanFilter(method="by_stock")
    ordering = django_filters.ChoiceFilter(choices=ORDERINGS, method="by_ordering")

    class Meta:
        model = Document
        fields = []

    def by_status(self, queryset, name, value):
        return queryset if Status.ACTIVE in value else queryset.none()

    def by_type(self, queryset, name, value):
        return queryset.filter(keys__contains=[f"type:{value}"])

    def by_category(self, queryset, name, value):
        return queryset.filter(keys__contains=[f"category:{value}"])

    def by_collection(self, queryset, name, value):
        return queryset.filter(keys__contains=[f"collection:{value}"])

    def by_stock(self, queryset, name, value):
        return queryset.filter(availability="in_stock" if value else "out_of_stock")

    def by_ordering(self, queryset, name, value):
        if value == "price":
            return queryset.order_by(F("price").asc(nulls_last=True), "-id")
        if value == "-price":
            return queryset.order_by(F("price").desc(nulls_last=True), "-id")
        if value == "name":
            return queryset.order_by("title", "id")
        return queryset
