"""/api/v1/inventory/: stock locations, stock levels, adjustments and counts, the movement
history, low stock and thresholds, for managers and admins (`inventory.view_stock`,
`inventory.manage_stock`). Shoppers learn only whether a variant is in stock, from the
catalogue's products. Reservations have no route: the checkout calls their services.

Views are thin: they parse input, call apps.inventory.services, and render.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from apps.catalog.models import Variant
from apps.inventory import selectors, services
from apps.inventory import serializers as s
from apps.inventory.filters import MovementFilter, StockLevelFilter
from apps.inventory.models import StockAlert, StockLevel, StockLocation, StockMovement
from rustok.api.filters import MAX_ID
from rustok.api.texts import Renaming

INVENTORY = ["inventory"]
VIEW = "inventory.view_stock"
MANAGE = "inventory.manage_stock"
LEVEL_QUERY = StockLevel.objects.select_related("variant").order_by("variant_id", "location_id")


@extend_schema_view(
    list=extend_schema(tags=INVENTORY, summary="The stock locations, by priority"),
    retrieve=extend_schema(tags=INVENTORY),
    create=extend_schema(
        tags=INVENTORY, request=s.LocationWriteSerializer, responses={201: s.LocationSerializer}
    ),
    partial_update=extend_schema(
        tags=INVENTORY, request=s.LocationWriteSerializer, responses=s.LocationSerializer
    ),
    destroy=extend_schema(
        tags=INVENTORY,
        summary="Delete a location that never held stock",
        description="One with stock or a history is 409 `conflict` (`reason: in_use`): deactivate it.",
    ),
)
class LocationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    access = {"list": VIEW, "retrieve": VIEW, "default": MANAGE}
    serializer_class = s.LocationSerializer
    queryset = StockLocation.objects.order_by("priority", "id")
    lookup_value_regex = r"\d+"

    def _write(self, request, location=None):
        context = self.get_serializer_context()
        if location is not None:  # what the client read, and may send back unchanged
            context["current"] = self.get_serializer(location).data
        data = s.LocationWriteSerializer(data=request.data, context=context)
        data.is_valid(raise_exception=True)
        language, arguments = data.service_arguments()
        new = location is None
        with Renaming(language):
            if new:
                location = services.create_location(actor=request.user, **arguments)
            else:
                location = services.update_location(actor=request.user, location=location, **arguments)
        answer = status.HTTP_201_CREATED if new else status.HTTP_200_OK
        return Response(self.get_serializer(location).data, status=answer)

    def create(self, request):
        return self._write(request)

    def partial_update(self, request, pk=None):
        return self._write(request, self.get_object())

    def destroy(self, request, pk=None):
        services.delete_location(actor=request.user, location=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(tags=INVENTORY, summary="Stock per variant and location (on hand, reserved)")
)
class StockLevelViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    access = VIEW
    serializer_class = s.StockLevelSerializer
    queryset = LEVEL_QUERY
    filterset_class = StockLevelFilter


@extend_schema_view(list=extend_schema(tags=INVENTORY, summary="The history of stock changes, newest first"))
class MovementViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    access = VIEW
    serializer_class = s.MovementSerializer
    queryset = StockMovement.objects.order_by("-created_at", "-id")
    filterset_class = MovementFilter


class StockWrite(APIView):
    """A change of stock at a location: parse, call the service, answer the stock level."""

    access = MANAGE
    serializer: type

    def post(self, request):
        data = self.serializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        level = self.change(request.user, **data.validated_data)
        found = LEVEL_QUERY.get(pk=level.pk)
        return Response(s.StockLevelSerializer(found).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    post=extend_schema(
        tags=INVENTORY,
        request=s.AdjustmentSerializer,
        responses={201: s.StockLevelSerializer},
        summary="Add or remove units (received, returned, damaged, correction)",
        description="On hand cannot go below zero nor below what is reserved: 409 `conflict` "
        "(`reason: insufficient_stock`, with `on_hand`, `reserved`, `available`).",
    )
)
class AdjustmentView(StockWrite):
    serializer = s.AdjustmentSerializer

    def change(self, actor, **arguments):
        return services.adjust(actor=actor, **arguments)


@extend_schema_view(
    post=extend_schema(
        tags=INVENTORY,
        request=s.CountSerializer,
        responses={201: s.StockLevelSerializer},
        summary="Record a stock count: this many units are there now",
        description="A count below what is reserved there is 409 `conflict` (`reason: insufficient_stock`).",
    )
)
class CountView(StockWrite):
    serializer = s.CountSerializer

    def change(self, actor, **arguments):
        return services.count(actor=actor, **arguments)


@extend_schema_view(get=extend_schema(tags=INVENTORY, summary="Variants low in stock"))
class LowStockView(generics.ListAPIView):
    """Variants whose available stock is at their threshold or below, with what is available."""

    access = VIEW
    serializer_class = s.LowStockSerializer
    queryset = StockAlert.objects.filter(is_low=True).select_related("variant").order_by("variant_id")

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        counts = selectors.available_quantities([alert.variant_id for alert in page])
        answer = s.LowStockSerializer(page, many=True, context={"available": counts})
        return self.get_paginated_response(answer.data)


class ThresholdView(APIView):
    """A variant's low-stock threshold."""

    access = MANAGE

    @extend_schema(
        tags=INVENTORY,
        request=s.ThresholdSerializer,
        responses=s.ThresholdAnswerSerializer,
        summary="Set a variant's low-stock threshold (null removes it)",
        operation_id="inventory_thresholds_update",
    )
    def put(self, request, variant_id: int):
        variant = Variant.objects.filter(pk=variant_id).first() if variant_id <= MAX_ID else None
        if variant is None:
            raise Http404("No such variant.")
        data = s.ThresholdSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        alert = services.set_threshold(
            actor=request.user, variant=variant, threshold=data.validated_data["threshold"]
        )
        answer = {"variant": variant.pk, "threshold": None, "is_low": False}
        if alert is not None:
            answer.update(threshold=alert.threshold, is_low=alert.is_low)
        return Response(s.ThresholdAnswerSerializer(answer).data)


router = SimpleRouter()
router.register("inventory/locations", LocationViewSet, basename="inventory-location")
router.register("inventory/stock", StockLevelViewSet, basename="inventory-stock")
router.register("inventory/movements", MovementViewSet, basename="inventory-movement")
urlpatterns = [
    path("inventory/adjustments/", AdjustmentView.as_view(), name="inventory-adjustments"),
    path("inventory/counts/", CountView.as_view(), name="inventory-counts"),
    path("inventory/low-stock/", LowStockView.as_view(), name="inventory-low-stock"),
    path("inventory/thresholds/<int:variant_id>/", ThresholdView.as_view(), name="inventory-threshold"),
    *router.urls,
]
