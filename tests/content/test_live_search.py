"""End to end with a real worker: a published post is found by search once its event is relayed."""

import time

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.content import services
from tests.accounts.factories import SiteAdminFactory
from tests.conftest import wait_until

pytestmark = pytest.mark.worker


def test_search_finds_a_post_after_publishing_and_not_after_unpublishing(live_tenant, worker):
    worker()
    client = Client(HTTP_HOST="live-events.test")

    def hits():
        return client.get("/api/v1/search/", {"q": "lighthouse"}).json()["count"]

    with schema_context("live_events"):
        admin = SiteAdminFactory()
        post = services.create_node(
            actor=admin, kind="post", texts={"en": {"title": "The lighthouse keeper"}}
        )
    time.sleep(0.5)
    assert hits() == 0  # a draft is never found
    with schema_context("live_events"):
        services.transition_node(actor=admin, node=post, name="publish")

    def found():
        """the published post is found by search"""
        return hits() == 1

    wait_until(found, timeout=10)
    with schema_context("live_events"):
        services.transition_node(actor=admin, node=post, name="unpublish")
    wait_until(lambda: hits() == 0, timeout=10)
