"""The write path of nodes: each body is rendered once."""

from __future__ import annotations

from unittest import mock

import pytest
from django_tenants.utils import schema_context

from apps.content import markup, services
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
