"""/api/v1/content/: nodes (CRUD, workflow, schedule, image, revisions), categories and tags.

Views are thin: they parse input, call apps.content.services, and render. Lists show what the
user may read (selectors.visible_nodes): published nodes for everyone, everything for editors
and admins. Readers (anonymous callers, customers, tokens without the editors' permission) get
lists and nodes from the nodes' documents (apps.content.readings), with the same fields and
filters; editors read the nodes, and the answer to a write is read from the node just written.
Another site's nodes do not exist here (each site is its own schema).

A published node answers its live version; a change of it is kept as its unpublished changes,
which editors get under `draft` (the answer to their write included), publish with
`publish/` and drop with `discard/`.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from apps.content import readings, selectors, services
from apps.content import serializers as s
from apps.content.filters import NodeFilter, ReadingFilter
from apps.content.models import Category, Node, Revision, Tag
from rustok.api.parsers import JSONParser
from rustok.api.texts import Renaming
from rustok.errors import InvalidInput
from rustok.permissions import PUBLIC, SIGNED_IN

NODES = ["content"]
TAXONOMY = ["content taxonomy"]


CREATE_EXAMPLE = OpenApiExample(
    "A page in English and Russian",
    value={
        "kind": "page",
        "language": "en",
        "title": "About us",
        "body": "We make **tea**.",
        "translations": {"ru": {"title": "О нас", "body": "Мы делаем **чай**."}},
    },
    request_only=True,
)
UPDATE_EXAMPLE = OpenApiExample(
    "A new title and excerpt in Russian",
    value={"language": "ru", "title": "О нас и о чае", "excerpt": "Кто мы."},
    request_only=True,
)
TRANSITION_DOC = {
    "submit": "Submit a draft for review (its author or an admin)",
    "reject": "Send a node in review back to its author as a draft (admins)",
    "publish": "Publish a draft or a node in review now, or a published node's unpublished changes (admins)",
    "unpublish": "Take a published node back to draft (admins)",
    "archive": "Archive a published node (admins)",
    "unarchive": "Take an archived node back to draft (admins)",
}


def _transition_action(name: str):
    """The POST .../<name>/ action of a workflow transition (named before @action reads it)."""

    def transition(self, request, pk=None):
        node = services.transition_node(actor=request.user, node=self.get_object(), name=name)
        return self.render(node)

    transition.__name__ = transition.__qualname__ = name
    documented = extend_schema(
        tags=NODES,
        request=None,
        responses={200: s.NodeSerializer},
        summary=TRANSITION_DOC[name],
        description="409 `transition_not_allowed` when the status does not allow it; the problem "
        "lists the transitions that are allowed (`allowed`).",
    )
    return documented(action(detail=True, methods=["post"], url_path=name, url_name=name)(transition))


@extend_schema_view(
    list=extend_schema(
        tags=NODES,
        summary="List nodes (published ones; editors and admins see every status)",
        parameters=[OpenApiParameter("lang", str, description="Language of the text (en, ru).")],
    ),
    retrieve=extend_schema(tags=NODES, summary="One node"),
    destroy=extend_schema(tags=NODES, summary="Delete a node (409 if it has children)"),
)
class NodeViewSet(viewsets.ModelViewSet):
    """Content nodes of every kind whose module is on: pages, posts, ..."""

    access = {
        "list": PUBLIC,
        "retrieve": PUBLIC,
        "create": "content.add_node",
        "update": "content.change_node",
        "partial_update": "content.change_node",
        "destroy": "content.delete_node",
        **{name: f"content.{name}_node" for name in services.TRANSITIONS},
        "schedule": "content.schedule_node",
        "discard": "content.change_node",
        "image": "content.change_node",
        "revisions": "content.view_revision",
        "revision": "content.view_revision",
        "compare": "content.view_revision",
        "restore": "content.restore_revision",
        "default": SIGNED_IN,
    }
    serializer_class = s.NodeSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    kind: str | None = None  # a subclass for one kind (blog posts) sets it
    read_serializer = s.NodeSerializer
    reading_serializer = s.ReadingSerializer
    create_serializer = s.NodeCreateSerializer
    write_serializer = s.NodeWriteSerializer
    lookup_value_regex = r"\d+"

    @property
    def reads_documents(self) -> bool:
        """Whether this answer comes from the documents: a reader's list or node."""
        if getattr(self, "swagger_fake_view", False):
            return False
        return self.action in ("list", "retrieve") and not selectors.readers_see_drafts(self.request.user)

    @property
    def filterset_class(self):
        return ReadingFilter if self.reads_documents else NodeFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no tenant
            return Node.objects.none()
        if self.reads_documents:
            return self.documents()
        nodes = selectors.visible_nodes(user=self.request.user, tenant=self.request.tenant, kind=self.kind)
        return selectors.with_relations(nodes).order_by("-published_at", "-id")

    def documents(self):
        """The documents of the published nodes of this list's kind (every enabled kind)."""
        return readings.newest_first(readings.documents(self.kind, detail=True))

    def get_object(self):
        if not self.reads_documents:
            return super().get_object()
        document = self.documents().filter(object_id=str(self.kwargs["pk"])).first()
        if document is None:
            raise Http404("No such node.")
        return readings.Reading(document)

    def list(self, request, *args, **kwargs):
        if not self.reads_documents:
            return super().list(request, *args, **kwargs)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        answer = self.reading_serializer(
            readings.readings(page), many=True, context=self.get_serializer_context()
        )
        return self.get_paginated_response(answer.data)

    def retrieve(self, request, *args, **kwargs):
        if not self.reads_documents:
            return super().retrieve(request, *args, **kwargs)
        return Response(
            self.reading_serializer(self.get_object(), context=self.get_serializer_context()).data
        )

    def get_serializer_class(self):
        if self.action == "create":
            return self.create_serializer
        if self.action in ("update", "partial_update"):
            return self.write_serializer
        return self.read_serializer

    def render(self, node, status_code=status.HTTP_200_OK):
        node = selectors.with_drafts(selectors.with_relations(type(node).objects.filter(pk=node.pk))).get()
        return Response(
            self.read_serializer(node, context=self.get_serializer_context()).data, status=status_code
        )

    @extend_schema(
        tags=NODES,
        request=s.NodeCreateSerializer,
        responses={201: s.NodeSerializer},
        examples=[CREATE_EXAMPLE],
        summary="Create a draft",
    )
    def create(self, request):
        data = self.create_serializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        language, arguments = data.service_arguments()
        arguments.setdefault("kind", self.kind)
        with Renaming(language):
            node = services.create_node(actor=request.user, **arguments)
        return self.render(node, status.HTTP_201_CREATED)

    @extend_schema(
        tags=NODES,
        request=s.NodeWriteSerializer,
        responses=s.NodeSerializer,
        examples=[UPDATE_EXAMPLE],
        summary="Change a node (only the fields sent)",
        description="A published node keeps its live version: the change is kept in its unpublished "
        "changes, which the answer shows under `draft`, until `publish/` (or `discard/`).",
    )
    def partial_update(self, request, pk=None):
        node = self.get_object()
        context = self.get_serializer_context()
        current = self.read_serializer(node, context=context).data  # what the client may send back
        data = self.write_serializer(data=request.data, context={**context, "current": current})
        data.is_valid(raise_exception=True)
        language, arguments = data.service_arguments()
        with Renaming(language):
            node = services.update_node(actor=request.user, node=node, **arguments)
        return self.render(node)

    @extend_schema(
        tags=NODES,
        request=s.NodeWriteSerializer,
        responses=s.NodeSerializer,
        examples=[UPDATE_EXAMPLE],
        summary="Change a node (only the fields sent; same as PATCH)",
    )
    def update(self, request, pk=None):
        return self.partial_update(request, pk)

    def destroy(self, request, pk=None):
        services.delete_node(actor=request.user, node=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    submit = _transition_action("submit")
    reject = _transition_action("reject")
    publish = _transition_action("publish")
    unpublish = _transition_action("unpublish")
    archive = _transition_action("archive")
    unarchive = _transition_action("unarchive")

    @extend_schema(
        tags=NODES,
        request=s.ScheduleSerializer,
        responses=s.NodeSerializer,
        summary="Publish automatically at a time (null cancels)",
        examples=[OpenApiExample("A Monday morning", value={"publish_at": "2099-11-30T09:00:00Z"})],
    )
    @action(detail=True, methods=["post"])
    def schedule(self, request, pk=None):
        data = s.ScheduleSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        node = services.schedule_node(
            actor=request.user, node=self.get_object(), publish_at=data.validated_data["publish_at"]
        )
        return self.render(node)

    @extend_schema(
        tags=NODES,
        request=None,
        responses=s.NodeSerializer,
        summary="Discard the unpublished changes of a published node (readers' version stays)",
        description="409 `conflict` (`reason: no_unpublished_changes`) when the node has none.",
    )
    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        return self.render(services.discard_changes(actor=request.user, node=self.get_object()))

    @extend_schema(
        tags=NODES,
        request={"multipart/form-data": s.ImageSerializer},
        responses=s.NodeSerializer,
        summary="Upload the featured image (PUT) or remove it (DELETE)",
    )
    @action(detail=True, methods=["put", "delete"])
    def image(self, request, pk=None):
        node = self.get_object()
        if request.method == "DELETE":
            return self.render(services.set_featured_image(actor=request.user, node=node, upload=None))
        data = s.ImageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.render(
            services.set_featured_image(actor=request.user, node=node, upload=data.validated_data["image"])
        )

    @extend_schema(tags=NODES, responses=s.RevisionSerializer(many=True), summary="The node's revisions")
    @action(detail=True, methods=["get"])
    def revisions(self, request, pk=None):
        node = self.get_object()
        page = self.paginate_queryset(node.revisions.select_related("author").order_by("-number"))
        return self.get_paginated_response(s.RevisionSerializer(page, many=True).data)

    @extend_schema(tags=NODES, responses=s.RevisionDetailSerializer, summary="One revision with its content")
    @action(detail=True, methods=["get"], url_path=r"revisions/(?P<number>\d+)")
    def revision(self, request, pk=None, number=None):
        revision = get_object_or_404(
            Revision.objects.select_related("author"), node=self.get_object(), number=number
        )
        return Response(s.RevisionDetailSerializer(revision).data)

    @extend_schema(
        tags=NODES,
        responses=s.CompareSerializer,
        summary="What changed between two revisions",
        parameters=[
            OpenApiParameter("old", int, required=True, description="Revision number"),
            OpenApiParameter("new", int, description="Revision number (default: the latest)"),
        ],
    )
    @action(detail=True, methods=["get"], url_path="revisions/compare")
    def compare(self, request, pk=None):
        node = self.get_object()
        numbers = {}
        for name in ("old", "new"):
            value = request.query_params.get(name, "")
            if value and not value.isdigit():
                raise InvalidInput.for_field(name, "A revision number.")
            numbers[name] = int(value) if value else None
        compared = selectors.compare_revisions(node, numbers["old"], numbers["new"])
        return Response({"old": compared.old.number, "new": compared.new.number, "changes": compared.changes})

    @extend_schema(
        tags=NODES,
        request=None,
        responses=s.NodeSerializer,
        summary="Bring back a revision's content (kept as a new revision; status unchanged)",
    )
    @action(detail=True, methods=["post"], url_path=r"revisions/(?P<number>\d+)/restore")
    def restore(self, request, pk=None, number=None):
        node = self.get_object()
        revision = get_object_or_404(Revision, node=node, number=number)
        with Renaming(""):
            node = services.restore_revision(actor=request.user, node=node, revision=revision)
        return self.render(node)


class TaxonomyViewSet(viewsets.ModelViewSet):
    """Shared by categories and tags: anyone reads, editors and admins write."""

    access = {"list": PUBLIC, "retrieve": PUBLIC, "default": "content.manage_taxonomy"}
    write_fields: tuple[str, ...] = ()
    write_serializer: type = s.TagWriteSerializer
    lookup_value_regex = r"\d+"

    def _write(self, request, instance=None):
        context = self.get_serializer_context()
        if instance is not None:  # what the client read, and may send back unchanged
            context["current"] = self.get_serializer(instance).data
        data = self.write_serializer(data=request.data, context=context)
        data.is_valid(raise_exception=True)
        language, arguments = data.service_arguments(self.write_fields)
        with Renaming(language):
            obj = self.save(request.user, instance, arguments)
        return Response(self.get_serializer(obj).data, status=status.HTTP_200_OK if instance else 201)

    def create(self, request):
        return self._write(request)

    def partial_update(self, request, pk=None):
        return self._write(request, self.get_object())

    def update(self, request, pk=None):
        return self._write(request, self.get_object())


CATEGORY_REQUEST = extend_schema(tags=TAXONOMY, request=s.CategoryWriteSerializer)
TAG_REQUEST = extend_schema(tags=TAXONOMY, request=s.TagWriteSerializer)


@extend_schema_view(
    list=extend_schema(tags=TAXONOMY, summary="The categories by position; `parent` gives the tree"),
    retrieve=extend_schema(tags=TAXONOMY),
    create=CATEGORY_REQUEST,
    update=CATEGORY_REQUEST,
    partial_update=CATEGORY_REQUEST,
    destroy=extend_schema(tags=TAXONOMY, summary="Delete a category (409 if it has subcategories)"),
)
class CategoryViewSet(TaxonomyViewSet):
    serializer_class = s.CategorySerializer
    queryset = Category.objects.order_by("position", "id")
    write_fields = ("name", "slug", "description")
    write_serializer = s.CategoryWriteSerializer

    def save(self, actor, category, arguments):
        if category is None:
            return services.create_category(actor=actor, **arguments)
        return services.update_category(actor=actor, category=category, **arguments)

    def destroy(self, request, pk=None):
        services.delete_category(actor=request.user, category=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(tags=TAXONOMY, summary="The tags"),
    retrieve=extend_schema(tags=TAXONOMY),
    create=TAG_REQUEST,
    update=TAG_REQUEST,
    partial_update=TAG_REQUEST,
    destroy=extend_schema(tags=TAXONOMY, summary="Delete a tag"),
)
class TagViewSet(TaxonomyViewSet):
    serializer_class = s.TagSerializer
    queryset = Tag.objects.order_by("id")
    write_fields = ("name", "slug")

    def save(self, actor, tag, arguments):
        if tag is None:
            return services.create_tag(actor=actor, **arguments)
        return services.update_tag(actor=actor, tag=tag, **arguments)

    def destroy(self, request, pk=None):
        services.delete_tag(actor=request.user, tag=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


router = SimpleRouter()
router.register("content/nodes", NodeViewSet, basename="content-node")
router.register("content/categories", CategoryViewSet, basename="content-category")
router.register("content/tags", TagViewSet, basename="content-tag")
