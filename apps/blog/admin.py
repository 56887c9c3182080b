"""Posts in the admin of each tenant host: the content node admin, for nodes of kind `post`.

Everything (language tabs, workflow, revisions, preview, writes through apps.content.services)
comes from apps.content.admin.NodeAdmin; while the blog module is off for a site, these pages
answer 404 (rustok.admin_site).
"""

from django.contrib import admin

from apps.blog.kinds import POST
from apps.blog.models import Post
from apps.content.admin import NodeAdmin


@admin.register(Post)
class PostAdmin(NodeAdmin):
    """Posts: dated nodes, newest first, with no place in a tree."""

    kind = POST
    date_hierarchy = "published_at"
