"""/api/v1/blog/: posts (the content API for kind `post`, with reading time) and the archive."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from apps.blog import selectors
from apps.blog.kinds import POST
from apps.blog.serializers import MonthSerializer, PostSerializer
from apps.content.api import NodeViewSet
from rustok.permissions import PUBLIC

BLOG = ["blog"]


@extend_schema_view(
    list=extend_schema(tags=BLOG, summary="List posts (published; editors and admins see every status)"),
    retrieve=extend_schema(tags=BLOG, summary="One post"),
    create=extend_schema(tags=BLOG, summary="Write a draft post", responses={201: PostSerializer}),
    partial_update=extend_schema(tags=BLOG, responses=PostSerializer),
    update=extend_schema(tags=BLOG, responses=PostSerializer),
    destroy=extend_schema(tags=BLOG),
)
class PostViewSet(NodeViewSet):
    """Posts: every route of /api/v1/content/nodes/ (workflow, revisions, image) for kind `post`."""

    kind = POST
    read_serializer = PostSerializer
    serializer_class = PostSerializer


class ArchiveView(APIView):
    """Months with published posts, newest first, and how many each has."""

    access = PUBLIC

    @extend_schema(tags=BLOG, responses=MonthSerializer(many=True), operation_id="blog_archive")
    def get(self, request):
        months = selectors.archive_months(tenant=request.tenant)
        return Response(MonthSerializer(months, many=True).data)


router = SimpleRouter()
router.register("blog/posts", PostViewSet, basename="blog-post")
urlpatterns = [path("blog/archive/", ArchiveView.as_view(), name="blog-archive-api"), *router.urls]
