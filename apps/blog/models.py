"""Posts are content nodes of kind `post`: a proxy, so the admin and permissions have a name."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.content.models import Node


class PostManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind="post")


class Post(Node):
    objects = PostManager()

    class Meta:
        proxy = True
        verbose_name = _("post")
        verbose_name_plural = _("posts")
