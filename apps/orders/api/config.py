"""/api/v1/orders/: the shop's shipping zones and methods, tax rates, vouchers and order settings,
for managers and admins (`orders.manage_shipping`, `orders.manage_taxes`,
`orders.manage_vouchers`, `orders.manage_order_settings`); nobody else reads them here (what a
shopper may choose comes with the checkout).

Views are thin: they parse input, call apps.orders.services, and render what
apps.orders.selectors_config reads, as GraphQL and the admin do.
"""

from __future__ import annotations

import django_filters
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from apps.orders import selectors_config as selectors
from apps.orders import serializers_config as s
from apps.orders import services
from apps.orders.models import RateKind, ShippingMethod, TaxRate, Voucher, VoucherKind, VoucherScope
from rustok.api.filters import FilterSet, IdFilter
from rustok.api.texts import Renaming

ORDERS = ["orders"]
SHIPPING = "orders.manage_shipping"
TAXES = "orders.manage_taxes"
VOUCHERS = "orders.manage_vouchers"
SETTINGS = "orders.manage_order_settings"


@extend_schema_field(OpenApiTypes.INT64)
class ZoneFilter(IdFilter):
    """A shipping zone's id."""


class ShippingMethodFilter(FilterSet):
    zone = ZoneFilter(field_name="zone_id", help_text="A zone's id.")
    active = django_filters.BooleanFilter(field_name="is_active", help_text="Switched on (true) or off.")
    kind = django_filters.ChoiceFilter(choices=RateKind.choices)
    currency = django_filters.CharFilter(method="by_currency", help_text="ISO 4217 code.")

    class Meta:
        model = ShippingMethod
        fields = []

    def by_currency(self, queryset, name, value):
        return queryset.filter(currency=value.strip().upper())


class TaxRateFilter(FilterSet):
    country = django_filters.CharFilter(method="by_country", help_text="ISO 3166 alpha-2 code.")
    tax_class = django_filters.CharFilter(field_name="tax_class__slug", help_text="A tax class's slug.")
    standard = django_filters.BooleanFilter(
        field_name="tax_class", lookup_expr="isnull", help_text="true: the countries' standard rates only."
    )

    class Meta:
        model = TaxRate
        fields = []

    def by_country(self, queryset, name, value):
        return queryset.filter(country=value.strip().upper())


class VoucherFilter(FilterSet):
    active = django_filters.BooleanFilter(field_name="is_active", help_text="Switched on (true) or off.")
    code = django_filters.CharFilter(
        field_name="code", lookup_expr="icontains", help_text="A part of the code, any case."
    )
    kind = django_filters.ChoiceFilter(choices=VoucherKind.choices)
    scope = django_filters.ChoiceFilter(choices=VoucherScope.choices)

    class Meta:
        model = Voucher
        fields = []


class ConfigViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A part of the shop's configuration: read and written by those holding `perm` only."""

    lookup_value_regex = r"\d+"
    create_serializer: type
    write_serializer: type

    def _write(self, request, instance=None):
        context = self.get_serializer_context()
        if instance is not None:  # what the client read, and may send back unchanged
            context["current"] = self.get_serializer(instance).data
        serializer = self.create_serializer if instance is None else self.write_serializer
        data = serializer(data=request.data, context=context)
        data.is_valid(raise_exception=True)
        language, arguments = data.service_arguments()
        with Renaming(language):
            obj = self.save(request.user, instance, arguments)
        obj = self.get_queryset().get(pk=obj.pk)
        answer = status.HTTP_200_OK if instance is not None else status.HTTP_201_CREATED
        return Response(self.get_serializer(obj).data, status=answer)

    def create(self, request):
        return self._write(request)

    def partial_update(self, request, pk=None):
        return self._write(request, self.get_object())

    def destroy(self, request, pk=None):
        self.remove(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


def _documented(summary: str, create, write, read, deleting: str = "", writing: str = ""):
    return extend_schema_view(
        list=extend_schema(tags=ORDERS, summary=summary),
        retrieve=extend_schema(tags=ORDERS),
        create=extend_schema(tags=ORDERS, request=create, responses={201: read}, description=writing),
        partial_update=extend_schema(tags=ORDERS, request=write, responses=read, description=writing),
        destroy=extend_schema(tags=ORDERS, description=deleting),
    )


@_documented(
    "The shipping zones by position, each with its methods",
    s.ZoneWriteSerializer,
    s.ZoneWriteSerializer,
    s.ShippingZoneSerializer,
    "Deletes its methods too.",
    "A country another zone holds is 400 naming `countries` (with `zone`, the zone holding it).",
)
class ShippingZoneViewSet(ConfigViewSet):
    access = SHIPPING
    serializer_class = s.ShippingZoneSerializer
    create_serializer = write_serializer = s.ZoneWriteSerializer

    def get_queryset(self):
        return selectors.shipping_zones()

    def save(self, actor, zone, arguments):
        if zone is None:
            return services.create_shipping_zone(actor=actor, **arguments)
        return services.update_shipping_zone(actor=actor, zone=zone, **arguments)

    def remove(self, actor, zone):
        services.delete_shipping_zone(actor=actor, zone=zone)


@_documented(
    "The shipping methods by zone and position, with their weight brackets",
    s.MethodCreateSerializer,
    s.MethodWriteSerializer,
    s.ShippingMethodSerializer,
    writing="A currency the shop does not sell in is 400 naming `currency`; brackets are 400 naming "
    "`weight_rates.<n>.up_to_grams` when a weight is given twice or is not above 0. A method priced by "
    "weight without a bracket is not `offered`.",
)
class ShippingMethodViewSet(ConfigViewSet):
    access = SHIPPING
    serializer_class = s.ShippingMethodSerializer
    create_serializer = s.MethodCreateSerializer
    write_serializer = s.MethodWriteSerializer
    filterset_class = ShippingMethodFilter

    def get_queryset(self):
        return selectors.shipping_methods()

    def save(self, actor, method, arguments):
        if method is None:
            return services.create_shipping_method(actor=actor, **arguments)
        return services.update_shipping_method(actor=actor, method=method, **arguments)

    def remove(self, actor, method):
        services.delete_shipping_method(actor=actor, method=method)


@_documented(
    "The tax rates by country, the standard rate (no tax class) first",
    s.TaxRateCreateSerializer,
    s.TaxRateWriteSerializer,
    s.TaxRateSerializer,
    writing="A second rate of the same tax class and country is 400 naming `country`.",
)
class TaxRateViewSet(ConfigViewSet):
    access = TAXES
    serializer_class = s.TaxRateSerializer
    create_serializer = s.TaxRateCreateSerializer
    write_serializer = s.TaxRateWriteSerializer
    filterset_class = TaxRateFilter

    def get_queryset(self):
        return selectors.tax_rates()

    def save(self, actor, tax_rate, arguments):
        if tax_rate is None:
            return services.create_tax_rate(actor=actor, **arguments)
        return services.update_tax_rate(actor=actor, tax_rate=tax_rate, **arguments)

    def remove(self, actor, tax_rate):
        services.delete_tax_rate(actor=actor, tax_rate=tax_rate)


@_documented(
    "The vouchers, newest first, with how often each was used",
    s.VoucherCreateSerializer,
    s.VoucherWriteSerializer,
    s.VoucherSerializer,
    "A voucher used by an order is 409 `conflict` (`reason: in_use`, with `used`): deactivate it.",
    "A code another voucher has (whatever its case) is 400 naming `code`.",
)
class VoucherViewSet(ConfigViewSet):
    access = VOUCHERS
    serializer_class = s.VoucherSerializer
    create_serializer = s.VoucherCreateSerializer
    write_serializer = s.VoucherWriteSerializer
    filterset_class = VoucherFilter

    def get_queryset(self):
        return selectors.vouchers()

    def save(self, actor, voucher, arguments):
        if voucher is None:
            return services.create_voucher(actor=actor, **arguments)
        return services.update_voucher(actor=actor, voucher=voucher, **arguments)

    def remove(self, actor, voucher):
        services.delete_voucher(actor=actor, voucher=voucher)


class OrderSettingsView(APIView):
    """The order settings (one row): managers and admins read and change them."""

    access = SETTINGS

    def answer(self, found) -> Response:
        return Response(s.OrderSettingsSerializer(found).data)

    @extend_schema(tags=ORDERS, responses=s.OrderSettingsSerializer, operation_id="orders_settings_retrieve")
    def get(self, request):
        return self.answer(services.order_settings())

    @extend_schema(
        tags=ORDERS,
        request=s.OrderSettingsWriteSerializer,
        responses=s.OrderSettingsSerializer,
        operation_id="orders_settings_partial_update",
        summary="Change whether prices include tax, the default country, the reservation time or the "
        "largest quantity of one item",
    )
    def patch(self, request):
        current = s.OrderSettingsSerializer(services.order_settings()).data
        data = s.OrderSettingsWriteSerializer(
            data=request.data, context={"request": request, "current": current}
        )
        data.is_valid(raise_exception=True)
        return self.answer(services.update_order_settings(actor=request.user, **data.validated_data))


router = SimpleRouter()
router.register("orders/shipping-zones", ShippingZoneViewSet, basename="orders-shipping-zone")
router.register("orders/shipping-methods", ShippingMethodViewSet, basename="orders-shipping-method")
router.register("orders/tax-rates", TaxRateViewSet, basename="orders-tax-rate")
router.register("orders/vouchers", VoucherViewSet, basename="orders-voucher")
urlpatterns = [path("orders/settings/", OrderSettingsView.as_view(), name="orders-settings"), *router.urls]
