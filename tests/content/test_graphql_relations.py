"""A node's and a category's relations over GraphQL: parents, children, revisions, authors.

Relations show only what the user may read (a reader sees no draft, as a parent or as a child),
revisions are for editors and admins, each is in the language of its root field, and within one
request a mutation's answer shows what the mutations before it wrote.
"""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from apps.content import services
from tests.accounts.factories import SiteAdminFactory, UserFactory
from tests.conftest import signed_in
from tests.content.factories import make_category, make_node

pytestmark = pytest.mark.django_db

NODE = """query($id: ID!) { contentNode(id: $id) {
  title parent { title } children { title }
  revisions { number action author { displayName } } author { displayName } } }"""


def data(client, query: str, **variables) -> dict:
    response = client.post(
        "/api/graphql/", {"query": query, "variables": variables}, content_type="application/json"
    )
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


@pytest.fixture
def admin(tenant_a):
    with schema_context("alpha"):
        return SiteAdminFactory(display_name="Ada")


@pytest.fixture
def tree(admin):
    """A published page under a draft, with a published and a draft page under it."""
    with schema_context("alpha"):
        draft_parent = make_node(actor=admin, title="Draft parent")
        page = make_node(actor=admin, title="Page", status="published", parent=draft_parent)
        make_node(actor=admin, title="Published child", status="published", parent=page, position=1)
        make_node(actor=admin, title="Draft child", parent=page, position=2)
    return page


def test_a_reader_sees_no_draft_as_the_parent_or_among_the_children(reader_a, tree):
    node = data(reader_a, NODE, id=tree.pk)["contentNode"]
    assert node["parent"] is None
    assert node["children"] == [{"title": "Published child"}]
    assert node["author"] == {"displayName": "Ada"}


def test_an_editor_sees_the_draft_parent_and_children_and_the_revisions(tenant_a, tree):
    _editor, client = signed_in_editor(tenant_a)
    node = data(client, NODE, id=tree.pk)["contentNode"]
    assert node["parent"] == {"title": "Draft parent"}
    assert node["children"] == [{"title": "Published child"}, {"title": "Draft child"}]
    assert node["revisions"] == [
        {"number": 2, "action": "published", "author": {"displayName": "Ada"}},
        {"number": 1, "action": "created", "author": {"displayName": "Ada"}},
    ]


@pytest.mark.parametrize("who", ["anonymous", "customer"])
def test_revisions_are_null_for_readers(reader_a, tenant_a, tree, who):
    client = reader_a
    if who == "customer":
        with schema_context("alpha"):
            client = signed_in(tenant_a, UserFactory(), reader=True)
    assert data(client, NODE, id=tree.pk)["contentNode"]["revisions"] is None


def signed_in_editor(tenant):
    from tests.accounts.factories import EditorFactory

    with schema_context("alpha"):
        editor = EditorFactory()
    return editor, signed_in(tenant, editor)


def test_a_category_shows_its_parent_and_its_subcategories_in_order(client_a, admin):
    with schema_context("alpha"):
        top = make_category(actor=admin, name="Top")
        for name, position in (("Second", 2), ("First", 1)):
            services.create_category(actor=admin, texts={"en": {"name": name}}, parent=top, position=position)
    categories = data(
        client_a, "{ contentCategories { name parent { name } children { name parent { name } } } }"
    )["contentCategories"]
    shown = {category["name"]: category for category in categories}
    assert shown["Top"]["parent"] is None
    assert shown["Top"]["children"] == [
        {"name": "First", "parent": {"name": "Top"}},
        {"name": "Second", "parent": {"name": "Top"}},
    ]
    assert shown["First"]["parent"] == {"name": "Top"}


def test_relations_are_shown_in_the_language_of_their_root_field(reader_a, admin):
    with schema_context("alpha"):
        top = make_category(actor=admin, name="Top", ru={"name": "Верх"})
        make_node(actor=admin, title="Page", status="published", categories=[top])
    query = """query($lang: String) {
      ru: contentNodes(lang: $lang) { ...shown } en: contentNodes { ...shown } }
      fragment shown on ContentNodeConnection { edges { node { categories { name language } } } }"""
    answered = data(reader_a, query, lang="ru")
    assert answered["ru"]["edges"][0]["node"]["categories"] == [{"name": "Верх", "language": "ru"}]
    assert answered["en"]["edges"][0]["node"]["categories"] == [{"name": "Top", "language": "en"}]


def test_a_mutation_shows_what_the_mutations_before_it_in_the_request_wrote(tenant_a, admin):
    client = signed_in(tenant_a, admin)
    with schema_context("alpha"):
        top = make_category(actor=admin, name="Top")
        node = make_node(actor=admin, title="Page")
    query = """mutation($top: ID!, $node: ID!) {
      before: updateContentCategory(id: $top, input: {}) { category { children { name } } }
      add: createContentCategory(input: {parentId: $top, translations: [{language: "en", name: "New"}]})
        { category { name } }
      after: updateContentCategory(id: $top, input: {}) { category { children { name } } }
      first: updateContentNode(id: $node, input: {categoryIds: [$top]}) { node { categories { name } } }
      emptied: updateContentNode(id: $node, input: {categoryIds: []}) { node { categories { name } } }
    }"""
    answered = data(client, query, top=top.pk, node=node.pk)
    assert answered["before"]["category"]["children"] == []
    assert answered["after"]["category"]["children"] == [{"name": "New"}]
    assert answered["first"]["node"]["categories"] == [{"name": "Top"}]
    assert answered["emptied"]["node"]["categories"] == []
