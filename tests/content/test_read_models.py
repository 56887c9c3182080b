"""Readers read the nodes' documents: what the projections keep equals what a rebuild makes, field
for field; events reach only the projections they concern; pages never parse HTML per request."""

from __future__ import annotations

from unittest import mock

import pytest
from django_tenants.utils import schema_context

from apps.content import services
from apps.events.models import Delivery
from apps.index.models import Document
from tests.conftest import deliver
from tests.content.factories import admin, make_category, make_node, make_tag
from tests.index.rebuilds import assert_a_rebuild_makes, documents

pytestmark = pytest.mark.django_db

HTML = {"HTTP_ACCEPT": "text/html"}


def test_a_rebuild_makes_the_documents_the_projections_kept_after_a_long_series_of_writes(tenant_a):
    with schema_context("alpha"):
        editor = admin()
        news = make_category(actor=editor, name="News", ru={"name": "Новости"})
        tea = make_tag(actor=editor, name="tea")
        about = make_node(actor=editor, title="About", status="published", show_in_menus=True)
        team = make_node(
            actor=editor,
            texts={"en": {"title": "Team", "body": "We are **three**."}, "ru": {"title": "Команда"}},
            status="published",
            parent=about,
            show_in_menus=True,
        )
        posts = [
            make_node(
                actor=editor,
                kind="post",
                texts={
                    "en": {
                        "title": f"Post {n}",
                        "body": f"Text {n} " * 300,
                        "excerpt": "Short" if n % 2 else "",
                    }
                },
                categories=[news],
                tags=[tea],
                status="published",
            )
            for n in range(6)
        ]
        make_node(actor=editor, kind="post", title="Still a draft")
        services.update_node(actor=editor, node=posts[0], texts={"ru": {"title": "Пост", "body": "Текст."}})
        services.update_node(actor=editor, node=team, texts={"en": {"excerpt": "Who we are."}}, position=3)
        services.update_category(actor=editor, category=news, texts={"en": {"name": "Tidings"}})
        services.update_tag(actor=editor, tag=tea, texts={"en": {"name": "green tea"}})
        services.transition_node(actor=editor, node=posts[1], name="unpublish")
        services.transition_node(actor=editor, node=posts[2], name="archive")
        services.delete_node(actor=editor, node=posts[3])
        services.delete_tag(actor=editor, tag=make_tag(actor=editor, name="gone"))
    deliver("alpha")
    with schema_context("alpha"):
        kept = documents()
        assert len(kept) == 2 * 5  # two pages and three posts, in both languages
    assert_a_rebuild_makes(kept)


def handlers_run(schema: str = "alpha") -> set[str]:
    with schema_context(schema):
        return set(Delivery.objects.filter(handler__startswith="index.").values_list("handler", flat=True))


def test_a_post_event_runs_the_post_projection_only(tenant_a):
    with schema_context("alpha"):
        make_node(kind="post", title="News", status="published")
    deliver("alpha")
    assert handlers_run() == {"index.content.post"}


def test_events_of_drafts_run_no_projection(tenant_a):
    with schema_context("alpha"):
        editor = admin()
        node = make_node(actor=editor, kind="post", title="Draft")
        services.update_node(actor=editor, node=node, texts={"en": {"title": "Draft, again"}})
        node = services.transition_node(actor=editor, node=node, name="submit")
        services.transition_node(actor=editor, node=node, name="reject")
    deliver("alpha")
    assert handlers_run() == set()


def test_readers_pages_never_parse_html(reader_a):
    with schema_context("alpha"):
        make_node(kind="post", title="Hello", body="**Bold** words " * 50, status="published")
        make_node(title="About", body="Some *text*.", status="published", show_in_menus=True)
    deliver("alpha")
    with mock.patch("rustok.markup.plain_text", side_effect=AssertionError("parsed HTML")):
        for path in ("/", "/blog/", "/blog/hello/", "/pages/about/", "/blog/feed/rss/"):
            assert reader_a.get(path, **HTML).status_code == 200, path
        for path in ("/api/v1/blog/posts/", "/api/v1/content/nodes/"):
            assert reader_a.get(path).json()["count"] >= 1, path
        answer = reader_a.post(
            "/api/graphql/",
            {"query": "{ contentNodes { totalCount edges { node { title excerpt bodyHtml } } } }"},
            content_type="application/json",
        ).json()
        assert answer["data"]["contentNodes"]["totalCount"] == 2, answer


GRAPHQL_READER = """query($id: ID!, $slug: String!) {
  list: contentNodes(first: 20, kind: POST, category: "news") { totalCount edges { node {
    id title slug excerpt body bodyHtml bodyFormat seoTitle status language languages url
    publishedAt createdAt updatedAt position showInMenus featuredImage
    author { id displayName } parent { title } children { title } categories { name } tags { name }
  } } }
  byId: contentNode(id: $id) { title parent { title } children { title } }
  bySlug: contentNodeBySlug(kind: POST, slug: $slug) { title }
}"""


def test_readers_graphql_answers_come_from_the_documents(tenant_a, django_assert_max_num_queries):
    from django.test import Client

    from tests.conftest import ALPHA_HOST

    with schema_context("alpha"):
        editor = admin()
        news = make_category(actor=editor, name="News")
        post = make_node(
            actor=editor,
            kind="post",
            title="Hello",
            body="Some *text*.",
            categories=[news],
            status="published",
        )
    deliver("alpha")
    client = Client(HTTP_HOST=ALPHA_HOST)
    ask = {"query": GRAPHQL_READER, "variables": {"id": post.pk, "slug": "hello"}}
    client.post("/api/graphql/", ask, content_type="application/json")  # warms the toggles' cache
    # routing (1); the count and the page; the categories; the children (one batch for both
    # fields); the node by id; the node by slug: no node, no user
    with django_assert_max_num_queries(7) as queries:
        answer = client.post("/api/graphql/", ask, content_type="application/json").json()
    assert "errors" not in answer, answer["errors"]
    [edge] = answer["data"]["list"]["edges"]
    assert (edge["node"]["title"], edge["node"]["bodyHtml"]) == ("Hello", "<p>Some <em>text</em>.</p>\n")
    assert edge["node"]["author"]["displayName"] == editor.display_name
    assert edge["node"]["categories"] == [{"name": "News"}]
    assert answer["data"]["byId"]["title"] == answer["data"]["bySlug"]["title"] == "Hello"
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"content_node"' not in read and "accounts_user" not in read, read


def test_a_new_default_language_makes_the_documents_again(reader_a, tenant_a):
    """Addresses carry `?lang=` for every language but the default, so documents follow it."""
    from apps.core import services as core

    with schema_context("alpha"):
        make_node(
            title="About", status="published", texts={"en": {"title": "About"}, "ru": {"title": "О нас"}}
        )
    deliver("alpha")
    with schema_context("alpha"):
        assert Document.objects.get(type="page", language="en").url == "/pages/about/"
    core.update_tenant(
        tenant=tenant_a, name=tenant_a.name, default_language="ru", default_currency=tenant_a.default_currency
    )
    deliver("alpha")
    with schema_context("alpha"):
        english = Document.objects.get(type="page", language="en")
        russian = Document.objects.get(type="page", language="ru")
    assert english.url == "/pages/about/?lang=en"
    assert russian.url.startswith("/pages/") and "lang=" not in russian.url
    assert "О нас" in reader_a.get(russian.url, **HTML).content.decode()
