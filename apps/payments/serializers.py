"""REST shapes of payments: the list, a payment with its transactions, and what staff send to
capture and refund. Amounts are whole minor units (a float, a string or a boolean is refused
naming its field); the services check their bounds."""

from __future__ import annotations

from rest_framework import serializers

from apps.payments.models import Payment, PaymentTransaction
from rustok.api import serializers as strict

PAYMENT_FIELDS = [
    "id", "provider", "method", "amount", "currency", "status", "captured_amount", "refunded_amount",
    "reference", "email", "key", "provider_reference", "details", "message", "customer",
    "created_at", "updated_at",
]  # fmt: skip


class TransactionSerializer(serializers.ModelSerializer):
    """One call to the provider or one notification from it, with its answer as it came."""

    class Meta:
        model = PaymentTransaction
        fields = [
            "id", "kind", "amount", "currency", "result", "provider_reference", "idempotency_key",
            "raw_response", "error", "notification_id", "actor", "created_at",
        ]  # fmt: skip


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = PAYMENT_FIELDS


class PaymentDetailSerializer(serializers.ModelSerializer):
    transactions = TransactionSerializer(many=True, read_only=True)

    class Meta:
        model = Payment
        fields = [*PAYMENT_FIELDS, "transactions"]


class CaptureSerializer(strict.Serializer):
    amount = strict.WholeNumberField(
        required=False, help_text="Minor units to take (default: all that was authorised)."
    )


class RefundSerializer(strict.Serializer):
    amount = strict.WholeNumberField(help_text="Minor units to give back; at most captured less refunded.")


class ReceivedSerializer(serializers.Serializer):
    received = serializers.BooleanField()
    payment = serializers.IntegerField()
    status = serializers.CharField()
