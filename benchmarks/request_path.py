"""Benchmark: the cost of the request path, as ratios against a bare endpoint in the same run.

    make bench ALL=1      (or: .venv/bin/python benchmarks/request_path.py --requests 300)

The bare endpoint is /health/live (answered before tenant routing, no database). Each other
endpoint is timed the same way, in-process through Django's test client against a scratch
database with one tenant, so the ratio shows what routing, the module gate, DRF or GraphQL add.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scratch import scratch_database, seed_site  # noqa: E402

ENDPOINTS = [
    ("bare: GET /health/live", "get", "/health/live", None, None),
    ("GET /api/v1/site/ (routing + gate + DRF)", "get", "/api/v1/site/", None, None),
    ("POST /api/graphql/ { site }", "post", "/api/graphql/", '{"query": "{ site { slug modules } }"}', None),
    ("GET /api/v1/missing/ (problem+json 404)", "get", "/api/v1/missing/", None, None),
    ("GET /api/auth/me/ (bearer JWT)", "get", "/api/auth/me/", None, "bearer"),
    ("GET /api/auth/me/ (API token)", "get", "/api/auth/me/", None, "token"),
    ("GET /api/v1/search/?q=garden (5,000 documents)", "get", "/api/v1/search/?q=garden", None, None),
    (
        "GET /api/v1/search/ + 5 facets",
        "get",
        "/api/v1/search/?q=garden&facets=type,category,tag,price,availability",
        None,
        None,
    ),
    ("GET /api/v1/search/?q=gard (prefix)", "get", "/api/v1/search/?q=gard", None, None),
    ("GET /api/v1/content/nodes/?limit=20 (anonymous)", "get", "/api/v1/content/nodes/?limit=20", None, None),
    (
        "GET /api/v1/content/nodes/?limit=20 (editor view)",
        "get",
        "/api/v1/content/nodes/?limit=20",
        None,
        "bearer",
    ),
    ("GET /api/v1/blog/posts/?limit=20", "get", "/api/v1/blog/posts/?limit=20", None, None),
    (
        "POST /api/graphql/ contentNodes(first: 20)",
        "post",
        "/api/graphql/",
        '{"query": "{ contentNodes(first: 20) { totalCount edges { node { id title bodyHtml '
        'author { displayName } categories { name } tags { name } } } } }"}',
        None,
    ),
    ("GET /blog/ (storefront page)", "get", "/blog/", None, None),
    ("GET /blog/feed/rss/ (20 items)", "get", "/blog/feed/rss/", None, None),
]
DOCUMENTS = 5000
EVENTS = 2000
NODES = 60  # published pages and as many posts, each with 3 categories and 3 tags


def seed_documents(count: int) -> None:
    """Index `count` synthetic documents through the projection machinery (one in 10 mention gardens)."""
    from decimal import Decimal

    from apps.index.projections import Doc, Projection, apply, register

    words = ["river", "stone", "market", "winter", "meadow", "window", "letter", "forest", "copper", "silver"]

    class Synthetic(Projection):
        name = document_type = "bench"
        events = ("bench.document.changed",)

        def documents(self, ids):
            for i in map(int, ids):
                text = " ".join(words[(i * k) % len(words)] for k in range(1, 40))
                if i % 10 == 0:
                    text += " and a garden"
                yield Doc(
                    object_id=i,
                    language="en",
                    title=f"{words[i % 10]} {words[(i // 10) % 10]}",
                    body=text,
                    categories=[f"category {i % 12}"],
                    tags=[f"tag{i % 7}", f"tag{i % 5}"],
                    price=Decimal(i % 700),
                    availability="in_stock" if i % 3 else "out_of_stock",
                )

    projection = Synthetic()
    register(projection, "index")  # searchable like a module's projection
    for start in range(0, count, 500):
        apply(projection, range(start, min(start + 500, count)))


def relay_throughput(count: int) -> float:
    """Events delivered per second by one relay process (core.module.enabled, index handler)."""
    from django.db import transaction

    from apps.core.events import ModuleEnabled
    from apps.events.services import relay_all
    from rustok import events

    with transaction.atomic():
        for _ in range(count):
            events.publish(ModuleEnabled(module="core"))
    started = time.perf_counter()
    result = relay_all()
    assert result.dispatched == count, result
    return count / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=300, help="Requests per endpoint and round.")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with scratch_database("rustok_bench_requests"):
        import django

        django.setup()
        from django.test import Client
        from django_tenants.utils import schema_context

        from apps.accounts import services as accounts

        site = seed_site(slug="bench", domain="bench.test", nodes=NODES)
        tenant, owner = site.tenant, site.owner
        client = Client(HTTP_HOST="bench.test")

        with schema_context(tenant.schema_name):
            credentials = {
                "bearer": f"Bearer {accounts.start_session(user=owner, mode='bearer').access}",
                "token": "Token "
                + accounts.create_api_token(
                    actor=owner, name="bench", user=owner, scopes=["accounts.view_user"]
                )[1],
            }
            seed_documents(DOCUMENTS)

        def per_request(method: str, path: str, body: str | None, auth: str | None) -> float:
            call = getattr(client, method)
            kwargs = {"data": body, "content_type": "application/json"} if body else {}
            if auth:
                kwargs["HTTP_AUTHORIZATION"] = credentials[auth]
            expected = 404 if "missing" in path else 200

            def checked():  # a refusal (a rate limit, say) must not be timed as an answer
                status = call(path, **kwargs).status_code
                if status != expected:
                    raise SystemExit(f"{method.upper()} {path} answered {status}, not {expected}")

            checked()  # warm up
            started = time.perf_counter()
            for _ in range(args.requests):
                checked()
            return (time.perf_counter() - started) / args.requests

        results = {label: [] for label, *_ in ENDPOINTS}
        for _ in range(args.rounds):  # interleaved rounds, so drift hits every endpoint alike
            for label, method, path, body, auth in ENDPOINTS:
                results[label].append(per_request(method, path, body, auth))

        bare = statistics.median(results[ENDPOINTS[0][0]])
        print(f"{args.requests} requests x {args.rounds} rounds per endpoint, median of rounds")
        for label, timings in results.items():
            median = statistics.median(timings)
            print(f"  {label:52s} {median * 1000:7.3f} ms   {median / bare:6.1f}x bare")
        with schema_context(tenant.schema_name):
            rate = relay_throughput(EVENTS)
        print(f"  relay: {EVENTS} events (one index handler each) delivered at {rate:,.0f} events/s")
        from rustok.celery import app as celery_app

        celery_app.control.purge()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rustok.settings")
    # Relays queued by the benchmark's commits go to a queue of their own, purged at the end,
    # so a developer's worker never receives tasks for the scratch database's tenant.
    os.environ["CELERY_QUEUE"] = "rustok-bench"
    # The rate limits stay on (their Redis round trip is part of the path) but never trip here.
    for scope in ("TENANT", "TENANT_ANON", "USER", "ANON", "AUTH", "STOREFRONT"):
        os.environ[f"THROTTLE_{scope}"] = "100000000/min"
    sys.exit(main())
