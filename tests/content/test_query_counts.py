"""Query counts of content's lists (flat in their length) and of every REST and GraphQL write.

Budgets count everything a request does: routing (the search path; the domain too for the first
request of a host, rustok.tenancy), the caller's
token, the site's settings, then the view's own reads and the write with its revision and
outbox event. A list's count must not grow with its items.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import encode_multipart
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.content import services
from tests.accounts.factories import EditorFactory
from tests.conftest import deliver
from tests.content.factories import make_category, make_node, make_tag
from tests.content.test_translations_and_images import image_bytes
from tests.queries import costs, flat, mutation_costs

pytestmark = pytest.mark.django_db

NODES = "/api/v1/content/nodes/"
CATEGORIES = "/api/v1/content/categories/"
TAGS = "/api/v1/content/tags/"
JSON = "application/json"


def results(response) -> int:
    assert response.status_code == 200, response.content
    return len(response.json()["results"])


@pytest.fixture
def taxonomy(tenant_a, admin):
    """Three categories (one with a subcategory) and three tags."""
    with schema_context("alpha"):
        categories = [make_category(actor=admin, name=f"Category {n}") for n in range(3)]
        services.create_category(actor=admin, texts={"en": {"name": "Child"}}, parent=categories[0])
        tags = [make_tag(actor=admin, name=f"tag-{n}") for n in range(3)]
    return categories, tags


def add_nodes(count: int, taxonomy, *, kind: str = "page", start: int = 0) -> None:
    categories, tags = taxonomy
    with schema_context("alpha"):
        author = EditorFactory()
        for n in range(start, start + count):
            node = make_node(
                actor=author,
                kind=kind,
                texts={"en": {"title": f"Item {n}", "body": f"Some **text** {n}."}},
                categories=categories,
                tags=tags,
                status="published",
            )
            assert node.pk
    deliver("alpha")  # the worker catches up: readers read the documents


# --- lists ----------------------------------------------------------------------------------------


def test_the_anonymous_node_list_costs_the_same_for_2_and_12_nodes(
    client_a, taxonomy, django_assert_max_num_queries
):
    add_nodes(2, taxonomy)
    # routing (the search path), the count, the page of documents (which hold the categories and tags)
    _few, many = flat(
        django_assert_max_num_queries,
        3,
        ask=lambda: client_a.get(NODES),
        grow=lambda: add_nodes(10, taxonomy, start=2),
        size=results,
    )
    assert len(many.json()["results"][0]["tags"]) == 3


def test_the_category_list_costs_the_same_for_4_and_24_categories(
    client_a, admin, taxonomy, django_assert_max_num_queries
):
    def grow():
        with schema_context("alpha"):
            for n in range(20):
                make_category(actor=admin, name=f"More {n}")

    # routing (the search path), the count, the page
    flat(
        django_assert_max_num_queries,
        3,
        ask=lambda: client_a.get(CATEGORIES, {"limit": 50}),
        grow=grow,
        size=results,
    )


def test_the_tag_list_costs_the_same_for_3_and_23_tags(
    client_a, admin, taxonomy, django_assert_max_num_queries
):
    def grow():
        with schema_context("alpha"):
            for n in range(20):
                make_tag(actor=admin, name=f"more-{n}")

    # routing (the search path), the count, the page
    flat(
        django_assert_max_num_queries,
        3,
        ask=lambda: client_a.get(TAGS, {"limit": 50}),
        grow=grow,
        size=results,
    )


# --- REST writes ----------------------------------------------------------------------------------


def _node(admin, taxonomy, status: str = "draft", kind: str = "page"):
    categories, tags = taxonomy
    with schema_context("alpha"):
        return make_node(
            actor=admin,
            kind=kind,
            texts={"en": {"title": "Written", "body": "Some **text**."}},
            categories=categories,
            tags=tags,
            status=status,
        )


def _upload():
    return encode_multipart("BoUnDaRy", {"image": SimpleUploadedFile("a.png", image_bytes())})


# (name, the node's status before, method, address under the node or None for the list, body, budget)
NODE_WRITES = [
    ("create", None, "post", None, "create", 27),
    ("partial_update", "draft", "patch", "", {"title": "Changed", "body": "New **text**."}, 22),
    ("update", "draft", "put", "", {"title": "Changed"}, 22),
    ("delete", "draft", "delete", "", None, 21),
    ("submit", "draft", "post", "submit/", None, 19),
    ("reject", "in_review", "post", "reject/", None, 19),
    ("publish", "draft", "post", "publish/", None, 19),
    ("unpublish", "published", "post", "unpublish/", None, 19),
    ("archive", "published", "post", "archive/", None, 19),
    ("unarchive", "archived", "post", "unarchive/", None, 19),
    ("schedule", "draft", "post", "schedule/", "schedule", 19),
    ("upload_the_image", "draft", "put", "image/", "image", 19),
    ("remove_the_image", "draft", "delete", "image/", None, 13),
    ("restore_a_revision", "draft", "post", "revisions/1/restore/", None, 31),
]


def node_write(client, base: str, taxonomy, node, method: str, address, body, kind: str):
    """Send one write of NODE_WRITES to `base` (the nodes' or the posts' list)."""
    categories, tags = taxonomy
    if body == "create":
        body = {
            "title": "New",
            "body": "Some **text**.",
            "translations": {"ru": {"title": "Новая"}},
            "categories": [c.pk for c in categories],
            "tags": [t.pk for t in tags],
            **({"kind": kind} if base == NODES else {}),
        }
    if body == "schedule":
        body = {"publish_at": (timezone.now() + dt.timedelta(days=1)).isoformat()}
    url = base if address is None else f"{base}{node.pk}/{address}"
    if body == "image":
        return client.put(url, data=_upload(), content_type="multipart/form-data; boundary=BoUnDaRy")
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, body, content_type=JSON)


def arrange_node_write(admin, taxonomy, status, address, kind="page"):
    """The node a write of NODE_WRITES acts on, with what it needs (a second revision to restore)."""
    if status is None:
        return None
    node = _node(admin, taxonomy, status=status, kind=kind)
    if address.startswith("revisions/"):
        with schema_context("alpha"):
            node = services.update_node(actor=admin, node=node, texts={"en": {"title": "Second"}})
    return node


@pytest.mark.parametrize(
    ("status", "method", "address", "body", "budget"),
    [pytest.param(*case[1:], id=case[0]) for case in NODE_WRITES],
)
def test_each_rest_write_of_a_node_costs_a_fixed_number_of_queries(
    as_admin, admin, taxonomy, media, django_assert_max_num_queries, status, method, address, body, budget
):
    node = arrange_node_write(admin, taxonomy, status, address)
    as_admin.get("/api/v1/site/")  # the module toggles are cached once, as on a running site
    response = costs(
        django_assert_max_num_queries,
        budget,
        lambda: node_write(as_admin, NODES, taxonomy, node, method, address, body, "page"),
    )
    assert response.status_code in (200, 201, 204), response.content


def test_a_node_written_with_many_categories_and_tags_costs_what_one_with_one_costs(
    as_admin, admin, django_assert_max_num_queries
):
    """The ids of categories and tags are looked up in one query each, not one per id."""
    with schema_context("alpha"):
        categories = [make_category(actor=admin, name=f"C{n}") for n in range(6)]
        tags = [make_tag(actor=admin, name=f"t{n}") for n in range(6)]
    as_admin.get("/api/v1/site/")

    def create(count: int):
        body = {
            "kind": "page",
            "title": f"With {count}",
            "categories": [c.pk for c in categories[:count]],
            "tags": [t.pk for t in tags[:count]],
        }
        with django_assert_max_num_queries(40) as queries:
            response = as_admin.post(NODES, body, content_type=JSON)
        assert response.status_code == 201, response.content
        assert len(response.json()["tags"]) == count
        return len(queries.captured_queries)

    assert create(6) == create(1)
    missing = as_admin.post(
        NODES, {"kind": "page", "title": "X", "tags": [tags[0].pk, 999999]}, content_type=JSON
    )
    assert missing.status_code == 400
    [error] = missing.json()["errors"]
    assert error["field"] == "tags" and "999999" in error["message"]


# Saving a category or a tag is in a savepoint (SAVEPOINT, RELEASE: 2 queries), so that a slug
# taken by a concurrent writer is the same 400 as a checked one (rustok.rows).
TAXONOMY_WRITES = [
    (
        "create_a_category",
        CATEGORIES,
        None,
        "post",
        {"name": "New", "translations": {"ru": {"name": "Новая"}}},
        12,
    ),
    ("change_a_category", CATEGORIES, "category", "patch", {"name": "Renamed"}, 13),
    ("replace_a_category", CATEGORIES, "category", "put", {"name": "Renamed", "position": 2}, 13),
    ("delete_a_category", CATEGORIES, "leaf", "delete", None, 15),
    ("create_a_tag", TAGS, None, "post", {"name": "New", "translations": {"ru": {"name": "Новый"}}}, 12),
    ("change_a_tag", TAGS, "tag", "patch", {"name": "Renamed"}, 13),
    ("replace_a_tag", TAGS, "tag", "put", {"name": "Renamed"}, 13),
    ("delete_a_tag", TAGS, "tag", "delete", None, 13),
]


@pytest.mark.parametrize(
    ("base", "target", "method", "body", "budget"),
    [pytest.param(*case[1:], id=case[0]) for case in TAXONOMY_WRITES],
)
def test_each_rest_write_of_the_taxonomy_costs_a_fixed_number_of_queries(
    as_admin, admin, taxonomy, django_assert_max_num_queries, base, target, method, body, budget
):
    categories, tags = taxonomy
    with schema_context("alpha"):
        leaf = make_category(actor=admin, name="Leaf")
    _node(admin, ([*categories, leaf], tags), status="published")  # what is written is in use
    obj = {"category": categories[0], "leaf": leaf, "tag": tags[0], None: None}[target]
    url = base if obj is None else f"{base}{obj.pk}/"
    as_admin.get("/api/v1/site/")
    response = costs(
        django_assert_max_num_queries,
        budget,
        lambda: (
            getattr(as_admin, method)(url, body, content_type=JSON)
            if body
            else getattr(as_admin, method)(url)
        ),
    )
    assert response.status_code in (200, 201, 204), response.content


# --- GraphQL writes -------------------------------------------------------------------------------

NODE_FIELDS = """id title status bodyHtml author { displayName } categories { name } tags { name }
  translations { language title } allowedTransitions"""
GRAPHQL_WRITES = {
    "createContentNode": (
        f"""mutation($cats: [ID!], $tags: [ID!]) {{ createContentNode(input: {{kind: PAGE,
        categoryIds: $cats, tagIds: $tags, translations: [{{language: "en", title: "New", body: "**Hi**"}},
        {{language: "ru", title: "Новая"}}]}}) {{ node {{ {NODE_FIELDS} }} }} }}""",
        None,
        26,
    ),
    "updateContentNode": (
        f"""mutation($id: ID!) {{ updateContentNode(id: $id, input: {{position: 2,
        translations: [{{language: "en", title: "Changed"}}]}}) {{ node {{ {NODE_FIELDS} }} }} }}""",
        "draft",
        20,
    ),
    "transitionContentNode": (
        f"""mutation($id: ID!) {{ transitionContentNode(id: $id, transition: PUBLISH)
        {{ node {{ {NODE_FIELDS} }} }} }}""",
        "draft",
        17,
    ),
    "scheduleContentNode": (
        """mutation($id: ID!) { scheduleContentNode(id: $id, publishAt: "2099-01-01T09:00:00Z")
        { node { publishAt } } }""",
        "draft",
        14,
    ),
    "deleteContentNode": ("mutation($id: ID!) { deleteContentNode(id: $id) { ok } }", "draft", 19),
    "restoreContentRevision": (
        f"""mutation($id: ID!) {{ restoreContentRevision(nodeId: $id, number: 1)
        {{ node {{ {NODE_FIELDS} }} }} }}""",
        "revised",
        29,
    ),
    "createContentCategory": (
        """mutation { createContentCategory(input: {translations: [{language: "en", name: "New"}]})
        { category { id name slug children { name } } } }""",
        None,
        12,
    ),
    "updateContentCategory": (
        """mutation($category: ID!) { updateContentCategory(id: $category,
        input: {translations: [{language: "en", name: "Renamed"}]})
        { category { name children { name } } } }""",
        None,
        14,
    ),
    "deleteContentCategory": ("mutation($leaf: ID!) { deleteContentCategory(id: $leaf) { ok } }", None, 14),
    "createContentTag": (
        'mutation { createContentTag(translations: [{language: "en", name: "New"}]) { tag { id slug } } }',
        None,
        11,
    ),
    "updateContentTag": (
        """mutation($tag: ID!) { updateContentTag(id: $tag, translations: [{language: "ru", name: "Новый"}])
        { tag { name } } }""",
        None,
        14,
    ),
    "deleteContentTag": ("mutation($tag: ID!) { deleteContentTag(id: $tag) { ok } }", None, 12),
}


@pytest.mark.parametrize("mutation", list(GRAPHQL_WRITES))
def test_each_graphql_mutation_of_content_costs_a_fixed_number_of_queries(
    as_admin, admin, taxonomy, django_assert_max_num_queries, mutation
):
    query, status, budget = GRAPHQL_WRITES[mutation]
    categories, tags = taxonomy
    with schema_context("alpha"):
        leaf = make_category(actor=admin, name="Leaf")
    node = None
    if status is not None:
        node = _node(admin, taxonomy, status="draft")
        if status == "revised":
            with schema_context("alpha"):
                node = services.update_node(actor=admin, node=node, texts={"en": {"title": "Second"}})
    given = {
        "id": node.pk if node else None,
        "cats": [c.pk for c in categories],
        "tags": [t.pk for t in tags],
        "category": categories[0].pk,
        "leaf": leaf.pk,
        "tag": tags[0].pk,
    }
    variables = {name: value for name, value in given.items() if f"${name}" in query}
    as_admin.get("/api/v1/site/")
    mutation_costs(django_assert_max_num_queries, budget, as_admin, query, variables, mutation)
