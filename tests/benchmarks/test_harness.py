"""The pieces of `make bench`: reading wrk's report, the seeded site, and the rows it measures."""

import json
import os
import shutil
import subprocess
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django_tenants.utils import schema_context

from apps.accounts import services as accounts
from apps.content.models import Node
from apps.events.services import relay_all
from apps.index import projections
from apps.orders.models import Order
from benchmarks import shop as shopping
from benchmarks.scratch import seed_catalog, seed_content
from benchmarks.serving import SHOP_ROWS, parse_wrk, requests_of, rows
from tests.accounts.factories import OwnerFactory
from tests.conftest import deliver

REPORT = """Running 5s test @ http://127.0.0.1:8000/blog/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   652.10ms   98.20ms   1.22s    80.00%
    Req/Sec    26.40     10.10    50.00     70.00%
  Latency Distribution
     50%  640.00ms
     75%  700.00ms
     90%  800.00ms
     99%    1.10s
  245 requests in 5.01s, 12.30MB read
{extra}Requests/sec:     48.90
Transfer/sec:      2.46MB
"""


def test_wrk_figures_are_read_in_milliseconds():
    result = parse_wrk(REPORT.format(extra=""))
    assert (result.requests, result.requests_per_second) == (245, 48.9)
    assert result.percentiles == {50: 640.0, 75: 700.0, 90: 800.0, 99: 1100.0}
    assert result.failures == 0


def test_refusals_and_socket_errors_counted_by_wrk_are_failures():
    extra = "  Socket errors: connect 0, read 2, write 0, timeout 1\n  Non-2xx or 3xx responses: 17\n"
    result = parse_wrk(REPORT.format(extra=extra))
    assert result.non_2xx_3xx == 17 and result.socket_errors == {"read": 2, "timeout": 1}
    assert result.failures == 20


def test_a_run_that_is_no_wrk_report_is_refused():
    with pytest.raises(ValueError):
        parse_wrk("unable to connect to 127.0.0.1:8000 Connection refused")


@pytest.mark.django_db
def test_every_row_answers_200_on_the_seeded_site(client_a):
    with schema_context("alpha"):
        owner = OwnerFactory()
        seed_content(owner, 2)
        relay_all()  # as seed_site does: what readers read is built before they ask
        assert Node.objects.filter(status="published").count() == 4
        auth = {
            "bearer": f"Bearer {accounts.start_session(user=owner, mode='bearer').access}",
            "token": "Token "
            + accounts.create_api_token(actor=owner, name="bench", user=owner, scopes=["accounts.view_user"])[
                1
            ],
        }
        post = Node.objects.filter(kind="post").first().slug_en
        seed_catalog(2)  # the shop rows' category and product, as the bench seeds them
        projections.rebuild(projections.get("catalog.products"))
    deliver("alpha")  # as the bench does before timing: readers read the documents
    for row in rows(post):
        if row.slug in SHOP_ROWS:
            continue  # their carts are the shop's: the test below
        headers = {"HTTP_ACCEPT": row.accept}
        if row.auth:
            headers["HTTP_AUTHORIZATION"] = auth[row.auth]
        response = client_a.get(row.path, **headers)
        assert response.status_code == 200, (row.slug, response.content[:300])
        if row.slug == "graphql-posts":
            assert "errors" not in response.json()


# --- the shop rows ---------------------------------------------------------------------------------


def test_the_paths_a_script_handed_out_are_read_from_its_report():
    result = parse_wrk(REPORT.format(extra="paths asked 250, beyond the list 3\n"))
    assert (result.asked, result.beyond) == (250, 3)
    assert parse_wrk(REPORT.format(extra="")).asked is None


def test_ready_carts_are_handed_out_once_and_never_past_the_end():
    carts = shopping.Checkouts(["a", "b", "c"])
    assert carts.take(2) == ["a", "b"]
    assert next(carts.one_by_one()) == "c"
    with pytest.raises(SystemExit, match="sized too small"):
        carts.take(1)
    carts.add(["d"])
    assert carts.take(1) == ["d"] and carts.left == 0


def test_checkout_runs_are_sized_with_a_margin_over_the_rate_tried():
    sizing = shopping.Sizing(alone=10, together=20, margin=2)
    assert sizing.rate(1) == 10 and sizing.rate(16) == 20
    assert sizing.for_run(20, 4, 16) == 2 * 20 * 4 + 16  # and one per connection still on its way
    per_round = sizing.per_round(seconds=4, single_seconds=1.5)
    single = 2 * 10 * 1.5 + 2
    assert per_round == {1: 1 + 81 + single, 16: 1 + 176 + single}


class Recorder(BaseHTTPRequestHandler):
    """Answers 201 to a POST of a listed path, 404 to any other; records what it was sent."""

    listed: set[str] = set()
    seen: Counter = Counter()
    bodies: set[bytes] = set()
    lock = threading.Lock()

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with self.lock:
            self.seen[self.path] += 1
            self.bodies.add(body)
        self.send_response(201 if self.path in self.listed else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    assert shutil.which(os.environ.get("WRK", "wrk")), "wrk is not installed: make test installs it"
    Recorder.seen, Recorder.bodies = Counter(), set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def run_wrk(server, script: str, tmp_path, *, connections: int) -> str:
    lua = tmp_path / "shop.lua"
    lua.write_text(script)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    command = ["wrk", "-t2", f"-c{connections}", "-d1s", "--latency", "-s", str(lua), url]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_a_checkout_script_sends_each_cart_once_and_reports_requests_past_its_list(recorder, tmp_path):
    paths = [shopping.checkout_path(f"cart-{n}") for n in range(40)]
    Recorder.listed = set(paths)
    script = shopping.lua_script(
        method="POST",
        paths=paths,
        headers={"Content-Type": "application/json"},
        body="{}",
        threads=2,
        cycle=False,
    )
    result = parse_wrk(run_wrk(recorder, script, tmp_path, connections=4))
    listed = {path: n for path, n in Recorder.seen.items() if path in Recorder.listed}
    assert set(listed.values()) == {1}  # no cart twice, across threads and connections
    # A second is far longer than 40 requests take; wrk builds its first thread's first request
    # once to check the script, without sending it: the first cart is never sent, not sent twice.
    assert set(paths) - set(listed) <= {paths[0]}
    beyond = Recorder.seen[shopping.checkout_path(shopping.EXHAUSTED)]
    assert beyond > 0 and result.beyond >= beyond >= result.non_2xx_3xx > 0  # wrk counts what came back
    assert result.asked == 40 + result.beyond
    assert Recorder.bodies == {b"{}"}


def test_a_pool_script_goes_round_its_carts(recorder, tmp_path):
    paths = [shopping.lines_path(f"cart-{n}") for n in range(5)]
    Recorder.listed = set(paths)
    body = shopping.add_body(7)
    script = shopping.lua_script(
        method="POST",
        paths=paths,
        headers={"Content-Type": "application/json"},
        body=body,
        threads=2,
        cycle=True,
    )
    result = parse_wrk(run_wrk(recorder, script, tmp_path, connections=4))
    assert result.failures == 0 and result.beyond == 0 and result.requests > 10
    assert set(Recorder.seen) == set(paths)
    assert max(Recorder.seen.values()) - min(Recorder.seen.values()) <= 4  # evenly, give or take
    assert Recorder.bodies == {json.dumps({"variant": 7, "quantity": 1}).encode()}


@pytest.mark.django_db
def test_the_shop_rows_answer_on_the_seeded_shop(client_a):
    """What `make bench` seeds for the shop rows, and the requests it sends them, as wrk does."""
    with schema_context("alpha"):
        owner = OwnerFactory()
        shop = shopping.seed_shop(owner, pool=3)
        shopping.prepare(shop, 2)
    table = {row.slug: row for row in rows("post", shop) if row.slug in SHOP_ROWS}
    assert list(table) == list(SHOP_ROWS)
    assert all(row.modes == ("personal",) for row in table.values())

    def send(row, method, path, body):
        response = client_a.generic(method, path, body or "", content_type="application/json")
        assert response.status_code == row.status, (row.slug, response.content[:300])
        assert "no-store" in response["Cache-Control"]
        return response.json()

    adding = requests_of(table["add-to-cart"], shop)
    answers = [send(table["add-to-cart"], *next(adding)) for _ in range(4)]
    assert [a["token"] for a in answers] == [*shop.pool, shop.pool[0]]  # round the pool
    assert answers[-1]["lines"][0]["quantity"] == 2

    totals = send(table["cart-totals"], *next(requests_of(table["cart-totals"], shop)))
    assert len(totals["lines"]) == 5 and totals["shipping_method"] is not None
    assert totals["totals"]["shipping"] == 490 and totals["totals"]["tax"] > 0

    for slug in ("checkout", "checkout-16"):
        placed = send(table[slug], *next(requests_of(table[slug], shop)))
        assert placed["status"] in ("placed", "paid")
    with schema_context("alpha"):
        assert Order.objects.count() == 2
    with pytest.raises(SystemExit):  # two ready carts, two checkouts: none is used again
        next(requests_of(table["checkout"], shop))
