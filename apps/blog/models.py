"""Posts are content nodes of kind `post`: a proxy, so the admin and permissions have a name."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.content.models import Node


class PostManager(models.Manager):
    """Only nodes of kind `post`."""

    def get_queryset(self):
        return super().get_queryset().filter(kind="post")


class Post(Node):
    """Posts: content nodes of kind `post` (a proxy, for the admin).

    A docstring of its own matters: without one Django writes the field list into it while the
    class is built, before modeltranslation adds the per-language fields.
    """

    objects = PostManager()

    class Meta:
        proxy = True
        verbose_name = _("post")
        verbose_name_plural = _("posts")
