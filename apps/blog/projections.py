"""Documents of posts (type `post`), gone while the blog is off; their categories and tags link
to the blog's category and tag pages."""

from apps.blog.kinds import POST
from apps.content.projections import NodeProjection
from rustok.storefront import page_url


class PostProjection(NodeProjection):
    def category_url(self, category, language: str) -> str:
        return page_url("blog-category", category.slug, language=language)

    def tag_url(self, tag, language: str) -> str:
        return page_url("blog-tag", tag.slug, language=language)


projections = [PostProjection(POST)]
