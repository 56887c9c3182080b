"""Pages flagged "show in menus": written through every interface, and kept in revisions."""

import pytest
from django_tenants.utils import schema_context

from apps.content import services
from rustok.errors import InvalidInput
from tests.accounts.factories import SiteAdminFactory
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_pages_are_flagged_for_menus_over_rest_and_graphql(editor_a, tenant_a):
    from tests.accounts.factories import SiteAdminFactory

    with schema_context("alpha"):
        admin = SiteAdminFactory()
    client = signed_in(tenant_a, admin)
    created = client.post(
        "/api/v1/content/nodes/",
        {"kind": "page", "title": "Flagged", "show_in_menus": True},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["show_in_menus"] is True
    node_id = created.json()["id"]
    query = """mutation($id: ID!) { updateContentNode(id: $id, input: {showInMenus: false}) {
        node { showInMenus } } }"""
    answer = client.post(
        "/api/graphql/", {"query": query, "variables": {"id": node_id}}, content_type="application/json"
    )
    assert answer.json()["data"]["updateContentNode"]["node"]["showInMenus"] is False, answer.content


def test_a_post_cannot_be_put_in_the_menu(tenant_a):
    with schema_context("alpha"), pytest.raises(InvalidInput) as refused:
        services.create_node(
            actor=SiteAdminFactory(), kind="post", texts={"en": {"title": "P"}}, show_in_menus=True
        )
    assert "show_in_menus" in refused.value.errors


def test_the_page_form_of_the_admin_sets_show_in_menus(tenant_a):
    from django.test import Client

    from tests.conftest import ALPHA_HOST

    client = Client(HTTP_HOST=ALPHA_HOST)
    with schema_context("alpha"):
        client.force_login(SiteAdminFactory())
        node = services.create_node(
            actor=SiteAdminFactory(), kind="page", texts={"en": {"title": "Menu page"}}
        )
    html = client.get(f"/admin/content/page/{node.pk}/change/").content.decode()
    assert 'name="show_in_menus"' in html


def test_a_revision_keeps_the_menu_flag(tenant_a):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        node = services.create_node(actor=admin, kind="page", texts={"en": {"title": "Menu page"}})
        node = services.update_node(actor=admin, node=node, show_in_menus=True)
        revision = node.revisions.order_by("-number").first()
        assert revision.data["show_in_menus"] is True and revision.changed == ["show_in_menus"]
