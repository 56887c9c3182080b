"""The blog's sitemap sections: its index, published posts, and the categories and tags that have
some, read from the posts' documents."""

import datetime as dt

from django_tenants.utils import schema_context

from apps.content.models import Category, Node
from apps.core.services import set_module_enabled
from apps.index import projections
from tests.conftest import deliver
from tests.content.factories import make_category, make_node, make_tag
from tests.content.test_sitemap import entries, under
from tests.queries import flat

BLOG = {"en": "http://alpha.test/blog/", "ru": "http://alpha.test/blog/?lang=ru"}


def at(day: dt.date, *nodes) -> None:
    """Make `nodes` last changed on `day`, and rebuild the documents (as after such a change)."""
    Node.objects.filter(pk__in=[node.pk for node in nodes]).update(
        updated_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    )
    for name in ("content.page", "content.post"):
        projections.rebuild(projections.get(name))


def test_published_posts_their_categories_and_tags_are_listed(reader_a):
    with schema_context("alpha"):
        news, _empty, drafts_only = (make_category(name=n) for n in ("News", "Empty", "Drafts only"))
        tea, unused = make_tag(name="tea"), make_tag(name="unused")
        post = make_node(kind="post", title="Hello", status="published", categories=[news], tags=[tea])
        make_node(kind="post", title="Draft", categories=[drafts_only], tags=[unused])
    found = under(entries(reader_a), "/blog/")
    assert set(found) == {
        *BLOG.values(),
        "http://alpha.test/blog/hello/",
        "http://alpha.test/blog/category/news/",
        "http://alpha.test/blog/tag/tea/",
    }
    day = f"{post.updated_at:%Y-%m-%d}"
    assert {entry["lastmod"] for entry in found.values()} == {day}


def test_a_post_is_listed_in_each_language_it_is_written_in(reader_a):
    with schema_context("alpha"):
        make_node(
            kind="post",
            status="published",
            texts={"en": {"title": "Hello"}, "ru": {"title": "Привет", "slug": "privet"}},
        )
        make_node(kind="post", title="English only", status="published")
    found = under(entries(reader_a), "/blog/")
    both = {"en": "http://alpha.test/blog/hello/", "ru": "http://alpha.test/blog/privet/?lang=ru"}
    assert found["http://alpha.test/blog/hello/"]["alternates"] == both
    assert found["http://alpha.test/blog/privet/?lang=ru"]["alternates"] == both
    assert found["http://alpha.test/blog/english-only/"]["alternates"] == {
        "en": "http://alpha.test/blog/english-only/"
    }
    assert "http://alpha.test/blog/english-only/?lang=ru" not in found


def test_the_blog_index_is_listed_in_every_language_with_its_newest_post(reader_a):
    with schema_context("alpha"):
        old = make_node(kind="post", title="Old", status="published")
        new = make_node(kind="post", title="New", status="published")
        make_node(kind="post", title="Draft")
        at(dt.date(2023, 1, 2), old)
        at(dt.date(2024, 5, 6), new)
    found = entries(reader_a)
    for address in BLOG.values():
        assert found[address] == {"lastmod": "2024-05-06", "alternates": BLOG}


def test_a_blog_without_posts_lists_its_index_without_a_date(reader_a):
    with schema_context("alpha"):
        make_node(kind="post", title="Draft")
    found = under(entries(reader_a), "/blog/")
    assert found == {address: {"lastmod": None, "alternates": BLOG} for address in BLOG.values()}


def test_a_category_changes_when_a_post_in_it_does(reader_a):
    with schema_context("alpha"):
        news = make_category(name="News")
        post = make_node(kind="post", title="Old", status="published", categories=[news])
        Category.objects.filter(pk=news.pk).update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        at(dt.date(2024, 5, 6), post)
    assert entries(reader_a)["http://alpha.test/blog/category/news/"]["lastmod"] == "2024-05-06"


def test_a_category_changes_when_it_does(reader_a):
    with schema_context("alpha"):
        news = make_category(name="News")
        post = make_node(kind="post", title="Old", status="published", categories=[news])
        at(dt.date(2023, 1, 2), post)
        Category.objects.filter(pk=news.pk).update(updated_at=dt.datetime(2024, 5, 6, tzinfo=dt.UTC))
    assert entries(reader_a)["http://alpha.test/blog/category/news/"]["lastmod"] == "2024-05-06"


def test_a_term_leaves_with_its_last_published_post(reader_a):
    from apps.content import services
    from tests.content.factories import admin

    with schema_context("alpha"):
        news, tea = make_category(name="News"), make_tag(name="tea")
        post = make_node(kind="post", title="Hello", status="published", categories=[news], tags=[tea])
    assert "http://alpha.test/blog/category/news/" in entries(reader_a)
    with schema_context("alpha"):
        services.transition_node(actor=admin(), node=post, name="unpublish")
    assert set(under(entries(reader_a), "/blog/")) == set(BLOG.values())


def test_translated_categories_have_alternates(reader_a):
    with schema_context("alpha"):
        news = make_category(name="News", ru={"name": "Новости", "slug": "novosti"})
        make_node(kind="post", title="Hello", status="published", categories=[news])
    both = {
        "en": "http://alpha.test/blog/category/news/",
        "ru": "http://alpha.test/blog/category/novosti/?lang=ru",
    }
    found = entries(reader_a)
    assert found["http://alpha.test/blog/category/news/"]["alternates"] == both
    assert found["http://alpha.test/blog/category/novosti/?lang=ru"]["alternates"] == both


def test_the_blogs_sections_leave_with_the_blog(reader_a, tenant_a):
    with schema_context("alpha"):
        make_node(title="About", status="published")
        make_node(kind="post", title="Hello", status="published", categories=[make_category()])
    set_module_enabled(tenant=tenant_a, module="blog", enabled=False)
    assert list(entries(reader_a)) == [
        "http://alpha.test/",
        "http://alpha.test/?lang=ru",
        "http://alpha.test/pages/about/",
    ]


def test_the_sitemap_of_a_busy_blog_takes_a_fixed_number_of_queries(client_a, django_assert_max_num_queries):
    with schema_context("alpha"):
        categories = [make_category(name=f"Category {n}") for n in range(5)]
        tags = [make_tag(name=f"tag{n}") for n in range(5)]

    def write(start: int, count: int) -> None:
        with schema_context("alpha"):
            for n in range(start, start + count):
                make_node(title=f"Page {n}", status="published")
                make_node(
                    kind="post",
                    status="published",
                    texts={"en": {"title": f"Post {n}"}, "ru": {"title": f"Пост {n}"}},
                    categories=categories[n % 5 : n % 5 + 1],
                    tags=tags[: n % 5 + 1],
                )
        deliver("alpha")  # the worker catches up: the sitemap reads the documents

    write(0, 2)
    # Routing (the search path); the home: the site's settings with their social links (read together,
    # as the layout needs them) and the two sections of the default home (4);
    # the pages (1); the blog's index, posts, categories and tags: the posts' documents once (1)
    # and the names of the categories and of the tags (2); the notes (1); the shop: the newest
    # products on the home, the products, the categories and the collections (4).
    _few, many = flat(
        django_assert_max_num_queries,
        14,
        ask=lambda: entries(client_a),
        grow=lambda: write(2, 13),
        size=len,
    )
    assert len(many) == 2 + 2 + 15 + 15 * 2 + 5 + 5
