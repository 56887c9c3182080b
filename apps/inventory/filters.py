"""Filters of the inventory's lists (REST query parameters)."""

from __future__ import annotations

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from apps.inventory.models import Reason, StockLevel, StockMovement
from rustok.api.filters import DateTimeFilter, FilterSet, IdFilter


@extend_schema_field(OpenApiTypes.INT64)
class RowFilter(IdFilter):
    """The id of a variant or location (its type said for the OpenAPI document)."""


class StockLevelFilter(FilterSet):
    variant = RowFilter(field_name="variant_id", help_text="A variant's id.")
    location = RowFilter(field_name="location_id", help_text="A location's id.")
    low = django_filters.BooleanFilter(
        method="by_low", help_text="true: variants at or below their low-stock threshold."
    )

    class Meta:
        model = StockLevel
        fields = []

    def by_low(self, queryset, name, value):
        return (
            queryset.filter(variant__stock_alert__is_low=True)
            if value
            else queryset.exclude(variant__stock_alert__is_low=True)
        )


class MovementFilter(FilterSet):
    variant = RowFilter(field_name="variant_id", help_text="A variant's id.")
    location = RowFilter(field_name="location_id", help_text="A location's id.")
    reason = django_filters.MultipleChoiceFilter(choices=Reason.choices, help_text="One or more reasons.")
    created_after = DateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = StockMovement
        fields = []
