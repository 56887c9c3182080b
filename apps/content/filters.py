"""Filters of node lists, shared by REST (query parameters) and GraphQL (field arguments).

`NodeFilter` filters the nodes themselves (editors' lists); `ReadingFilter` takes the same
parameters over the documents readers' lists read (apps.content.readings), so a reader's
answer to `?category=news&ordering=-updated_at` is the one an editor would get for the published
nodes.
"""

from __future__ import annotations

import django_filters
from django.db.models import DateTimeField, F, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from apps.content import kinds
from apps.content.models import Node, Status
from apps.content.selectors import translated_in
from apps.index.models import Document
from rustok.api.filters import DateTimeFilter, FilterSet, IdFilter
from rustok.i18n import current_language, language_codes
from rustok.texts import column


def _id_or_slug(queryset, relation: str, value: str):
    """Filter by a related category or tag given as its id or its slug in any language."""
    if value.isdigit():
        return queryset.filter(**{f"{relation}__pk": int(value)})
    match = Q()
    for code in language_codes():
        match |= Q(**{f"{relation}__{column('slug', code)}": value})
    return queryset.filter(match)


class NodeFilter(FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, help_text="One or more statuses.")
    kind = django_filters.ChoiceFilter(
        choices=lambda: [(slug, slug) for slug in kinds.all_kinds()],
        help_text="page, post, ...: a registered kind; any other is a 400.",
    )
    category = django_filters.CharFilter(method="by_category", help_text="A category id or slug.")
    tag = django_filters.CharFilter(method="by_tag", help_text="A tag id or slug.")
    author = IdFilter(field_name="author_id", help_text="The author's user id.")
    parent = IdFilter(field_name="parent_id", help_text="Children of this node.")
    language = django_filters.ChoiceFilter(
        choices=[(code, code) for code in language_codes()],
        method="by_language",
        help_text="Only nodes translated into this language (not shown through a fallback).",
    )
    published_after = DateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = DateTimeFilter(field_name="published_at", lookup_expr="lt")
    updated_after = DateTimeFilter(field_name="updated_at", lookup_expr="gte")
    updated_before = DateTimeFilter(field_name="updated_at", lookup_expr="lt")
    q = django_filters.CharFilter(method="by_text", help_text="Title contains (active language).")
    ordering = django_filters.OrderingFilter(
        fields=("published_at", "created_at", "updated_at", "position", "id"),
        help_text="published_at, created_at, updated_at, position, id; prefix - for descending.",
    )

    class Meta:
        model = Node
        fields = ["status", "kind", "author", "parent"]

    def by_category(self, queryset, name, value):
        return _id_or_slug(queryset, "categories", value).distinct()

    def by_tag(self, queryset, name, value):
        return _id_or_slug(queryset, "tags", value).distinct()

    def by_language(self, queryset, name, value):
        return translated_in(queryset, value)

    def by_text(self, queryset, name, value):
        return queryset.filter(**{f"{column('title', current_language())}__icontains": value})


def _updated_at():
    return Cast(KT("data__updated_at"), DateTimeField())


class ReadingOrdering(django_filters.OrderingFilter):
    """NodeFilter's orderings, over the documents' columns and data."""

    COLUMNS = {
        "published_at": lambda: F("published_at"),
        "created_at": lambda: Cast(KT("data__created_at"), DateTimeField()),
        "updated_at": _updated_at,
        "position": lambda: F("data__position"),
        "id": lambda: F("data__id"),
    }

    def filter(self, qs, value):
        if not value:
            return qs
        order = []
        for name in value:
            expression = self.COLUMNS[name.lstrip("-")]()
            order.append(expression.desc() if name.startswith("-") else expression.asc())
        return qs.order_by(*order, F("data__id").desc())


class ReadingFilter(FilterSet):
    """NodeFilter's parameters over readers' documents (published nodes in the reader's language)."""

    # The same parameters as NodeFilter (whose help texts the API documents).
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, method="by_status")
    kind = django_filters.ChoiceFilter(
        choices=lambda: [(slug, slug) for slug in kinds.all_kinds()], field_name="type"
    )
    category = django_filters.CharFilter(method="by_category")
    tag = django_filters.CharFilter(method="by_tag")
    author = IdFilter(field_name="data__author_id")
    parent = IdFilter(method="by_parent")
    language = django_filters.ChoiceFilter(
        choices=[(code, code) for code in language_codes()], method="by_language"
    )
    published_after = DateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = DateTimeFilter(field_name="published_at", lookup_expr="lt")
    updated_after = DateTimeFilter(method="by_updated_after")
    updated_before = DateTimeFilter(method="by_updated_before")
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains")
    ordering = ReadingOrdering(fields=tuple(ReadingOrdering.COLUMNS))

    class Meta:
        model = Document
        fields = []

    def by_status(self, queryset, name, value):
        return queryset if Status.PUBLISHED in value else queryset.none()

    def by_category(self, queryset, name, value):
        return queryset.filter(keys__contains=[f"category:{value}"])

    def by_tag(self, queryset, name, value):
        return queryset.filter(keys__contains=[f"tag:{value}"])

    def by_parent(self, queryset, name, value):
        return queryset.filter(keys__contains=[f"parent:{value}"])

    def by_language(self, queryset, name, value):
        return queryset.filter(data__languages__contains=[value])

    def by_updated_after(self, queryset, name, value):
        return queryset.alias(updated=_updated_at()).filter(updated__gte=value)

    def by_updated_before(self, queryset, name, value):
        return queryset.alias(updated=_updated_at()).filter(updated__lt=value)
