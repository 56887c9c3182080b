"""The demo provider's pending card end to end: committed writes, the settlement task queued on
Celery, run by a real worker, and its signed notification capturing the payment."""

import pytest
from django_tenants.utils import schema_context

from apps.events.models import OutboxEvent
from apps.payments import services
from apps.payments.models import Payment, Status
from tests.conftest import wait_until
from tests.payments.factories import PENDING_THEN_SUCCEEDS, PaymentFactory, card

pytestmark = pytest.mark.worker


def test_a_pending_charge_is_captured_by_the_notification_the_worker_sends(live_tenant, worker, settings):
    settings.PAYMENTS_DEMO_SETTLE_SECONDS = 0
    worker()
    with schema_context("live_events"):
        payment = services.authorize(payment=PaymentFactory(), details=card(PENDING_THEN_SUCCEEDS))
        assert payment.status == Status.PENDING

        def captured():
            """the notification captured the payment"""
            return Payment.objects.get(pk=payment.pk).status == Status.CAPTURED

        wait_until(captured)
        assert OutboxEvent.objects.filter(type="payments.payment.captured").count() == 1


def test_two_authorisations_of_one_payment_at_once_charge_once(live_tenant):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from apps.payments.models import Kind, PaymentTransaction
    from apps.payments.providers.demo import ledger_charges

    with schema_context("live_events"):
        payment = PaymentFactory()

    def pay(_n):
        try:
            with schema_context("live_events"):
                return services.authorize(payment=payment, details=card("4242 4242 4242 4242")).status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(pay, range(2)))
    assert answers == [Status.CAPTURED, Status.CAPTURED]
    with schema_context("live_events"):
        assert len(ledger_charges()) == 1
        assert PaymentTransaction.objects.filter(payment=payment, kind=Kind.CAPTURE).count() == 1
        assert OutboxEvent.objects.filter(type="payments.payment.captured").count() == 1


def test_authorising_a_payment_captured_already_answers_it_and_asks_nothing(site):
    from apps.payments.providers.demo import ledger_charges

    payment = PaymentFactory()
    captured = services.authorize(payment=payment, details=card("4242 4242 4242 4242"))
    charges = len(ledger_charges())
    again = services.authorize(payment=payment, details=card("4242 4242 4242 4242"))
    assert (captured.status, again.status) == (Status.CAPTURED, Status.CAPTURED)
    assert len(ledger_charges()) == charges
