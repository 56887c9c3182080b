"""Sitemap sections of the blog: its index, published posts, and the categories and tags that have
some. All of them read the posts' documents, once per request (apps.content.sitemaps.listed);
the categories and tags read their names, by the ids the documents carry, in one query each."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from apps.blog.kinds import POST
from apps.blog.views import category_url, tag_url
from apps.content.models import Category, Tag
from apps.content.sitemaps import NodeSitemap, listed
from rustok.i18n import language_codes
from rustok.sitemaps import AddressSection, Section
from rustok.texts import column


class BlogSitemap(AddressSection):
    """The blog's index, `/blog/`, in every language; lastmod the newest change of a published
    post (a publication is one; none while there is none)."""

    @property
    def path(self) -> str:
        return reverse("blog-index")

    def changed(self) -> dt.datetime | None:
        return max((post.updated_at for post in listed(POST)), default=None)


class PostSitemap(NodeSitemap):
    """The published posts, in each language they are written in."""

    kind = POST


class TaxonomySitemap(Section):
    """The categories or tags readers find published posts under, in each language they have a
    name in. lastmod is the term's own last change or the newest change of one of its published
    posts, whichever is later: when its page last changed."""

    model = Category
    key = "category"  # the documents carry "category:<id>" for each of the post's categories
    changed = "updated_at"

    def items(self) -> list:
        newest: dict[int, dt.datetime] = {}
        for post in listed(POST):
            for key in post.keys:
                name, _colon, value = key.partition(":")
                if name == self.key and value.isdigit():  # "category:3", not "category:<slug>"
                    term = int(value)
                    newest[term] = max(newest.get(term, post.updated_at), post.updated_at)
        terms = list(self.model.objects.filter(pk__in=newest).order_by("id"))
        for term in terms:
            term.changed_at = max(getattr(term, self.changed), newest[term.pk])
        return terms

    def lastmod(self, term) -> dt.datetime:
        return term.changed_at

    def get_languages_for_item(self, term) -> list[str]:
        """The languages the term has a name in."""
        return [code for code in language_codes() if getattr(term, column("name", code))]


class CategorySitemap(TaxonomySitemap):
    """The categories that have published posts, at the blog's category pages."""

    def location(self, category: Category) -> str:
        return category_url(category)


class TagSitemap(TaxonomySitemap):
    """The tags that have published posts, at the blog's tag pages."""

    model = Tag
    key = "tag"
    changed = "created_at"  # tags keep no time of change

    def location(self, tag: Tag) -> str:
        return tag_url(tag)


sitemaps = {"blog": BlogSitemap, "posts": PostSitemap, "categories": CategorySitemap, "tags": TagSitemap}
