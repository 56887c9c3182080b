"""GraphQL of payments, for staff: payments with their transactions
(`payments.view_payment`), and one mutation per service that changes them
(`payments.manage_payments`). Customers see their payment's status through the orders module.

A payment's transactions are read by the request's loader: one query for a whole list. The root
fields are nullable: while payments are off they answer null with MODULE_DISABLED.
"""

from __future__ import annotations

import graphene

from apps.payments import selectors, services
from apps.payments.models import Kind, Outcome, Payment, Status
from rustok.dataloaders import Loader
from rustok.errors import InvalidInput, NotFound
from rustok.permissions import declare

VIEW = "payments.view_payment"
MANAGE = "payments.manage_payments"
MAX_LIST = 200
BIGINT = 2**63 - 1

PaymentStatus = graphene.Enum(
    "PaymentStatus", [(s.name, s.value) for s in Status], description="A payment's status."
)
TransactionKind = graphene.Enum("PaymentTransactionKind", [(k.name, k.value) for k in Kind])
TransactionResult = graphene.Enum("PaymentTransactionResult", [(o.name, o.value) for o in Outcome])

transactions_of = Loader(
    "payments.transactions", lambda request, ids: selectors.transactions_of_payments(ids), default=list
)


class PaymentTransactionType(graphene.ObjectType):
    """One call to the provider or one notification from it, with its answer as it came."""

    class Meta:
        name = "PaymentTransaction"

    id = graphene.ID(required=True)
    kind = graphene.Field(TransactionKind, required=True)
    amount = graphene.Int(required=True, description="Minor units.")
    currency = graphene.String(required=True)
    result = graphene.Field(TransactionResult, required=True)
    provider_reference = graphene.String(required=True)
    idempotency_key = graphene.String(required=True)
    raw_response = graphene.JSONString(required=True)
    error = graphene.String(required=True)
    notification_id = graphene.String(required=True)
    actor_id = graphene.ID()
    created_at = graphene.DateTime(required=True)


class PaymentType(graphene.ObjectType):
    """A payment of `amount` minor units of `currency` for `reference`, through `provider`."""

    class Meta:
        name = "Payment"

    id = graphene.ID(required=True)
    provider = graphene.String(required=True)
    method = graphene.String(required=True)
    amount = graphene.Int(required=True)
    currency = graphene.String(required=True)
    status = graphene.Field(PaymentStatus, required=True)
    captured_amount = graphene.Int(required=True)
    refunded_amount = graphene.Int(required=True)
    reference = graphene.String(required=True)
    email = graphene.String(required=True)
    key = graphene.UUID(required=True)
    provider_reference = graphene.String(required=True)
    details = graphene.JSONString(required=True, description="Card brand, last 4 digits: what may be shown.")
    message = graphene.String(required=True)
    customer_id = graphene.ID()
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    transactions = graphene.List(graphene.NonNull(PaymentTransactionType), required=True)

    @staticmethod
    def resolve_status(payment, info):
        return str(payment.status)  # a Status member after a transition: its value

    @staticmethod
    def resolve_transactions(payment, info):
        return transactions_of.load(info, payment.pk)


def _payment(value) -> Payment:
    text = str(value)
    pk = int(text) if text.isascii() and text.isdecimal() and int(text) <= BIGINT else None
    found = Payment.objects.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise NotFound("No such payment.", field="id")
    return found


class Query(graphene.ObjectType):
    """Reading payments (managers and admins)."""

    payments = graphene.List(
        graphene.NonNull(PaymentType),
        reference=graphene.String(),
        status=PaymentStatus(),
        provider=graphene.String(),
        first=graphene.Int(description=f"At most this many, newest first (default 50, at most {MAX_LIST})."),
    )

    @staticmethod
    @declare(VIEW)
    def resolve_payments(root, info, reference=None, status=None, provider=None, first=None):
        size = 50 if first is None else first
        if not 0 <= size <= MAX_LIST:
            raise InvalidInput.for_field("first", f"Between 0 and {MAX_LIST}.")
        found = selectors.payments(
            reference=reference, status=getattr(status, "value", status), provider=provider
        )
        return list(found[:size])


class PaymentPayload(graphene.ObjectType):
    payment = graphene.Field(PaymentType, required=True)


class PaymentCapture(graphene.Mutation):
    """Take an authorised payment (all, or `amount` minor units)."""

    access = MANAGE

    class Arguments:
        id = graphene.ID(required=True)
        amount = graphene.Int()

    Output = PaymentPayload

    @staticmethod
    def mutate(root, info, id, amount=None):
        payment = services.capture(payment=_payment(id), amount=amount, actor=info.context.user)
        return PaymentPayload(payment=payment)


class PaymentVoid(graphene.Mutation):
    """Cancel a pending or authorised payment."""

    access = MANAGE

    class Arguments:
        id = graphene.ID(required=True)

    Output = PaymentPayload

    @staticmethod
    def mutate(root, info, id):
        return PaymentPayload(payment=services.void(payment=_payment(id), actor=info.context.user))


class PaymentRefund(graphene.Mutation):
    """Give back `amount` minor units of what was captured; more than is left is
    REFUND_EXCEEDS_CAPTURED naming `amount`."""

    access = MANAGE

    class Arguments:
        id = graphene.ID(required=True)
        amount = graphene.Int(required=True)

    Output = PaymentPayload

    @staticmethod
    def mutate(root, info, id, amount):
        payment = services.refund(payment=_payment(id), amount=amount, actor=info.context.user)
        return PaymentPayload(payment=payment)


class PaymentMarkPaid(graphene.Mutation):
    """Record that a manual payment (bank transfer, cash) was received: it is captured."""

    access = MANAGE

    class Arguments:
        id = graphene.ID(required=True)

    Output = PaymentPayload

    @staticmethod
    def mutate(root, info, id):
        return PaymentPayload(payment=services.mark_paid(payment=_payment(id), actor=info.context.user))


class Mutation(graphene.ObjectType):
    """Changing payments, one mutation per service."""

    payment_capture = PaymentCapture.Field()
    payment_void = PaymentVoid.Field()
    payment_refund = PaymentRefund.Field()
    payment_mark_paid = PaymentMarkPaid.Field()
