"""The search API's parameters and answer."""

from django.conf import settings
from rest_framework import serializers

from apps.index.selectors import FACETS, MAX_KEY_LENGTH, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_LENGTH, SORTS


class CommaList(serializers.CharField):
    """A comma-separated list in one query parameter: `facets=category,tag`."""

    def to_internal_value(self, data):
        return [item.strip() for item in super().to_internal_value(data).split(",") if item.strip()]


class SearchParams(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_QUERY_LENGTH,
        help_text="Words to find (all must match).",
    )
    type = CommaList(required=False, help_text="Only documents of these types (comma-separated).")
    facets = CommaList(
        required=False,
        help_text=f"Facet counts to return: {', '.join(FACETS)}, or key:<group> (key:collection, "
        "key:attribute:size) for the documents' keys of a group.",
    )
    lang = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        help_text="Language to search in (default: the request's, else the site's).",
    )
    category = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Any of these categories (repeatable)."
    )
    tag = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="All of these tags (repeatable)."
    )
    availability = serializers.CharField(required=False, allow_blank=True)
    price_min = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    price_max = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    key = serializers.ListField(
        child=serializers.CharField(max_length=MAX_KEY_LENGTH),
        required=False,
        help_text="Documents with these keys (repeatable): alternatives within a group "
        "(key=attribute:size:m&key=attribute:size:l), every group applies.",
    )
    sort = serializers.ChoiceField(
        choices=SORTS,
        required=False,
        help_text="relevance (default with q), newest (default without), price, -price.",
    )
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=20)
    offset = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, default=0)


class HitSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.CharField()
    language = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    snippet = serializers.CharField(help_text="HTML-escaped text around the matches, which are in <mark>.")
    rank = serializers.FloatField()
    data = serializers.DictField()
    categories = serializers.ListField(child=serializers.CharField())
    tags = serializers.ListField(child=serializers.CharField())
    price = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    availability = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    count = serializers.IntegerField()
    label = serializers.CharField(help_text="What readers call the value; empty: the value itself.")


class SearchResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    language = serializers.CharField()
    results = HitSerializer(many=True)
    facets = serializers.DictField(child=FacetValueSerializer(many=True))
