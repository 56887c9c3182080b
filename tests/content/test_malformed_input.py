"""Input PostgreSQL or Python would choke on is a 400 naming the field (or a 404), never a 500."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from tests.accounts.factories import SiteAdminFactory
from tests.conftest import ALPHA_HOST, bearer
from tests.content.factories import make_node

pytestmark = pytest.mark.django_db

NODES = "/api/v1/content/nodes/"


@pytest.fixture
def admin_a(tenant_a) -> Client:
    with schema_context("alpha"):
        user = SiteAdminFactory()
    return Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, user))


def problem(response, status=400) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def fields(response) -> set[str]:
    return {error["field"] for error in problem(response)["errors"]}


def gql(client, query, **variables) -> dict:
    response = client.post(
        "/api/graphql/", {"query": query, "variables": variables}, content_type="application/json"
    )
    assert response.status_code < 500, response.content
    return response.json()


# --- NUL bytes --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["q", "category", "tag", "kind"])
def test_a_nul_byte_in_a_list_filter_is_a_400_naming_it(client_a, name):
    assert fields(client_a.get(NODES, {name: "a\x00b"})) == {name}


def test_a_nul_byte_in_a_title_is_a_400_naming_it_and_nothing_is_written(admin_a):
    body = {"kind": "page", "title": "a\x00b", "translations": {"ru": {"title": "x\x00"}}}
    assert fields(admin_a.post(NODES, body, content_type="application/json")) == {
        "title",
        "translations.ru.title",
    }
    assert admin_a.get(NODES).json()["count"] == 0


def test_a_nul_byte_in_a_slug_looked_up_over_graphql_finds_nothing(client_a):
    with schema_context("alpha"):
        make_node(title="About", status="published")
    query = 'query($slug: String!) { contentNodeBySlug(kind: "page", slug: $slug) { id } }'
    assert gql(client_a, query, slug="about\x00") == {"data": {"contentNodeBySlug": None}}


# --- time-zone offsets PostgreSQL refuses -------------------------------------------------------

FAR_OFFSET = "0453-12-19T01:33:20+22:06"


@pytest.mark.parametrize("name", ["updated_after", "updated_before", "published_after", "published_before"])
def test_a_date_filter_with_an_offset_beyond_15_59_is_a_400_naming_it(client_a, name):
    body = problem(client_a.get(NODES, {name: FAR_OFFSET}))
    assert [(e["field"], e["code"]) for e in body["errors"]] == [(name, "offset")]


def test_date_filters_with_offsets_postgresql_takes_still_filter(client_a):
    with schema_context("alpha"):
        make_node(title="Old", status="published")
    assert client_a.get(NODES, {"published_after": "2000-01-01T00:00:00-15:59"}).json()["count"] == 1
    assert client_a.get(NODES, {"published_before": "2000-01-01T00:00:00+15:59"}).json()["count"] == 0


def test_a_graphql_date_filter_with_an_offset_beyond_15_59_names_it(client_a):
    query = "query($at: DateTime) { contentNodes(updatedAfter: $at) { totalCount } }"
    [error] = gql(client_a, query, at=FAR_OFFSET)["errors"]
    assert error["extensions"]["code"] == "INVALID"
    assert list(error["extensions"]["fields"]) == ["updatedAfter"]


def test_a_schedule_with_a_far_offset_is_kept_in_utc(admin_a):
    with schema_context("alpha"):
        node = make_node(title="Later")
    query = """mutation($id: ID!, $at: DateTime) {
      scheduleContentNode(id: $id, publishAt: $at) { node { publishAt } } }"""
    body = gql(admin_a, query, id=node.pk, at="2099-01-01T12:00:00+22:06")
    assert body == {"data": {"scheduleContentNode": {"node": {"publishAt": "2098-12-31T13:54:00+00:00"}}}}
    rest = admin_a.post(
        f"{NODES}{node.pk}/schedule/", {"publish_at": "2099-01-02T12:00:00-23:00"}, "application/json"
    )
    assert rest.status_code == 200, rest.content
    assert rest.json()["publish_at"] == "2099-01-03T11:00:00Z"
