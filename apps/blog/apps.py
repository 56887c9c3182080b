from django.apps import AppConfig


class BlogConfig(AppConfig):
    """The blog: posts are content nodes of kind `post`; this app adds archives and feeds."""

    name = "apps.blog"
    label = "blog"
    verbose_name = "Blog"
