"""The blog's list pages show as many posts as the site's "items per page" setting says."""

import pytest
from django_tenants.utils import schema_context

from apps.events.services import relay_all
from tests.content.factories import make_category, make_node
from tests.site.factories import set_site

pytestmark = pytest.mark.django_db
HTML = {"HTTP_ACCEPT": "text/html"}


def posts(count: int, **fields) -> None:
    for number in range(count):
        texts = {"en": {"title": f"Post {number:02d}", "body": "Text."}}
        make_node(kind="post", status="published", texts=texts, **fields)


def shown(client, path: str) -> list[str]:
    """The titles on the page, once every event written so far is delivered (as by a worker)."""
    with schema_context("alpha"):
        relay_all()
    html = client.get(path, **HTML).content.decode()
    return [title for title in (f"Post {n:02d}" for n in range(30)) if title in html]


def test_the_blog_index_shows_20_posts_a_page_by_default(reader_a):
    with schema_context("alpha"):
        posts(21)
    assert len(shown(reader_a, "/blog/")) == 20
    assert shown(reader_a, "/blog/?page=2") == ["Post 00"]


def test_the_blog_index_shows_as_many_posts_as_the_setting_says(reader_a):
    with schema_context("alpha"):
        posts(5)
        set_site(items_per_page=3)
    assert shown(reader_a, "/blog/") == ["Post 02", "Post 03", "Post 04"]
    assert shown(reader_a, "/blog/?page=2") == ["Post 00", "Post 01"]
    assert reader_a.get("/blog/?page=3", **HTML).status_code == 404


def test_category_pages_follow_the_setting_too(reader_a):
    with schema_context("alpha"):
        news = make_category(name="News")
        posts(3, categories=[news])
        set_site(items_per_page=2)
    assert shown(reader_a, "/blog/category/news/") == ["Post 01", "Post 02"]
