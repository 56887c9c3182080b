"""Many shoppers at once, on real parallel connections with real commits: the last units are
sold exactly once, one checkout completed many times at once is one order and one charge, and
order numbers have no gaps and no duplicates."""

import threading

from django.db import connection
from django_tenants.utils import schema_context

from apps.inventory.models import StockLevel
from apps.inventory.services import OutOfStock
from apps.orders import services
from apps.orders.models import Order, Voucher
from apps.payments.models import Payment
from apps.payments.providers.demo import ledger_charges
from tests.orders.conftest import LIVE_SCHEMA as SCHEMA
from tests.orders.conftest import ready_carts
from tests.orders.factories import VoucherFactory

CARD = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2040, "cvc": "123"}
# Connections open at once: the clients queue for them as the platform's workers would.
CONNECTIONS = 32


def at_once(count: int, call) -> list:
    """Run `call(i)` in `count` threads released together by a barrier, at most CONNECTIONS of
    them on a database connection at a time; what each returned or raised, in order of `i`."""
    barrier = threading.Barrier(count)
    seats = threading.BoundedSemaphore(CONNECTIONS)
    results: list = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=120)
            with seats, schema_context(SCHEMA):
                try:
                    results[i] = call(i)
                finally:
                    connection.close()
        except Exception as exc:  # the outcome under test, kept for the assertions
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_two_hundred_checkouts_for_the_last_ten_units_place_exactly_ten_orders(live_shop):
    variant, method = live_shop
    with schema_context(SCHEMA):
        carts = ready_carts(variant, method, 200)

    results = at_once(200, lambda i: services.checkout(cart=carts[i], details=CARD))

    orders = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, OutOfStock)]
    others = [r for r in results if not isinstance(r, (Order, OutOfStock))]
    assert (len(orders), len(refused), others) == (10, 190, [])
    assert all(r.code == "out_of_stock" for r in refused)
    with schema_context(SCHEMA):
        level = StockLevel.objects.get(variant=variant)
        assert (level.on_hand, level.reserved) == (0, 0)
        numbers = sorted(Order.objects.values_list("number", flat=True))
        assert numbers == list(range(1, 11))
        assert Payment.objects.filter(status="captured").count() == 10
        assert Payment.objects.exclude(status="captured").count() == 0


def test_one_checkout_completed_twenty_times_at_once_is_one_order_and_one_charge(live_shop):
    variant, method = live_shop
    with schema_context(SCHEMA):
        (cart,) = ready_carts(variant, method, 1)
        charges = len(ledger_charges())

    results = at_once(20, lambda i: services.checkout(cart=cart, details=CARD))

    assert not [r for r in results if isinstance(r, Exception)], [
        r for r in results if isinstance(r, Exception)
    ][:3]
    assert len({r.pk for r in results}) == 1
    with schema_context(SCHEMA):
        assert Order.objects.count() == 1
        assert Payment.objects.count() == 1
        assert len(ledger_charges()) == charges + 1
        assert StockLevel.objects.get(variant=variant).on_hand == 9


def test_a_voucher_limited_to_three_uses_is_used_three_times_when_ten_shoppers_race(live_shop):
    variant, method = live_shop
    with schema_context(SCHEMA):
        VoucherFactory(code="RACE", usage_limit=3)
        carts = ready_carts(variant, method, 10)
        for cart in carts:
            services.apply_voucher(cart=cart, code="RACE")

    results = at_once(10, lambda i: services.checkout(cart=carts[i], details=CARD))

    orders = [r for r in results if isinstance(r, Order)]
    assert len(orders) == 3, [r for r in results if isinstance(r, Exception)][:3]
    assert {getattr(r, "code", None) for r in results if not isinstance(r, Order)} == {
        "voucher_not_applicable"
    }
    with schema_context(SCHEMA):
        assert Voucher.objects.get(code="RACE").used == 3
        # The seven refused paid nothing in the end: their payments were given back.
        assert Payment.objects.filter(status="captured").count() == 3
        assert Payment.objects.filter(status="refunded").count() == 7
        assert StockLevel.objects.get(variant=variant).on_hand == 7


def test_a_voucher_for_one_use_per_customer_is_used_once_when_one_shopper_races_two_carts(live_shop):
    variant, method = live_shop
    with schema_context(SCHEMA):
        VoucherFactory(code="ONCE", per_customer_limit=1)
        carts = ready_carts(variant, method, 2)
        for cart in carts:
            services.update_checkout(cart=cart, email="same@example.com")
            services.apply_voucher(cart=cart, code="ONCE")

    results = at_once(2, lambda i: services.checkout(cart=carts[i], details=CARD))

    assert sorted(type(r).__name__ for r in results) == ["Order", "VoucherNotApplicable"]
    with schema_context(SCHEMA):
        assert Voucher.objects.get(code="ONCE").used == 1
