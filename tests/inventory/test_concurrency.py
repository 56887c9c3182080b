"""Many checkouts at once, on real parallel connections with real commits: the stock row locks
(docs/inventory.md, "Lock order") let exactly as many through as there are units, and a
reservation committed by many callers at once is deducted once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from apps.inventory import services
from apps.inventory.models import Reservation, StockLevel, StockMovement
from apps.inventory.services import OutOfStock
from tests.inventory.factories import ManagerFactory, StockLocationFactory, VariantFactory, stock

SCHEMA = "live_events"
TTL = timedelta(minutes=15)


def at_once(count: int, call) -> list:
    """Run `call(i)` in `count` threads, each on its own connection to the live tenant's schema,
    released together by a barrier; what each returned or raised, in order of `i`."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        try:
            with schema_context(SCHEMA):
                connection.ensure_connection()
                barrier.wait(timeout=60)
                results[i] = call(i)
        except Exception as exc:  # the outcome under test, kept for the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.fixture
def scarce(live_tenant):
    """A variant with 10 units at one location of the live tenant."""
    with schema_context(SCHEMA):
        variant = VariantFactory()
        location = StockLocationFactory()
        stock(variant, location, 10, actor=ManagerFactory())
    return variant


def test_fifty_checkouts_at_once_reserve_exactly_the_ten_units_there_are(scarce):
    results = at_once(50, lambda i: services.reserve(lines=[(scarce.pk, 1)], owner=f"t{i}", ttl=TTL))

    reserved = [r for r in results if isinstance(r, list)]
    refused = [r for r in results if isinstance(r, OutOfStock)]
    assert (len(reserved), len(refused)) == (10, 40), [r for r in results if isinstance(r, Exception)][:3]
    with schema_context(SCHEMA):
        level = StockLevel.objects.get(variant=scarce)
        assert (level.on_hand, level.reserved, level.available) == (10, 10, 0)
        assert Reservation.objects.filter(variant=scarce).count() == 10
        assert StockMovement.objects.filter(reason="reserved").count() == 10


def test_twenty_commits_of_one_reservation_at_once_deduct_it_once(scarce):
    with schema_context(SCHEMA):
        services.reserve(lines=[(scarce.pk, 3)], owner="checkout:1", ttl=TTL)

    results = at_once(20, lambda i: services.commit(owner="checkout:1"))

    assert not [r for r in results if isinstance(r, Exception)]
    assert sorted(len(r) for r in results) == [0] * 19 + [1]
    with schema_context(SCHEMA):
        level = StockLevel.objects.get(variant=scarce)
        assert (level.on_hand, level.reserved) == (7, 0)
        assert StockMovement.objects.filter(reason="sold").count() == 1
        assert not Reservation.objects.exists()
