"""Comparing two revisions gives the same answer in REST, GraphQL and the admin."""

from django.test import Client
from django_tenants.utils import schema_context

from apps.content import services
from apps.content.admin import field_labels
from apps.content.models import Revision
from tests.accounts.factories import SiteAdminFactory
from tests.conftest import ALPHA_HOST, signed_in
from tests.content.factories import make_category, make_node

NODES = "/api/v1/content/nodes/"
COMPARE = """query($id: ID!, $old: Int!, $new: Int!) {
  contentRevisionCompare(nodeId: $id, old: $old, new: $new) { old new changes { field old new } } }"""


def test_rest_graphql_and_the_admin_list_the_same_changes_in_the_same_order(tenant_a):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        node = make_node(actor=admin, title="First")
        services.update_node(
            actor=admin,
            node=node,
            texts={"en": {"title": "Second", "body": "New body"}, "ru": {"title": "Второй"}},
            categories=[make_category(actor=admin)],
            show_in_menus=True,
        )
        # A revision kept before a field existed: its snapshot lacks the key.
        first = Revision.objects.get(node=node, number=1)
        first.data = {key: value for key, value in first.data.items() if key != "show_in_menus"}
        first.save(update_fields=["data"])
    rest = signed_in(tenant_a, admin).get(f"{NODES}{node.pk}/revisions/compare/", {"old": 1, "new": 2}).json()
    response = signed_in(tenant_a, admin).post(
        "/api/graphql/",
        {"query": COMPARE, "variables": {"id": node.pk, "old": 1, "new": 2}},
        content_type="application/json",
    )
    graphql = response.json()["data"]["contentRevisionCompare"]
    browser = Client(HTTP_HOST=ALPHA_HOST)
    with schema_context("alpha"):
        browser.force_login(admin)
    page = browser.get(f"/admin/content/page/{node.pk}/revisions/compare/", {"a": 1, "b": 2})

    fields = [change["field"] for change in rest["changes"]]
    # Each text field in each language, then the node's other fields, as the node form shows them.
    assert fields == ["title_en", "title_ru", "slug_ru", "body_en", "show_in_menus", "categories"]
    assert [change["field"] for change in graphql["changes"]] == fields
    labels = field_labels()
    assert [change["field"] for change in page.context["changes"]] == [labels[field] for field in fields]
    assert (rest["old"], rest["new"]) == (graphql["old"], graphql["new"]) == (1, 2)


def test_a_revision_the_node_does_not_have_is_refused_alike(tenant_a, editor_a):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        node = make_node(actor=admin)
    rest = signed_in(tenant_a, admin).get(f"{NODES}{node.pk}/revisions/compare/", {"old": 9})
    assert rest.status_code == 400
    assert [(e["field"], e["message"]) for e in rest.json()["errors"]] == [
        ("old", "This node has no revision 9.")
    ]
    body = (
        signed_in(tenant_a, admin)
        .post(
            "/api/graphql/",
            {"query": COMPARE, "variables": {"id": node.pk, "old": 9, "new": 1}},
            content_type="application/json",
        )
        .json()
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "INVALID"
    assert error["extensions"]["fields"] == {"old": ["This node has no revision 9."]}
    assert error["message"] == "old: This node has no revision 9."
