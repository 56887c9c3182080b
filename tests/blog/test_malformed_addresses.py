"""Addresses no page can have (a NUL byte in the path) are the readers' 404 page, never a 500."""

import pytest
from django_tenants.utils import schema_context

from tests.content.factories import make_category, make_node, make_tag

HTML = {"HTTP_ACCEPT": "text/html"}


@pytest.mark.parametrize(
    "path",
    [
        "/blog/%00/",
        "/blog/a%00b/",
        "/pages/%00/",
        "/blog/category/%00/",
        "/blog/category/news%00/",
        "/blog/tag/%00/",
        "/blog/category/%00/feed/rss/",
        "/blog/category/%00/feed/atom/",
        "/%00/",
        "/admin/%00/",
    ],
)
def test_a_nul_byte_in_the_path_is_the_not_found_page(client_a, path):
    with schema_context("alpha"):
        news = make_category(name="News")
        make_tag(name="python")
        make_node(kind="post", status="published", texts={"en": {"title": "A post"}}, categories=[news])
    response = client_a.get(path, **HTML)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"Not found" in response.content


def test_a_nul_byte_in_an_api_path_is_a_problem(client_a):
    response = client_a.get("/api/v1/content/categories/%00/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
