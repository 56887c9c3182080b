"""Payments over GraphQL: staff read payments with their transactions and change them; refusals
carry their codes; the module switched off."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from apps.core import services as core
from tests.accounts.factories import UserFactory
from tests.conftest import signed_in
from tests.payments.factories import ManagerFactory, manual, paid

pytestmark = pytest.mark.django_db

PAYMENTS = """query($reference: String, $status: PaymentStatus) {
  payments(reference: $reference, status: $status) {
    id reference status amount capturedAmount refundedAmount details
    transactions { kind result amount } } }"""
REFUND = """mutation($id: ID!, $amount: Int!) {
  paymentRefund(id: $id, amount: $amount) { payment { status refundedAmount } } }"""
MARK_PAID = "mutation($id: ID!) { paymentMarkPaid(id: $id) { payment { status capturedAmount } } }"


def ask(client, query: str, **variables) -> dict:
    response = client.post(
        "/api/graphql/", {"query": query, "variables": variables}, content_type="application/json"
    )
    assert response.status_code in (200, 400), response.content
    return response.json()


@pytest.fixture
def shop(tenant_a):
    with schema_context("alpha"):
        return {
            "manager": ManagerFactory(),
            "card": paid(reference="checkout:g", amount=3000),
            "transfer": manual(reference="checkout:h", amount=800),
        }


def test_staff_read_payments_with_their_transactions(tenant_a, shop):
    body = ask(signed_in(tenant_a, shop["manager"]), PAYMENTS, reference="checkout:g")
    assert body["data"]["payments"] == [
        {
            "id": str(shop["card"].pk),
            "reference": "checkout:g",
            "status": "CAPTURED",
            "amount": 3000,
            "capturedAmount": 3000,
            "refundedAmount": 0,
            "details": '{"brand": "visa", "last4": "4242"}',
            "transactions": [
                {"kind": "AUTHORIZE", "result": "SUCCESS", "amount": 3000},
                {"kind": "CAPTURE", "result": "SUCCESS", "amount": 3000},
            ],
        }
    ]
    pending = ask(signed_in(tenant_a, shop["manager"]), PAYMENTS, status="PENDING")["data"]["payments"]
    assert [p["reference"] for p in pending] == ["checkout:h"]


def test_refund_and_mark_paid(tenant_a, shop):
    manager = signed_in(tenant_a, shop["manager"])
    refunded = ask(manager, REFUND, id=shop["card"].pk, amount=1000)["data"]["paymentRefund"]["payment"]
    assert refunded == {"status": "PARTIALLY_REFUNDED", "refundedAmount": 1000}
    over = ask(manager, REFUND, id=shop["card"].pk, amount=2001)
    assert over["errors"][0]["extensions"]["code"] == "REFUND_EXCEEDS_CAPTURED"
    marked = ask(manager, MARK_PAID, id=shop["transfer"].pk)["data"]["paymentMarkPaid"]["payment"]
    assert marked == {"status": "CAPTURED", "capturedAmount": 800}
    again = ask(manager, MARK_PAID, id=shop["transfer"].pk)
    assert again["errors"][0]["extensions"]["code"] == "TRANSITION_NOT_ALLOWED"


def test_an_unknown_payment_is_not_found(tenant_a, shop):
    body = ask(signed_in(tenant_a, shop["manager"]), MARK_PAID, id="999999")
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_customers_are_refused(tenant_a, shop):
    with schema_context("alpha"):
        customer = UserFactory()
    body = ask(signed_in(tenant_a, customer), PAYMENTS)
    assert body["data"]["payments"] is None
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


def test_the_root_field_is_null_while_payments_are_off(tenant_a, shop):
    core.set_module_enabled(tenant=tenant_a, module="orders", enabled=False)  # it needs payments
    core.set_module_enabled(tenant=tenant_a, module="payments", enabled=False)
    body = ask(signed_in(tenant_a, shop["manager"]), PAYMENTS)
    assert body["data"]["payments"] is None
    assert body["errors"][0]["extensions"]["code"] == "MODULE_DISABLED"
