"""/api/v1/blog/: posts (the content API for kind `post`, with reading time) and the archive."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from apps.blog import selectors
from apps.blog.kinds import POST
from apps.blog.serializers import MonthSerializer, PostReadingSerializer, PostSerializer, PostWriteSerializer
from apps.content.api import NodeViewSet
from rustok.permissions import PUBLIC

BLOG = ["blog"]
CREATE_EXAMPLE = OpenApiExample(
    "A post in English and Russian",
    value={
        "language": "en",
        "title": "Spring tea has arrived",
        "excerpt": "The first harvest of the year.",
        "body": "Our **spring** tea is here.",
        "translations": {"ru": {"title": "Весенний чай уже здесь", "body": "Наш **весенний** чай."}},
    },
    request_only=True,
)
UPDATE_EXAMPLE = OpenApiExample(
    "A new excerpt", value={"excerpt": "The first harvest, picked in April."}, request_only=True
)


@extend_schema_view(
    list=extend_schema(tags=BLOG, summary="List posts (published; editors and admins see every status)"),
    retrieve=extend_schema(tags=BLOG, summary="One post"),
    destroy=extend_schema(tags=BLOG),
)
class PostViewSet(NodeViewSet):
    """Posts: every route of /api/v1/content/nodes/ (workflow, revisions, image) for kind `post`."""

    kind = POST
    read_serializer = PostSerializer
    reading_serializer = PostReadingSerializer
    create_serializer = PostWriteSerializer
    write_serializer = PostWriteSerializer

    # Declared again so that the posts' documentation replaces the nodes' (examples add up).
    @extend_schema(
        tags=BLOG,
        summary="Write a draft post",
        request=PostWriteSerializer,
        responses={201: PostSerializer},
        examples=[CREATE_EXAMPLE],
    )
    def create(self, request):
        return super().create(request)

    @extend_schema(
        tags=BLOG,
        summary="Change a post (only the fields sent)",
        request=PostWriteSerializer,
        responses=PostSerializer,
        examples=[UPDATE_EXAMPLE],
    )
    def partial_update(self, request, pk=None):
        return super().partial_update(request, pk)

    @extend_schema(
        tags=BLOG,
        summary="Change a post (only the fields sent; same as PATCH)",
        request=PostWriteSerializer,
        responses=PostSerializer,
        examples=[UPDATE_EXAMPLE],
    )
    def update(self, request, pk=None):
        return super().partial_update(request, pk)

    serializer_class = PostSerializer


class ArchiveView(APIView):
    """Months with published posts, newest first, and how many each has."""

    access = PUBLIC

    @extend_schema(tags=BLOG, responses=MonthSerializer(many=True), operation_id="blog_archive")
    def get(self, request):
        months = selectors.archive_months()
        return Response(MonthSerializer(months, many=True).data)


router = SimpleRouter()
router.register("blog/posts", PostViewSet, basename="blog-post")
urlpatterns = [path("blog/archive/", ArchiveView.as_view(), name="blog-archive-api"), *router.urls]
