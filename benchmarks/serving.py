"""Benchmark: the platform served over HTTP by gunicorn, loaded by wrk, as ratios to a bare view.

    make bench                        every row, 3 rounds (under 10 minutes on 2 busy cores)
    make bench ONLY=blog-index        one endpoint (and the bare view); ONLY=a,b for several
    make bench QUICK=1                one short round
    .venv/bin/python benchmarks/serving.py --worker-class gthread --rounds 3

A scratch database gets one tenant with 60 published pages and 60 posts (two languages, three
categories and three tags each) and the site setting "items per page" at 20; when a product row
is measured, also a catalogue of 10,000 active products (benchmarks/scratch.seed_catalog, with
their documents). Two gunicorn
servers serve it with the same workers (2 sync workers by default): one with the page cache off
(RUSTOK_PAGE_CACHE=0) for the uncached rows, one with it on for the cached and signed-in rows.
Both also serve a bare Django view (benchmarks/wsgi.py).

Each row is loaded by wrk with 32 connections (req/s and p99), then, once the requests wrk left
queued are answered, asked one request at a time (the median latency of a request on an idle
server: "1-conn"). The bare view is measured at the
start of every round and once more at the end; a row's ratio in a round is its req/s over the
mean of the bare view's two measurements around that round, and the table shows medians over
rounds. Bearer tokens are minted at the start of each round (they expire after
ACCESS_TOKEN_MINUTES). Every path is checked to answer 200 before it is loaded, and the run
fails if wrk counts one answer that is not 2xx/3xx or one socket error: a row never times
refusals.

The shop rows (benchmarks/shop.py) are personal answers, measured once on the server with the
page cache on: adding to a guest cart (wrk's Lua script goes round a pool of 256 carts), a cart's
totals, and the checkout with 1 and 16 connections, each request completing a ready cart of its
own (answered 201; the orders counted after each run). The checkout rows' carts are sized from a
quick try of the checkout before the rounds (--checkout-seconds: their wrk runs).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import shop as shopping  # noqa: E402
from benchmarks.scratch import scratch_database, seed_catalog, seed_site  # noqa: E402

HOST = "bench.test"
SLUG = "bench_http"
NODES = 60
ITEMS_PER_PAGE = 20
BARE = "/bare/"
HTML = "text/html"
JSON = "application/json"
PRODUCTS = 10_000  # the catalogue the product rows read and search
PRODUCT_ROWS = ("search-products", "rest-products", "graphql-products", "shop-category", "shop-product")
# The storefront's shop pages: a category of the seeded tree (a tenth of the products; a page of
# 20 with its facets) and a product's page.
SHOP_CATEGORY = "/shop/categories/line-0/"
SHOP_PRODUCT = "/shop/products/shirt-1/"
SEARCH_PRODUCTS = (
    "/api/v1/search/?type=product&limit=20"
    "&facets=category,key:collection,key:attribute:colour,price,availability"
)
GRAPHQL_PRODUCTS = (
    "{ products(first: 20) { totalCount edges { node { id name url inStock "
    "priceRange { currency min max formatted } picture { url } "
    "variants { sku inStock prices { currency amount formatted } } } } } }"
)
GRAPHQL_LIST = (
    "{ contentNodes(first: 20, kind: POST) { totalCount edges { node { id title excerpt bodyHtml "
    "author { displayName } categories { name } tags { name } } } } }"
)


SHOP_ROWS = ("add-to-cart", "cart-totals", "checkout", "checkout-16")
POOL, CHECKOUTS = "pool", "checkouts"  # how a shop row spreads its requests (Row.spread)


@dataclass(frozen=True)
class Row:
    """An endpoint measured: anonymous rows uncached and cached, signed-in rows once (cache on),
    personal answers (a shopper's cart, a checkout: never in the page cache) once (cache on)."""

    slug: str
    label: str
    path: str
    accept: str = HTML
    auth: str | None = None  # "bearer" or "token"
    method: str = "GET"
    body: str | None = None
    personal: bool = False
    connections: int | None = None  # wrk's connections; None: --connections (32)
    spread: str = ""  # POOL: over the guest carts of the pool; CHECKOUTS: one ready cart each

    @property
    def modes(self) -> tuple[str, ...]:
        if self.auth:
            return ("signed in",)
        return ("personal",) if self.personal else ("uncached", "cached")

    @property
    def status(self) -> int:
        """The answer every request must get."""
        return 201 if self.method == "POST" else 200


def shop_rows(shop: shopping.Shop | None) -> list[Row]:
    """The rows of the orders module; paths of a placeholder cart without `shop` (not seeded)."""
    pool = shop.pool[0] if shop else "<token>"
    totals = shop.totals if shop else "<token>"
    variant = shop.variants[0] if shop else 0
    checkout = {
        "method": "POST",
        "body": shopping.CHECKOUT_BODY,
        "personal": True,
        "spread": CHECKOUTS,
    }
    return [
        Row(
            "add-to-cart",
            f"POST carts/<token>/lines/ 1 unit ({shopping.POOL} guests)",
            shopping.lines_path(pool),
            JSON,
            method="POST",
            body=shopping.add_body(variant),
            personal=True,
            spread=POOL,
        ),
        Row(
            "cart-totals",
            "GET carts/<token>/ (5 lines, tax, shipping)",
            shopping.cart_path(totals),
            JSON,
            personal=True,
        ),
        Row(
            "checkout",
            "POST carts/<token>/checkout/ (1 conn)",
            shopping.checkout_path("<token>"),
            JSON,
            connections=1,
            **checkout,
        ),
        Row(
            "checkout-16",
            "POST carts/<token>/checkout/ (16 conns)",
            shopping.checkout_path("<token>"),
            JSON,
            connections=16,
            **checkout,
        ),
    ]


def rows(post_slug: str, shop: shopping.Shop | None = None) -> list[Row]:
    """Every row of the table, in its order; `post_slug` names the post of the "post" row, `shop`
    the carts of the shop rows."""
    return [
        Row("blog-index", "GET /blog/ (20 posts)", "/blog/"),
        Row("post", "GET /blog/<post>/", f"/blog/{post_slug}/"),
        Row("rss", "GET /blog/feed/rss/ (20 items)", "/blog/feed/rss/"),
        Row("rest-posts", "GET /api/v1/blog/posts/?limit=20", "/api/v1/blog/posts/?limit=20", JSON),
        Row(
            "graphql-posts",
            "GET /api/graphql/ contentNodes(first: 20)",
            f"/api/graphql/?query={quote(GRAPHQL_LIST)}",
            JSON,
        ),
        Row(
            "search-products",
            f"GET search, products, all facets ({PRODUCTS:,} products)",
            SEARCH_PRODUCTS,
            JSON,
        ),
        Row(
            "rest-products",
            "GET /api/v1/catalog/products/?limit=20",
            "/api/v1/catalog/products/?limit=20",
            JSON,
        ),
        Row(
            "graphql-products",
            "GET /api/graphql/ products(first: 20), variants and prices",
            f"/api/graphql/?query={quote(GRAPHQL_PRODUCTS)}",
            JSON,
        ),
        Row("shop-category", f"GET a shop category ({PRODUCTS // 10:,} products, 20 shown)", SHOP_CATEGORY),
        Row("shop-product", "GET a shop product page", SHOP_PRODUCT),
        Row("me-bearer", "GET /api/auth/me/ (bearer JWT)", "/api/auth/me/", JSON, "bearer"),
        Row("me-token", "GET /api/auth/me/ (API token)", "/api/auth/me/", JSON, "token"),
        Row(
            "nodes-editor",
            "GET /api/v1/content/nodes/?limit=20 (editor)",
            "/api/v1/content/nodes/?limit=20",
            JSON,
            "bearer",
        ),
        *shop_rows(shop),
    ]


# --- wrk -----------------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


@dataclass(frozen=True)
class WrkResult:
    """What one wrk run reports: throughput, latency percentiles (ms), and what went wrong."""

    requests: int
    requests_per_second: float
    percentiles: dict[int, float]
    non_2xx_3xx: int = 0
    socket_errors: dict[str, int] = field(default_factory=dict)
    asked: int | None = None  # with a script of benchmarks/shop.py: the paths it handed out
    beyond: int = 0  # requests past the end of its list

    @property
    def failures(self) -> int:
        return self.non_2xx_3xx + sum(self.socket_errors.values())


def _ms(value: str, unit: str) -> float:
    return float(value) * UNITS[unit]


def parse_wrk(output: str) -> WrkResult:
    """Read wrk's report (run with --latency); ValueError when it holds no figures."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    total = re.search(r"^\s*(\d+) requests in ", output, re.M)
    if not rps or not total:
        raise ValueError(f"not a wrk report:\n{output}")
    percentiles = {
        int(p): _ms(value, unit)
        for p, value, unit in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.M)
    }
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    socket_errors = (
        dict(zip(("connect", "read", "write", "timeout"), map(int, errors.groups()), strict=True))
        if errors
        else {}
    )
    paths = re.search(r"^paths asked (\d+), beyond the list (\d+)$", output, re.M)
    return WrkResult(
        requests=int(total.group(1)),
        requests_per_second=float(rps.group(1)),
        percentiles=percentiles,
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors={kind: n for kind, n in socket_errors.items() if n},
        asked=int(paths.group(1)) if paths else None,
        beyond=int(paths.group(2)) if paths else 0,
    )


def threads(connections: int) -> int:
    return min(2, connections)


def wrk(
    url: str,
    headers: dict[str, str],
    *,
    connections: int,
    seconds: float,
    warm_up: bool = False,
    script: str | None = None,
) -> WrkResult:
    """Load `url` for `seconds` with `connections` (the requests a Lua `script` builds, if given);
    SystemExit if an answer was not 2xx/3xx, if the script ran past the end of its list, or if
    none came back at all (unless it only warms the workers up)."""
    command = ["wrk", "--latency", "--timeout", "10s", f"-d{seconds:g}s"]
    command += [f"-t{threads(connections)}", f"-c{connections}"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        if script is not None:
            lua.write(script)
            lua.flush()
            command += ["-s", lua.name]
        done = subprocess.run([*command, url], capture_output=True, text=True, check=True)  # noqa: S603
    result = parse_wrk(done.stdout)
    if not result.requests and not warm_up:
        raise SystemExit(f"{url}: no answer within {seconds:g} s; give the rows longer (--seconds)")
    if result.beyond:
        raise SystemExit(
            f"{url}: wrk made {result.beyond} requests more than there were carts ({result.asked} asked); "
            f"no cart is used twice, so the run is void: prepare more.\n{done.stdout}"
        )
    if result.failures:
        raise SystemExit(
            f"{url}: wrk counted {result.non_2xx_3xx} answers that are not 2xx/3xx and socket errors "
            f"{result.socket_errors}; no figure of a failing row is kept.\n{done.stdout}"
        )
    return result


# --- servers -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answer(
    port: int, path: str, headers: dict[str, str], *, method: str = "GET", body: str | None = None
) -> tuple[int, dict[str, str]]:
    """One request (a GET unless told), redirects not followed: the status and the headers."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, {name.lower(): value for name, value in response.getheaders()}
    finally:
        conn.close()


def settle(server: Server, headers: dict[str, str]) -> None:
    """Wait until the requests wrk left queued are answered: its connections close when it
    stops, but the workers still answer what they had accepted or was waiting in the listen
    queue (for a row of 100 ms with 32 connections and 2 workers, over a second of it). Two
    requests to the bare view, one after the other, are answered after all of those."""
    for _ in range(2):
        answer(server.port, BARE, headers)


Request = tuple[str, str, str | None]  # method, path, body


def one_at_a_time(
    port: int,
    requests: Iterator[Request],
    headers: dict[str, str],
    *,
    seconds: float,
    least: int = 2,
    expect: int = 200,
) -> float:
    """The median latency (ms) of `requests` sent one after another, for `seconds` and at least
    `least` of them, each answered `expect`: what one reader waits on an idle server."""
    timings: list[float] = []
    deadline = time.perf_counter() + seconds
    while len(timings) < least or time.perf_counter() < deadline:
        method, path, body = next(requests)
        sent = time.perf_counter()
        status, _headers = answer(port, path, headers, method=method, body=body)
        timings.append((time.perf_counter() - sent) * 1000)
        if status != expect:
            raise SystemExit(f"{method} {path} answered {status}, not {expect}")
    return statistics.median(timings)


class Server:
    """A gunicorn serving benchmarks.wsgi on a free port of 127.0.0.1, in its own process group."""

    def __init__(self, name: str, env: dict[str, str], *, worker_class: str, workers: int, logs: Path):
        self.name, self.port = name, free_port()
        self.log = logs / f"gunicorn-{name}.log"
        command = [
            *(sys.executable, "-m", "gunicorn", "benchmarks.wsgi:application"),
            *("-c", str(ROOT / "deploy" / "gunicorn.conf.py")),
            *("--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "--worker-class", worker_class),
            "--no-control-socket",  # one per user by default: the two servers would share it
        ]
        with self.log.open("w") as out:
            self.process = subprocess.Popen(  # noqa: S603 (our gunicorn, our arguments)
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if answer(self.port, "/health/live", {"Host": HOST})[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn ({self.name}) did not start:\n{self.log.read_text()[-3000:]}")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def server_env(*, page_cache: bool) -> dict[str, str]:
    env = dict(os.environ, RUSTOK_PAGE_CACHE="1" if page_cache else "0")
    env["WEB_ACCESS_LOG"] = ""  # no access log: the figures are the application's, not the log's
    return env


# --- the run -------------------------------------------------------------------------------------


@dataclass
class Figures:
    """Per round: req/s, p99 and 1-connection median latency of one row in one mode."""

    rps: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    single: list[float] = field(default_factory=list)
    ratio: list[float] = field(default_factory=list)
    cache: str = "-"


def credentials(site) -> dict[str, str]:
    """A fresh bearer token of the owner (one per round: they expire after ACCESS_TOKEN_MINUTES)."""
    from django.db import connections
    from django_tenants.utils import schema_context

    from apps.accounts import services as accounts

    with schema_context(site.tenant.schema_name):
        bearer = accounts.start_session(user=site.owner, mode="bearer").access
    connections.close_all()
    return {"bearer": f"Bearer {bearer}"}


def api_token(site) -> str:
    """An API token of the owner that may read its own account (it does not expire)."""
    from django.db import connections
    from django_tenants.utils import schema_context

    from apps.accounts import services as accounts

    with schema_context(site.tenant.schema_name):
        raw = accounts.create_api_token(
            actor=site.owner, name="bench", user=site.owner, scopes=["accounts.view_user"]
        )[1]
    connections.close_all()
    return f"Token {raw}"


def headers_for(row: Row, auth: dict[str, str]) -> dict[str, str]:
    headers = {"Host": HOST, "Accept": row.accept}
    if row.auth:
        headers["Authorization"] = auth[row.auth]
    if row.body is not None:
        headers["Content-Type"] = JSON
    return headers


def requests_of(row: Row, shop: shopping.Shop | None) -> Iterator[Request]:
    """A row's requests, one after another: its path again and again; a shop row's spread over
    the pool's guest carts, or one ready cart each (never one twice)."""
    if row.spread == POOL:
        return ((row.method, shopping.lines_path(t), row.body) for t in itertools.cycle(shop.pool))
    if row.spread == CHECKOUTS:
        return ((row.method, shopping.checkout_path(t), row.body) for t in shop.checkouts.one_by_one())
    return itertools.repeat((row.method, row.path, row.body))


def script_of(row: Row, shop, headers: dict[str, str], *, connections: int, carts: int = 0) -> str | None:
    """The wrk script of a shop row (None for the others): the pool's carts in turn, or the next
    `carts` ready carts, one request each."""
    if row.spread == POOL:
        paths, cycle = [shopping.lines_path(t) for t in shop.pool], True
    elif row.spread == CHECKOUTS:
        paths, cycle = [shopping.checkout_path(t) for t in shop.checkouts.take(carts)], False
    else:
        return None
    return shopping.lua_script(
        method=row.method,
        paths=paths,
        headers=headers,
        body=row.body,
        threads=threads(connections),
        cycle=cycle,
    )


def check(
    server: Server, row: Row, headers: dict[str, str], requests: Iterator[Request], *, times: int = 1
) -> str:
    """The row answers as it must (200; 201 to a POST) `times` over (a second answer may come from
    the page cache), a personal answer with `Cache-Control: private, no-store`; the X-Cache of
    the last answer."""
    for _ in range(times):
        method, path, body = next(requests)
        status, answered = answer(server.port, path, headers, method=method, body=body)
        if status != row.status:
            raise SystemExit(f"{server.name}: {method} {path} answered {status}, not {row.status}")
        kept = answered.get("cache-control", "")
        if row.personal and not ("private" in kept and "no-store" in kept):
            raise SystemExit(f"{server.name}: {method} {path} is personal, but Cache-Control is {kept!r}")
    return answered.get("x-cache", "-")


def clear_cache_keys() -> None:
    """Remove what an earlier run left in Redis for the bench tenant (its pages, its toggles)."""
    from django_redis import get_redis_connection

    redis = get_redis_connection("default")
    for key in redis.scan_iter(match=f"*{SLUG}*", count=1000):
        redis.delete(key)


def seed_products(site) -> None:
    """PRODUCTS active products in the site (bulk inserts), and their documents."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from apps.index import projections

    with schema_context(site.tenant.schema_name):
        seed_catalog(PRODUCTS)
        projections.rebuild(
            projections.get("catalog.products"),
            progress=lambda done, total: (
                print(f"  documents of {done:,} of {total:,} products", flush=True)
                if done % 2_000 == 0 or done == total
                else None
            ),
        )
        # What autovacuum does to tables this size soon after a load: statistics for the
        # planner, the documents' GIN entries merged. Measured is the catalogue at rest.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4, help="wrk run per row and round, 32 connections")
    parser.add_argument(
        "--single-seconds", type=float, default=1.5, help="requests one at a time, per row and round"
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--checkout-seconds",
        type=float,
        default=None,
        help="wrk run of the checkout rows per round (default: --seconds); each request uses a ready cart",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--worker-class",
        default="sync",
        help="gunicorn worker class (sync, gthread), or several (sync,gthread) measured side by side",
    )
    parser.add_argument("--only", default="", help="comma-separated row slugs (the bare view is always run)")
    parser.add_argument("--quick", action="store_true", help="one round of short runs")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds, args.single_seconds = 1, 3, 1
    if args.checkout_seconds is None:
        args.checkout_seconds = args.seconds
    classes = args.worker_class.split(",")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (make bench installs it: apt-get install wrk)")

    # Stopped (SIGTERM): stop the servers and drop the scratch database on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rustok.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))  # tokens minted here verify there
    os.environ["DEBUG"] = "0"
    # Relays queued by the seeding go to a queue of their own, purged at the end.
    os.environ["CELERY_QUEUE"] = "rustok-bench"
    # The rate limits stay on (their Redis round trip is part of the path) but never trip here.
    for scope in ("TENANT", "TENANT_ANON", "USER", "ANON", "AUTH", "STOREFRONT"):
        os.environ[f"THROTTLE_{scope}"] = "100000000/min"

    started = time.monotonic()
    load_before = os.getloadavg()
    pace = python_pace()
    with scratch_database("rustok_bench_http"), tempfile.TemporaryDirectory() as logs:
        import django

        django.setup()
        clear_cache_keys()
        site = seed_site(slug=SLUG, domain=HOST, nodes=NODES, settings={"items_per_page": ITEMS_PER_PAGE})
        token = api_token(site)
        table = rows(site.post_slug)
        if args.only:
            wanted = set(args.only.split(","))
            unknown = wanted - {row.slug for row in table}
            if unknown:
                raise SystemExit(f"unknown rows {sorted(unknown)}; rows: {', '.join(r.slug for r in table)}")
            table = [row for row in table if row.slug in wanted]
        if any(row.slug in PRODUCT_ROWS for row in table):
            seed_products(site)
        shop = None
        if any(row.slug in SHOP_ROWS for row in table):
            tries = len(classes) if any(row.spread == CHECKOUTS for row in table) else 0
            shop = shopping.seed(site.tenant.schema_name, site.owner, tries=tries)
            wanted = {row.slug for row in table}
            table = [row for row in rows(site.post_slug, shop) if row.slug in wanted]
        seeded = time.monotonic()

        servers: dict[tuple[str, str], Server] = {}
        try:
            for worker_class in classes:
                for mode, cache in (("uncached", False), ("cached", True)):
                    servers[(worker_class, mode)] = Server(
                        f"{worker_class}-{mode}",
                        server_env(page_cache=cache),
                        worker_class=worker_class,
                        workers=args.workers,
                        logs=Path(logs),
                    )
                servers[(worker_class, "signed in")] = servers[(worker_class, "cached")]
                servers[(worker_class, "personal")] = servers[(worker_class, "cached")]
            for server in set(servers.values()):
                server.wait_ready()
            figures = run(args, classes, table, servers, site, token, shop)
        finally:
            for server in set(servers.values()):
                server.stop()
            clear_cache_keys()
            from rustok.celery import app as celery_app

            celery_app.control.purge()

    report(
        args,
        classes,
        figures,
        table,
        load_before,
        os.getloadavg(),
        pace,
        seeded - started,
        time.monotonic() - started,
        shop,
    )
    return 0


def run(args, classes: list[str], table: list[Row], servers: dict, site, token: str, shop) -> dict:
    """Warm every worker up, then the rounds; the figures by (row slug, mode, worker class).

    In a round each row is measured with each worker class in turn, so drift hits them alike."""
    bare = Row("bare", "bare Django view", BARE, "text/plain")
    plan = [(row, mode, cls) for row in table for mode in row.modes for cls in classes]
    figures = {(row.slug, mode, cls): Figures() for row, mode, cls in plan}
    figures.update({("bare", "bare", cls): Figures() for cls in classes})

    def measure(row: Row, mode: str, cls: str, auth: dict[str, str]) -> float:
        server, headers = servers[(cls, mode)], headers_for(row, auth)
        found = figures[(row.slug, "bare" if row is bare else mode, cls)]
        requests = requests_of(row, shop)
        check(server, row, headers, requests)
        connections, seconds = row.connections or args.connections, args.seconds
        carts = 0
        if row.spread == CHECKOUTS:
            seconds = args.checkout_seconds
            carts = shop.sizing.for_run(shop.sizing.rate(connections), seconds, connections)
            before = shopping.orders_placed(site.tenant.schema_name)
        script = script_of(row, shop, headers, connections=connections, carts=carts)
        url = server.url(shopping.CARTS if script else row.path)
        loaded = wrk(url, headers, connections=connections, seconds=seconds, script=script)
        found.rps.append(loaded.requests_per_second)
        found.p99.append(loaded.percentiles[99])
        settle(server, headers)
        if row.spread == CHECKOUTS:  # every answer was 201: each one an order of its own
            placed = shopping.orders_placed(site.tenant.schema_name) - before
            if not loaded.requests <= placed <= (loaded.asked or 0):
                raise SystemExit(
                    f"{row.slug}: wrk counted {loaded.requests} checkouts of {loaded.asked} carts, "
                    f"but {placed} orders were placed"
                )
        found.single.append(
            one_at_a_time(server.port, requests, headers, seconds=args.single_seconds, expect=row.status)
        )
        return loaded.requests_per_second

    auth = {**credentials(site), "token": token}
    for row, mode, cls in [(bare, "uncached", cls) for cls in classes] + plan:  # every worker warms up
        key, server, headers = (
            (row.slug, "bare" if row is bare else mode, cls),
            servers[(cls, mode)],
            headers_for(row, auth),
        )
        figures[key].cache = check(server, row, headers, requests_of(row, shop), times=2)
        if row.spread != CHECKOUTS:  # the quick try below warms the checkout up
            script = script_of(row, shop, headers, connections=4)
            url = server.url(shopping.CARTS if script else row.path)
            wrk(url, headers, connections=4, seconds=1, warm_up=True, script=script)
    if any(row.spread == CHECKOUTS for row in table):
        size_checkouts(args, classes, servers, site, shop)

    def bare_round(auth) -> dict[str, float]:
        return {cls: measure(bare, "uncached", cls, auth) for cls in classes}

    bare_rps: list[dict[str, float]] = []
    rounds: list[list[tuple[tuple[str, str, str], float]]] = []
    for number in range(args.rounds):
        auth = {**credentials(site), "token": token}
        bare_rps.append(bare_round(auth))
        rounds.append([((row.slug, mode, cls), measure(row, mode, cls, auth)) for row, mode, cls in plan])
        print(f"  round {number + 1}/{args.rounds} done", flush=True)
    bare_rps.append(bare_round(auth))  # closes the last round

    for number, measured in enumerate(rounds):
        for key, rps in measured:
            cls = key[2]  # the bare view of the same workers, before and after the round
            figures[key].ratio.append(rps / ((bare_rps[number][cls] + bare_rps[number + 1][cls]) / 2))
    for cls in classes:
        figures[("bare", "bare", cls)].ratio = [1.0]
    return figures


def size_checkouts(args, classes: list[str], servers: dict, site, shop: shopping.Shop) -> None:
    """A quick try of the checkout with each worker class, then as many ready carts as the rounds
    of the checkout rows take at the fastest rate tried (shop.sizing), with a margin."""
    headers = headers_for(Row("try", "", "", JSON, body=""), {})

    def sender(port: int):
        return lambda method, path, body: answer(port, path, headers, method=method, body=body)[0]

    rates = [shopping.try_checkouts(shop, sender(servers[(cls, "personal")].port)) for cls in classes]
    shop.sizing = shopping.Sizing(alone=max(r[0] for r in rates), together=max(r[1] for r in rates))
    need = shop.sizing.per_round(seconds=args.checkout_seconds, single_seconds=args.single_seconds)
    count = args.rounds * len(classes) * sum(need.values())
    print(
        f"  checkout tried: {shop.sizing.alone:.1f} req/s alone, {shop.sizing.together:.1f} with "
        f"{shopping.CONCURRENT} clients; preparing {count:,} ready carts",
        flush=True,
    )
    shopping.prepare_in(site.tenant.schema_name, shop, count)


def python_pace(additions: int = 10_000_000) -> float:
    """Seconds this machine takes for a bare loop of Python additions, now: the ratios of pages
    that render to the bare view move with the machine's speed (a neighbour's load, the CPU's
    clock) more than the bare view does, so runs are compared at the same pace."""
    started = time.perf_counter()
    total = 0
    for number in range(additions):
        total += number
    return time.perf_counter() - started


def report(
    args, classes, figures, table, load_before, load_after, pace: float, seeding: float, total: float, shop
) -> None:
    def median(values):
        return statistics.median(values) if values else float("nan")

    print()
    print(
        f"gunicorn {args.workers} {' / '.join(classes)} workers, wrk -c{args.connections} {args.seconds:g}s "
        f"and {args.single_seconds:g}s of requests one at a time per row, {args.rounds} round(s), "
        "medians of rounds"
    )
    print(
        f"load average (1, 5 min) before {load_before[0]:.2f} {load_before[1]:.2f}, "
        f"after {load_after[0]:.2f} {load_after[1]:.2f}; a bare loop of 10,000,000 Python "
        f"additions took {pace:.2f} s before the run"
    )
    print(
        f"{'endpoint':46s} {'mode':9s} {'workers':7s} {'req/s':>8s} {'p99 ms':>8s} {'1-conn ms':>9s} "
        f"{'x bare':>7s}  X-Cache"
    )
    labels = {row.slug: row.label for row in table} | {"bare": "bare Django view"}
    keys = [("bare", "bare", cls) for cls in classes]
    keys += [(row.slug, mode, cls) for row in table for mode in row.modes for cls in classes]
    for slug, mode, cls in keys:
        found = figures[(slug, mode, cls)]
        print(
            f"{labels[slug]:46s} {mode:9s} {cls:7s} {median(found.rps):8.1f} {median(found.p99):8.1f} "
            f"{median(found.single):9.2f} {median(found.ratio):7.4f}  {found.cache}"
        )
    if shop is not None and shop.sizing is not None:
        print(
            f"checkout rows: wrk {args.checkout_seconds:g}s per round, each request a ready cart of its own; "
            f"{len(shop.checkouts.tokens):,} ready carts prepared through the services "
            f"({shop.prepare_seconds:.0f} s), {shop.checkouts.given:,} used"
        )
    print(f"seeding {seeding:.0f} s, whole run {total:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
