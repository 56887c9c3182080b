"""The no-oversell and one-order guarantees over HTTP: 200 real clients at once against the
platform served by gunicorn (2 workers of 8 threads, so at most 16 requests hold a database
connection at a time, as in production), each completing its own checkout of the last 10 units."""

import http.client
import json
import threading

import pytest
from django_tenants.utils import schema_context

from apps.inventory.models import StockLevel
from apps.orders.models import Order
from apps.payments.models import Payment
from apps.payments.providers.demo import ledger_charges
from tests.orders.conftest import LIVE_SCHEMA as SCHEMA
from tests.orders.conftest import ready_carts
from tests.orders.test_concurrency import CARD
from tests.servers import PlatformServer

HOST = "live-events.test"


# The rate limits stay on but never trip: every client here comes from one address.
UNTHROTTLED = {f"THROTTLE_{scope}": "100000000/min" for scope in ("TENANT", "TENANT_ANON", "USER", "ANON")}


@pytest.fixture
def platform(live_shop):
    server = PlatformServer(env={"PAYMENTS_RETRY_BACKOFF": "0", **UNTHROTTLED})
    server.start()
    yield server
    server.stop()


def post(port: int, path: str, body: dict) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("POST", path, json.dumps(body), {"Host": HOST, "Content-Type": "application/json"})
        answer = conn.getresponse()
        return answer.status, json.loads(answer.read() or b"{}")
    finally:
        conn.close()


def all_at_once(count: int, call) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        barrier.wait(timeout=60)
        try:
            results[i] = call(i)
        except Exception as exc:  # the outcome under test, kept for the assertions
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_two_hundred_clients_for_the_last_ten_units_get_ten_orders_and_190_out_of_stock(live_shop, platform):
    variant, method = live_shop
    with schema_context(SCHEMA):
        tokens = [str(cart.token) for cart in ready_carts(variant, method, 200)]

    results = all_at_once(
        200, lambda i: post(platform.port, f"/api/v1/orders/carts/{tokens[i]}/checkout/", {"payment": CARD})
    )

    statuses = sorted(status for status, _body in results)
    assert statuses == [201] * 10 + [409] * 190, [r for r in results if r[0] not in (201, 409)][:3]
    assert {body["code"] for status, body in results if status == 409} == {"out_of_stock"}
    with schema_context(SCHEMA):
        level = StockLevel.objects.get(variant=variant)
        assert (level.on_hand, level.reserved) == (0, 0)
        assert sorted(Order.objects.values_list("number", flat=True)) == list(range(1, 11))
        assert Payment.objects.filter(status="captured").count() == 10


def test_one_checkout_sent_by_twenty_clients_at_once_is_one_order_and_one_charge(live_shop, platform):
    variant, method = live_shop
    with schema_context(SCHEMA):
        (cart,) = ready_carts(variant, method, 1)
        charges = len(ledger_charges())

    results = all_at_once(
        20, lambda i: post(platform.port, f"/api/v1/orders/carts/{cart.token}/checkout/", {"payment": CARD})
    )

    assert {status for status, _body in results} == {201}
    assert len({body["number"] for _status, body in results}) == 1
    with schema_context(SCHEMA):
        assert Order.objects.count() == 1
        assert len(ledger_charges()) == charges + 1
        assert StockLevel.objects.get(variant=variant).on_hand == 9
