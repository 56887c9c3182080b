"""Orders and carts in the tenant admin: the list with its filters, search and totals; an order's
read-only page with its lines, payments and history and only the operations its status allows;
each operation through its service, refusals on its form; no way in for customers and editors."""

from __future__ import annotations

import html

import pytest

from apps.accounts.models import Role
from apps.inventory.models import StockLevel
from apps.orders import services
from apps.orders.models import Cart, Order, OrderStatus
from apps.payments.models import Payment
from apps.payments.providers.base import ProviderUnavailable
from apps.payments.providers.demo import DemoProvider
from tests.accounts.factories import EditorFactory, UserFactory
from tests.conftest import admin_session
from tests.orders.conftest import GERMAN_ADDRESS

ORDERS = "/admin/orders/order/"
CARTS = "/admin/orders/cart/"
CARD = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2040, "cvc": "123"}


def text(response) -> str:
    return html.unescape(response.content.decode())


def place(variant, method, *, email="anna@example.com", quantity=2, provider="demo") -> Order:
    """An order of `quantity` of `variant`, placed through the checkout (paid by the demo card,
    or waiting for a manual payment)."""
    cart = services.create_cart()
    services.add_line(cart=cart, variant_id=variant.pk, quantity=quantity)
    services.update_checkout(
        cart=cart,
        email=email,
        shipping_address=GERMAN_ADDRESS,
        shipping_method=method.pk,
        payment_provider=provider,
    )
    return services.checkout(cart=cart, details=CARD if provider == "demo" else None)


@pytest.fixture
def manager_browser(keeper):
    return admin_session(keeper)


@pytest.fixture
def paid(shirt, parcel):
    return place(shirt, parcel)


@pytest.fixture
def unpaid(shirt, parcel):
    return place(shirt, parcel, provider="manual", email="bob@example.com", quantity=1)


def on_hand(variant) -> int:
    return sum(StockLevel.objects.filter(variant=variant).values_list("on_hand", flat=True))


def operation(order: Order, name: str) -> str:
    return f"{ORDERS}{order.pk}/operation/{name}/"


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_each_order_and_the_sums_of_what_is_listed(manager_browser, paid, unpaid):
    listing = manager_browser.get(ORDERS)
    assert listing.status_code == 200
    assert [o.number for o in listing.context["cl"].result_list] == [unpaid.number, paid.number]
    page = text(listing)
    assert f"#{paid.number}" in page and "bob@example.com (guest)" in page
    assert "$29.90" in page and "$17.40" in page
    (totals,) = listing.context["order_totals"]
    assert (totals["currency"], totals["count"], totals["total"], totals["paid"]) == (
        "USD",
        2,
        "$47.30",
        "$29.90",
    )
    assert 'id="order-totals"' in page


def test_the_list_filters_by_status_and_its_sums_follow(manager_browser, paid, unpaid):
    listing = manager_browser.get(ORDERS, {"status__exact": "placed"})
    assert list(listing.context["cl"].result_list) == [unpaid]
    assert listing.context["order_totals"][0]["total"] == "$17.40"
    waiting = manager_browser.get(ORDERS, {"waiting": "shipping"})
    assert list(waiting.context["cl"].result_list) == [paid]
    by_method = manager_browser.get(ORDERS, {"payment_provider": "manual"})
    assert list(by_method.context["cl"].result_list) == [unpaid]


def test_the_list_is_searched_by_number_e_mail_or_sku(manager_browser, paid, unpaid, shirt):
    def found(term):
        return list(manager_browser.get(ORDERS, {"q": term}).context["cl"].result_list)

    assert found(f"#{paid.number}") == [paid]
    assert found(f" #{unpaid.number} ") == [unpaid]  # whatever digits the SKUs hold
    assert found("bob@") == [unpaid]
    assert found(shirt.sku) == [unpaid, paid]
    assert found("no-such-thing") == []


@pytest.mark.parametrize("count", [2, 9])
def test_the_list_costs_the_same_for_2_and_9_orders(
    manager_browser, shirt, parcel, count, django_assert_max_num_queries
):
    for n in range(count):
        place(shirt, parcel, email=f"shopper{n}@example.com", quantity=1, provider="manual")
    manager_browser.get(ORDERS)
    with django_assert_max_num_queries(10):
        response = manager_browser.get(ORDERS)
    assert len(response.context["cl"].result_list) == count


def test_orders_are_not_added_changed_or_deleted_in_the_admin(manager_browser, paid):
    assert manager_browser.get(f"{ORDERS}add/").status_code == 403
    assert manager_browser.post(f"{ORDERS}{paid.pk}/change/", {"email": "x@example.com"}).status_code == 403
    assert manager_browser.get(f"{ORDERS}{paid.pk}/delete/").status_code == 403
    paid.refresh_from_db()
    assert paid.email == "anna@example.com"


# --- the order's page ----------------------------------------------------------------------------


def test_the_page_shows_lines_payments_history_and_only_the_allowed_buttons(manager_browser, paid, shirt):
    response = manager_browser.get(f"{ORDERS}{paid.pk}/change/")
    assert response.status_code == 200
    page = text(response)
    assert shirt.sku in page and "Linen shirt" in page and "Unter den Linden 1" in page
    payment = Payment.objects.get(reference=f"checkout:{paid.checkout_token}")
    assert f"/admin/payments/payment/{payment.pk}/change/" in page
    assert 'id="panel-history"' in page and "Placed" in page
    assert [step["name"] for step in response.context["operations"]] == ["fulfil", "cancel", "refund", "note"]
    for name in ("fulfil", "cancel", "refund", "note"):
        assert operation(paid, name) in page
    for name in ("mark_paid", "complete"):
        assert operation(paid, name) not in page


def test_the_page_costs_a_bounded_number_of_queries(
    manager_browser, paid, keeper, django_assert_max_num_queries
):
    line = paid.lines.get()
    services.fulfil(order=paid, actor=keeper, lines=[{"line": line.pk, "quantity": 1}], carrier="DHL")
    services.add_note(order=paid, actor=keeper, message="Gift wrap")
    manager_browser.get(f"{ORDERS}{paid.pk}/change/")
    with django_assert_max_num_queries(12):
        response = manager_browser.get(f"{ORDERS}{paid.pk}/change/")
    assert "Gift wrap" in text(response)


def test_marking_a_manual_payment_paid_goes_through_the_service(manager_browser, unpaid):
    page = manager_browser.get(f"{ORDERS}{unpaid.pk}/change/")
    assert [step["name"] for step in page.context["operations"]] == ["mark_paid", "cancel", "note"]
    response = manager_browser.post(operation(unpaid, "mark_paid"))
    assert response.status_code == 302, text(response)[:2000]
    unpaid.refresh_from_db()
    assert (unpaid.status, unpaid.paid_amount) == (OrderStatus.PAID, unpaid.total)
    assert Payment.objects.get(reference=f"checkout:{unpaid.checkout_token}").status == "captured"


def test_fulfilling_part_of_an_order_then_completing_it(manager_browser, paid, keeper):
    line = paid.lines.get()
    form = manager_browser.get(operation(paid, "fulfil"))
    assert form.context["form"].initial.get(f"ship_{line.pk}") is None  # the field's own default
    assert form.context["form"].fields[f"ship_{line.pk}"].initial == 2
    response = manager_browser.post(
        operation(paid, "fulfil"), {f"ship_{line.pk}": "1", "carrier": "DHL", "tracking_number": "JJD1"}
    )
    assert response.status_code == 302, text(response)[:2000]
    paid.refresh_from_db()
    assert paid.status == OrderStatus.PARTIALLY_FULFILLED
    shipment = paid.shipments.get()
    assert (shipment.carrier, shipment.tracking_number, shipment.created_by) == ("DHL", "JJD1", keeper)
    manager_browser.post(
        operation(paid, "fulfil"), {f"ship_{line.pk}": "1", "carrier": "", "tracking_number": ""}
    )
    paid.refresh_from_db()
    assert paid.status == OrderStatus.FULFILLED
    page = manager_browser.get(f"{ORDERS}{paid.pk}/change/")
    assert "JJD1" in text(page)
    assert [step["name"] for step in page.context["operations"]] == ["complete", "refund", "note"]
    assert manager_browser.post(operation(paid, "complete")).status_code == 302
    paid.refresh_from_db()
    assert paid.status == OrderStatus.COMPLETED


def test_shipping_more_than_is_left_is_refused_on_the_line_and_nothing_ships(manager_browser, paid):
    line = paid.lines.get()
    response = manager_browser.post(
        operation(paid, "fulfil"), {f"ship_{line.pk}": "3", "carrier": "DHL", "tracking_number": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors[f"ship_{line.pk}"] == ["Only 2 left to ship."]
    paid.refresh_from_db()
    assert paid.status == OrderStatus.PAID and not paid.shipments.exists()


def test_shipping_nothing_is_refused_on_the_form(manager_browser, paid):
    line = paid.lines.get()
    response = manager_browser.post(operation(paid, "fulfil"), {f"ship_{line.pk}": "0"})
    assert response.context["form"].non_field_errors() == ["Choose at least one unit to ship."]


def test_cancelling_asks_for_confirmation_then_refunds_and_restocks(manager_browser, paid, shirt):
    assert on_hand(shirt) == 8
    unconfirmed = manager_browser.post(operation(paid, "cancel"), {"reason": "Asked by phone"})
    assert "confirm" in unconfirmed.context["form"].errors
    paid.refresh_from_db()
    assert paid.status == OrderStatus.PAID
    response = manager_browser.post(operation(paid, "cancel"), {"reason": "Asked by phone", "confirm": "on"})
    assert response.status_code == 302, text(response)[:2000]
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (OrderStatus.CANCELLED, paid.total)
    assert on_hand(shirt) == 10
    page = manager_browser.get(f"{ORDERS}{paid.pk}/change/")
    assert "Asked by phone" in text(page) and "Paid → Cancelled" in text(page)
    assert [step["name"] for step in page.context["operations"]] == ["note"]


def test_refunding_more_than_is_left_is_refused_on_the_amount(manager_browser, paid):
    response = manager_browser.post(operation(paid, "refund"), {"amount": "30.00", "note": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == ["At most $29.90 can be refunded."]
    paid.refresh_from_db()
    assert paid.refunded_amount == 0
    assert Payment.objects.get(reference=f"checkout:{paid.checkout_token}").refunded_amount == 0


def test_an_amount_with_too_many_decimals_is_refused_before_any_call(manager_browser, paid):
    response = manager_browser.post(operation(paid, "refund"), {"amount": "1.234"})
    assert response.context["form"].errors["amount"] == ["USD has at most 2 decimals."]


def test_a_partial_refund_for_a_returned_line_restocks_it(manager_browser, paid, shirt):
    line = paid.lines.get()
    response = manager_browser.post(
        operation(paid, "refund"),
        {"amount": "12.50", f"return_{line.pk}": "1", "restock": "on", "note": "Too small"},
    )
    assert response.status_code == 302, text(response)[:2000]
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (OrderStatus.PAID, 1250)
    assert paid.lines.get().quantity_returned == 1
    assert on_hand(shirt) == 9


def test_returning_more_than_was_bought_is_refused_on_the_line(manager_browser, paid, shirt):
    line = paid.lines.get()
    response = manager_browser.post(
        operation(paid, "refund"), {"amount": "1.00", f"return_{line.pk}": "5", "restock": "on"}
    )
    assert response.context["form"].errors[f"return_{line.pk}"] == ["Only 2 can come back."]
    paid.refresh_from_db()
    assert paid.refunded_amount == 0 and on_hand(shirt) == 8


def test_a_provider_that_does_not_answer_is_said_on_the_form_and_nothing_changes(
    manager_browser, paid, monkeypatch
):
    def down(self, payment, amount, *, key):
        raise ProviderUnavailable("demo provider: service unavailable")

    monkeypatch.setattr(DemoProvider, "refund", down)
    response = manager_browser.post(operation(paid, "refund"), {"amount": "5.00"})
    assert response.status_code == 200
    assert 'id="operation-refused"' in text(response)
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (OrderStatus.PAID, 0)


def test_a_note_goes_into_the_history(manager_browser, paid, keeper):
    empty = manager_browser.post(operation(paid, "note"), {"message": ""})
    assert "message" in empty.context["form"].errors
    assert (
        manager_browser.post(operation(paid, "note"), {"message": "Call before delivery"}).status_code == 302
    )
    entry = paid.history.last()
    assert (entry.kind, entry.message, entry.actor) == ("note", "Call before delivery", keeper)


def test_an_operation_the_status_does_not_allow_is_refused(manager_browser, paid):
    opened = manager_browser.get(operation(paid, "complete"), follow=True)
    assert "is not possible now" in text(opened)
    response = manager_browser.post(operation(paid, "complete"))
    assert response.status_code == 200
    assert "Cannot complete from 'Paid'" in " ".join(response.context["form"].non_field_errors())
    paid.refresh_from_db()
    assert paid.status == OrderStatus.PAID
    assert manager_browser.get(operation(paid, "explode")).status_code == 404


def test_customers_and_editors_cannot_see_or_operate_orders(paid):
    editor = admin_session(EditorFactory())
    assert editor.get(ORDERS).status_code == 403
    assert editor.get(f"{ORDERS}{paid.pk}/change/").status_code == 403
    assert editor.post(operation(paid, "cancel"), {"confirm": "on"}).status_code == 403
    assert editor.get(CARTS).status_code == 403
    customer = admin_session(UserFactory(role=Role.CUSTOMER))
    for address in (ORDERS, f"{ORDERS}{paid.pk}/change/", operation(paid, "cancel")):
        response = customer.get(address)
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert customer.post(operation(paid, "cancel"), {"confirm": "on"}).status_code == 302
    paid.refresh_from_db()
    assert paid.status == OrderStatus.PAID


# --- carts ---------------------------------------------------------------------------------------


def test_the_carts_list_shows_open_and_ordered_carts_with_their_lines(manager_browser, paid, shirt):
    open_cart = services.create_cart()
    services.add_line(cart=open_cart, variant_id=shirt.pk, quantity=3)
    listing = manager_browser.get(CARTS)
    assert listing.status_code == 200
    rows = {cart.pk: cart for cart in listing.context["cl"].result_list}
    assert rows[open_cart.pk].lines_counted == 1
    assert {cart.status for cart in rows.values()} == {"open", "ordered"}
    assert list(manager_browser.get(CARTS, {"status__exact": "open"}).context["cl"].result_list) == [
        Cart.objects.get(pk=open_cart.pk)
    ]
    assert list(manager_browser.get(CARTS, {"abandoned": "yes"}).context["cl"].result_list) == []
    page = manager_browser.get(f"{CARTS}{open_cart.pk}/change/")
    assert page.status_code == 200 and shirt.sku in text(page)
    assert manager_browser.get(f"{CARTS}add/").status_code == 403


@pytest.mark.parametrize("count", [2, 8])
def test_the_carts_list_costs_the_same_for_2_and_8_carts(
    manager_browser, shirt, count, django_assert_max_num_queries
):
    for n in range(count):
        cart = (
            services.create_cart(customer=UserFactory(role=Role.CUSTOMER))
            if n % 2
            else services.create_cart()
        )
        services.add_line(cart=cart, variant_id=shirt.pk, quantity=1)
    manager_browser.get(CARTS)
    with django_assert_max_num_queries(7):
        response = manager_browser.get(CARTS)
    assert len(response.context["cl"].result_list) == count
