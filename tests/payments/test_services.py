"""The payment services: starting a payment, the state machine, capture, void, refunds, marking
paid, permissions, events, and nothing half-written on bad input."""

from __future__ import annotations

import pytest

from apps.events.models import OutboxEvent
from apps.payments import selectors, services
from apps.payments.models import Kind, Outcome, Payment, PaymentTransaction, Status
from apps.payments.providers.demo import ledger_charges
from rustok.errors import Conflict, InvalidInput, NotAuthenticated, PermissionDenied, TransitionNotAllowed
from tests.accounts.factories import EditorFactory, UserFactory
from tests.payments.factories import (
    SUCCEEDS,
    PaymentFactory,
    authorized_manual,
    captured_manual,
    card,
    manual,
    paid,
)

pytestmark = pytest.mark.django_db


def event_types() -> list[str]:
    return list(
        OutboxEvent.objects.filter(type__startswith="payments.").order_by("id").values_list("type", flat=True)
    )


def payloads(kind: str) -> list[dict]:
    return list(OutboxEvent.objects.filter(type=kind).order_by("id").values_list("payload", flat=True))


# --- starting -------------------------------------------------------------------------------------


def test_start_payment_records_it_pending_and_publishes_started(site):
    payment = services.start_payment(
        provider="demo", amount=1250, currency="eur", reference="checkout:1", email="a@example.com"
    )
    assert (payment.status, payment.currency, payment.method) == (Status.PENDING, "EUR", "card")
    assert payloads("payments.payment.started") == [
        {
            "payment_id": payment.pk,
            "reference": "checkout:1",
            "provider": "demo",
            "amount": 1250,
            "currency": "EUR",
            "status": "pending",
        }
    ]
    assert selectors.payment_by_key(payment.key) == payment
    assert selectors.payments_of("checkout:1") == [payment]


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"provider": "stripe"}, "provider"),
        ({"amount": 0}, "amount"),
        ({"amount": -5}, "amount"),
        ({"amount": 12.5}, "amount"),
        ({"amount": True}, "amount"),
        ({"currency": "EURO"}, "currency"),
        ({"currency": "XYZ"}, "currency"),
        ({"reference": ""}, "reference"),
        ({"reference": "x" * 101}, "reference"),
        ({"email": "not an address"}, "email"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(site, given, field):
    arguments = {"provider": "demo", "amount": 100, "currency": "EUR", "reference": "checkout:2", **given}
    with pytest.raises(InvalidInput) as refused:
        services.start_payment(**arguments)
    assert list(refused.value.errors) == [field]
    assert not Payment.objects.exists()
    assert not OutboxEvent.objects.filter(type__startswith="payments.").exists()


def test_an_unknown_provider_is_refused_naming_the_known_ones(site):
    with pytest.raises(InvalidInput, match="Known: manual, demo"):
        services.start_payment(provider="stripe", amount=1, currency="EUR", reference="r")


# --- the state machine ------------------------------------------------------------------------------


def test_capturing_a_pending_payment_is_409_naming_the_allowed_transitions(site, manager):
    payment = PaymentFactory()
    with pytest.raises(TransitionNotAllowed) as refused:
        services.capture(payment=payment, actor=manager)
    assert refused.value.code == "transition_not_allowed"
    assert refused.value.status == 409
    assert refused.value.extra == {
        "transition": "capture",
        "state": "pending",
        "allowed": ["authorize", "charge", "fail", "void"],
    }


@pytest.mark.parametrize(
    ("operation", "allowed"),
    [("void", ["refund_part", "refund"]), ("capture", ["refund_part", "refund"])],
)
def test_a_captured_payment_cannot_be_voided_or_captured_again(site, manager, operation, allowed):
    payment = paid()
    with pytest.raises(TransitionNotAllowed) as refused:
        getattr(services, operation)(payment=payment, actor=manager)
    assert refused.value.extra["allowed"] == allowed
    assert ledger_charges()[0]["status"] == "captured"


def test_a_failed_payment_allows_nothing(site, manager):
    payment = PaymentFactory()
    with pytest.raises(services.PaymentDeclined):
        services.authorize(payment=payment, details=card("4000 0000 0000 0002"))
    for attempt in (
        lambda: services.authorize(payment=payment, details=card(SUCCEEDS)),
        lambda: services.void(payment=payment, actor=manager),
        lambda: services.refund(payment=payment, amount=1, actor=manager),
    ):
        with pytest.raises(TransitionNotAllowed, match="No transition is allowed from here"):
            attempt()
    assert ledger_charges() == []


def test_a_voided_payment_cannot_be_authorised(site, manager):
    payment = services.void(payment=PaymentFactory(), actor=manager)
    assert payment.status == Status.VOIDED
    with pytest.raises(TransitionNotAllowed):
        services.authorize(payment=payment, details=card(SUCCEEDS))
    assert ledger_charges() == []


# --- capture, void (a provider that does not capture at once: the manual one, authorised) ------------


def test_capture_of_an_authorised_payment_takes_the_amount(site, manager):
    payment = services.capture(payment=authorized_manual(amount=3000), amount=2000, actor=manager)
    assert (payment.status, payment.captured_amount) == (Status.CAPTURED, 2000)
    (captured,) = payloads("payments.payment.captured")
    assert (captured["captured_amount"], captured["status"]) == (2000, "captured")


def test_capture_of_more_than_was_authorised_is_refused_naming_amount(site, manager):
    payment = authorized_manual(amount=3000)
    with pytest.raises(InvalidInput) as refused:
        services.capture(payment=payment, amount=3001, actor=manager)
    assert list(refused.value.errors) == ["amount"]
    payment.refresh_from_db()
    assert payment.status == Status.AUTHORIZED


def test_void_of_an_authorised_payment(site, manager):
    payment = services.void(payment=authorized_manual(), actor=manager)
    assert payment.status == Status.VOIDED
    assert "payments.payment.voided" in event_types()


def test_the_shop_may_capture_and_void_without_an_actor(site):
    assert services.capture(payment=authorized_manual()).status == Status.CAPTURED
    assert services.void(payment=authorized_manual()).status == Status.VOIDED


# --- refunds ------------------------------------------------------------------------------------


def test_a_partial_then_a_full_refund(site, manager):
    payment = paid(amount=5000)
    payment = services.refund(payment=payment, amount=2000, actor=manager)
    assert (payment.status, payment.refunded_amount) == (Status.PARTIALLY_REFUNDED, 2000)
    payment = services.refund(payment=payment, amount=3000, actor=manager)
    assert (payment.status, payment.refunded_amount) == (Status.REFUNDED, 5000)
    first, second = payloads("payments.payment.refunded")
    assert (first["refund_amount"], first["refunded_amount"], first["fully_refunded"]) == (2000, 2000, False)
    assert (second["refund_amount"], second["refunded_amount"], second["fully_refunded"]) == (
        3000,
        5000,
        True,
    )
    assert ledger_charges()[0]["refunded"] == 5000


def test_a_refund_of_more_than_is_left_is_409_naming_amount(site, manager):
    payment = services.refund(payment=paid(amount=5000), amount=4000, actor=manager)
    with pytest.raises(services.RefundExceedsCaptured) as refused:
        services.refund(payment=payment, amount=1001, actor=manager)
    assert (refused.value.status, refused.value.code) == (409, "refund_exceeds_captured")
    assert list(refused.value.errors) == ["amount"]
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == (Status.PARTIALLY_REFUNDED, 4000)
    assert ledger_charges()[0]["refunded"] == 4000


def test_refunds_are_recorded_for_manual_payments(site, manager):
    payment = services.refund(payment=captured_manual(manager, amount=800), amount=800, actor=manager)
    assert payment.status == Status.REFUNDED
    assert payment.transactions.filter(kind=Kind.REFUND, result=Outcome.SUCCESS, actor=manager).exists()


@pytest.mark.parametrize("amount", [0, -1, 1.5, "ten"])
def test_a_refund_amount_that_is_no_positive_whole_number_is_refused(site, manager, amount):
    payment = paid()
    with pytest.raises(InvalidInput) as refused:
        services.refund(payment=payment, amount=amount, actor=manager)
    assert list(refused.value.errors) == ["amount"]


# --- marking paid ---------------------------------------------------------------------------------


def test_mark_paid_captures_a_manual_payment(site, manager):
    payment = manual(amount=4200)
    assert services.authorize(payment=payment).status == Status.PENDING  # awaiting the transfer
    payment = services.mark_paid(payment=payment, actor=manager)
    assert (payment.status, payment.captured_amount) == (Status.CAPTURED, 4200)
    assert payment.transactions.filter(kind=Kind.MANUAL, actor=manager).exists()
    assert event_types()[-1] == "payments.payment.captured"


def test_mark_paid_of_a_card_payment_is_refused(site, manager):
    with pytest.raises(Conflict) as refused:
        services.mark_paid(payment=PaymentFactory(), actor=manager)
    assert refused.value.extra == {"reason": "not_manual"}


# --- permissions ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["customer", "editor", "anonymous"])
def test_only_staff_with_the_permission_refund_or_mark_paid(site, who):
    from django.contrib.auth.models import AnonymousUser

    actor = {"customer": UserFactory, "editor": EditorFactory, "anonymous": AnonymousUser}[who]()
    error = NotAuthenticated if who == "anonymous" else PermissionDenied
    payment = manual()
    with pytest.raises(error):
        services.mark_paid(payment=payment, actor=actor)
    with pytest.raises(error):
        services.void(payment=payment, actor=actor)
    payment.refresh_from_db()
    assert payment.status == Status.PENDING
    assert not PaymentTransaction.objects.exists()


# --- events -----------------------------------------------------------------------------------------


def test_a_card_payment_publishes_started_authorized_and_captured(site):
    payment = paid(amount=999, reference="checkout:abc")
    assert event_types() == [
        "payments.payment.started",
        "payments.payment.authorized",
        "payments.payment.captured",
    ]
    (captured,) = payloads("payments.payment.captured")
    assert captured == {
        "payment_id": payment.pk,
        "reference": "checkout:abc",
        "provider": "demo",
        "amount": 999,
        "currency": "EUR",
        "status": "captured",
        "captured_amount": 999,
    }


def test_a_declined_payment_publishes_failed_with_the_message(site):
    with pytest.raises(services.PaymentDeclined):
        services.authorize(payment=PaymentFactory(), details=card("4000 0000 0000 0002"))
    (failed,) = payloads("payments.payment.failed")
    assert (failed["status"], failed["message"]) == ("failed", "Your card was declined.")


# --- append-only ------------------------------------------------------------------------------------


def test_transactions_cannot_be_changed_or_deleted(site):
    from django.db import IntegrityError, connection, transaction

    from apps.payments.models import AppendOnly

    row = paid().transactions.first()
    with pytest.raises(AppendOnly):
        row.save()
    with pytest.raises(AppendOnly):
        PaymentTransaction.objects.all().delete()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE payments_paymenttransaction SET amount = 1")


def test_the_database_keeps_refunded_at_most_captured(site):
    from django.db import IntegrityError, transaction

    payment = paid(amount=100)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(refunded_amount=101)


@pytest.mark.parametrize(
    ("arrange", "operation"),
    [
        ("pending", "capture"),
        ("pending", "refund"),
        ("authorized", "refund"),
        ("authorized", "mark_paid"),
        ("captured", "void"),
        ("captured", "mark_paid"),
        ("refunded", "refund"),
        ("refunded", "void"),
        ("voided", "capture"),
        ("voided", "void"),
        ("voided", "mark_paid"),
    ],
)
def test_each_illegal_move_is_409_naming_the_allowed_ones(site, manager, arrange, operation):
    from rustok.workflow import allowed_transitions

    payment = {
        "pending": manual,
        "authorized": authorized_manual,
        "captured": lambda: captured_manual(manager),
        "refunded": lambda: services.refund(payment=captured_manual(manager), amount=2500, actor=manager),
        "voided": lambda: services.void(payment=manual(), actor=manager),
    }[arrange]()
    assert payment.status == arrange
    arguments = {"payment": payment, "actor": manager}
    if operation == "refund":
        arguments["amount"] = 1
    rows = PaymentTransaction.objects.count()
    with pytest.raises(TransitionNotAllowed) as refused:
        getattr(services, operation)(**arguments)
    assert refused.value.status == 409
    assert refused.value.extra["state"] == arrange
    assert refused.value.extra["allowed"] == allowed_transitions(payment)
    assert PaymentTransaction.objects.count() == rows
