"""Query counts of the blog: its REST lists and storefront pages are flat in their length, and
every REST write of a post costs a fixed number of queries."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.conftest import deliver
from tests.content.factories import make_category, make_node, make_tag
from tests.content.test_query_counts import NODE_WRITES, arrange_node_write, node_write
from tests.queries import costs, flat

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/blog/posts/"
HTML = {"HTTP_ACCEPT": "text/html"}


@pytest.fixture
def taxonomy(tenant_a, admin):
    with schema_context("alpha"):
        categories = [make_category(actor=admin, name=f"Category {n}") for n in range(3)]
        tags = [make_tag(actor=admin, name=f"tag-{n}") for n in range(3)]
    return categories, tags


@pytest.fixture
def admin(tenant_a):
    from tests.accounts.factories import SiteAdminFactory

    with schema_context("alpha"):
        return SiteAdminFactory()


def add_posts(count: int, taxonomy, start: int = 0) -> None:
    categories, tags = taxonomy
    with schema_context("alpha"):
        for n in range(start, start + count):
            make_node(
                kind="post",
                texts={"en": {"title": f"Post {n}", "body": f"Some **text** {n}."}},
                categories=categories,
                tags=tags,
                status="published",
            )
    deliver("alpha")  # the worker catches up: readers read the posts' documents


def results(response) -> int:
    assert response.status_code == 200, response.content
    return len(response.json()["results"])


def teasers(response) -> int:
    assert response.status_code == 200, response.content
    return len(response.context["posts"])


def months(response) -> int:
    assert response.status_code == 200, response.content
    return sum(month["count"] for month in response.json())


def test_the_anonymous_post_list_costs_the_same_for_2_and_12_posts(
    client_a, taxonomy, django_assert_max_num_queries
):
    add_posts(2, taxonomy)
    # routing (the search path: the host's tenant is kept), the count, the page, its categories, its tags
    flat(
        django_assert_max_num_queries,
        5,
        ask=lambda: client_a.get(POSTS),
        grow=lambda: add_posts(10, taxonomy, start=2),
        size=results,
    )


def test_the_archive_api_costs_the_same_for_2_and_12_posts(client_a, taxonomy, django_assert_max_num_queries):
    add_posts(2, taxonomy)
    # routing (the search path), the months with their counts
    flat(
        django_assert_max_num_queries,
        2,
        ask=lambda: client_a.get("/api/v1/blog/archive/"),
        grow=lambda: add_posts(10, taxonomy, start=2),
        size=months,
    )


def this_month() -> str:
    now = timezone.localtime()
    return f"/blog/{now.year:04d}/{now.month:02d}/"


# The blog's pages: routing (the search path: 1), the frame (the site's settings, its social
# links, the menu: 3), the months and the categories of the sidebar (2), then the page's own
# reads: the count, the page, its categories, its tags, and for a category or tag page the
# category or tag itself.
@pytest.mark.parametrize(
    ("address", "budget"),
    [
        pytest.param(lambda taxonomy: "/blog/", 10, id="index"),
        pytest.param(lambda taxonomy: this_month(), 10, id="archive"),
        pytest.param(lambda taxonomy: f"/blog/category/{taxonomy[0][0].slug}/", 11, id="category"),
        pytest.param(lambda taxonomy: f"/blog/tag/{taxonomy[1][0].slug}/", 11, id="tag"),
    ],
)
def test_a_blog_page_costs_the_same_for_2_and_12_posts(
    client_a, taxonomy, django_assert_max_num_queries, address, budget
):
    add_posts(2, taxonomy)
    url = address(taxonomy)
    flat(
        django_assert_max_num_queries,
        budget,
        ask=lambda: client_a.get(url, **HTML),
        grow=lambda: add_posts(10, taxonomy, start=2),
        size=teasers,
    )


# The REST writes of posts are the nodes' (apps.blog.api.PostViewSet), with their own budgets.
POST_BUDGETS = {
    "create": 27,
    "partial_update": 22,
    "update": 22,
    "delete": 21,
    "submit": 19,
    "reject": 19,
    "publish": 19,
    "unpublish": 19,
    "archive": 19,
    "unarchive": 19,
    "schedule": 19,
    "upload_the_image": 19,
    "remove_the_image": 13,
    "restore_a_revision": 31,
}


@pytest.mark.parametrize(
    ("status", "method", "address", "body", "budget"),
    [pytest.param(*case[1:5], POST_BUDGETS[case[0]], id=case[0]) for case in NODE_WRITES],
)
def test_each_rest_write_of_a_post_costs_a_fixed_number_of_queries(
    tenant_a, admin, taxonomy, media, django_assert_max_num_queries, status, method, address, body, budget
):
    from django.test import Client

    from tests.conftest import ALPHA_HOST, bearer

    client = Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, admin))
    node = arrange_node_write(admin, taxonomy, status, address, kind="post")
    client.get("/api/v1/site/")  # the module toggles are cached once, as on a running site
    response = costs(
        django_assert_max_num_queries,
        budget,
        lambda: node_write(client, POSTS, taxonomy, node, method, address, body, "post"),
    )
    assert response.status_code in (200, 201, 204), response.content
