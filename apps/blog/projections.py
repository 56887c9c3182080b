"""Search documents of posts (type `post`), gone while the blog is off."""

from apps.blog.kinds import POST
from apps.content.projections import NodeProjection

projections = [NodeProjection(POST)]
