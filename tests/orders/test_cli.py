"""`rustok orders list|show|cancel`: a tenant's orders from the command line."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.accounts.models import Role
from apps.inventory.models import StockLevel
from apps.orders import services
from apps.orders.models import OrderStatus
from apps.payments.models import Payment
from tests.accounts.factories import UserFactory
from tests.orders.conftest import GERMAN_ADDRESS

CARD = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2040, "cvc": "123"}


def rustok(*args) -> str:
    out = io.StringIO()
    call_command("rustok", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def paid(ready_cart):
    return services.checkout(cart=ready_cart, details=CARD)


def on_hand(variant) -> int:
    return sum(StockLevel.objects.filter(variant=variant).values_list("on_hand", flat=True))


def test_the_rustok_command_lists_the_orders_group(capsys):
    with pytest.raises(SystemExit):
        call_command("rustok", "orders", "--help")
    assert "list" in capsys.readouterr().out


def test_list_shows_a_table_of_orders_filtered_by_status(paid):
    out = rustok("orders", "list", "--tenant", "alpha")
    assert out.splitlines()[0].split() == [
        "NUMBER",
        "PLACED",
        "STATUS",
        "E-MAIL",
        "TOTAL",
        "PAID",
        "REFUNDED",
    ]
    assert f"#{paid.number}" in out and "paid" in out and "$29.90" in out
    assert "1 of 1 order(s)" in out
    assert "No orders in status cancelled on alpha." in rustok(
        "orders", "list", "--tenant", "alpha", "--status", "cancelled"
    )


def test_list_stops_at_the_limit_newest_first(paid, shirt, parcel):
    cart = services.create_cart()
    services.add_line(cart=cart, variant_id=shirt.pk, quantity=1)
    services.update_checkout(
        cart=cart,
        email="bob@example.com",
        shipping_address=GERMAN_ADDRESS,
        shipping_method=parcel.pk,
        payment_provider="manual",
    )
    newer = services.checkout(cart=cart)
    out = rustok("orders", "list", "--tenant", "alpha", "--limit", "1")
    assert "1 of 2 order(s)" in out and f"#{newer.number}" in out and f"#{paid.number}" not in out
    with pytest.raises(CommandError, match="--limit"):
        rustok("orders", "list", "--tenant", "alpha", "--limit", "0")


def test_show_prints_lines_totals_payments_and_history(paid, keeper, shirt):
    services.add_note(order=paid, actor=keeper, message="Gift wrap")
    out = rustok("orders", "show", "--tenant", "alpha", f"#{paid.number}")
    assert f"Order #{paid.number}  paid" in out
    assert shirt.sku in out and "Linen shirt" in out
    assert "total      $29.90" in out
    payment = Payment.objects.get(reference=f"checkout:{paid.checkout_token}")
    assert f"{payment.pk}" in out and "captured" in out
    assert "Gift wrap" in out and keeper.email in out and "placed -> paid" in out


def test_cancel_refunds_restocks_and_names_the_manager(paid, keeper, shirt):
    assert on_hand(shirt) == 8
    out = rustok(
        "orders",
        "cancel",
        "--tenant",
        "alpha",
        str(paid.number),
        "--as",
        keeper.email,
        "--reason",
        "Asked by phone",
    )
    assert "refunded $29.90" in out and "2 unit(s) back in stock" in out
    assert f"Order #{paid.number} cancelled." in out
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (OrderStatus.CANCELLED, 2990)
    assert on_hand(shirt) == 10
    entry = paid.history.last()
    assert (entry.actor, entry.message) == (keeper, "Asked by phone")


def test_cancelling_twice_is_a_clear_error_and_restocks_once(paid, keeper, shirt):
    rustok("orders", "cancel", "--tenant", "alpha", str(paid.number), "--as", keeper.email)
    with pytest.raises(CommandError, match="Cannot cancel from 'Cancelled'"):
        rustok("orders", "cancel", "--tenant", "alpha", str(paid.number), "--as", keeper.email)
    assert on_hand(shirt) == 10


def test_an_unknown_number_user_or_tenant_is_a_clear_error(paid, keeper):
    with pytest.raises(CommandError, match="No order #999999 on tenant 'alpha'"):
        rustok("orders", "show", "--tenant", "alpha", "999999")
    with pytest.raises(CommandError, match="No order #abc"):
        rustok("orders", "cancel", "--tenant", "alpha", "abc", "--as", keeper.email)
    with pytest.raises(CommandError, match=r"No active user with the e-mail .nobody@example\.com."):
        rustok("orders", "cancel", "--tenant", "alpha", str(paid.number), "--as", "nobody@example.com")
    with pytest.raises(CommandError, match="No tenant with the slug 'nope'"):
        rustok("orders", "list", "--tenant", "nope")


def test_a_customer_cannot_cancel_from_the_command_line(paid, shirt):
    customer = UserFactory(role=Role.CUSTOMER)
    with pytest.raises(CommandError):
        rustok("orders", "cancel", "--tenant", "alpha", str(paid.number), "--as", customer.email)
    paid.refresh_from_db()
    assert paid.status == OrderStatus.PAID and on_hand(shirt) == 8
