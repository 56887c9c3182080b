"""RSS 2.0 and Atom feeds of the blog, for the whole site or one category.

Items are the newest published posts (BLOG_FEED_ITEMS), in the active language with the site's
fallback, titled with the site's name (apps.site settings) and described by its tagline.
Links are absolute, on the host the feed was asked for. A description is the post's
excerpt or the start of its text: a post's markup never reaches a feed.

Every text is written for the way readers take its element. RSS titles and descriptions, and
Atom summaries, are HTML to readers: their text is escaped (`html_text`), so the HTML shows the
text. Atom titles and subtitles, author names and categories are text, but some readers render
them as HTML anyway: no `<` in them can open a tag (`plain_text`), so they read the same either
way. Names are typed by editors and users, so a category called `<script>...` is only ever text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.http.request import split_domain_port
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from apps.blog import selectors
from apps.content.models import Category
from apps.content.readings import Reading
from apps.content.views import with_language
from apps.site import selectors as site_selectors
from rustok.i18n import current_language

# Characters XML 1.0 cannot carry (Django's feed writer refuses them), and a `<` that opens a tag.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")


def plain_text(value: str | None) -> str:
    """`value` for an element read as text that some readers render as HTML: a `<` that would
    open a tag, comment or declaration is followed by a space, which HTML shows as it is."""
    return _TAG_OPEN.sub("< ", _UNWRITABLE.sub("", value or ""))


def html_text(value: str | None) -> str:
    """`value` for an element readers take as HTML: escaped, so the HTML shows just the text."""
    return escape(_UNWRITABLE.sub("", value or ""))


@dataclass(frozen=True)
class Source:
    """What one feed request is about: the site, maybe one category, the host and path asked for."""

    site_name: str
    site_description: str
    category: Category | None
    host: str
    path: str


@dataclass(frozen=True)
class Entry:
    """A post in a feed (as its document holds it), with its permanent id."""

    node: Reading
    guid: str


def tag_uri(host: str, node: Reading, language: str) -> str:
    """A feed entry's permanent id (RFC 4151): it survives changes of title and slug."""
    return f"tag:{host},{node.published_at:%Y-%m-%d}:{node.kind}-{node.pk}-{language}"


class PostsFeed(Feed):
    """The site's newest published posts as RSS 2.0; with a category slug, that category's."""

    feed_type = Rss201rev2Feed
    text = staticmethod(html_text)  # how the feed's and items' titles are written (RSS: HTML)

    def get_object(self, request, slug: str | None = None) -> Source:
        category = None
        if slug is not None:
            category = selectors.category_by_slug(slug)
            if category is None:
                raise Http404("No such category.")
        host, _port = split_domain_port(request.get_host())
        settings = site_selectors.for_request(request)
        return Source(
            site_name=site_selectors.site_name(settings, request.tenant),
            site_description=settings.tagline or settings.meta_description,
            category=category,
            host=host,
            path=request.path,
        )

    def title(self, obj: Source) -> str:
        if obj.category is not None:
            return self.text(f"{obj.site_name}: {obj.category.name}")
        return self.text(obj.site_name)

    def description(self, obj: Source) -> str:
        if obj.category is not None:
            names = {"category": obj.category.name, "site": obj.site_name}
            return self.text(_("Posts in %(category)s on %(site)s") % names)
        if obj.site_description:  # the site's tagline, else its default meta description
            return self.text(obj.site_description)
        return self.text(_("Posts on %(site)s") % {"site": obj.site_name})

    subtitle = description

    def link(self, obj: Source) -> str:
        if obj.category is not None:
            return with_language(reverse("blog-category", args=[obj.category.slug]))
        return with_language(reverse("blog-index"))

    def feed_url(self, obj: Source) -> str:
        return with_language(obj.path)

    def items(self, obj: Source) -> list[Entry]:
        language = current_language()
        return [
            Entry(node=node, guid=tag_uri(obj.host, node, language))
            for node in selectors.feed_posts(category=obj.category)
        ]

    def item_title(self, item: Entry) -> str:
        return self.text(item.node.title)

    def item_description(self, item: Entry) -> str:
        return html_text(item.node.summary)  # RSS description, Atom summary: HTML

    def item_link(self, item: Entry) -> str:
        return item.node.url

    def item_guid(self, item: Entry) -> str:
        return item.guid

    item_guid_is_permalink = False

    def item_pubdate(self, item: Entry):
        return item.node.published_at

    def item_updateddate(self, item: Entry):
        return item.node.updated_at

    def item_author_name(self, item: Entry) -> str | None:
        return plain_text(item.node.author_name) or None

    def item_categories(self, item: Entry) -> list[str]:
        return [plain_text(category.label) for category in item.node.categories]


class AtomPostsFeed(PostsFeed):
    """The same posts as an Atom feed: its titles and subtitle are text."""

    feed_type = Atom1Feed
    text = staticmethod(plain_text)
