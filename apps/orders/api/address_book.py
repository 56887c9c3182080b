"""REST of a customer's address book, under /api/v1/orders/addresses/ (tag `orders`).

A signed-in person's own addresses (not through an API token: an address book is a person's):
list, add, read, replace, delete, and choose the default shipping address. Another user's
address answers 404, as one that does not exist. Each address is checked as a checkout's (every
wrong field named as `address.<field>`); the rules are the services' (apps.orders.services).
Answers are personal (`Cache-Control: private, no-store`).
"""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from apps.orders import selectors, services
from apps.orders import serializers as s
from apps.orders.api.shop import ORDERS, Personal
from apps.orders.models import CustomerAddress
from rustok.errors import NotFound
from rustok.permissions import PERSON


def _own(request, pk: int) -> CustomerAddress:
    found = selectors.addresses_of(request.user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such address."))
    return found


def _answer(entry: CustomerAddress, code: int = status.HTTP_200_OK) -> Response:
    return Response(s.SavedAddressSerializer(s.saved_address(entry)).data, status=code)


class AddressesView(Personal):
    access = PERSON

    @extend_schema(
        tags=ORDERS,
        responses=s.SavedAddressSerializer(many=True),
        summary="One's saved addresses, the default shipping address first",
        operation_id="orders_addresses_list",
    )
    def get(self, request):
        entries = selectors.addresses_of(request.user)
        return Response(s.SavedAddressSerializer([s.saved_address(e) for e in entries], many=True).data)

    @extend_schema(
        tags=ORDERS,
        request=s.SavedAddressInputSerializer,
        responses={201: s.SavedAddressSerializer},
        summary="Save an address (the first one is the default)",
        operation_id="orders_addresses_create",
    )
    def post(self, request):
        data = s.SavedAddressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.create_address(
            customer=request.user,
            address=data.validated_data["address"],
            default=data.validated_data["default"],
        )
        return _answer(entry, status.HTTP_201_CREATED)


class AddressView(Personal):
    access = PERSON

    @extend_schema(
        tags=ORDERS,
        responses=s.SavedAddressSerializer,
        summary="A saved address",
        operation_id="orders_address_read",
    )
    def get(self, request, pk):
        return _answer(_own(request, pk))

    @extend_schema(
        tags=ORDERS,
        request=s.SavedAddressInputSerializer,
        responses=s.SavedAddressSerializer,
        summary="Replace a saved address",
        operation_id="orders_address_update",
    )
    def put(self, request, pk):
        data = s.SavedAddressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.update_address(
            customer=request.user,
            address_id=_own(request, pk).pk,
            address=data.validated_data["address"],
            default=data.validated_data["default"],
        )
        return _answer(entry)

    @extend_schema(
        tags=ORDERS,
        responses={204: None},
        summary="Delete a saved address (the oldest left becomes the default)",
        operation_id="orders_address_delete",
    )
    def delete(self, request, pk):
        services.delete_address(customer=request.user, address_id=_own(request, pk).pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AddressDefaultView(Personal):
    access = PERSON

    @extend_schema(
        tags=ORDERS,
        request=None,
        responses=s.SavedAddressSerializer,
        summary="Make a saved address the default shipping address",
        operation_id="orders_address_default",
    )
    def post(self, request, pk):
        return _answer(services.set_default_address(customer=request.user, address_id=_own(request, pk).pk))


urlpatterns = [
    path("orders/addresses/", AddressesView.as_view(), name="orders-addresses"),
    path("orders/addresses/<int:pk>/", AddressView.as_view(), name="orders-address"),
    path("orders/addresses/<int:pk>/default/", AddressDefaultView.as_view(), name="orders-address-default"),
]
