"""Notifications from providers: the signature checked, applied once, and the webhook over HTTP."""

from __future__ import annotations

import json

import pytest
from django_tenants.utils import schema_context

from apps.core.services import set_module_enabled
from apps.events.models import OutboxEvent
from apps.payments import providers, services
from apps.payments.models import Kind, PaymentTransaction, Status
from apps.payments.providers.demo import SIGNATURE_HEADER, sign
from rustok.errors import NotFound
from tests.conftest import problem_of
from tests.payments.factories import PENDING_THEN_SUCCEEDS, PaymentFactory, card

pytestmark = pytest.mark.django_db

WEBHOOK = "/api/v1/payments/demo/notify/"


def pending_payment():
    return services.authorize(payment=PaymentFactory(), details=card(PENDING_THEN_SUCCEEDS))


def captured_events() -> int:
    return OutboxEvent.objects.filter(type="payments.payment.captured").count()


def test_a_bad_signature_is_refused_and_changes_nothing(site):
    payment = pending_payment()
    body, _headers = providers.get("demo").settle(payment.provider_reference)
    with pytest.raises(services.InvalidSignature):
        services.handle_notification(provider="demo", body=body, headers={SIGNATURE_HEADER: "0" * 64})
    with pytest.raises(services.InvalidSignature):
        services.handle_notification(provider="demo", body=body, headers={})
    payment.refresh_from_db()
    assert payment.status == Status.PENDING
    assert not PaymentTransaction.objects.filter(kind=Kind.NOTIFICATION).exists()


def test_an_altered_body_does_not_verify(site):
    payment = pending_payment()
    body, headers = providers.get("demo").settle(payment.provider_reference)
    altered = json.dumps({**json.loads(body), "amount": 1}).encode()
    with pytest.raises(services.InvalidSignature):
        services.handle_notification(provider="demo", body=altered, headers=headers)


def test_the_same_notification_twice_changes_nothing_the_second_time(site):
    payment = pending_payment()
    body, headers = providers.get("demo").settle(payment.provider_reference)
    first = services.handle_notification(provider="demo", body=body, headers=headers)
    second = services.handle_notification(
        provider="demo", body=body, headers={k.lower(): v for k, v in headers.items()}
    )
    assert first.status == second.status == Status.CAPTURED
    assert PaymentTransaction.objects.filter(kind=Kind.NOTIFICATION).count() == 1
    assert captured_events() == 1


def test_a_signed_notification_of_an_unknown_payment_is_404(site):
    body = json.dumps(
        {"id": "evt_x", "type": "charge.captured", "payment_key": "00000000-0000-0000-0000-000000000000"}
    ).encode()
    with pytest.raises(NotFound) as refused:
        services.handle_notification(provider="demo", body=body, headers={SIGNATURE_HEADER: sign(body)})
    assert refused.value.code == "not_found"


def test_the_webhook_applies_a_notification_and_answers_200_twice(site, client_a):
    payment = pending_payment()
    body, headers = providers.get("demo").settle(payment.provider_reference)
    extra = {"HTTP_X_DEMO_SIGNATURE": headers[SIGNATURE_HEADER]}
    for _time in range(2):
        answer = client_a.post(WEBHOOK, body, content_type="application/json", **extra)
        assert answer.status_code == 200, answer.content
        assert answer.json() == {"received": True, "payment": payment.pk, "status": "captured"}
    with schema_context("alpha"):
        payment.refresh_from_db()
        assert payment.status == Status.CAPTURED
        assert captured_events() == 1


def test_the_webhook_refuses_a_bad_signature_with_a_problem(site, client_a):
    body = json.dumps({"id": "evt_1", "type": "charge.captured"}).encode()
    problem = problem_of(
        client_a.post(WEBHOOK, body, content_type="application/json", HTTP_X_DEMO_SIGNATURE="bad")
    )
    assert problem["code"] == "invalid_signature"


def test_the_webhook_of_an_unknown_provider_is_404(site, client_a):
    problem = problem_of(
        client_a.post("/api/v1/payments/stripe/notify/", b"{}", content_type="application/json"), 404
    )
    assert problem["code"] == "not_found"


def test_the_webhook_is_404_while_payments_are_off(site, tenant_a, client_a):
    set_module_enabled(tenant=tenant_a, module="orders", enabled=False)  # it needs payments
    set_module_enabled(tenant=tenant_a, module="payments", enabled=False)
    problem = problem_of(client_a.post(WEBHOOK, b"{}", content_type="application/json"), 404)
    assert problem["code"] == "module_disabled"


def test_the_settlement_task_delivers_the_notification(site):
    from apps.payments.tasks import settle_demo_charge

    payment = pending_payment()
    settle_demo_charge.run(payment.provider_reference)
    payment.refresh_from_db()
    assert payment.status == Status.CAPTURED


def test_a_pending_charge_voided_before_the_bank_answers_stays_voided(site, manager):
    payment = services.void(payment=pending_payment(), actor=manager)
    body, headers = providers.get("demo").settle(payment.provider_reference)
    assert json.loads(body)["type"] == "charge.voided"
    payment = services.handle_notification(provider="demo", body=body, headers=headers)
    assert payment.status == Status.VOIDED
    assert captured_events() == 0
