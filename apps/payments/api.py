"""/api/v1/payments/: payments for staff (`payments.view_payment`), their capture, void, refund
and marking paid (`payments.manage_payments`), and the providers' webhook.

Customers never reach this API (the orders module shows them their payment's status). The
webhook, `POST /api/v1/payments/<provider>/notify/`, takes no credentials and no CSRF token: the
provider's signature is its authentication, checked by the provider's `parse_notification`.
Views are thin: they parse input, call apps.payments.services, and render.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from apps.payments import selectors, services
from apps.payments import serializers as s
from apps.payments.filters import PaymentFilter
from apps.payments.models import PaymentTransaction
from rustok.permissions import PUBLIC

PAYMENTS = ["payments"]
VIEW = "payments.view_payment"
MANAGE = "payments.manage_payments"
REFUSALS = (
    "409 `transition_not_allowed` from a status that does not allow it; 409 `provider_refused` when "
    "the provider refuses; 503 `payment_provider_unavailable` (Retry-After) when it does not answer."
)


@extend_schema_view(
    list=extend_schema(tags=PAYMENTS, summary="Payments, newest first"),
    retrieve=extend_schema(tags=PAYMENTS, summary="A payment with every call and notification"),
    capture=extend_schema(
        tags=PAYMENTS,
        request=s.CaptureSerializer,
        responses=s.PaymentDetailSerializer,
        summary="Take an authorised payment (all, or `amount`)",
        description=REFUSALS,
    ),
    void=extend_schema(
        tags=PAYMENTS,
        request=None,
        responses=s.PaymentDetailSerializer,
        summary="Cancel a pending or authorised payment",
        description=REFUSALS,
    ),
    refund=extend_schema(
        tags=PAYMENTS,
        request=s.RefundSerializer,
        responses=s.PaymentDetailSerializer,
        summary="Give back `amount` of what was captured",
        description="More than captured less refunded is 409 `refund_exceeds_captured` naming `amount`. "
        + REFUSALS,
    ),
    mark_paid=extend_schema(
        tags=PAYMENTS,
        request=None,
        responses=s.PaymentDetailSerializer,
        summary="Record that a manual payment (bank transfer, cash) was received",
        description="A payment of another provider is 409 `conflict` (`reason: not_manual`).",
    ),
)
class PaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    access = {"list": VIEW, "retrieve": VIEW, "default": MANAGE}
    filterset_class = PaymentFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        found = selectors.payments()
        if self.action != "list":
            found = found.prefetch_related(
                Prefetch("transactions", PaymentTransaction.objects.order_by("created_at", "id"))
            )
        return found

    def get_serializer_class(self):
        return s.PaymentSerializer if self.action == "list" else s.PaymentDetailSerializer

    def _answer(self, payment):
        return Response(s.PaymentDetailSerializer(self.get_queryset().get(pk=payment.pk)).data)

    @action(detail=True, methods=["post"])
    def capture(self, request, pk=None):
        data = s.CaptureSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        payment = services.capture(
            payment=self.get_object(), amount=data.validated_data.get("amount"), actor=request.user
        )
        return self._answer(payment)

    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        return self._answer(services.void(payment=self.get_object(), actor=request.user))

    @action(detail=True, methods=["post"])
    def refund(self, request, pk=None):
        data = s.RefundSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        payment = services.refund(
            payment=self.get_object(), amount=data.validated_data["amount"], actor=request.user
        )
        return self._answer(payment)

    @action(detail=True, methods=["post"], url_path="mark-paid")
    def mark_paid(self, request, pk=None):
        return self._answer(services.mark_paid(payment=self.get_object(), actor=request.user))


class NotifyView(APIView):
    """A provider's notification: verified by its signature, applied once (the same notification
    again answers 200 and changes nothing)."""

    access = PUBLIC
    authentication_classes = ()

    @extend_schema(
        tags=PAYMENTS,
        request={"application/json": OpenApiTypes.OBJECT},
        responses=s.ReceivedSerializer,
        summary="A payment provider's notification (webhook)",
        description="No credentials: the provider signs the body (demo: `X-Demo-Signature`, hex "
        "HMAC-SHA256). A signature that does not verify is 400 `invalid_signature`; an unknown "
        "provider 404 `not_found`.",
        operation_id="payments_notify",
    )
    def post(self, request, provider: str):
        payment = services.handle_notification(provider=provider, body=request.body, headers=request.headers)
        return Response({"received": True, "payment": payment.pk, "status": payment.status})


router = SimpleRouter()
router.register("payments", PaymentViewSet, basename="payment")
urlpatterns = [
    path("payments/<slug:provider>/notify/", NotifyView.as_view(), name="payments-notify"),
    *router.urls,
]
