"""RSS and Atom feeds of the blog: published posts only, of this site only, with absolute links."""

import datetime as dt
from unittest import mock
from xml.etree import ElementTree

import pytest
from django_tenants.utils import schema_context

from tests.conftest import deliver
from tests.content.factories import make_category, make_node, make_tag

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"


def post(title="A post", status="published", **fields):
    texts = fields.pop("texts", None) or {"en": {"title": title, "body": fields.pop("body", "Some text.")}}
    return make_node(kind="post", status=status, texts=texts, **fields)


def rss_items(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    return channel.findall("item")


def atom_entries(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content).findall(f"{ATOM}entry")


def rss_titles(response) -> list[str]:
    return [item.findtext("title") for item in rss_items(response)]


def test_rss_lists_published_posts_newest_first_with_absolute_links(reader_a):
    with schema_context("alpha"):
        news = make_category(name="News")
        with mock.patch("django.utils.timezone.now", return_value=dt.datetime(2024, 1, 5, tzinfo=dt.UTC)):
            post("Older")
        newer = post(
            texts={"en": {"title": "Newer", "excerpt": "In short.", "body": "Long text."}}, categories=[news]
        )
        author = newer.author.display_name
    response = reader_a.get("/blog/feed/rss/")
    channel = ElementTree.fromstring(response.content).find("channel")
    assert channel.findtext("title") == "Alpha"
    assert channel.findtext("link") == "http://alpha.test/blog/"
    items = rss_items(response)
    assert [item.findtext("title") for item in items] == ["Newer", "Older"]
    first = items[0]
    assert first.findtext("link") == "http://alpha.test/blog/newer/"
    assert first.findtext("description") == "In short."
    assert first.findtext(f"{DC}creator") == author
    assert [c.text for c in first.findall("category")] == ["News"]
    assert first.findtext("pubDate") == newer.published_at.strftime("%a, %d %b %Y %H:%M:%S +0000")
    assert items[1].findtext("pubDate") == "Fri, 05 Jan 2024 00:00:00 +0000"


def test_atom_lists_the_same_posts(reader_a):
    with schema_context("alpha"):
        post("First", body="The body of the first post.")
        post("Second")
    entries = atom_entries(reader_a.get("/blog/feed/atom/"))
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Second", "First"]
    first = entries[1]
    assert first.find(f"{ATOM}link").get("href") == "http://alpha.test/blog/first/"
    assert first.findtext(f"{ATOM}summary") == "The body of the first post."
    assert first.findtext(f"{ATOM}id").startswith("tag:alpha.test,")
    assert first.findtext(f"{ATOM}published")


@pytest.mark.parametrize("status", ["draft", "in_review", "archived"])
def test_unpublished_posts_never_appear_in_feeds(reader_a, status):
    with schema_context("alpha"):
        news = make_category(name="News")
        post("Hidden", status=status, categories=[news])
        post("Shown", categories=[news])
    assert rss_titles(reader_a.get("/blog/feed/rss/")) == ["Shown"]
    assert rss_titles(reader_a.get("/blog/category/news/feed/rss/")) == ["Shown"]
    entries = atom_entries(reader_a.get("/blog/feed/atom/"))
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Shown"]


def test_pages_are_not_in_the_blog_feed(reader_a):
    with schema_context("alpha"):
        make_node(title="About", status="published")
        post("A post")
    assert rss_titles(reader_a.get("/blog/feed/rss/")) == ["A post"]


def test_category_feed_has_only_that_categorys_posts(reader_a):
    with schema_context("alpha"):
        news = make_category(name="News", ru={"name": "Новости", "slug": "novosti"})
        other = make_category(name="Other")
        post("In news", categories=[news])
        post("In both", categories=[news, other])
        post("Elsewhere", categories=[other])
        post("Nowhere")
    response = reader_a.get("/blog/category/news/feed/rss/")
    assert ElementTree.fromstring(response.content).find("channel").findtext("title") == "Alpha: News"
    assert rss_titles(response) == ["In both", "In news"]
    entries = atom_entries(reader_a.get("/blog/category/novosti/feed/atom/"))
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["In both", "In news"]
    assert reader_a.get("/blog/category/missing/feed/rss/").status_code == 404


def test_feed_has_at_most_blog_feed_items(reader_a, settings):
    settings.BLOG_FEED_ITEMS = 2
    with schema_context("alpha"):
        for number in range(4):
            post(f"Post {number}")
    assert rss_titles(reader_a.get("/blog/feed/rss/")) == ["Post 3", "Post 2"]


def test_feeds_never_show_another_sites_posts(reader_a, reader_b):
    with schema_context("alpha"):
        post("Alpha post")
    with schema_context("beta"):
        post(texts={"ru": {"title": "Бета", "slug": "beta-post"}})
    assert rss_titles(reader_a.get("/blog/feed/rss/")) == ["Alpha post"]
    response = reader_b.get("/blog/feed/rss/")
    assert ElementTree.fromstring(response.content).find("channel").findtext("title") == "Beta"
    items = rss_items(response)
    assert [item.findtext("title") for item in items] == ["Бета"]
    assert items[0].findtext("link") == "http://beta.test/blog/beta-post/"


def test_feed_follows_the_language_with_fallback(reader_a):
    with schema_context("alpha"):
        post(texts={"en": {"title": "Hello"}, "ru": {"title": "Привет", "slug": "privet"}})
        post(texts={"en": {"title": "English only"}})
    response = reader_a.get("/blog/feed/rss/?lang=ru")
    channel = ElementTree.fromstring(response.content).find("channel")
    assert channel.findtext("language") == "ru"
    items = rss_items(response)
    assert [item.findtext("title") for item in items] == ["English only", "Привет"]
    assert items[1].findtext("link") == "http://alpha.test/blog/privet/?lang=ru"


def test_script_and_event_handlers_in_a_post_never_reach_a_feed(reader_a):
    with schema_context("alpha"):
        post(
            texts={
                "en": {
                    "title": "Safe",
                    "body": '<p>Hi there</p><script>alert(1)</script><img src="/x.png" onerror="alert(2)">',
                }
            },
            body_format="html",
        )
    for path in ("/blog/feed/rss/", "/blog/feed/atom/"):
        body = reader_a.get(path).content.decode()
        assert "<script" not in body.lower()
        assert "script&gt;" not in body.lower()
        assert "onerror" not in body.lower()
        assert "alert(" not in body
        assert "Hi there" in body


@pytest.mark.parametrize("path", ["/blog/feed/rss/", "/blog/feed/atom/", "/blog/category/news/feed/rss/"])
@pytest.mark.parametrize("count", [3, 15])
def test_feed_queries_do_not_grow_with_posts(client_a, django_assert_max_num_queries, path, count):
    with schema_context("alpha"):
        news, python = make_category(name="News"), make_tag(name="python")
        for number in range(count):
            post(f"Post {number}", categories=[news], tags=[python])
    deliver("alpha")  # the worker catches up: readers read documents
    client_a.get(path)  # the module toggles and the host's route are kept once
    with django_assert_max_num_queries(5):
        assert (
            len(rss_items(client_a.get(path)) if "rss" in path else atom_entries(client_a.get(path))) == count
        )
