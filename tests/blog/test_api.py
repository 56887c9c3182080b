"""REST of the blog: posts with reading time, the archive, and the blog's toggle."""

import datetime as dt

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.content.models import Node
from apps.core.models import Tenant
from apps.core.services import set_module_enabled
from tests.accounts.factories import EditorFactory
from tests.conftest import ALPHA_HOST, bearer
from tests.content.factories import make_node

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/blog/posts/"


def test_posts_list_only_published_posts_with_their_reading_time(reader_a):
    with schema_context("alpha"):
        make_node(kind="post", title="Long read", body="word " * 600, status="published")
        make_node(kind="post", title="Draft post", status="draft")
        make_node(kind="page", title="A page", status="published")
    body = reader_a.get(POSTS).json()
    assert [(p["title"], p["kind"], p["reading_time"]) for p in body["results"]] == [("Long read", "post", 3)]
    assert body["results"][0]["url"] == "/blog/long-read/"


def test_an_editor_writes_a_post_without_naming_the_kind(tenant_a):
    with schema_context("alpha"):
        editor = EditorFactory()
    client = Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, editor))
    response = client.post(POSTS, {"title": "Hello blog", "body": "Hi"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "post" and response.json()["reading_time"] == 1
    submitted = client.post(f"{POSTS}{response.json()['id']}/submit/")
    assert submitted.json()["status"] == "in_review"
    with schema_context("alpha"):
        page = make_node(title="Page")
    assert client.get(f"{POSTS}{page.pk}/").status_code == 404  # a page is not a post


def test_the_archive_counts_published_posts_per_month(reader_a):
    with schema_context("alpha"):
        for title, day in [
            ("Nov A", dt.datetime(2026, 11, 2, tzinfo=dt.UTC)),
            ("Nov B", dt.datetime(2026, 11, 20, tzinfo=dt.UTC)),
            ("Oct", dt.datetime(2026, 10, 31, 23, tzinfo=dt.UTC)),
        ]:
            node = make_node(kind="post", title=title, status="published")
            Node.objects.filter(pk=node.pk).update(published_at=day)
        make_node(kind="post", title="Draft")
    assert reader_a.get("/api/v1/blog/archive/").json() == [
        {"year": 2026, "month": 11, "count": 2},
        {"year": 2026, "month": 10, "count": 1},
    ]


def test_with_the_blog_off_its_api_is_gone_and_posts_are_hidden_everywhere(reader_a):
    with schema_context("alpha"):
        make_node(kind="post", title="Hidden post", status="published")
    set_module_enabled(tenant=Tenant.objects.get(schema_name="alpha"), module="blog", enabled=False)
    response = reader_a.get(POSTS)
    assert response.status_code == 404 and response.json()["code"] == "module_disabled"
    assert reader_a.get("/api/v1/content/nodes/").json()["count"] == 0
    assert reader_a.get("/blog/").status_code == 404
