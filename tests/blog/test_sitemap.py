"""The blog's sitemap sections: published posts, and the categories and tags that have some."""

import datetime as dt

from django_tenants.utils import schema_context

from apps.core.services import set_module_enabled
from tests.content.factories import make_category, make_node, make_tag
from tests.content.test_sitemap import entries


def test_published_posts_their_categories_and_tags_are_listed(reader_a):
    with schema_context("alpha"):
        news, _empty, drafts_only = (make_category(name=n) for n in ("News", "Empty", "Drafts only"))
        tea, unused = make_tag(name="tea"), make_tag(name="unused")
        post = make_node(kind="post", title="Hello", status="published", categories=[news], tags=[tea])
        make_node(kind="post", title="Draft", categories=[drafts_only], tags=[unused])
    found = entries(reader_a)
    assert set(found) == {
        "http://alpha.test/blog/hello/",
        "http://alpha.test/blog/category/news/",
        "http://alpha.test/blog/tag/tea/",
    }
    day = f"{post.updated_at:%Y-%m-%d}"
    assert {entry["lastmod"] for entry in found.values()} == {day}


def test_a_category_changes_when_a_post_in_it_does(reader_a):
    with schema_context("alpha"):
        news = make_category(name="News")
        make_node(kind="post", title="Old", status="published", categories=[news])
        from apps.content.models import Category, Node

        Category.objects.filter(pk=news.pk).update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        Node.objects.filter(kind="post").update(updated_at=dt.datetime(2024, 5, 6, tzinfo=dt.UTC))
    assert entries(reader_a)["http://alpha.test/blog/category/news/"]["lastmod"] == "2024-05-06"


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
    assert list(entries(reader_a)) == ["http://alpha.test/pages/about/"]


def test_the_sitemap_of_a_busy_blog_takes_a_fixed_number_of_queries(client_a, django_assert_max_num_queries):
    with schema_context("alpha"):
        categories = [make_category(name=f"Category {n}") for n in range(5)]
        tags = [make_tag(name=f"tag{n}") for n in range(5)]
        for n in range(15):
            make_node(
                kind="post",
                title=f"Post {n}",
                status="published",
                texts={"en": {"title": f"Post {n}"}, "ru": {"title": f"Пост {n}"}},
                categories=categories[n % 5 : n % 5 + 1],
                tags=tags[: n % 5 + 1],
            )
    entries(client_a)  # the site and module toggles are cached now
    # Routing (the search path) and one query per section (pages, posts, categories, tags, notes).
    with django_assert_max_num_queries(6):
        assert len(entries(client_a)) == 15 * 2 + 5 + 5
