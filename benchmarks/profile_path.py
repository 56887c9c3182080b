"""Profile: where the time of one request goes, in-process, through the platform's WSGI application.

    .venv/bin/python benchmarks/profile_path.py                       time every row
    .venv/bin/python benchmarks/profile_path.py --only blog-index,post --profile blog-index
    .venv/bin/python benchmarks/profile_path.py --keep        (keep the seeded database; then --reuse)
    .venv/bin/python benchmarks/profile_path.py --reuse --requests 0 --queries blog-index

A scratch database (`rustok_profile`, dropped at the end unless --keep) is seeded as `make bench`
seeds it (benchmarks/serving.py: one tenant at bench.test, 60 published pages and 60 posts, 20
items per page). Each row is called through rustok.wsgi.application as gunicorn calls it, one
request at a time (no HTTP, no test client): the page cache on for the `-cached` rows (a hit) and
the signed-in rows (which bypass it), off for the others. A row's time is the median
over its requests, then over rounds; every answer must be a 200.

--profile runs the named rows under cProfile and lists the functions that cost most, in
milliseconds per request (own time, and time with what they call). cProfile slows Python code
more than waiting on PostgreSQL and Redis, so read its figures as shares, not as times.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scratch import scratch_database, seed_site  # noqa: E402

HOST = "bench.test"
SLUG = "bench"
HTML, JSON = "text/html", "application/json"
# The GraphQL row of benchmarks/serving.py: a GET, which the page cache does not keep.
GRAPHQL_LIST = (
    "{ contentNodes(first: 20, kind: POST) { totalCount edges { node { id title excerpt bodyHtml "
    "author { displayName } categories { name } tags { name } } } } }"
)


def rows(post_slug: str) -> dict[str, tuple[str, bool, str | None, str]]:
    """Row name -> (path, page cache on, credential, Accept); names as benchmarks/serving.py's."""
    return {
        "bare": ("/health/live", False, None, JSON),
        "blog-index-cached": ("/blog/", True, None, HTML),
        "post-cached": (f"/blog/{post_slug}/", True, None, HTML),
        "rest-posts-cached": ("/api/v1/blog/posts/?limit=20", True, None, JSON),
        "graphql-posts-cached": (f"/api/graphql/?query={quote(GRAPHQL_LIST)}", True, None, JSON),
        "blog-index": ("/blog/", False, None, HTML),
        "post": (f"/blog/{post_slug}/", False, None, HTML),
        "rss": ("/blog/feed/rss/", False, None, "application/rss+xml"),
        "rest-posts": ("/api/v1/blog/posts/?limit=20", False, None, JSON),
        "graphql-posts": (f"/api/graphql/?query={quote(GRAPHQL_LIST)}", False, None, JSON),
        "shop-category-cached": ("/shop/categories/line-0/", True, None, HTML),
        "shop-product-cached": ("/shop/products/shirt-1/", True, None, HTML),
        "shop-category": ("/shop/categories/line-0/", False, None, HTML),
        "shop-product": ("/shop/products/shirt-1/", False, None, HTML),
        "me-bearer": ("/api/auth/me/", True, "bearer", JSON),
        "me-token": ("/api/auth/me/", True, "token", JSON),
    }


def environ_for(path: str, accept: str, authorization: str | None = None) -> dict:
    """A WSGI environ for a GET of `path` on the benchmark's host."""
    path_info, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": HOST,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": HOST,
        "HTTP_ACCEPT": accept,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if authorization:
        environ["HTTP_AUTHORIZATION"] = authorization
    return environ


@contextmanager
def existing_database(name: str):
    """Point DATABASE_URL at database `name`, left by an earlier --keep run, for the block."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rustok")
    os.environ["DATABASE_URL"] = urlparse(base)._replace(path=f"/{name}").geturl()
    try:
        yield
    finally:
        from django.db import connections

        connections.close_all()


def site_and_credentials(*, reuse: bool) -> tuple[str, dict[str, str]]:
    """Seed the site (or find it, with --reuse); the post row's slug and an `Authorization` value
    for each credential (a bearer JWT, an API token) of the site's owner."""
    from django_tenants.utils import schema_context

    from apps.accounts import services as accounts
    from apps.accounts.models import User
    from apps.content.models import Node
    from benchmarks.scratch import OWNER_EMAIL
    from benchmarks.serving import seed_products

    if not reuse:
        site = seed_site(slug=SLUG, domain=HOST, nodes=60, settings={"items_per_page": 20})
        seed_products(site)  # the catalogue of the shop rows, as benchmarks/serving.py seeds it
    with schema_context(SLUG):
        owner = User.objects.get(email=OWNER_EMAIL)
        post_slug = Node.objects.filter(kind="post").order_by("-id").first().slug_en
        token = accounts.create_api_token(
            actor=owner, name=f"profile {secrets.token_hex(4)}", user=owner, scopes=["accounts.view_user"]
        )[1]
        return post_slug, {
            "bearer": f"Bearer {accounts.start_session(user=owner, mode='bearer').access}",
            "token": f"Token {token}",
        }


def per_request(profile: cProfile.Profile, requests: int) -> pstats.Stats:
    """The profile's figures in milliseconds per request (own and cumulative times)."""
    stats = pstats.Stats(profile)
    scale = 1000 / requests
    stats.stats = {
        function: (calls, primitive, own * scale, cumulative * scale, callers)
        for function, (calls, primitive, own, cumulative, callers) in stats.stats.items()
    }
    stats.total_tt *= scale
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default="rustok_profile", help="the scratch database's name")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
    parser.add_argument("--reuse", action="store_true", help="use the database a --keep run left")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per row and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default="", help="rows to time, comma-separated (default: all)")
    parser.add_argument("--profile", default="", help="rows to profile, comma-separated")
    parser.add_argument("--top", type=int, default=30, help="functions listed per profile")
    parser.add_argument("--sort", default="tottime,cumulative", help="orders of the lists (pstats keys)")
    parser.add_argument("--filter", default="", help="list only functions whose file and name match this")
    parser.add_argument("--queries", default="", help="rows whose SQL to list, with each query's time")
    args = parser.parse_args()

    database = (
        existing_database(args.database) if args.reuse else scratch_database(args.database, keep=args.keep)
    )
    with database:
        import django

        django.setup()
        from django.conf import settings
        from django.core.cache import caches

        post_slug, credentials = site_and_credentials(reuse=args.reuse)
        for alias in ("pages", "platform"):
            caches[alias].clear()

        from rustok.wsgi import application

        table = rows(post_slug)
        unknown = {*args.only.split(","), *args.profile.split(",")} - {"", *table}
        if unknown:
            raise SystemExit(f"unknown rows {sorted(unknown)}; rows: {', '.join(table)}")

        def call(path: str, accept: str, credential: str | None) -> str:
            status = []
            body = application(
                environ_for(path, accept, credentials.get(credential)),
                lambda line, headers, exc_info=None: status.append(line),
            )
            try:
                for _chunk in body:
                    pass
            finally:
                if hasattr(body, "close"):  # as a WSGI server does: a hit's body is a plain list
                    body.close()
            return status[0]

        def run(name: str, count: int) -> list[float]:
            path, cached, credential, accept = table[name]
            settings.PAGE_CACHE = cached
            times = []
            for number in range(count + 1):  # the first warms up (and fills the page cache)
                started = time.perf_counter()
                status = call(path, accept, credential)
                if number:
                    times.append(time.perf_counter() - started)
                if not status.startswith("200"):
                    raise SystemExit(f"{name}: {path} answered {status}")
            return times

        chosen = [name for name in args.only.split(",") if name] or list(table)
        if args.requests and not (args.profile and not args.only):
            medians: dict[str, list[float]] = {name: [] for name in chosen}
            for _ in range(args.rounds):  # interleaved, so drift hits every row alike
                for name in chosen:
                    medians[name].append(statistics.median(run(name, args.requests)))
            print(f"{args.requests} requests x {args.rounds} rounds per row, one at a time (median)")
            for name in chosen:
                figure = statistics.median(medians[name]) * 1000
                print(f"  {name:18s} {table[name][0][:44]:44s} {figure:8.3f} ms")

        for name in [name for name in args.queries.split(",") if name]:
            run(name, 5)
            timed: list[tuple[float, str]] = []

            def timing(execute, sql, params, many, context, timed=timed):
                started = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    timed.append((time.perf_counter() - started, sql))

            from django.db import connection

            with connection.execute_wrapper(timing):
                run(name, 1)
            timed = timed[len(timed) // 2 :]  # the second request's (the first warmed up)
            print(f"\n=== {name}: {len(timed)} queries, {sum(t for t, _ in timed) * 1000:.3f} ms")
            for seconds, sql in timed:
                print(f"  {seconds * 1000:7.3f} ms  {sql[:150]}")

        for name in [name for name in args.profile.split(",") if name]:
            count = max(50, args.requests)
            run(name, 5)
            profile = cProfile.Profile()
            profile.enable()
            run(name, count)
            profile.disable()
            for order in args.sort.split(","):
                out = io.StringIO()
                stats = per_request(profile, count)
                stats.stream = out
                stats.sort_stats(order).print_stats(*([args.filter] if args.filter else []), args.top)
                print(f"\n=== {name}: {table[name][0][:60]}, {count} requests; ms per request, by {order}")
                print("\n".join(line for line in out.getvalue().splitlines()[4:] if line.strip()))
        from rustok.celery import app as celery_app

        celery_app.control.purge()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rustok.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))
    os.environ["DEBUG"] = "0"
    # Relays queued by the seeding go to a queue of their own, purged at the end.
    os.environ["CELERY_QUEUE"] = "rustok-bench"
    # The rate limits stay on (their Redis round trip is part of the path) but never trip here.
    for scope in ("TENANT", "TENANT_ANON", "USER", "ANON", "AUTH", "STOREFRONT"):
        os.environ[f"THROTTLE_{scope}"] = "100000000/min"
    sys.exit(main())
