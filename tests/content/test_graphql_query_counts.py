"""Query counts of content's GraphQL lists: the same for 5 items and for 50, asking every relation.

Each relation a query asks (authors, parents, children, categories with their parents and
subcategories, tags, revisions and their authors) is one query for the whole page, read by the
request's loaders (rustok.dataloaders), however long the list it is in. Budgets count routing
(the search path: the host's tenant is kept by the process), the caller's token, then the list
and its relations.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.content import services
from tests.accounts.factories import EditorFactory, SiteAdminFactory
from tests.conftest import ALPHA_HOST, bearer, deliver
from tests.content.factories import make_category, make_node, make_tag
from tests.queries import flat

pytestmark = pytest.mark.django_db

FEW, MANY = 5, 50

NODE = """id title url featuredImage languages
  author { id displayName }
  parent { id title author { displayName } }
  children { id title author { displayName } }
  categories { id name parent { name } children { name } }
  tags { id name }
  revisions { number action author { displayName } }
  translations { language title } allowedTransitions previewUrl"""
NODES = f"{{ contentNodes(first: 100) {{ totalCount edges {{ node {{ {NODE} }} }} }} }}"
CHILDREN = f"query($id: ID!) {{ contentNode(id: $id) {{ id children {{ {NODE} }} }} }}"
CATEGORIES = """{ contentCategories { id name parent { id name } children { id name children { name } } } }"""
TAGS = "{ contentTags { id name slug translations { language name } } }"
REVISIONS = """query($id: ID!) { contentRevisions(nodeId: $id)
  { number action status changed author { id displayName } } }"""


def answer(client, query: str, **variables) -> dict:
    response = client.post(
        "/api/graphql/", {"query": query, "variables": variables}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


@pytest.fixture
def as_editor(tenant_a) -> Client:
    with schema_context("alpha"):
        editor = EditorFactory()
    return Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, editor))


@pytest.fixture
def site(tenant_a, admin):
    """A published home page with a draft page under it (which readers do not see), two
    categories (one under the other) and two tags."""
    with schema_context("alpha"):
        top = make_category(actor=admin, name="Top")
        sub = services.create_category(actor=admin, texts={"en": {"name": "Sub"}}, parent=top)
        tags = [make_tag(actor=admin, name=f"tag-{n}") for n in range(2)]
        home = make_node(actor=admin, title="Home", status="published")
        make_node(actor=admin, title="Draft page", parent=home, position=99)
    return {"home": home, "categories": [top, sub], "tags": tags}


def add_pages(site, count: int) -> None:
    """`count` published pages under the home page, each by its own author, with the
    categories and the tags; the worker then delivers their events (readers read documents)."""
    with schema_context("alpha"):
        start = len(site.setdefault("pages", []))
        for n in range(start, start + count):
            site["pages"].append(
                make_node(
                    actor=SiteAdminFactory(),
                    title=f"Page {n}",
                    status="published",
                    parent=site["home"],
                    position=n,
                    categories=site["categories"],
                    tags=site["tags"],
                )
            )
    deliver("alpha")


def edges(data) -> int:
    return len(data["contentNodes"]["edges"])


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_the_node_list_with_every_relation_costs_the_same_for_5_and_50_nodes(
    client_a, as_editor, site, django_assert_max_num_queries, who
):
    client = {"anonymous": client_a, "editor": as_editor}[who]
    add_pages(site, FEW)
    # routing (1), the count, the page, parents, children, categories, their parents and
    # children (the categories loader has the parents already), tags: a reader's nodes, parents
    # and children are documents, which name their authors; an editor's token, the authors and
    # the revisions too (their authors are known)
    budget = {"anonymous": 8, "editor": 12}[who]
    _few, many = flat(
        django_assert_max_num_queries,
        budget,
        ask=lambda: answer(client, NODES),
        grow=lambda: add_pages(site, MANY - FEW),
        size=edges,
    )
    shown = {edge["node"]["title"]: edge["node"] for edge in many["contentNodes"]["edges"]}
    page = shown["Page 7"]
    assert page["parent"]["title"] == "Home"
    assert [c["name"] for c in page["categories"]] == ["Top", "Sub"]
    assert page["categories"][1]["parent"] == {"name": "Top"}
    assert [t["name"] for t in page["tags"]] == ["tag-0", "tag-1"]
    assert page["children"] == []
    under_home = [child["title"] for child in shown["Home"]["children"]]
    assert under_home[:3] == ["Page 0", "Page 1", "Page 2"]
    if who == "anonymous":
        assert len(under_home) == MANY
        assert page["revisions"] is None and page["translations"] is None
    else:
        assert len(under_home) == MANY + 1 and under_home[-1] == "Draft page"
        assert [r["action"] for r in page["revisions"]] == ["published", "created"]
        assert page["revisions"][0]["author"]["displayName"] == page["author"]["displayName"]


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_a_nodes_children_with_every_relation_cost_the_same_for_5_and_50_children(
    client_a, as_editor, site, django_assert_max_num_queries, who
):
    client = {"anonymous": client_a, "editor": as_editor}[who]
    home = site["home"].pk
    add_pages(site, FEW)
    # as for the node list, with the node instead of the count and the page; a reader's
    # documents name their authors, an editor's nodes read them in one more batch
    budget = {"anonymous": 8, "editor": 12}[who]
    flat(
        django_assert_max_num_queries,
        budget,
        ask=lambda: answer(client, CHILDREN, id=home),
        grow=lambda: add_pages(site, MANY - FEW),
        size=lambda data: len(data["contentNode"]["children"]),
    )


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_the_category_list_with_parents_and_children_costs_the_same_for_5_and_50(
    client_a, as_editor, admin, tenant_a, django_assert_max_num_queries, who
):
    client = {"anonymous": client_a, "editor": as_editor}[who]

    def grow(count: int):
        with schema_context("alpha"):
            for _ in range(count // 5):
                top = make_category(actor=admin, name="Top")
                for n in range(4):
                    services.create_category(actor=admin, texts={"en": {"name": f"Sub {n}"}}, parent=top)

    grow(FEW)
    # the categories, their parents, their children, the children's children
    flat(
        django_assert_max_num_queries,
        {"anonymous": 6, "editor": 7}[who],
        ask=lambda: answer(client, CATEGORIES),
        grow=lambda: grow(MANY - FEW),
        size=lambda data: len(data["contentCategories"]),
    )


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_the_tag_list_costs_the_same_for_5_and_50_tags(
    client_a, as_editor, admin, tenant_a, django_assert_max_num_queries, who
):
    client = {"anonymous": client_a, "editor": as_editor}[who]

    def grow(count: int):
        with schema_context("alpha"):
            for _ in range(count):
                make_tag(actor=admin, name="tag")

    grow(FEW)
    flat(
        django_assert_max_num_queries,
        {"anonymous": 4, "editor": 5}[who],
        ask=lambda: answer(client, TAGS),
        grow=lambda: grow(MANY - FEW),
        size=lambda data: len(data["contentTags"]),
    )


def test_a_nodes_revisions_with_their_authors_cost_the_same_for_5_and_50(
    as_editor, admin, site, django_assert_max_num_queries
):
    node = site["home"]

    def grow(count: int):
        nonlocal node
        with schema_context("alpha"):
            for n in range(count):
                node = services.update_node(
                    actor=SiteAdminFactory(), node=node, texts={"en": {"title": f"Home {n}"}}
                )

    grow(FEW - 2)  # it was created and published
    # the token, the node, its revisions, their authors
    flat(
        django_assert_max_num_queries,
        7,
        ask=lambda: answer(as_editor, REVISIONS, id=node.pk),
        grow=lambda: grow(MANY - FEW),
        size=lambda data: len(data["contentRevisions"]),
    )
