"""Filters shared by every list (REST query parameters, GraphQL arguments): date-times and ids
that PostgreSQL can compare, and a backend that builds a list's filters only when they are asked for.

Python takes time-zone offsets up to ±23:59, PostgreSQL only up to ±15:59: a filter such as
`updated_after=2024-01-01T00:00:00+22:06` reached the database and failed there (a 500). Here it
is a 400 naming the filter. Lists use `FilterSet` (or `DateTimeFilter` for a declared filter).
Ids are whole numbers within PostgreSQL's bigint (`IdFilter`): django-filter's NumberFilter gives
a Decimal, which a JSON lookup cannot send and a bigint column refuses past its range.

django-filter copies every filter of a FilterSet and builds a form class for each request, which
costs a list more than its serializer does. Most requests name no filter (`?limit=20`), and then
no filter changes the list: `FilterBackend` (REST's DEFAULT_FILTER_BACKENDS) hands the list back
as it is without building the FilterSet.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend

MAX_OFFSET = dt.timedelta(hours=15, minutes=59)
MAX_ID = 2**63 - 1  # PostgreSQL's bigint


class DateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time whose time-zone offset PostgreSQL accepts (at most ±15:59)."""

    default_error_messages = {"offset": "Give a time-zone offset between -15:59 and +15:59."}

    def to_python(self, value):
        value = super().to_python(value)
        offset = value.utcoffset() if value is not None else None
        if offset is not None and abs(offset) > MAX_OFFSET:
            raise ValidationError(self.error_messages["offset"], code="offset")
        return value


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    """django-filter's ISO 8601 filter with the offset PostgreSQL accepts."""

    field_class = DateTimeField


class IdField(forms.IntegerField):
    """The id of a row: a whole number from 1 to PostgreSQL's bigint maximum."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class IdFilter(django_filters.Filter):
    """A filter by the id of a related row (`?author=7`), given to the lookup as an int."""

    field_class = IdField


class FilterSet(django_filters.FilterSet):
    """The base of every list's filters: date-time fields get DateTimeFilter."""

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.DateTimeField: {"filter_class": DateTimeFilter},
    }


@lru_cache(maxsize=256)
def parameter_names(filterset_class) -> frozenset[str] | None:
    """The query parameters the filters of `filterset_class` read (each filter's name), or None
    when one reads parameters named otherwise (a range's `_min` and `_max`): then they cannot be
    told from the others, and the FilterSet is always built."""
    names = set()
    for name, each in filterset_class.base_filters.items():
        widget = each.extra.get("widget")
        several = isinstance(widget, forms.MultiWidget) or (
            isinstance(widget, type) and issubclass(widget, forms.MultiWidget)
        )
        if several or issubclass(each.field_class, forms.MultiValueField):
            return None
        names.add(name)
    return frozenset(names)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, which leaves the FilterSet unbuilt when the request names none of
    its parameters: a filter given no value returns the list unchanged, so the answer is the same
    (and nothing is invalid: no filter of ours is required)."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        names = parameter_names(filterset_class)
        if names is not None and names.isdisjoint(request.query_params.keys()):
            return queryset
        return super().filter_queryset(request, queryset, view)
