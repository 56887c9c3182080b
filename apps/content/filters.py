"""Filters of node lists, shared by REST (query parameters) and GraphQL (field arguments)."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from apps.content import kinds
from apps.content.models import Node, Status
from apps.content.selectors import translated_in
from apps.content.texts import column
from rustok.api.filters import DateTimeFilter, FilterSet
from rustok.i18n import current_language, language_codes


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
    author = django_filters.NumberFilter(field_name="author_id", help_text="The author's user id.")
    parent = django_filters.NumberFilter(field_name="parent_id", help_text="Children of this node.")
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
