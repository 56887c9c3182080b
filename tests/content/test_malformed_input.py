"""Input PostgreSQL or Python would choke on is a 400 naming the field (or a 404), never a 500."""

from unittest import mock

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.content import services
from rustok.errors import InvalidInput
from tests.accounts.factories import SiteAdminFactory
from tests.conftest import problem_of, signed_in
from tests.content.factories import make_category, make_node

pytestmark = pytest.mark.django_db

NODES = "/api/v1/content/nodes/"


@pytest.fixture
def admin_a(tenant_a) -> Client:
    with schema_context("alpha"):
        user = SiteAdminFactory()
    return signed_in(tenant_a, user)


def fields(response) -> set[str]:
    return {error["field"] for error in problem_of(response)["errors"]}


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


def test_a_nul_byte_in_a_slug_looked_up_over_graphql_is_invalid_input_naming_it(client_a):
    with schema_context("alpha"):
        make_node(title="About", status="published")
    query = "query($slug: String!) { contentNodeBySlug(kind: PAGE, slug: $slug) { id } }"
    [error] = gql(client_a, query, slug="about\x00")["errors"]
    assert error["extensions"]["code"] == "INVALID"
    assert error["extensions"]["fields"] == {"slug": ["Null characters are not allowed."]}


def test_a_nul_byte_in_a_slug_finds_nothing_whoever_looks_it_up(tenant_a):
    from apps.content import selectors

    with schema_context("alpha"):
        make_node(title="About", status="published")
        nodes = selectors.visible_nodes(user=None, tenant=tenant_a, kind="page")
        assert selectors.by_slug(nodes, "about\x00") is None


# --- time-zone offsets PostgreSQL refuses -------------------------------------------------------

FAR_OFFSET = "0453-12-19T01:33:20+22:06"


@pytest.mark.parametrize("name", ["updated_after", "updated_before", "published_after", "published_before"])
def test_a_date_filter_with_an_offset_beyond_15_59_is_a_400_naming_it(client_a, name):
    body = problem_of(client_a.get(NODES, {name: FAR_OFFSET}))
    assert [(e["field"], e["code"]) for e in body["errors"]] == [(name, "offset")]


def test_date_filters_with_offsets_postgresql_takes_still_filter(reader_a):
    with schema_context("alpha"):
        make_node(title="Old", status="published")
    assert reader_a.get(NODES, {"published_after": "2000-01-01T00:00:00-15:59"}).json()["count"] == 1
    assert reader_a.get(NODES, {"published_before": "2000-01-01T00:00:00+15:59"}).json()["count"] == 0


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


# --- positions beyond the column ----------------------------------------------------------------

TOO_FAR = 2**31  # one past PostgreSQL's integer


@pytest.mark.parametrize(
    ("path", "body"),
    [(NODES, {"kind": "page", "title": "Far"}), ("/api/v1/content/categories/", {"name": "Far"})],
)
def test_a_position_beyond_the_column_is_a_400_naming_it_and_nothing_is_written(admin_a, path, body):
    body = {**body, "position": TOO_FAR}
    assert fields(admin_a.post(path, body, content_type="application/json")) == {"position"}
    assert admin_a.get(path).json()["count"] == 0


def test_a_position_beyond_the_column_is_refused_on_update_too(admin_a):
    with schema_context("alpha"):
        node = make_node(title="Here")
        category = make_category(name="Here")
    for path in (f"{NODES}{node.pk}/", f"/api/v1/content/categories/{category.pk}/"):
        response = admin_a.patch(path, {"position": TOO_FAR}, content_type="application/json")
        assert fields(response) == {"position"}


def test_the_last_position_of_the_column_is_taken(admin_a):
    body = {"kind": "page", "title": "Last", "position": TOO_FAR - 1}
    response = admin_a.post(NODES, body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["position"] == TOO_FAR - 1


def test_services_refuse_a_position_beyond_the_column_whichever_interface_calls_them(tenant_a):
    with schema_context("alpha"):
        with pytest.raises(InvalidInput) as refused:
            services.create_category(
                actor=SiteAdminFactory(), texts={"en": {"name": "Far"}}, position=TOO_FAR
            )
        assert refused.value.errors == {"position": [f"Between 0 and {TOO_FAR - 1}."]}
        with pytest.raises(InvalidInput) as refused:
            make_node(title="Far", position=TOO_FAR)
        assert list(refused.value.errors) == ["position"]


@pytest.mark.parametrize(
    "mutation",
    [
        'createContentNode(input: {kind: PAGE, position: $p, translations: [{language: "en", title: "X"}]})'
        " { node { id } }",
        'createContentCategory(input: {position: $p, translations: [{language: "en", name: "X"}]})'
        " { category { id } }",
    ],
)
def test_a_graphql_position_beyond_the_column_is_refused_naming_it(admin_a, mutation):
    body = gql(admin_a, f"mutation($p: Int) {{ {mutation} }}", p=TOO_FAR)
    [error] = body["errors"]
    assert "$p" in error["message"] and "32-bit" in error["message"]


# --- objects deleted by a concurrent request ----------------------------------------------------


def deleted_after_lookup(viewset, delete):
    """Let the view find its object, then delete it (as a concurrent request would) before the
    view's service writes: the race between a lookup and a write, made deterministic."""
    found = viewset.get_object

    def get_object(self):
        obj = found(self)
        with schema_context("alpha"):
            delete(obj)
        return obj

    return mock.patch.object(viewset, "get_object", get_object)


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("delete", "image/", None),
        ("delete", "", None),
        ("patch", "", {"title": "Changed"}),
        ("post", "submit/", None),
        ("post", "schedule/", {"publish_at": "2099-01-01T00:00:00Z"}),
    ],
)
def test_a_node_deleted_while_a_write_looks_it_up_is_a_404(admin_a, method, suffix, body):
    from apps.content.api import NodeViewSet

    with schema_context("alpha"):
        node = make_node(title="Going")
    remove = lambda obj: services.delete_node(actor=SiteAdminFactory(), node=obj)  # noqa: E731
    with deleted_after_lookup(NodeViewSet, remove):
        response = getattr(admin_a, method)(
            f"{NODES}{node.pk}/{suffix}", body, content_type="application/json"
        )
    assert problem_of(response, 404)["code"] == "not_found"


def test_a_category_deleted_while_it_is_renamed_is_a_404(admin_a):
    from apps.content.api import CategoryViewSet

    with schema_context("alpha"):
        category = make_category(name="Going")
    remove = lambda obj: services.delete_category(actor=SiteAdminFactory(), category=obj)  # noqa: E731
    with deleted_after_lookup(CategoryViewSet, remove):
        response = admin_a.patch(
            f"/api/v1/content/categories/{category.pk}/", {"name": "Gone"}, content_type="application/json"
        )
    assert problem_of(response, 404)["code"] == "not_found"
