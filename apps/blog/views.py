"""Storefront pages of the blog: the list of posts, a post, a month, a category and a tag.

Only published posts are shown, to everyone, read from their documents (apps.content.readings):
a list page is one query for its posts and one for their count, whatever its length, and each
post is shown as its document holds it (no per-post work).
"""

from __future__ import annotations

import datetime as dt

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.blog import selectors
from apps.blog.kinds import POST
from apps.content import readings
from apps.content.models import Category, Tag
from apps.content.views import Link, reading_context, with_language
from apps.index.models import Document
from apps.site.selectors import for_request as site_settings


def category_url(category: Category) -> str:
    return with_language(reverse("blog-category", args=[category.slug]))


def tag_url(tag: Tag) -> str:
    return with_language(reverse("blog-tag", args=[tag.slug]))


def feed_links(rss: str, atom: str, *args) -> dict:
    return {
        "feed_rss": with_language(reverse(rss, args=args)),
        "feed_atom": with_language(reverse(atom, args=args)),
    }


def blog_context(request: HttpRequest) -> dict:
    """What every blog page shows beside the frame: the blog's address, the months, the categories."""
    return {
        "blog_url": with_language(reverse("blog-index")),
        "months": [
            (month, with_language(reverse("blog-archive", args=[f"{month.year:04d}", f"{month.month:02d}"])))
            for month in selectors.archive_months()
        ],
        "all_categories": [Link(c.name, category_url(c)) for c in selectors.all_categories()],
        **feed_links("blog-feed-rss", "blog-feed-atom"),
    }


def page_url(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = number
    return f"{request.path}?{query.urlencode()}"


def listing(request: HttpRequest, posts: QuerySet[Document], *, heading: str, **extra) -> HttpResponse:
    """One page (`?page=`) of `posts` under `heading`; 404 for a page that does not exist."""
    paginator = Paginator(posts, site_settings(request).items_per_page)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page of posts.") from None
    context = {
        **blog_context(request),
        "heading": heading,
        "page_title": heading,
        "page": page,
        "posts": readings.readings(page.object_list),
        "newer_url": page_url(request, page.previous_page_number()) if page.has_previous() else None,
        "older_url": page_url(request, page.next_page_number()) if page.has_next() else None,
        **extra,
    }
    return render(request, "storefront/blog/index.html", context)


def index(request: HttpRequest) -> HttpResponse:
    """The blog's posts, newest first."""
    return listing(request, selectors.post_documents(), heading=_("Blog"))


def post(request: HttpRequest, slug: str) -> HttpResponse:
    """A published post, by its slug in the active language or a fallback one."""
    reading = readings.by_slug(POST, slug)
    if reading is None:
        raise Http404("No such post.")
    context = {
        **reading_context(request, reading),
        **blog_context(request),
        "categories": reading.categories,
        "tags": reading.tags,
    }
    return render(request, "storefront/blog/post.html", context)


def archive(request: HttpRequest, year: str, month: str) -> HttpResponse:
    """The posts published in one month."""
    try:
        posts = selectors.in_month(selectors.post_documents(), int(year), int(month))
    except ValueError:
        raise Http404("No such month.") from None
    heading = date_format(dt.date(int(year), int(month), 1), "YEAR_MONTH_FORMAT")
    return listing(request, posts, heading=heading)


def category(request: HttpRequest, slug: str) -> HttpResponse:
    """The posts of a category, found by its slug in any language."""
    found = selectors.category_by_slug(slug)
    if found is None:
        raise Http404("No such category.")
    posts = readings.with_key(selectors.post_documents(), f"category:{found.pk}")
    return listing(
        request,
        posts,
        heading=found.name,
        category=found,
        **feed_links("blog-category-feed-rss", "blog-category-feed-atom", found.slug),
    )


def tag(request: HttpRequest, slug: str) -> HttpResponse:
    """The posts with a tag, found by its slug in any language."""
    found = selectors.tag_by_slug(slug)
    if found is None:
        raise Http404("No such tag.")
    posts = readings.with_key(selectors.post_documents(), f"tag:{found.pk}")
    return listing(request, posts, heading=found.name, tag=found)
