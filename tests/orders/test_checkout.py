"""Checkout: details checked field by field, stock reserved, paid once, one order placed."""

import pytest

from apps.events.models import OutboxEvent
from apps.inventory.models import Reservation, StockLevel
from apps.inventory.services import OutOfStock
from apps.orders import services
from apps.orders.carts import CartNotOrderable, VoucherNotApplicable
from apps.orders.models import Cart, CartStatus, Order, OrderStatus
from apps.payments.errors import PaymentDeclined, PaymentProviderUnavailable
from apps.payments.models import Payment
from apps.payments.providers.demo import ledger_charges
from rustok.errors import InvalidInput
from tests.orders.conftest import GERMAN_ADDRESS
from tests.orders.factories import VoucherFactory

SUCCEEDS = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2040, "cvc": "123"}


def card(number):
    return {**SUCCEEDS, "number": number}


def on_hand(variant):
    return sum(StockLevel.objects.filter(variant=variant).values_list("on_hand", flat=True))


def test_a_paid_checkout_places_a_paid_order_with_copies_of_its_lines(ready_cart, shirt):
    OutboxEvent.objects.all().delete()
    order = services.checkout(cart=ready_cart, details=SUCCEEDS)

    assert order.status == OrderStatus.PAID
    assert (order.subtotal, order.shipping, order.total, order.paid_amount) == (2500, 490, 2990, 2990)
    assert order.email == "anna@example.com"
    assert order.shipping_address["postal_code"] == "10115"
    line = order.lines.get()
    assert (line.sku, line.product_name, line.quantity, line.unit_price) == (
        shirt.sku,
        "Linen shirt",
        2,
        1250,
    )
    assert line.attributes == [{"attribute": "size", "value": "M"}]
    assert sum(a["quantity"] for a in line.allocations) == 2
    assert on_hand(shirt) == 8
    assert not Reservation.objects.exists()
    assert Cart.objects.get(pk=ready_cart.pk).status == CartStatus.ORDERED
    types = list(
        OutboxEvent.objects.filter(type__startswith="orders.order")
        .order_by("id")
        .values_list("type", flat=True)
    )
    assert types == ["orders.order.placed", "orders.order.paid"]
    payment = Payment.objects.get(reference=ready_cart.owner)
    assert (payment.status, payment.captured_amount) == ("captured", 2990)
    assert list(order.history.values_list("kind", flat=True)) == ["placed", "status"]


def test_order_numbers_follow_each_other(alpha, shirt, parcel):
    numbers = []
    for _n in range(3):
        cart = services.create_cart()
        services.add_line(cart=cart, variant_id=shirt.pk)
        services.update_checkout(
            cart=cart,
            email="a@example.com",
            shipping_address=GERMAN_ADDRESS,
            shipping_method=parcel.pk,
            payment_provider="demo",
        )
        numbers.append(services.checkout(cart=cart, details=SUCCEEDS).number)
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]


def test_missing_details_are_named_at_once_and_nothing_is_written(alpha, shirt):
    cart = services.create_cart()
    services.add_line(cart=cart, variant_id=shirt.pk)
    with pytest.raises(InvalidInput) as refused:
        services.checkout(cart=cart, details=SUCCEEDS)
    assert set(refused.value.errors) == {"email", "shipping_address", "shipping_method", "payment_provider"}
    assert not Payment.objects.exists()
    assert not Reservation.objects.exists()


def test_bad_details_are_refused_naming_the_field_and_nothing_changes(ready_cart):
    with pytest.raises(InvalidInput) as refused:
        services.update_checkout(
            cart=ready_cart,
            email="not an address",
            shipping_address={**GERMAN_ADDRESS, "postal_code": "1"},
            payment_provider="bitcoin",
        )
    assert set(refused.value.errors) == {"email", "shipping_address.postal_code", "payment_provider"}
    cart = Cart.objects.get(pk=ready_cart.pk)
    assert (cart.email, cart.payment_provider) == ("anna@example.com", "demo")


def test_a_shipping_method_that_does_not_ship_there_is_refused(ready_cart):
    from tests.orders.factories import ShippingMethodFactory

    french = ShippingMethodFactory(zone__countries=["FR"])
    with pytest.raises(InvalidInput) as refused:
        services.update_checkout(cart=ready_cart, shipping_method=french.pk)
    assert list(refused.value.errors) == ["shipping_method"]


def test_a_declined_card_places_no_order_and_the_checkout_stays_payable(ready_cart, shirt):
    with pytest.raises(PaymentDeclined):
        services.checkout(cart=ready_cart, details=card("4000000000000002"))
    assert not Order.objects.exists()
    assert Payment.objects.get(reference=ready_cart.owner).status == "failed"
    order = services.checkout(cart=ready_cart, details=SUCCEEDS)
    assert order.status == OrderStatus.PAID
    assert on_hand(shirt) == 8


def test_a_provider_that_is_down_is_503_and_charges_nothing(ready_cart):
    before = len(ledger_charges())
    with pytest.raises(PaymentProviderUnavailable):
        services.checkout(cart=ready_cart, details=card("4000000000000500"))
    assert not Order.objects.exists()
    assert Payment.objects.get(reference=ready_cart.owner).status == "pending"
    assert len(ledger_charges()) == before
    order = services.checkout(cart=ready_cart, details=SUCCEEDS)
    assert order.status == OrderStatus.PAID
    assert Payment.objects.filter(reference=ready_cart.owner).count() == 1
    assert len(ledger_charges()) == before + 1


def test_a_call_that_timed_out_after_charging_is_retried_and_charges_once(ready_cart):
    before = len(ledger_charges())
    order = services.checkout(cart=ready_cart, details=card("4000000000000119"))
    assert order.status == OrderStatus.PAID
    assert len(ledger_charges()) == before + 1


def test_checking_out_twice_gives_the_same_order_and_one_charge(ready_cart):
    before = len(ledger_charges())
    first = services.checkout(cart=ready_cart, details=SUCCEEDS)
    second = services.checkout(cart=ready_cart, details=SUCCEEDS)
    assert first.pk == second.pk
    assert len(ledger_charges()) == before + 1


def test_a_manual_payment_places_an_order_waiting_for_the_money(ready_cart, shirt):
    services.update_checkout(cart=ready_cart, payment_provider="manual")
    order = services.checkout(cart=ready_cart)
    assert order.status == OrderStatus.PLACED
    assert order.paid_amount == 0
    assert on_hand(shirt) == 8


def test_a_line_out_of_stock_stops_the_checkout_naming_it(ready_cart, shirt, warehouse, keeper):
    from apps.inventory import services as inventory

    inventory.adjust(actor=keeper, variant=shirt, location=warehouse, delta=-9, reason="damaged")
    with pytest.raises(OutOfStock) as refused:
        services.checkout(cart=ready_cart, details=SUCCEEDS)
    assert refused.value.lines == [{"variant_id": shirt.pk, "sku": shirt.sku, "asked": 2, "available": 1}]
    assert not Payment.objects.exists()


def test_a_voucher_is_counted_when_the_order_is_placed(ready_cart):
    voucher = VoucherFactory(code="TENOFF", usage_limit=5)
    services.apply_voucher(cart=ready_cart, code="tenoff")
    order = services.checkout(cart=ready_cart, details=SUCCEEDS)
    assert (order.discount, order.voucher_code, order.total) == (250, "TENOFF", 2740)
    voucher.refresh_from_db()
    assert voucher.used == 1
    assert voucher.uses.get().order == order


def test_a_product_no_longer_for_sale_stops_the_checkout_naming_it(ready_cart, shirt, keeper):
    from apps.catalog import services as catalog

    catalog.transition_product(actor=keeper, product=shirt.product, name="deactivate")
    with pytest.raises(CartNotOrderable) as refused:
        services.checkout(cart=ready_cart, details=SUCCEEDS)
    assert refused.value.extra["lines"][0]["problems"] == ["unavailable"]
    assert not Payment.objects.exists()


def test_an_unknown_voucher_is_refused_naming_why(ready_cart):
    with pytest.raises(VoucherNotApplicable) as refused:
        services.apply_voucher(cart=ready_cart, code="NOPE")
    assert refused.value.reason == "unknown"
    assert list(refused.value.errors) == ["voucher"]


def test_a_voucher_used_up_per_customer_is_refused(ready_cart, alpha, shirt, parcel):
    VoucherFactory(code="ONCE", per_customer_limit=1)
    services.apply_voucher(cart=ready_cart, code="ONCE")
    services.checkout(cart=ready_cart, details=SUCCEEDS)
    again = services.create_cart()
    services.add_line(cart=again, variant_id=shirt.pk)
    services.update_checkout(cart=again, email="ANNA@example.com")
    with pytest.raises(VoucherNotApplicable) as refused:
        services.apply_voucher(cart=again, code="once")
    assert refused.value.reason == "limit_per_customer"


def test_stock_is_reserved_while_paying_and_counted_as_the_checkouts_own(ready_cart, shirt):
    services.begin(cart=ready_cart)
    assert sum(Reservation.objects.filter(owner=ready_cart.owner).values_list("quantity", flat=True)) == 2
    from apps.orders.carts import priced

    cart = Cart.objects.get(pk=ready_cart.pk)
    assert priced(cart).lines[0].problems == []


def test_changing_the_cart_after_payment_began_gives_the_stock_back(ready_cart, shirt):
    services.begin(cart=ready_cart)
    cart = Cart.objects.get(pk=ready_cart.pk)
    line = cart.lines.get()
    services.set_quantity(cart=cart, line_id=line.pk, quantity=1)
    assert not Reservation.objects.exists()


def test_a_payment_for_an_older_cart_places_no_order_and_is_given_back(ready_cart, shirt):
    payment = services.begin(cart=ready_cart)
    cart = Cart.objects.get(pk=ready_cart.pk)
    services.set_quantity(cart=cart, line_id=cart.lines.get().pk, quantity=1)
    from apps.payments import services as payments

    payments.authorize(payment=payment, details=SUCCEEDS)
    with pytest.raises(services.PaymentMismatch):
        services.place_order(cart=cart, payment=payment)
    assert not Order.objects.exists()
