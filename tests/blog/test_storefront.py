"""The storefront pages of content and blog: what readers see, in which language, and what never."""

import datetime as dt
import time
from unittest import mock

import pytest
from django.urls import reverse
from django_tenants.utils import schema_context

from apps.blog import selectors
from apps.content.preview import preview_token
from apps.core import services as core
from tests.conftest import deliver
from tests.content.factories import make_category, make_node, make_tag
from tests.pages import elements
from tests.site.factories import set_site

HTML = {"HTTP_ACCEPT": "text/html"}
WORDS_600 = " ".join(["word"] * 600)


def post(title="A post", status="published", **fields):
    texts = fields.pop("texts", None) or {"en": {"title": title, "body": fields.pop("body", "Some text.")}}
    return make_node(kind="post", status=status, texts=texts, **fields)


def published_on(day: dt.datetime, **fields):
    """A post published at `day` (the clock stubbed while it is published)."""
    with mock.patch("django.utils.timezone.now", return_value=day):
        return post(**fields)


def links(response, rel: str) -> dict:
    """The page's <link rel=`rel`> addresses by language (hreflang; None for links without one,
    such as canonical; feeds, which have a type, are left out)."""
    return {
        a.get("hreflang"): a["href"]
        for tag, a in elements(response)
        if tag == "link" and a.get("rel") == rel and "type" not in a
    }


# --- posts ----------------------------------------------------------------------------------------


def test_published_post_shows_title_author_date_body_and_reading_time(reader_a):
    with schema_context("alpha"):
        node = post(texts={"en": {"title": "Hello world", "body": "**Bold** move."}})
        author = node.author.display_name
    response = reader_a.get("/blog/hello-world/", **HTML)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Hello world</h1>" in html
    assert "<strong>Bold</strong> move." in html
    assert author in html
    assert f'datetime="{node.published_at.isoformat()}"' in html
    assert "1 min read" in html


@pytest.mark.parametrize("status", ["draft", "in_review", "archived"])
def test_unpublished_post_is_404_and_absent_from_lists(reader_a, status):
    with schema_context("alpha"):
        news = make_category(name="News")
        tag = make_tag(name="python")
        post("Hidden post", status=status, categories=[news], tags=[tag])
        post("Shown post", categories=[news], tags=[tag])
    assert reader_a.get("/blog/hidden-post/", **HTML).status_code == 404
    for path in ("/blog/", "/blog/category/news/", "/blog/tag/python/"):
        html = reader_a.get(path, **HTML).content.decode()
        assert "Shown post" in html
        assert "Hidden post" not in html


def test_editors_see_only_published_posts_on_the_storefront(reader_a):
    from tests.accounts.factories import EditorFactory

    with schema_context("alpha"):
        editor = EditorFactory()
        post("Editor draft", status="draft", actor=editor)
        reader_a.force_login(editor)
    assert reader_a.get("/blog/editor-draft/", **HTML).status_code == 404
    assert "Editor draft" not in reader_a.get("/blog/", **HTML).content.decode()


def test_blog_lists_posts_newest_first_with_excerpt_taxonomy_and_reading_time(reader_a):
    with schema_context("alpha"):
        news = make_category(name="News")
        tag = make_tag(name="python")
        published_on(dt.datetime(2024, 1, 5, tzinfo=dt.UTC), title="Older")
        post(
            texts={"en": {"title": "Newer", "excerpt": "The short version.", "body": WORDS_600}},
            categories=[news],
            tags=[tag],
        )
    response = reader_a.get("/blog/", **HTML)
    html = response.content.decode()
    assert html.index("Newer") < html.index("Older")
    assert "The short version." in html
    assert 'href="/blog/category/news/"' in html
    assert 'href="/blog/tag/python/"' in html
    assert "3 min read" in html


def test_blog_is_paginated(reader_a):
    with schema_context("alpha"):
        set_site(items_per_page=10)
        for number in range(12):
            post(f"Post {number:02d}")
    first = reader_a.get("/blog/", **HTML).content.decode()
    second = reader_a.get("/blog/?page=2", **HTML).content.decode()
    assert "Post 11" in first and "Post 02" in first and "Post 01" not in first
    assert "Post 01" in second and "Post 00" in second and "Post 11" not in second
    assert 'href="/blog/?page=2"' in first
    assert reader_a.get("/blog/?page=3", **HTML).status_code == 404
    assert reader_a.get("/blog/?page=x", **HTML).status_code == 404


def test_reading_time_of_600_words_is_3_minutes(reader_a):
    with schema_context("alpha"):
        node = post("Long read", body=WORDS_600)
        assert node.reading_time == 3  # stored with the body
    assert "3 min read" in reader_a.get("/blog/long-read/", **HTML).content.decode()


# --- archive, categories, tags --------------------------------------------------------------------


def test_month_archive_lists_the_posts_of_the_month_and_the_sidebar_counts_them(reader_a):
    with schema_context("alpha"):
        published_on(dt.datetime(2024, 3, 1, 0, 0, tzinfo=dt.UTC), title="March one")
        published_on(dt.datetime(2024, 3, 31, 23, 59, tzinfo=dt.UTC), title="March two")
        published_on(dt.datetime(2024, 4, 1, 0, 0, tzinfo=dt.UTC), title="April one")
        post("Draft in March", status="draft")
    deliver("alpha")
    with schema_context("alpha"):
        months = selectors.archive_months()
    assert [(m.year, m.month, m.count) for m in months] == [(2024, 4, 1), (2024, 3, 2)]

    march = reader_a.get("/blog/2024/03/", **HTML).content.decode()
    assert "March one" in march and "March two" in march
    assert "April one" not in march and "Draft in March" not in march
    assert 'href="/blog/2024/03/"' in march
    assert "(2)" in march
    assert reader_a.get("/blog/2024/13/", **HTML).status_code == 404


def test_category_page_lists_its_posts_by_slug_in_any_language(reader_a):
    with schema_context("alpha"):
        news = make_category(name="News", ru={"name": "Новости", "slug": "novosti"})
        other = make_category(name="Other")
        post("In news", categories=[news])
        post("Elsewhere", categories=[other])
    for path in ("/blog/category/news/", "/blog/category/novosti/"):
        html = reader_a.get(path, **HTML).content.decode()
        assert "In news" in html
        assert "Elsewhere" not in html
    assert reader_a.get("/blog/category/missing/", **HTML).status_code == 404


def test_tag_page_lists_its_posts(reader_a):
    with schema_context("alpha"):
        python = make_tag(name="python")
        post("Tagged", tags=[python])
        post("Untagged")
    html = reader_a.get("/blog/tag/python/", **HTML).content.decode()
    assert "Tagged" in html and "Untagged" not in html
    assert reader_a.get("/blog/tag/missing/", **HTML).status_code == 404


# --- pages ----------------------------------------------------------------------------------------


def test_published_page_shows_seo_fields_language_and_alternates(reader_a):
    with schema_context("alpha"):
        make_node(
            status="published",
            texts={
                "en": {
                    "title": "About",
                    "body": "Who we are.",
                    "seo_title": "About us",
                    "seo_description": "Us.",
                },
                "ru": {"title": "О нас", "slug": "o-nas", "body": "Кто мы."},
            },
        )
    response = reader_a.get("/pages/about/", **HTML)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<title>About us · Alpha</title>" in html
    assert '<meta name="description" content="Us.">' in html
    assert links(response, "alternate") == {
        "en": "http://alpha.test/pages/about/",
        "ru": "http://alpha.test/pages/o-nas/?lang=ru",
    }
    assert 'name="robots"' not in html


@pytest.mark.parametrize("status", ["draft", "in_review", "archived"])
def test_unpublished_page_is_an_html_404(reader_a, status):
    with schema_context("alpha"):
        make_node(title="Secret", status=status)
    response = reader_a.get("/pages/secret/", **HTML)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"Secret" not in response.content


def test_a_post_is_not_a_page(reader_a):
    with schema_context("alpha"):
        post("Only a post")
    assert reader_a.get("/pages/only-a-post/", **HTML).status_code == 404


# --- languages ------------------------------------------------------------------------------------


def test_lang_ru_shows_russian_text_and_falls_back_to_english(reader_a):
    with schema_context("alpha"):
        post(texts={"en": {"title": "Hello", "body": "English body."}, "ru": {"title": "Привет"}})
        post(texts={"en": {"title": "Only English", "body": "Untranslated."}})
    page = reader_a.get("/blog/hello/?lang=ru", **HTML).content.decode()
    assert '<html lang="ru">' in page
    assert "<h1>Привет</h1>" in page
    assert "English body." in page  # no Russian body: the site's default language stands in
    listing = reader_a.get("/blog/?lang=ru", **HTML).content.decode()
    assert "Привет" in listing and "Only English" in listing
    assert 'href="/blog/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82/?lang=ru"' in listing
    assert reader_a.get("/blog/привет/?lang=ru", **HTML).status_code == 200


def test_accept_language_chooses_the_language(reader_a):
    with schema_context("alpha"):
        post(texts={"en": {"title": "Hello"}, "ru": {"title": "Привет"}})
    html = reader_a.get("/blog/hello/", HTTP_ACCEPT_LANGUAGE="ru", **HTML).content.decode()
    assert "<h1>Привет</h1>" in html


def test_site_default_language_is_used_without_a_choice(reader_b):
    with schema_context("beta"):
        post(texts={"en": {"title": "Hello"}, "ru": {"title": "Привет", "slug": "privet"}})
    html = reader_b.get("/blog/privet/", **HTML).content.decode()
    assert '<html lang="ru">' in html
    assert "<h1>Привет</h1>" in html
    assert "<h1>Hello</h1>" in reader_b.get("/blog/privet/?lang=en", **HTML).content.decode()


# --- preview --------------------------------------------------------------------------------------


def test_preview_shows_a_draft_with_a_banner_and_noindex(reader_a):
    with schema_context("alpha"):
        page = make_node(title="Work in progress", body="Not yet.")
        post_draft = post("Draft post", status="draft", body=WORDS_600)
        page_url = reverse("content-preview", args=[preview_token(page)])
        post_url = reverse("content-preview", args=[preview_token(post_draft)])
    response = reader_a.get(page_url, **HTML)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Work in progress" in html and "Not yet." in html
    assert "Preview" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    post_html = reader_a.get(post_url, **HTML).content.decode()
    assert "Draft post" in post_html and "3 min read" in post_html and "Preview" in post_html


def test_preview_refuses_a_tampered_token(reader_a):
    with schema_context("alpha"):
        token = preview_token(make_node(title="Draft"))
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    assert reader_a.get(f"/preview/{tampered}/", **HTML).status_code == 404
    assert reader_a.get("/preview/nonsense/", **HTML).status_code == 404


def test_preview_refuses_a_token_of_another_site(reader_a, reader_b):
    with schema_context("alpha"):
        token = preview_token(make_node(title="Alpha draft"))
    assert reader_b.get(f"/preview/{token}/", **HTML).status_code == 404
    assert reader_a.get(f"/preview/{token}/", **HTML).status_code == 200


def test_preview_of_a_post_is_404_while_the_blog_is_off(reader_a, tenant_a):
    with schema_context("alpha"):
        token = preview_token(post("Draft post", status="draft"))
    core.set_module_enabled(tenant=tenant_a, module="blog", enabled=False)
    assert reader_a.get(f"/preview/{token}/", **HTML).status_code == 404


def test_preview_refuses_an_expired_token(reader_a):
    with schema_context("alpha"):
        node = make_node(title="Old draft")
        with mock.patch("django.core.signing.time.time", return_value=time.time() - 25 * 3600):
            token = preview_token(node)
    assert reader_a.get(f"/preview/{token}/", **HTML).status_code == 404


# --- the module toggle ----------------------------------------------------------------------------


def test_blog_pages_and_feeds_are_404_while_the_blog_is_off(reader_a, tenant_a):
    with schema_context("alpha"):
        news = make_category(name="News")
        post("Visible", categories=[news])
    core.set_module_enabled(tenant=tenant_a, module="blog", enabled=False)
    for path in (
        "/blog/",
        "/blog/visible/",
        "/blog/2024/03/",
        "/blog/category/news/",
        "/blog/feed/rss/",
        "/blog/feed/atom/",
        "/blog/category/news/feed/rss/",
        "/blog/category/news/feed/atom/",
    ):
        assert reader_a.get(path, **HTML).status_code == 404, path
        assert reader_a.get(path).status_code == 404, path


# --- safety and cost ------------------------------------------------------------------------------


def test_script_and_event_handlers_in_a_post_never_reach_the_page(reader_a):
    with schema_context("alpha"):
        post(
            texts={
                "en": {
                    "title": "Safe <script>alert(1)</script>",
                    "slug": "safe",
                    "excerpt": "<script>alert(2)</script>",
                    "body": '<p>Hi</p><script>alert(3)</script><img src="/x.png" onerror="alert(4)">',
                }
            },
            body_format="html",
        )
    for path in ("/blog/safe/", "/blog/"):
        response = reader_a.get(path, **HTML)
        html = response.content.decode()
        own = '<script src="/static/rustok/storefront.js" defer></script>'
        assert html.count(own) == 1 and "<script" not in html.replace(own, "")
        assert "onerror=" not in html
        # The page's only script is the storefront's own file, never one written in a post.
        scripts = [attrs for tag, attrs in elements(response) if tag == "script"]
        assert scripts == [{"src": "/static/rustok/storefront.js", "defer": None}]
        assert all("onerror" not in attrs for _tag, attrs in elements(response))
    assert '<img src="/x.png">' in reader_a.get("/blog/safe/", **HTML).content.decode()


@pytest.mark.parametrize("count", [3, 15])
def test_blog_index_queries_do_not_grow_with_posts(client_a, django_assert_max_num_queries, count):
    with schema_context("alpha"):
        news, python = make_category(name="News"), make_tag(name="python")
        for number in range(count):
            post(f"Post {number}", categories=[news], tags=[python])
    deliver("alpha")  # the worker catches up: readers read documents
    client_a.get("/blog/", **HTML)  # the module toggles are cached once
    # 7 for the page (1 of them routing: the search path), 3 for the frame (the site's settings,
    # its social links, the menu).
    with django_assert_max_num_queries(10):
        assert client_a.get("/blog/", **HTML).status_code == 200
