"""After an order is placed: paid by hand, shipped in parts, completed, cancelled or refunded,
every change in the order's history and an event; illegal moves refused naming the allowed."""

import pytest

from apps.accounts.models import Role
from apps.events.models import OutboxEvent
from apps.inventory.models import StockLevel
from apps.orders import services
from apps.orders.models import OrderStatus, Voucher
from apps.payments.models import Payment
from rustok.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from tests.accounts.factories import UserFactory
from tests.orders.factories import VoucherFactory

CARD = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2040, "cvc": "123"}


@pytest.fixture
def paid(ready_cart):
    return services.checkout(cart=ready_cart, details=CARD)


@pytest.fixture
def unpaid(ready_cart):
    services.update_checkout(cart=ready_cart, payment_provider="manual")
    return services.checkout(cart=ready_cart)


def on_hand(variant):
    return sum(StockLevel.objects.filter(variant=variant).values_list("on_hand", flat=True))


def test_staff_mark_a_manual_payment_paid(unpaid, keeper):
    order = services.mark_paid(order=unpaid, actor=keeper)
    assert (order.status, order.paid_amount) == (OrderStatus.PAID, 2990)
    assert Payment.objects.get(reference=f"checkout:{order.checkout_token}").status == "captured"
    entry = order.history.last()
    assert (entry.from_status, entry.to_status, entry.actor) == ("placed", "paid", keeper)


def test_shipping_part_of_an_order_then_the_rest(paid, keeper):
    line = paid.lines.get()
    first = services.fulfil(
        order=paid,
        actor=keeper,
        lines=[{"line": line.pk, "quantity": 1}],
        carrier="DHL",
        tracking_number="JJD1",
    )
    paid.refresh_from_db()
    assert paid.status == OrderStatus.PARTIALLY_FULFILLED
    assert first.lines.get().quantity == 1
    services.fulfil(order=paid, actor=keeper)
    paid.refresh_from_db()
    assert paid.status == OrderStatus.FULFILLED
    assert paid.lines.get().quantity_fulfilled == 2
    assert services.complete(order=paid, actor=keeper).status == OrderStatus.COMPLETED


def test_shipping_more_than_is_left_is_refused_naming_the_line(paid, keeper):
    line = paid.lines.get()
    with pytest.raises(InvalidInput) as refused:
        services.fulfil(
            order=paid,
            actor=keeper,
            lines=[{"line": line.pk, "quantity": 3}, {"line": 999999, "quantity": 1}],
        )
    assert set(refused.value.errors) == {"lines.0.quantity", "lines.1.line"}
    assert not paid.shipments.exists()


def test_an_unpaid_order_cannot_ship_and_says_what_is_allowed(unpaid, keeper):
    with pytest.raises(TransitionNotAllowed) as refused:
        services.fulfil(order=unpaid, actor=keeper)
    assert refused.value.allowed == ["pay", "cancel"]


def test_cancelling_an_unpaid_order_puts_its_stock_back_and_lets_the_payment_go(unpaid, keeper, shirt):
    assert on_hand(shirt) == 8
    order = services.cancel(order=unpaid, actor=keeper, reason="Asked by phone")
    assert order.status == OrderStatus.CANCELLED
    assert on_hand(shirt) == 10
    assert Payment.objects.get(reference=f"checkout:{order.checkout_token}").status == "voided"
    assert order.history.last().message == "Asked by phone"


def test_cancelling_a_paid_order_refunds_it_and_restocks_exactly_once(paid, keeper, shirt):
    order = services.cancel(order=paid, actor=keeper)
    assert (order.status, order.refunded_amount) == (OrderStatus.CANCELLED, 2990)
    assert Payment.objects.get(reference=f"checkout:{order.checkout_token}").status == "refunded"
    assert on_hand(shirt) == 10
    with pytest.raises(TransitionNotAllowed):
        services.cancel(order=order, actor=keeper)
    assert on_hand(shirt) == 10


def test_cancelling_gives_the_voucher_use_back(ready_cart, keeper):
    VoucherFactory(code="BACK", usage_limit=1)
    services.apply_voucher(cart=ready_cart, code="BACK")
    order = services.checkout(cart=ready_cart, details=CARD)
    assert Voucher.objects.get(code="BACK").used == 1
    services.cancel(order=order, actor=keeper)
    assert Voucher.objects.get(code="BACK").used == 0


def test_a_partial_refund_for_a_returned_line_restocks_it_and_keeps_the_status(paid, keeper, shirt):
    line = paid.lines.get()
    order = services.refund(
        order=paid, actor=keeper, amount=1250, lines=[{"line": line.pk, "quantity": 1}], restock=True
    )
    assert (order.status, order.refunded_amount, order.refundable) == (OrderStatus.PAID, 1250, 1740)
    assert on_hand(shirt) == 9
    assert order.lines.get().quantity_returned == 1
    order = services.refund(order=order, actor=keeper, amount=1740)
    assert (order.status, order.refunded_amount) == (OrderStatus.REFUNDED, 2990)
    assert Payment.objects.get(reference=f"checkout:{order.checkout_token}").status == "refunded"


def test_refunding_more_than_was_paid_is_refused_naming_the_amount(paid, keeper):
    with pytest.raises(services.RefundExceedsPaid) as refused:
        services.refund(order=paid, actor=keeper, amount=3000)
    assert list(refused.value.errors) == ["amount"]
    assert Payment.objects.get(reference=f"checkout:{paid.checkout_token}").refunded_amount == 0


def test_customers_and_editors_cannot_manage_orders(paid):
    for role in (Role.CUSTOMER, Role.EDITOR):
        with pytest.raises(PermissionDenied):
            services.cancel(order=paid, actor=UserFactory(role=role))
    paid.refresh_from_db()
    assert paid.status == OrderStatus.PAID


def test_every_change_is_an_event(paid, keeper):
    OutboxEvent.objects.all().delete()
    services.fulfil(order=paid, actor=keeper)
    services.complete(order=paid, actor=keeper)
    services.refund(order=paid, actor=keeper, amount=100)
    types = list(
        OutboxEvent.objects.filter(type__startswith="orders.").order_by("id").values_list("type", flat=True)
    )
    assert types == ["orders.order.fulfilled", "orders.order.completed", "orders.order.refunded"]


def test_a_note_goes_into_the_history(paid, keeper):
    services.add_note(order=paid, actor=keeper, message="Gift wrap")
    assert paid.history.last().message == "Gift wrap"
    with pytest.raises(InvalidInput):
        services.add_note(order=paid, actor=keeper, message="  ")
