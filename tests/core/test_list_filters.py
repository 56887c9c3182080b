"""The filters of REST lists (rustok.api.filters.FilterBackend): built only when a request names
one, with the same answers either way."""

from __future__ import annotations

from unittest import mock

import django_filters
import pytest
from django_tenants.utils import schema_context

from apps.content.filters import ReadingFilter
from apps.core.models import Tenant
from rustok.api.filters import parameter_names
from tests.content.factories import make_category, make_node

pytestmark = pytest.mark.django_db

NODES = "/api/v1/content/nodes/"


@pytest.fixture
def nodes(tenant_a):
    with schema_context("alpha"):
        news = make_category(name="News")
        make_node(title="Filed", status="published", categories=[news])
        make_node(title="Loose", status="published")


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(node["title"] for node in response.json()["results"])


def built(client, path: str, **params):
    """The answer to GET `path` and whether a list's filters were built for it."""
    with mock.patch.object(
        ReadingFilter, "__init__", autospec=True, side_effect=ReadingFilter.__init__
    ) as spy:
        response = client.get(path, params)
    return response, spy.called


def test_a_list_asked_for_no_filter_builds_none_and_answers_the_same(reader_a, nodes):
    plain, filters_built = built(reader_a, NODES, limit=10)
    assert (titles(plain), filters_built) == (["Filed", "Loose"], False)
    empty, filters_built = built(reader_a, NODES, limit=10, q="")  # a filter named, with no value
    assert (titles(empty), filters_built) == (["Filed", "Loose"], True)


def test_a_filter_asked_for_still_filters_and_a_bad_value_is_still_refused(reader_a, nodes):
    assert titles(reader_a.get(NODES, {"category": "news"})) == ["Filed"]
    refused = reader_a.get(NODES, {"published_after": "not a date"})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "published_after"


def test_filters_reading_parameters_of_other_names_are_always_built():
    class Ranged(django_filters.FilterSet):
        created = django_filters.DateFromToRangeFilter(field_name="created_at")  # created_after, ...

        class Meta:
            model = Tenant
            fields = []

    assert parameter_names(Ranged) is None
    assert "category" in parameter_names(ReadingFilter)
