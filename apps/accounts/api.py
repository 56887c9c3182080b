"""/api/v1/users/, /api/v1/api-tokens/, /api/v1/audit-log/: managing who may do what."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from apps.accounts import auth_api, services
from apps.accounts import serializers as s
from apps.accounts.models import ApiToken, AuditEntry, Role, User
from rustok.api.filters import DateTimeFilter, FilterSet
from rustok.errors import InvalidInput
from rustok.net import site_url

USERS = ["users"]


class UserFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices)
    is_active = django_filters.BooleanFilter()
    q = django_filters.CharFilter(method="search", label="E-mail or name contains")

    class Meta:
        model = User
        fields = ["role", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(email__icontains=value) | Q(display_name__icontains=value))


@extend_schema_view(
    list=extend_schema(tags=USERS, summary="List the site's users"),
    retrieve=extend_schema(tags=USERS, summary="One user"),
)
class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """The site's users. Admins manage everyone but owners; only owners manage owners."""

    access = {
        "list": "accounts.view_user",
        "retrieve": "accounts.view_user",
        "default": "accounts.manage_users",
    }
    serializer_class = s.UserSerializer
    filterset_class = UserFilter
    queryset = User.objects.order_by("email")

    @extend_schema(
        tags=USERS, request=s.InviteSerializer, responses={201: s.UserSerializer}, summary="Invite a user"
    )
    def create(self, request):
        data = s.InviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.invite_user(
            actor=request.user, base_url=site_url(request), request=request, **data.validated_data
        )
        return Response(s.UserSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=USERS, request=s.RoleSerializer, responses=s.UserSerializer, summary="Change a user's role"
    )
    @action(detail=True, methods=["post"])
    def role(self, request, pk=None):
        data = s.RoleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.set_role(
            actor=request.user, target=self.get_object(), role=data.validated_data["role"], request=request
        )
        return Response(s.UserSerializer(user).data)

    @extend_schema(tags=USERS, request=None, responses=s.UserSerializer, summary="Deactivate a user")
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        user = services.deactivate_user(actor=request.user, target=self.get_object(), request=request)
        return Response(s.UserSerializer(user).data)

    @extend_schema(tags=USERS, request=None, responses=s.UserSerializer, summary="Activate a user again")
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        user = services.activate_user(actor=request.user, target=self.get_object(), request=request)
        return Response(s.UserSerializer(user).data)


TOKENS = ["api tokens"]


@extend_schema_view(
    list=extend_schema(tags=TOKENS, summary="List API tokens"),
    retrieve=extend_schema(tags=TOKENS, summary="One API token"),
)
class ApiTokenViewSet(viewsets.ReadOnlyModelViewSet):
    """Tokens for integrations. The secret is only in the answer to the create call."""

    access = "accounts.manage_api_tokens"
    serializer_class = s.ApiTokenSerializer
    queryset = ApiToken.objects.select_related("user", "created_by").order_by("-created_at")

    @extend_schema(
        tags=TOKENS,
        request=s.ApiTokenCreateSerializer,
        responses={201: s.ApiTokenCreatedSerializer},
        summary="Create an API token",
    )
    def create(self, request):
        data = s.ApiTokenCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = request.user
        if values.get("user") is not None:
            user = User.objects.filter(pk=values["user"]).first()
            if user is None:
                raise InvalidInput.for_field("user", "No such user.")
        token, secret = services.create_api_token(
            actor=request.user,
            name=values["name"],
            user=user,
            scopes=values["scopes"],
            expires_at=values.get("expires_at"),
            request=request,
        )
        body = s.ApiTokenSerializer(token).data | {"token": secret}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(tags=TOKENS, request=None, responses=s.ApiTokenSerializer, summary="Revoke an API token")
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = services.revoke_api_token(actor=request.user, token=self.get_object(), request=request)
        return Response(s.ApiTokenSerializer(token).data)


class AuditFilter(FilterSet):
    action = django_filters.ChoiceFilter(choices=AuditEntry.Action.choices)
    actor_email = django_filters.CharFilter(lookup_expr="iexact")
    since = DateTimeFilter(field_name="at", lookup_expr="gte")
    until = DateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = AuditEntry
        fields = ["action", "actor_email"]


@extend_schema_view(
    list=extend_schema(tags=["audit log"], summary="Sign-ins, role changes and token events, newest first"),
    retrieve=extend_schema(tags=["audit log"], summary="One audit entry"),
)
class AuditEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    access = "accounts.view_audit_log"
    serializer_class = s.AuditEntrySerializer
    filterset_class = AuditFilter
    queryset = AuditEntry.objects.order_by("-at", "-id")


router = SimpleRouter()
router.register("users", UserViewSet, basename="user")
router.register("api-tokens", ApiTokenViewSet, basename="api-token")
router.register("audit-log", AuditEntryViewSet, basename="audit-entry")

# Sign-in and tokens live outside the versioned API, at /api/auth/ (rustok.api.urls mounts them).
mounts = {"auth": auth_api.urlpatterns}
