"""The blog's part of the storefront frame (rustok.storefront): its menu section, its feeds and
the newest posts on the default home page. A site with the blog off shows none of them."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.blog import selectors
from apps.content import readings
from apps.content.views import with_language
from rustok.storefront import FeedLink, HomeItem, HomeSection, MenuItem

HOME_POSTS = 5


def menu(request: HttpRequest) -> list[MenuItem]:
    return [MenuItem(label=_("Blog"), url=with_language(reverse("blog-index")))]


def feeds(request: HttpRequest) -> list[FeedLink]:
    return [
        FeedLink(title="RSS", url=with_language(reverse("blog-feed-rss")), type="application/rss+xml"),
        FeedLink(title="Atom", url=with_language(reverse("blog-feed-atom")), type="application/atom+xml"),
    ]


def home_sections(request: HttpRequest) -> list[HomeSection]:
    """The newest posts as teasers."""
    posts = readings.readings(selectors.post_documents()[:HOME_POSTS])
    items = [
        HomeItem(
            title=post.title,
            url=post.url,
            summary=post.summary,
            date=post.published_at,
            updated=post.updated_at,
            picture=post.picture,
        )
        for post in posts
    ]
    if not items:
        return []
    return [
        HomeSection(
            heading=_("Latest posts"),
            items=items,
            more_url=with_language(reverse("blog-index")),
            more_label=_("All posts"),
        )
    ]
