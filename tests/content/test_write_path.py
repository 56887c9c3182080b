"""The write path of nodes: each body is rendered once, the enabled kinds are read once."""

from __future__ import annotations

from unittest import mock

import pytest
from django.utils.dateparse import parse_datetime
from django_tenants.utils import schema_context

from apps.content import kinds, markup, services
from apps.core.services import set_module_enabled
from rustok.errors import InvalidInput
from tests.conftest import signed_in
from tests.content.factories import admin, make_node, make_tag

pytestmark = pytest.mark.django_db


def test_creating_a_node_renders_its_body_once(tenant_a):
    with schema_context("alpha"), mock.patch.object(markup, "render", wraps=markup.render) as render:
        node = make_node(title="Tea", body="We make **tea**.")
    assert node.body_html_en == "<p>We make <strong>tea</strong>.</p>\n"
    assert render.call_count == 1


def test_restoring_a_revision_renders_its_body_once(tenant_a):
    with schema_context("alpha"):
        actor = admin()
        node = make_node(actor=actor, title="Tea", body="First *draft*.")
        node = services.update_node(actor=actor, node=node, texts={"en": {"body": "Second."}})
        first = node.revisions.get(number=1)
        with mock.patch.object(markup, "render", wraps=markup.render) as render:
            node = services.restore_revision(actor=actor, node=node, revision=first)
    assert node.body_html_en == "<p>First <em>draft</em>.</p>\n"
    assert render.call_count == 1


def test_a_kind_whose_module_is_off_is_refused_reading_the_enabled_kinds_once(tenant_a):
    set_module_enabled(tenant=tenant_a, module="blog", enabled=False)
    try:
        with (
            schema_context("alpha"),
            mock.patch.object(kinds, "enabled_kinds", wraps=kinds.enabled_kinds) as enabled,
            pytest.raises(InvalidInput) as refused,
        ):
            services.create_node(actor=admin(), kind="post", texts={"en": {"title": "News"}})
    finally:
        set_module_enabled(tenant=tenant_a, module="blog", enabled=True)
    assert refused.value.errors["kind"] == ["Unknown kind 'post'. This site has: page."]
    assert enabled.call_count == 1


def test_changing_only_the_tags_of_a_node_counts_as_an_edit_of_it(tenant_a):
    """The tags (or categories) given to an update are part of the node's changes: its
    `updated_at` moves, like for any other edit, and the revision names them."""
    with schema_context("alpha"):
        actor = admin()
        node = make_node(actor=actor, title="Tea")
        tag = make_tag(name="green")
        before = node.updated_at
        client = signed_in(tenant_a, actor)
    response = client.patch(
        f"/api/v1/content/nodes/{node.pk}/", {"tags": [tag.pk]}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert [t["name"] for t in body["tags"]] == ["green"]
    assert parse_datetime(body["updated_at"]) > before
    with schema_context("alpha"):
        assert node.revisions.order_by("-number").first().changed == ["tags"]
