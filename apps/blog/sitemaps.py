"""Sitemap sections of the blog: published posts, and the categories and tags that have some."""

from __future__ import annotations

from django.db.models import Max, Q
from django.db.models.functions import Greatest

from apps.blog.kinds import POST
from apps.blog.views import category_url, tag_url
from apps.content.models import Category, Status, Tag
from apps.content.sitemaps import NodeSitemap
from apps.content.texts import column
from rustok.i18n import language_codes
from rustok.sitemaps import Section

PUBLISHED_POSTS = Q(nodes__kind=POST, nodes__status=Status.PUBLISHED)


class PostSitemap(NodeSitemap):
    kind = POST


class TaxonomySitemap(Section):
    """The categories or tags readers find posts under; lastmod is the latest change of the term
    or of one of its published posts, which is when its page last changed."""

    model = Category
    changed = "updated_at"

    def items(self):
        return (
            self.model.objects.annotate(latest_post=Max("nodes__updated_at", filter=PUBLISHED_POSTS))
            .filter(latest_post__isnull=False)
            .annotate(changed_at=Greatest(self.changed, "latest_post"))
            .order_by("id")
        )

    def lastmod(self, term):
        return term.changed_at

    def get_languages_for_item(self, term) -> list[str]:
        """The languages the term has a name in."""
        return [code for code in language_codes() if getattr(term, column("name", code))]


class CategorySitemap(TaxonomySitemap):
    def location(self, category: Category) -> str:
        return category_url(category)


class TagSitemap(TaxonomySitemap):
    model = Tag
    changed = "created_at"

    def location(self, tag: Tag) -> str:
        return tag_url(tag)


sitemaps = {"posts": PostSitemap, "categories": CategorySitemap, "tags": TagSitemap}
