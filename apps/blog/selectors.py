"""Reads of the blog: published posts, the monthly archive, feed items and reading time.

Readers of the storefront and the feeds see published posts only, whoever they are: drafts,
posts in review and the archive are never listed here, even to editors. Readers' lists, the
archive and the feeds read the posts' documents (apps.content.readings); `published_posts`
is the write side's view of the same posts, for editors' tools and the API's editors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from apps.blog.kinds import POST
from apps.content import readings
from apps.content.models import Category, Node, Status, Tag
from apps.content.selectors import by_slug, visible_nodes
from apps.index.models import Document


@dataclass(frozen=True)
class Month:
    """One month of the archive and how many posts were published in it."""

    year: int
    month: int
    count: int

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)


def published_posts(*, tenant) -> QuerySet[Node]:
    """The published posts of `tenant`, newest first; none while the blog is off for it."""
    nodes = visible_nodes(user=AnonymousUser(), tenant=tenant, kind=POST)
    return nodes.filter(status=Status.PUBLISHED).order_by("-published_at", "-id")


def post_documents() -> QuerySet[Document]:
    """The documents of the published posts for readers of the active language, newest first;
    none while the blog is off."""
    return readings.newest_first(readings.documents(POST))


def month_range(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of the month and of the next one, in the current time zone.

    ValueError for a month that does not exist.
    """
    start = dt.datetime(year, month, 1)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1)
    zone = timezone.get_current_timezone()
    return timezone.make_aware(start, zone), timezone.make_aware(end, zone)


def in_month(posts: QuerySet, year: int, month: int) -> QuerySet:
    """The posts (nodes or documents) published in the given month."""
    start, end = month_range(year, month)
    return posts.filter(published_at__gte=start, published_at__lt=end)


def archive_months() -> list[Month]:
    """Every month with published posts, newest first, with its count (one query on the posts'
    documents)."""
    rows = (
        readings.documents(POST)
        .order_by()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(count=Count("id"))
        .order_by("-month")
    )
    return [Month(row["month"].year, row["month"].month, row["count"]) for row in rows if row["month"]]


def all_categories() -> QuerySet[Category]:
    """The site's categories in their order, for navigation."""
    return Category.objects.order_by("position", "id")


def category_by_slug(slug: str) -> Category | None:
    """The category whose slug is `slug` in any language (the active one first)."""
    return by_slug(Category.objects.all(), slug)


def tag_by_slug(slug: str) -> Tag | None:
    """The tag whose slug is `slug` in any language (the active one first)."""
    return by_slug(Tag.objects.all(), slug)


def feed_posts(*, category: Category | None = None, limit: int | None = None) -> list[readings.Reading]:
    """The newest published posts for a feed (of one category if given), at most BLOG_FEED_ITEMS,
    from their documents (one query)."""
    posts = post_documents()
    if category is not None:
        posts = readings.with_key(posts, f"category:{category.pk}")
    return readings.readings(posts[: limit or settings.BLOG_FEED_ITEMS])
