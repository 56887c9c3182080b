"""REST: /api/v1/payments/ as managers and admins see and handle payments, and what everyone else
gets."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from apps.core.services import set_module_enabled
from apps.payments.models import Payment, Status
from apps.payments.providers.demo import ledger_charges
from tests.accounts.factories import EditorFactory, UserFactory
from tests.conftest import problem_of, signed_in
from tests.payments.factories import ManagerFactory, authorized_manual, manual, paid

pytestmark = pytest.mark.django_db

BASE = "/api/v1/payments/"
JSON = "application/json"


@pytest.fixture
def people(tenant_a):
    with schema_context("alpha"):
        return {"manager": ManagerFactory(), "customer": UserFactory(), "editor": EditorFactory()}


@pytest.fixture
def as_(tenant_a, people):
    return lambda who: signed_in(tenant_a, people[who])


@pytest.fixture
def ledger(tenant_a):
    """Payments of two checkouts: one paid by card, one by transfer (pending), one authorised."""
    with schema_context("alpha"):
        return {
            "card": paid(reference="checkout:a", amount=5000),
            "transfer": manual(reference="checkout:b", amount=1200),
            "held": authorized_manual(reference="checkout:b", amount=700),
        }


def test_the_list_filters_by_reference_status_and_provider(as_, ledger):
    manager = as_("manager")
    everything = manager.get(BASE).json()
    assert everything["count"] == 3
    assert [p["reference"] for p in manager.get(BASE, {"reference": "checkout:b"}).json()["results"]] == [
        "checkout:b",
        "checkout:b",
    ]
    captured = manager.get(BASE, {"status": "captured"}).json()["results"]
    assert [p["id"] for p in captured] == [ledger["card"].pk]
    assert manager.get(BASE, {"provider": "manual"}).json()["count"] == 2
    assert problem_of(manager.get(BASE, {"status": "lost"}))["errors"][0]["field"] == "status"


def test_the_detail_has_the_transactions(as_, ledger):
    answer = as_("manager").get(f"{BASE}{ledger['card'].pk}/").json()
    assert answer["status"] == "captured"
    assert answer["details"] == {"brand": "visa", "last4": "4242"}
    assert [(t["kind"], t["result"]) for t in answer["transactions"]] == [
        ("authorize", "success"),
        ("capture", "success"),
    ]


def test_a_manager_refunds_part_then_is_refused_more_than_is_left(as_, ledger):
    manager = as_("manager")
    url = f"{BASE}{ledger['card'].pk}/refund/"
    answer = manager.post(url, {"amount": 2000}, content_type=JSON)
    assert answer.status_code == 200, answer.content
    assert (answer.json()["status"], answer.json()["refunded_amount"]) == ("partially_refunded", 2000)
    problem = problem_of(manager.post(url, {"amount": 3001}, content_type=JSON), 409)
    assert problem["code"] == "refund_exceeds_captured"
    assert [e["field"] for e in problem["errors"]] == ["amount"]
    assert (
        problem_of(manager.post(url, {"amount": 10.5}, content_type=JSON))["errors"][0]["field"] == "amount"
    )
    assert problem_of(manager.post(url, {}, content_type=JSON))["errors"][0]["field"] == "amount"
    with schema_context("alpha"):
        assert ledger_charges()[0]["refunded"] == 2000


def test_mark_paid_capture_and_void(as_, ledger):
    manager = as_("manager")
    marked = manager.post(f"{BASE}{ledger['transfer'].pk}/mark-paid/")
    assert (marked.status_code, marked.json()["status"]) == (200, "captured")
    captured = manager.post(f"{BASE}{ledger['held'].pk}/capture/", {"amount": 500}, content_type=JSON)
    assert (captured.json()["status"], captured.json()["captured_amount"]) == ("captured", 500)
    problem = problem_of(manager.post(f"{BASE}{ledger['held'].pk}/void/"), 409)
    assert problem["code"] == "transition_not_allowed"
    assert problem["allowed"] == ["refund_part", "refund"]


def test_marking_a_card_payment_paid_is_a_conflict(as_, ledger):
    with schema_context("alpha"):
        pending = Payment.objects.create(provider="demo", amount=10, currency="EUR", reference="x")
    problem = problem_of(as_("manager").post(f"{BASE}{pending.pk}/mark-paid/"), 409)
    assert (problem["code"], problem["reason"]) == ("conflict", "not_manual")


@pytest.mark.parametrize("who", ["customer", "editor"])
def test_customers_and_editors_are_refused(as_, ledger, who):
    client = as_(who)
    assert problem_of(client.get(BASE), 403)["code"] == "permission_denied"
    assert (
        problem_of(client.post(f"{BASE}{ledger['transfer'].pk}/mark-paid/"), 403)["code"]
        == "permission_denied"
    )
    with schema_context("alpha"):
        assert Payment.objects.get(pk=ledger["transfer"].pk).status == Status.PENDING


def test_anonymous_is_asked_to_sign_in(client_a, ledger):
    assert problem_of(client_a.get(BASE), 401)["code"] == "not_authenticated"


def test_another_sites_payments_are_not_found(tenant_b, ledger):
    with schema_context("beta"):
        admin = UserFactory(role="admin")
    other = signed_in(tenant_b, admin)
    assert other.get(BASE).json()["count"] == 0
    assert problem_of(other.get(f"{BASE}{ledger['card'].pk}/"), 404)["code"] == "not_found"


def test_the_api_is_404_while_payments_are_off(as_, ledger, tenant_a):
    set_module_enabled(tenant=tenant_a, module="orders", enabled=False)  # it needs payments
    set_module_enabled(tenant=tenant_a, module="payments", enabled=False)
    assert problem_of(as_("manager").get(BASE), 404)["code"] == "module_disabled"


def test_a_provider_that_does_not_answer_is_503_with_retry_after_and_changes_nothing(as_, ledger):
    from rustok.resilience import breaker

    breaker("payments.demo").open()  # the provider failed repeatedly just now
    answer = as_("manager").post(f"{BASE}{ledger['card'].pk}/refund/", {"amount": 100}, content_type=JSON)
    problem = problem_of(answer, 503)
    assert (problem["code"], problem["provider"]) == ("payment_provider_unavailable", "demo")
    assert answer["Retry-After"] == "30"
    with schema_context("alpha"):
        payment = Payment.objects.get(pk=ledger["card"].pk)
        assert (payment.status, payment.refunded_amount) == (Status.CAPTURED, 0)
        assert payment.transactions.order_by("id").last().result == "error"
        assert ledger_charges()[0]["refunded"] == 0
