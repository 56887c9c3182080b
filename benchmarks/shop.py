"""The shop rows of `make bench` (benchmarks/serving.py): what they need seeded, the wrk scripts
that spread their requests over many carts, and the supply of ready carts the checkout uses up.

Seeded through the services, as the site's owner: 64 products of one variant each, with ten
million units in stock (stock is never what stops a request), the order settings' largest
`max_line_quantity`, Germany's standard tax rate (19%) and a flat-rate parcel to Germany; a pool
of guest carts for the add-to-cart row; one cart of five lines with a German address and the
parcel for the cart-totals row; and as many ready carts (e-mail, German address, parcel, demo
card provider, two lines: cart n buys products 2n and 2n + 1, so checkouts served at once, which
take carts next to each other, want different stock rows, as different shoppers' mostly do) as
the checkout rows use up.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal

CARTS = "/api/v1/orders/carts/"
PRODUCTS = 64  # ready carts buy two each, so 32 carts in a row share no product
STOCK = 10_000_000  # units of each variant: no run comes near
POOL = 256  # guest carts the add-to-cart row spreads its requests over
CONCURRENT = 16  # clients of the checkout-16 row
TRY_ALONE, TRY_TOGETHER = 8, 64  # checkouts of the quick try that sizes the checkout rows
BATCH = 100  # ready carts prepared per transaction
ADDRESS = {
    "first_name": "Anna",
    "last_name": "Schmidt",
    "line1": "Unter den Linden 1",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
}
CARD = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2040, "cvc": "123"}
CHECKOUT_BODY = json.dumps({"payment": CARD})
EXHAUSTED = "exhausted"  # not a cart token: a request past the list answers 404, and wrk counts it


def lines_path(token: str) -> str:
    return f"{CARTS}{token}/lines/"


def cart_path(token: str) -> str:
    return f"{CARTS}{token}/"


def checkout_path(token: str) -> str:
    return f"{CARTS}{token}/checkout/"


def add_body(variant_id: int) -> str:
    return json.dumps({"variant": variant_id, "quantity": 1})


# --- seeding -------------------------------------------------------------------------------------


@dataclass
class Shop:
    """What the shop rows use: the variants for sale, the add-to-cart pool, the cart of five lines,
    the parcel's id, and the ready carts not handed out yet (`Checkouts`)."""

    variants: list[int]
    method: int
    pool: list[str]
    totals: str
    checkouts: Checkouts = field(default_factory=lambda: Checkouts([]))
    sizing: Sizing | None = None  # from the quick try
    prepare_seconds: float = 0.0  # spent preparing ready carts


def seed_shop(owner, *, pool: int = POOL) -> Shop:
    """The shop in the active schema (see the module's docstring), without ready carts."""
    from apps.catalog import services as catalog
    from apps.inventory import services as inventory
    from apps.orders import services as orders

    currency = catalog.shop_settings().default_currency
    kind = catalog.create_product_type(actor=owner, slug="bench-item", has_variants=False)
    warehouse = inventory.create_location(
        actor=owner, texts={"en": {"name": "Bench warehouse"}}, country="DE"
    )
    variants = []
    for n in range(PRODUCTS):
        product = catalog.create_product(
            actor=owner, product_type=kind, texts={"en": {"name": f"Bench item {n}"}}, weight_grams=300
        )
        variant = catalog.create_variant(
            actor=owner,
            product=product,
            sku=f"BENCH-{n}",
            prices=[{"currency": currency, "amount": 1250 + 100 * n}],
        )
        catalog.transition_product(actor=owner, product=product, name="activate")
        inventory.adjust(actor=owner, variant=variant, location=warehouse, delta=STOCK, reason="received")
        variants.append(variant.pk)
    orders.update_order_settings(actor=owner, max_line_quantity=10_000, default_country="DE")
    orders.create_tax_rate(actor=owner, country="DE", rate=Decimal(19), name="MwSt 19%")
    zone = orders.create_shipping_zone(actor=owner, texts={"en": {"name": "Germany"}}, countries=["DE"])
    parcel = orders.create_shipping_method(
        actor=owner, zone=zone, texts={"en": {"name": "Parcel"}}, currency=currency, price=490
    )
    guests = [str(orders.create_cart().token) for _ in range(pool)]
    totals = orders.create_cart()
    for variant_id in variants[:5]:
        orders.add_line(cart=totals, variant_id=variant_id, quantity=2)
    orders.update_checkout(cart=totals, shipping_address=ADDRESS, shipping_method=parcel.pk)
    return Shop(variants=variants, method=parcel.pk, pool=guests, totals=str(totals.token))


def ready_carts(shop: Shop, count: int, *, start: int = 0) -> list[str]:
    """`count` guest carts ready to pay (two lines, e-mail, German address, the parcel, the demo
    card provider), through the services; their tokens."""
    from apps.orders import services as orders

    tokens = []
    for n in range(start, start + count):
        cart = orders.create_cart()
        for variant_id in (shop.variants[2 * n % PRODUCTS], shop.variants[(2 * n + 1) % PRODUCTS]):
            orders.add_line(cart=cart, variant_id=variant_id, quantity=1)
        orders.update_checkout(
            cart=cart,
            email=f"shopper{n}@bench.test",
            shipping_address=ADDRESS,
            shipping_method=shop.method,
            payment_provider="demo",
        )
        tokens.append(str(cart.token))
    return tokens


def prepare(shop: Shop, count: int, *, progress=None) -> None:
    """`count` more ready carts for `shop.checkouts`, BATCH to a transaction (the services' own
    transactions are savepoints in it)."""
    from django.db import transaction

    start = len(shop.checkouts.tokens)
    for first in range(start, start + count, BATCH):
        with transaction.atomic():
            shop.checkouts.add(ready_carts(shop, min(BATCH, start + count - first), start=first))
        if progress is not None:
            progress(len(shop.checkouts.tokens) - start)


def seed(schema: str, owner, *, tries: int) -> Shop:
    """The shop in `schema` and, for `tries` quick tries of the checkout (one per worker class),
    their ready carts and those of the checkout rows' warm-up checks."""
    from django.db import connections
    from django_tenants.utils import schema_context

    with schema_context(schema):
        shop = seed_shop(owner)
    connections.close_all()
    if tries:
        prepare_in(schema, shop, tries * (TRY_ALONE + TRY_TOGETHER + 4))
    return shop


def prepare_in(schema: str, shop: Shop, count: int) -> None:
    """`count` more ready carts in `schema`, with progress; the time taken adds to the shop's."""
    from django.db import connections
    from django_tenants.utils import schema_context

    started = time.monotonic()
    with schema_context(schema):
        prepare(shop, count, progress=lambda done: print(f"  {done:,} of {count:,} ready carts", flush=True))
    connections.close_all()
    shop.prepare_seconds += time.monotonic() - started


def orders_placed(schema: str) -> int:
    """How many orders `schema` has."""
    from django.db import connections
    from django_tenants.utils import schema_context

    from apps.orders.models import Order

    with schema_context(schema):
        placed = Order.objects.count()
    connections.close_all()
    return placed


def try_checkouts(shop: Shop, send: Callable[[str, str, str], int]) -> tuple[float, float]:
    """The checkout's rate (req/s) one request at a time and with CONCURRENT clients, each
    completing TRY_ALONE, then TRY_TOGETHER ready carts: what the checkout rows are sized from.
    `send(method, path, body)` answers the status; every one must be 201."""
    carts = shop.checkouts.one_by_one()

    def complete(tokens: list[str]) -> None:
        for token in tokens:
            status = send("POST", checkout_path(token), CHECKOUT_BODY)
            if status != 201:
                raise SystemExit(f"POST {checkout_path(token)} answered {status}, not 201")

    started = time.perf_counter()
    complete([next(carts) for _ in range(TRY_ALONE)])
    alone = TRY_ALONE / (time.perf_counter() - started)
    batches = [[next(carts) for _ in range(TRY_TOGETHER // CONCURRENT)] for _ in range(CONCURRENT)]
    started = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENT) as pool:
        list(pool.map(complete, batches))
    return alone, TRY_TOGETHER / (time.perf_counter() - started)


# --- ready carts, each used once -----------------------------------------------------------------


class Checkouts:
    """The ready carts not handed out yet, in order; each is handed out once."""

    def __init__(self, tokens: Sequence[str]):
        self.tokens, self.given = list(tokens), 0

    @property
    def left(self) -> int:
        return len(self.tokens) - self.given

    def add(self, tokens: Sequence[str]) -> None:
        self.tokens += tokens

    def take(self, count: int) -> list[str]:
        """The next `count` carts; SystemExit when fewer are left (a cart is never reused)."""
        if count > self.left:
            raise SystemExit(
                f"{count} ready carts asked, {self.left} left: the checkout rows were sized too small"
            )
        taken = self.tokens[self.given : self.given + count]
        self.given += count
        return taken

    def one_by_one(self) -> Iterator[str]:
        while True:
            yield self.take(1)[0]


@dataclass(frozen=True)
class Sizing:
    """How many ready carts a run takes, from the rates a quick try measured (req/s)."""

    alone: float  # one connection
    together: float  # CONCURRENT connections
    margin: float = 2.5  # the rate may rise in a later round: never run short

    def rate(self, connections: int) -> float:
        return self.alone if connections == 1 else self.together

    def for_run(self, rate: float, seconds: float, connections: int) -> int:
        """Carts for one wrk run: the margin times what the rate gets through, plus one per
        connection for the requests still on their way when wrk stops."""
        return math.ceil(self.margin * rate * seconds) + connections

    def per_round(self, *, seconds: float, single_seconds: float) -> dict[int, int]:
        """Carts per round of each checkout row (by its connections: 1 and CONCURRENT): its
        check, its wrk run and its requests one at a time."""
        single = math.ceil(self.margin * self.alone * single_seconds) + 2
        return {
            connections: 1 + self.for_run(self.rate(connections), seconds, connections) + single
            for connections in (1, CONCURRENT)
        }


# --- wrk scripts ---------------------------------------------------------------------------------


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string of ASCII text is a Lua string literal too


def lua_script(
    *, method: str, paths: Sequence[str], headers: dict[str, str], body: str | None, threads: int, cycle: bool
) -> str:
    """A wrk script sending `method` with `body` to `paths`, one path per request: each of wrk's
    `threads` takes every `threads`-th path from its own start, so no two requests share a path.
    `cycle`: start over at the end of the list; otherwise a request past its end goes to a cart
    that does not exist (404: wrk counts it, the run fails) and `done` reports how many there
    were: "paths asked N, beyond the list M". wrk builds its first thread's first request once to
    check the script and does not send it: that path is asked, never requested."""
    listed = ",\n".join(f"  {lua_string(p)}" for p in paths)
    header_lines = "\n".join(f"  [{lua_string(k)}] = {lua_string(v)}," for k, v in headers.items())
    return f"""-- written by benchmarks/shop.py
local paths = {{
{listed}
}}
local headers = {{
{header_lines}
}}
local body = {lua_string(body) if body is not None else "nil"}
local stride = {threads}
local cycle = {"true" if cycle else "false"}
local exhausted = {lua_string(checkout_path(EXHAUSTED))}
local threads = {{}}

function setup(thread)
  thread:set("first", #threads)
  table.insert(threads, thread)
end

function init(args)
  asked = 0
  beyond = 0
end

function request()
  local n = first + asked * stride
  asked = asked + 1
  if cycle then
    n = n % #paths
  end
  local path = paths[n + 1]
  if path == nil then
    beyond = beyond + 1
    path = exhausted
  end
  return wrk.format({lua_string(method)}, path, headers, body)
end

function done(summary, latency, requests)
  local asked_all, beyond_all = 0, 0
  for _, thread in ipairs(threads) do
    asked_all = asked_all + thread:get("asked")
    beyond_all = beyond_all + thread:get("beyond")
  end
  io.write(string.format("paths asked %d, beyond the list %d\\n", asked_all, beyond_all))
end
"""
