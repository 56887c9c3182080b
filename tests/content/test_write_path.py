"""The write path of nodes: each body is rendered once, the enabled kinds are read once."""

from __future__ import annotations

from unittest import mock

import pytest
from django_tenants.utils import schema_context

from apps.content import kinds, markup, services
from apps.core.services import set_module_enabled
from rustok.errors import InvalidInput
from tests.content.factories import admin, make_node

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
