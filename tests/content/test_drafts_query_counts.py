"""Query counts of unpublished changes: editors' lists with them stay flat in their length, and
each write of them (save, publish, discard, schedule, image, restore) costs a fixed number."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from apps.content import services
from tests.content.factories import make_category, make_node, make_tag
from tests.content.test_query_counts import JSON, NODES, _upload, results
from tests.queries import costs, flat, mutation_costs

pytestmark = pytest.mark.django_db


@pytest.fixture
def taxonomy(admin):
    """Two categories and two tags."""
    with schema_context("alpha"):
        return (
            [make_category(actor=admin, name=f"Category {n}") for n in range(2)],
            [make_tag(actor=admin, name=f"tag-{n}") for n in range(2)],
        )


def changed_nodes(admin, taxonomy, count: int, start: int = 0) -> None:
    """`count` published pages, each with unpublished changes."""
    categories, tags = taxonomy
    with schema_context("alpha"):
        for n in range(start, start + count):
            node = make_node(
                actor=admin, title=f"Item {n}", categories=categories, tags=tags, status="published"
            )
            services.update_node(actor=admin, node=node, texts={"en": {"title": f"Changed {n}"}}, tags=[])


def test_the_editors_node_list_with_changes_costs_the_same_for_2_and_12_nodes(
    as_admin, admin, taxonomy, django_assert_max_num_queries
):
    changed_nodes(admin, taxonomy, 2)
    # routing (the search path), the token, the count, the page with its changes, its categories,
    # its tags
    _few, many = flat(
        django_assert_max_num_queries,
        6,
        ask=lambda: as_admin.get(NODES),
        grow=lambda: changed_nodes(admin, taxonomy, 10, start=2),
        size=results,
    )
    assert {node["draft"]["title"] for node in many.json()["results"]} >= {"Changed 0", "Changed 11"}


LIST = """{ contentNodes(first: 50) { edges { node { id title hasUnpublishedChanges
  draft { revision title savedBy { displayName } categoryIds tagIds translations { language title } }
} } } }"""


def test_the_editors_graphql_list_with_changes_costs_the_same_for_2_and_12_nodes(
    as_admin, admin, taxonomy, django_assert_max_num_queries
):
    def ask():
        response = as_admin.post("/api/graphql/", {"query": LIST}, content_type=JSON)
        return response.json()["data"]["contentNodes"]["edges"]

    changed_nodes(admin, taxonomy, 2)
    # routing (the search path), the token, the count, the page with its changes, its categories,
    # its tags
    _few, many = flat(
        django_assert_max_num_queries,
        6,
        ask=ask,
        grow=lambda: changed_nodes(admin, taxonomy, 10, start=2),
        size=len,
    )
    assert all(edge["node"]["draft"]["title"].startswith("Changed") for edge in many)


def _changed(admin, taxonomy, pending: bool):
    categories, tags = taxonomy
    with schema_context("alpha"):
        node = make_node(actor=admin, title="Live", categories=categories, tags=tags, status="published")
        if pending:
            node = services.update_node(actor=admin, node=node, texts={"en": {"title": "Changed"}})
    return node


# (name, whether the published node has changes already, method, address, body, budget). Budgets
# count routing (3 for the first request of a host: the domain too), the token, the node with its
# relations, the write with its revision and event, and the answer; publishing also writes the
# changes into the row (slugs checked, taxonomy set).
REST_WRITES = [
    ("save_changes", False, "patch", "", {"title": "Changed", "body": "New **text**."}, 20),
    ("save_more_changes", True, "patch", "", {"title": "Again", "tags": []}, 19),
    ("publish_them", True, "post", "publish/", None, 27),
    ("discard_them", True, "post", "discard/", None, 20),
    ("schedule_them", True, "post", "schedule/", {"publish_at": "2099-11-30T09:00:00Z"}, 19),
    ("upload_an_image_into_them", True, "put", "image/", "image", 18),
    ("restore_a_revision_into_them", True, "post", "revisions/1/restore/", None, 22),
]


@pytest.mark.parametrize(
    ("pending", "method", "address", "body", "budget"),
    [pytest.param(*case[1:], id=case[0]) for case in REST_WRITES],
)
def test_each_rest_write_of_unpublished_changes_costs_a_fixed_number_of_queries(
    as_admin, admin, taxonomy, media, django_assert_max_num_queries, pending, method, address, body, budget
):
    node = _changed(admin, taxonomy, pending)
    as_admin.get("/api/v1/site/")  # the module toggles are cached once, as on a running site
    url = f"{NODES}{node.pk}/{address}"

    def write():
        if body == "image":
            return as_admin.put(url, data=_upload(), content_type="multipart/form-data; boundary=BoUnDaRy")
        if body is None:
            return getattr(as_admin, method)(url)
        return getattr(as_admin, method)(url, body, content_type=JSON)

    response = costs(django_assert_max_num_queries, budget, write)
    assert response.status_code == 200, response.content


FIELDS = "id title hasUnpublishedChanges draft { revision title translations { language title } }"
GRAPHQL_WRITES = {
    "updateContentNode": (
        f"""mutation($id: ID!) {{ updateContentNode(id: $id, input: {{
        translations: [{{language: "en", title: "Again"}}]}}) {{ node {{ {FIELDS} }} }} }}""",
        14,
    ),
    "transitionContentNode": (
        f"""mutation($id: ID!) {{ transitionContentNode(id: $id, transition: PUBLISH)
        {{ node {{ {FIELDS} }} }} }}""",
        22,
    ),
    "discardContentNodeChanges": (
        f"mutation($id: ID!) {{ discardContentNodeChanges(id: $id) {{ node {{ {FIELDS} }} }} }}",
        15,
    ),
}


@pytest.mark.parametrize("mutation", list(GRAPHQL_WRITES))
def test_each_graphql_mutation_of_unpublished_changes_costs_a_fixed_number_of_queries(
    as_admin, admin, taxonomy, django_assert_max_num_queries, mutation
):
    query, budget = GRAPHQL_WRITES[mutation]
    node = _changed(admin, taxonomy, pending=True)
    as_admin.get("/api/v1/site/")
    mutation_costs(django_assert_max_num_queries, budget, as_admin, query, {"id": node.pk}, mutation)
