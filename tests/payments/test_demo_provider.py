"""The demo card provider through the services: every test card, idempotency keys, the ledger
outside the database, and the refusal to call a provider inside a transaction."""

from __future__ import annotations

import pytest
from django.db import transaction

from apps.payments import providers, selectors, services
from apps.payments.models import Kind, Outcome, Status
from apps.payments.providers.demo import ledger_charges
from tests.payments.factories import (
    DECLINED,
    PENDING_THEN_SUCCEEDS,
    PROVIDER_DOWN,
    SUCCEEDS,
    TIMES_OUT,
    PaymentFactory,
    card,
)

pytestmark = pytest.mark.django_db


def kinds(payment) -> list[tuple[str, str]]:
    return list(payment.transactions.order_by("id").values_list("kind", "result"))


def test_the_success_card_authorises_and_captures_at_once(site):
    payment = services.authorize(payment=PaymentFactory(amount=1999), details=card("4242 4242 4242 4242"))
    assert payment.status == Status.CAPTURED
    assert payment.captured_amount == 1999
    assert payment.details == {"brand": "visa", "last4": "4242"}
    assert payment.provider_reference.startswith("demo_ch_")
    assert kinds(payment) == [(Kind.AUTHORIZE, Outcome.SUCCESS), (Kind.CAPTURE, Outcome.SUCCESS)]
    (charge,) = ledger_charges()
    assert (charge["status"], charge["captured"]) == ("captured", 1999)


def test_the_card_number_is_never_stored(site):
    payment = services.authorize(payment=PaymentFactory(), details=card(SUCCEEDS))
    stored = str(payment.details) + "".join(str(t.raw_response) for t in payment.transactions.all())
    assert SUCCEEDS not in stored


def test_the_declined_card_fails_the_payment_with_the_providers_message(site):
    payment = PaymentFactory()
    with pytest.raises(services.PaymentDeclined, match="Your card was declined") as refused:
        services.authorize(payment=payment, details=card(DECLINED))
    assert (refused.value.status, refused.value.code) == (402, "payment_declined")
    payment.refresh_from_db()
    assert payment.status == Status.FAILED
    assert kinds(payment) == [(Kind.AUTHORIZE, Outcome.FAILED)]


def test_a_number_failing_the_luhn_check_is_declined(site):
    with pytest.raises(services.PaymentDeclined, match="not valid"):
        services.authorize(payment=PaymentFactory(), details=card("4242 4242 4242 4241"))


def test_the_pending_card_stays_pending_until_the_signed_notification(site):
    payment = services.authorize(payment=PaymentFactory(), details=card(PENDING_THEN_SUCCEEDS))
    assert payment.status == Status.PENDING
    body, headers = providers.get("demo").settle(payment.provider_reference)
    payment = services.handle_notification(provider="demo", body=body, headers=headers)
    assert payment.status == Status.CAPTURED
    assert payment.captured_amount == payment.amount
    assert kinds(payment) == [(Kind.AUTHORIZE, Outcome.PENDING), (Kind.NOTIFICATION, Outcome.SUCCESS)]


def test_a_timeout_after_the_charge_is_retried_with_the_same_key_and_charges_once(site):
    payment = services.authorize(payment=PaymentFactory(), details=card(TIMES_OUT))
    assert payment.status == Status.CAPTURED
    assert len(ledger_charges()) == 1
    assert kinds(payment) == [(Kind.AUTHORIZE, Outcome.SUCCESS), (Kind.CAPTURE, Outcome.SUCCESS)]
    assert payment.transactions.get(kind=Kind.AUTHORIZE).raw_response["idempotent_replay"] is True


def test_without_retries_the_timeout_leaves_it_pending_and_asking_again_finds_the_charge(site, settings):
    settings.PAYMENTS_CALL_ATTEMPTS = 1
    payment = PaymentFactory()
    with pytest.raises(services.PaymentProviderUnavailable) as unavailable:
        services.authorize(payment=payment, details=card(TIMES_OUT))
    assert (unavailable.value.status, unavailable.value.retry_after) == (503, 30)
    payment.refresh_from_db()
    assert payment.status == Status.PENDING
    assert len(ledger_charges()) == 1  # the provider did charge
    again = services.authorize(payment=payment, details=card(TIMES_OUT))
    assert again.status == Status.CAPTURED
    assert len(ledger_charges()) == 1
    assert selectors.payments(reference=payment.reference, status=Status.CAPTURED).count() == 1
    assert kinds(again)[0] == (Kind.AUTHORIZE, Outcome.ERROR)


def test_the_provider_down_answers_503_and_the_payment_stays_payable(site):
    payment = PaymentFactory()
    with pytest.raises(services.PaymentProviderUnavailable) as unavailable:
        services.authorize(payment=payment, details=card(PROVIDER_DOWN))
    assert unavailable.value.code == "payment_provider_unavailable"
    payment.refresh_from_db()
    assert payment.status == Status.PENDING
    assert ledger_charges() == []
    assert kinds(payment) == [(Kind.AUTHORIZE, Outcome.ERROR)]
    assert services.authorize(payment=payment, details=card(SUCCEEDS)).status == Status.CAPTURED


def test_the_breaker_opens_after_repeated_failures_and_calls_nothing_while_open(site, settings):
    settings.PAYMENTS_BREAKER_FAILURES = 3
    settings.PAYMENTS_CALL_ATTEMPTS = 3
    payment = PaymentFactory()
    with pytest.raises(services.PaymentProviderUnavailable):
        services.authorize(payment=payment, details=card(PROVIDER_DOWN))  # 3 failures: open
    other = PaymentFactory()
    with pytest.raises(services.PaymentProviderUnavailable, match="not tried"):
        services.authorize(payment=other, details=card(SUCCEEDS))
    assert ledger_charges() == []
    other.refresh_from_db()
    assert other.status == Status.PENDING


def test_a_provider_call_inside_a_transaction_is_refused(site):
    payment = PaymentFactory()
    refused = pytest.raises(services.CallInTransaction, match="inside a database transaction")
    with refused, transaction.atomic():
        services.authorize(payment=payment, details=card(SUCCEEDS))
    assert ledger_charges() == []
    payment.refresh_from_db()
    assert payment.status == Status.PENDING


def test_ledgers_are_per_site(site, tenant_b):
    from django_tenants.utils import schema_context

    services.authorize(payment=PaymentFactory(), details=card(SUCCEEDS))
    with schema_context("beta"):
        assert ledger_charges() == []
    assert len(ledger_charges()) == 1
