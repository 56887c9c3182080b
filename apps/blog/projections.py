"""Documents of posts (type `post`), gone while the blog is off; their categories and tags link
to the blog's category and tag pages."""

from django.urls import reverse
from django.utils.encoding import iri_to_uri

from apps.blog.kinds import POST
from apps.content.projections import NodeProjection
from rustok.i18n import for_language


class PostProjection(NodeProjection):
    def category_url(self, category, language: str) -> str:
        return iri_to_uri(for_language(reverse("blog-category", args=[category.slug]), language))

    def tag_url(self, tag, language: str) -> str:
        return iri_to_uri(for_language(reverse("blog-tag", args=[tag.slug]), language))


projections = [PostProjection(POST)]
