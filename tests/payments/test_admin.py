"""Payments in the tenant admin: the list, a payment's read-only page with its transactions, and
its operations (mark paid, capture, void, refund with an amount) through the services, with
refusals on the operation's form."""

from __future__ import annotations

import html

import pytest
from django_tenants.utils import schema_context

from apps.payments.models import Payment, Status
from tests.accounts.factories import EditorFactory
from tests.conftest import admin_session
from tests.payments.factories import ManagerFactory, authorized_manual, manual, paid

pytestmark = pytest.mark.django_db

LIST = "/admin/payments/payment/"


@pytest.fixture
def people(tenant_a):
    with schema_context("alpha"):
        return {"manager": ManagerFactory(), "editor": EditorFactory()}


@pytest.fixture
def as_(people):
    return lambda who: admin_session(people[who])


def text(response) -> str:
    return html.unescape(response.content.decode())


def operation(payment, name: str) -> str:
    return f"{LIST}{payment.pk}/operation/{name}/"


def status_of(payment) -> str:
    with schema_context("alpha"):
        return Payment.objects.get(pk=payment.pk).status


def test_the_list_filters_and_searches(as_, tenant_a):
    with schema_context("alpha"):
        card = paid(reference="checkout:card")
        manual(reference="checkout:transfer", email="someone@example.com")
    manager = as_("manager")
    assert len(manager.get(LIST).context["cl"].result_list) == 2
    assert [p.pk for p in manager.get(LIST, {"status__exact": "captured"}).context["cl"].result_list] == [
        card.pk
    ]
    assert len(manager.get(LIST, {"provider__exact": "manual"}).context["cl"].result_list) == 1
    assert len(manager.get(LIST, {"q": "someone@"}).context["cl"].result_list) == 1
    assert len(manager.get(LIST, {"q": card.provider_reference}).context["cl"].result_list) == 1


def test_a_payments_page_shows_its_transactions_and_the_operations_it_allows(as_, tenant_a):
    with schema_context("alpha"):
        card = paid(reference="checkout:page")
    page = as_("manager").get(f"{LIST}{card.pk}/change/")
    assert page.status_code == 200
    assert [step["name"] for step in page.context["operations"]] == ["refund"]
    assert "authorize" in text(page) and card.provider_reference in text(page)


def test_mark_paid_through_its_page(as_, tenant_a):
    with schema_context("alpha"):
        transfer = manual()
    manager = as_("manager")
    assert manager.get(operation(transfer, "mark_paid")).status_code == 200
    done = manager.post(operation(transfer, "mark_paid"))
    assert done.status_code == 302
    assert status_of(transfer) == Status.CAPTURED


def test_a_refund_of_too_much_is_shown_on_the_form_and_changes_nothing(as_, tenant_a):
    with schema_context("alpha"):
        card = paid(amount=1000)
    manager = as_("manager")
    refused = manager.post(operation(card, "refund"), {"amount": "10.01"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["amount"]
    assert "At most 1000 can be refunded" in text(refused)
    assert status_of(card) == Status.CAPTURED
    bad = manager.post(operation(card, "refund"), {"amount": "1.234"})
    assert "at most 2 decimals" in text(bad)
    done = manager.post(operation(card, "refund"), {"amount": "2.50"})
    assert done.status_code == 302
    with schema_context("alpha"):
        card.refresh_from_db()
        assert (card.status, card.refunded_amount) == (Status.PARTIALLY_REFUNDED, 250)


def test_capture_with_an_amount_and_void_as_list_action(as_, tenant_a):
    with schema_context("alpha"):
        held, other = authorized_manual(amount=900), authorized_manual()
    manager = as_("manager")
    assert manager.post(operation(held, "capture"), {"amount": "5"}).status_code == 302
    with schema_context("alpha"):
        assert Payment.objects.get(pk=held.pk).captured_amount == 500
    listed = manager.post(
        LIST, {"action": "void_selected", "_selected_action": [held.pk, other.pk]}, follow=True
    )
    assert status_of(other) == Status.VOIDED
    assert status_of(held) == Status.CAPTURED
    assert "Cannot void" in text(listed)


def test_an_operation_the_status_does_not_allow_is_refused_on_the_form(as_, tenant_a):
    with schema_context("alpha"):
        card = paid()
    refused = as_("manager").post(operation(card, "void"))
    assert refused.status_code == 200
    assert "Cannot void from 'Captured'" in text(refused)


def test_editors_see_no_payments(as_, tenant_a):
    with schema_context("alpha"):
        transfer = manual()
    editor = as_("editor")
    assert editor.get(LIST).status_code == 403
    assert editor.post(operation(transfer, "mark_paid")).status_code in (403, 404)
    assert status_of(transfer) == Status.PENDING


def test_payments_are_in_the_shop_section_and_leave_it_when_switched_off(as_, tenant_a):
    from apps.core.services import set_module_enabled

    manager = as_("manager")
    shop = next(app for app in manager.get("/admin/").context["available_apps"] if app["app_label"] == "shop")
    assert LIST in [model["admin_url"] for model in shop["models"]]
    set_module_enabled(tenant=tenant_a, module="orders", enabled=False)  # it needs payments
    set_module_enabled(tenant=tenant_a, module="payments", enabled=False)
    assert manager.get(LIST).status_code == 404
