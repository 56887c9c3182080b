"""REST of carts, checkout and orders, under /api/v1/orders/ (tag `orders`).

A cart is reached by its token (in the URL; `current` in its place takes the token from the
`X-Cart-Token` header or the `rustok_cart` cookie, else it is the signed-in customer's cart):
whoever holds the token of a guest's cart may use it; a customer's cart answers only to that
customer (anyone else gets 404, as for a cart that does not exist). `carts/mine/` is the
signed-in customer's own cart. Every answer about a cart or an order is personal: sent with
`Cache-Control: private, no-store`, never kept by the page cache.

Orders: a customer lists and reads their own; managers and admins every order, with its history
and the transitions allowed, and act on it (mark paid, fulfil, complete, cancel, refund, note).
A guest reads their order with the key of the link mailed to them (`orders/guest/?key=`), and
may ask for that mail again with the order's number and e-mail (`orders/lookup/`), which answers
the same whether or not they match.

Views are thin: they parse input, call apps.orders.services, and render.
"""

from __future__ import annotations

from django.urls import path
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.orders import links, selectors, services
from apps.orders import serializers as s
from apps.orders.carts import priced, shipping_choices
from apps.orders.models import Cart, Order
from apps.orders.signals import token_of
from rustok.api.filters import MAX_ID
from rustok.api.throttling import SignInThrottle
from rustok.errors import NotFound
from rustok.permissions import PUBLIC, SIGNED_IN, can

ORDERS = ["orders"]
MANAGE = "orders.manage_orders"
VIEW_ALL = selectors.VIEW_ALL


class Personal(APIView):
    """Answers no shared cache may keep."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response


def _site_url(request) -> str:
    return request.build_absolute_uri("/")


def cart_of(request, token, *, reading: bool = False) -> Cart:
    return selectors.cart_for(request.user, token, reading=reading, carried=token_of(request))


def cart_response(cart: Cart, code: int = status.HTTP_200_OK) -> Response:
    cart = Cart.objects.select_related("voucher").get(pk=cart.pk)
    return Response(s.CartSerializer(s.cart_answer(priced(cart))).data, status=code)


class CartsView(Personal):
    access = PUBLIC

    @extend_schema(
        tags=ORDERS,
        request=s.CartCreateSerializer,
        responses={201: s.CartSerializer},
        summary="Start a cart (a signed-in customer gets their own)",
        operation_id="orders_carts_create",
    )
    def post(self, request):
        data = s.CartCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cart = services.create_cart(
            customer=request.user,
            currency=data.validated_data.get("currency"),
            language=request.LANGUAGE_CODE,
        )
        return cart_response(cart, status.HTTP_201_CREATED)


class MyCartView(Personal):
    access = SIGNED_IN

    @extend_schema(tags=ORDERS, responses=s.CartSerializer, summary="The signed-in customer's cart")
    def get(self, request):
        return cart_response(services.create_cart(customer=request.user, language=request.LANGUAGE_CODE))


class CartView(Personal):
    access = PUBLIC

    @extend_schema(
        tags=ORDERS, responses=s.CartSerializer, summary="A cart, priced now", operation_id="orders_cart_read"
    )
    def get(self, request, token):
        return cart_response(cart_of(request, token, reading=True))

    @extend_schema(
        tags=ORDERS,
        request=s.CartCheckoutUpdateSerializer,
        responses=s.CartSerializer,
        summary="Set the checkout's details (what is sent)",
        description="Every refusal names its field: `email`, `shipping_address.postal_code`, "
        "`shipping_method`, `payment_provider`, ...; nothing is written then.",
        operation_id="orders_cart_update",
    )
    def patch(self, request, token):
        cart = cart_of(request, token)
        data = s.CartCheckoutUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        given = dict(data.validated_data)
        currency = given.pop("currency", None)
        if currency is not None:
            cart = services.set_currency(cart=cart, currency=currency)
        if given:
            services.update_checkout(cart=cart, **given)
        return cart_response(cart)


class LinesView(Personal):
    access = PUBLIC

    @extend_schema(
        tags=ORDERS,
        request=s.CartLineAddSerializer,
        responses={201: s.CartSerializer},
        summary="Add a variant to the cart",
        description="400 naming `variant` (unknown, not for sale, no price in the cart's currency) or "
        "`quantity`; 409 `out_of_stock` beyond the stock.",
    )
    def post(self, request, token):
        cart = cart_of(request, token)
        data = s.CartLineAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.add_line(
            cart=cart, variant_id=data.validated_data["variant"], quantity=data.validated_data["quantity"]
        )
        return cart_response(cart, status.HTTP_201_CREATED)


class LineView(Personal):
    access = PUBLIC

    @extend_schema(
        tags=ORDERS,
        request=s.CartLineQuantitySerializer,
        responses=s.CartSerializer,
        summary="Change a line's quantity (0 removes it)",
    )
    def patch(self, request, token, line_id):
        cart = cart_of(request, token)
        data = s.CartLineQuantitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.set_quantity(cart=cart, line_id=line_id, quantity=data.validated_data["quantity"])
        return cart_response(cart)

    @extend_schema(tags=ORDERS, responses=s.CartSerializer, summary="Remove a line")
    def delete(self, request, token, line_id):
        cart = cart_of(request, token)
        services.remove_line(cart=cart, line_id=line_id)
        return cart_response(cart)


class VoucherView(Personal):
    access = PUBLIC

    @extend_schema(
        tags=ORDERS,
        request=s.CartVoucherSerializer,
        responses=s.CartSerializer,
        summary="Apply a voucher",
        description="400 `voucher_not_applicable` naming `voucher`, with `reason`: unknown, inactive, "
        "not_started, expired, used_up, currency, limit_per_customer, min_subtotal, no_eligible_lines.",
    )
    def post(self, request, token):
        cart = cart_of(request, token)
        data = s.CartVoucherSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.apply_voucher(cart=cart, code=data.validated_data["code"])
        return cart_response(cart)

    @extend_schema(tags=ORDERS, responses=s.CartSerializer, summary="Remove the voucher")
    def delete(self, request, token):
        cart = cart_of(request, token)
        services.remove_voucher(cart=cart)
        return cart_response(cart)


class ShippingChoicesView(Personal):
    access = PUBLIC

    @extend_schema(
        tags=ORDERS,
        responses=s.ShippingChoiceSerializer(many=True),
        summary="The shipping methods this cart can use, priced for it",
        description="For the shipping address's country (else the site's default country), "
        "in the cart's currency.",
    )
    def get(self, request, token):
        choices = shipping_choices(cart_of(request, token))
        return Response(s.ShippingChoiceSerializer(choices, many=True).data)


class MergeView(Personal):
    access = SIGNED_IN

    @extend_schema(
        tags=ORDERS, request=None, responses=s.CartSerializer, summary="Merge a guest's cart into mine"
    )
    def post(self, request, token):
        cart = cart_of(request, token)
        return cart_response(services.merge(guest_cart=cart, customer=request.user))


class CheckoutView(Personal):
    access = PUBLIC

    @extend_schema(
        tags=ORDERS,
        request=s.CartCheckoutSerializer,
        responses={201: s.OrderSerializer},
        summary="Pay and place the order",
        description="Reserves the stock, records the payment, asks the provider and places the order. "
        "400 naming each missing detail; 409 `out_of_stock`, `cart_not_orderable`, `payment_mismatch`; "
        "402 `payment_declined`; 503 `payment_provider_unavailable` (the checkout stays payable: send it "
        "again; nothing is charged twice). Completing a checkout again answers its order.",
    )
    def post(self, request, token):
        cart = cart_of(request, token)
        data = s.CartCheckoutSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = services.checkout(
            cart=cart, details=data.validated_data.get("payment"), site_url=_site_url(request)
        )
        key = links.guest_key(order) if order.customer_id is None else None
        answer = s.order_answer(order, staff=False, guest_key=key)
        return Response(s.OrderSerializer(answer).data, status=status.HTTP_201_CREATED)


# --- orders --------------------------------------------------------------------------------------


def order_of(request, number) -> Order:
    """The order numbered `number` if the caller may read it; 404 otherwise (another's order
    looks like one that does not exist)."""
    order = Order.objects.filter(number=number).first() if 0 < number <= MAX_ID else None
    if order is None or not selectors.may_read(request.user, order):
        raise NotFound(_("No such order."))
    return order


def order_response(request, order: Order, code: int = status.HTTP_200_OK) -> Response:
    staff = can(request.user, VIEW_ALL)
    order = selectors.order_detail(order.pk)
    return Response(s.OrderSerializer(s.order_answer(order, staff=staff)).data, status=code)


class OrdersView(Personal, generics.GenericAPIView):
    access = SIGNED_IN
    queryset = Order.objects.none()  # the answer is selectors.orders_for's; named for the schema

    @extend_schema(
        tags=ORDERS,
        responses=s.OrderSummarySerializer(many=True),
        summary="Orders, newest first: a customer's own; every order for managers",
        parameters=[
            OpenApiParameter("status", str, description="placed, paid, partially_fulfilled, fulfilled, ..."),
            OpenApiParameter("email", str, description="Staff: orders of this e-mail."),
        ],
    )
    def get(self, request):
        found = selectors.orders_for(
            request.user, status=request.query_params.get("status"), email=request.query_params.get("email")
        )
        page = self.paginate_queryset(found)
        return self.get_paginated_response(
            s.OrderSummarySerializer([s.order_summary(order) for order in page], many=True).data
        )


class OrderView(Personal):
    access = SIGNED_IN

    @extend_schema(
        tags=ORDERS,
        responses=s.OrderSerializer,
        summary="An order (staff also see its history and the transitions allowed)",
    )
    def get(self, request, number):
        return order_response(request, order_of(request, number))


class GuestOrderView(Personal):
    access = PUBLIC

    @extend_schema(
        tags=ORDERS,
        responses=s.OrderSerializer,
        parameters=[
            OpenApiParameter("key", str, required=True, description="From the link mailed to the guest.")
        ],
        summary="A guest's order, by the key of its link",
    )
    def get(self, request):
        order = links.order_of_key(request.query_params.get("key"))
        if order is None:
            raise NotFound(_("This link is not valid (any more)."))
        return Response(s.OrderSerializer(s.order_answer(selectors.order_detail(order.pk), staff=False)).data)


class LookupView(Personal):
    access = PUBLIC
    throttle_classes = [SignInThrottle]

    @extend_schema(
        tags=ORDERS,
        request=s.OrderLookupSerializer,
        responses={202: None},
        summary="Mail the link to an order again (number and e-mail)",
        description="Answers 202 whether or not they match, so nobody learns which orders exist.",
    )
    def post(self, request):
        data = s.OrderLookupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_guest_link(number=data.validated_data["number"], email=data.validated_data["email"])
        return Response(status=status.HTTP_202_ACCEPTED)


class OrderAction(Personal):
    """A staff action on an order: `run(order, actor, data)` calls the service."""

    access = MANAGE
    serializer = None

    def act(self, request, number):
        order = Order.objects.filter(number=number).first() if 0 < number <= MAX_ID else None
        if order is None:
            raise NotFound(_("No such order."))
        data = {}
        if self.serializer is not None:
            given = self.serializer(data=request.data)
            given.is_valid(raise_exception=True)
            data = dict(given.validated_data)
        self.run(order, request.user, data)
        return order_response(request, order)


def _action(name: str, run, serializer=None, summary: str = ""):
    """The route of one staff action: a view class of its own, documented on its own."""

    @extend_schema(
        tags=ORDERS,
        request=serializer,
        responses=s.OrderSerializer,
        summary=summary,
        operation_id=f"orders_{name.replace('-', '_')}",
    )
    def post(self, request, number):
        return self.act(request, number)

    view = type(
        f"{name.title().replace('-', '')}View",
        (OrderAction,),
        {"serializer": serializer, "run": staticmethod(run), "post": post},
    )
    return path(f"orders/orders/<int:number>/{name}/", view.as_view(), name=f"orders-order-{name}")


urlpatterns = [
    path("orders/carts/", CartsView.as_view(), name="orders-carts"),
    path("orders/carts/mine/", MyCartView.as_view(), name="orders-cart-mine"),
    path("orders/carts/<str:token>/", CartView.as_view(), name="orders-cart"),
    path("orders/carts/<str:token>/lines/", LinesView.as_view(), name="orders-cart-lines"),
    path("orders/carts/<str:token>/lines/<int:line_id>/", LineView.as_view(), name="orders-cart-line"),
    path("orders/carts/<str:token>/voucher/", VoucherView.as_view(), name="orders-cart-voucher"),
    path(
        "orders/carts/<str:token>/shipping-methods/",
        ShippingChoicesView.as_view(),
        name="orders-cart-shipping",
    ),
    path("orders/carts/<str:token>/merge/", MergeView.as_view(), name="orders-cart-merge"),
    path("orders/carts/<str:token>/checkout/", CheckoutView.as_view(), name="orders-cart-checkout"),
    path("orders/orders/", OrdersView.as_view(), name="orders-orders"),
    path("orders/orders/guest/", GuestOrderView.as_view(), name="orders-order-guest"),
    path("orders/orders/lookup/", LookupView.as_view(), name="orders-order-lookup"),
    path("orders/orders/<int:number>/", OrderView.as_view(), name="orders-order"),
    _action(
        "mark-paid",
        lambda o, actor, d: services.mark_paid(order=o, actor=actor),
        summary="Mark a manual payment paid",
    ),
    _action(
        "fulfil",
        lambda o, actor, d: services.fulfil(order=o, actor=actor, **d),
        s.OrderFulfilSerializer,
        "Ship lines (default: all left)",
    ),
    _action(
        "complete",
        lambda o, actor, d: services.complete(order=o, actor=actor),
        summary="Complete a fulfilled order",
    ),
    _action(
        "cancel",
        lambda o, actor, d: services.cancel(order=o, actor=actor, **d),
        s.OrderCancelSerializer,
        "Cancel (refund and restock)",
    ),
    _action(
        "refund",
        lambda o, actor, d: services.refund(order=o, actor=actor, **d),
        s.OrderRefundSerializer,
        "Refund (for returned lines)",
    ),
    _action(
        "notes",
        lambda o, actor, d: services.add_note(order=o, actor=actor, **d),
        s.OrderNoteSerializer,
        "Add a note to the history",
    ),
]
