"""Benchmark: rebuilding the product documents of a large catalogue (`rustok index rebuild`).

    make bench ALL=1      (or: .venv/bin/python benchmarks/catalog_index.py --products 50000)

A scratch database gets one tenant whose catalogue has `--products` active products (default
50,000: 100,000 documents in English and Russian), each with two variants (sizes), prices in two
currencies, a filterable colour, a category of a two-level tree and a description. The rows are
written with bulk inserts (the services would take far longer to seed this many; what is measured
is the rebuild). Then the product projection is rebuilt as `rustok index rebuild` does, with its
progress, and the time and documents per second are printed. The goal (issue: Commerce I) is
100,000 documents in under 60 s on the 2-core machine. The scratch database is dropped at the end.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scratch import scratch_database, seed_catalog, seed_site  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument(
        "--profile", action="store_true", help="Rebuild under cProfile and list what costs most."
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=min(4, os.cpu_count() or 1),
        help="Processes sharing the rebuild, as `rustok index rebuild --workers` (default: one per core).",
    )
    parser.add_argument(
        "--keep", action="store_true", help="Keep the scratch database rustok_bench_catalog_index."
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rustok.settings")
    with scratch_database("rustok_bench_catalog_index", keep=args.keep):
        run(args.products, profile=args.profile, workers=args.workers)
    return 0


def run(count: int, *, profile: bool = False, workers: int = 1) -> None:
    import django

    django.setup()
    from django.db import connection
    from django_tenants.utils import schema_context

    from apps.index import projections
    from apps.index.models import Document

    started = time.perf_counter()
    site = seed_site(slug="shop", domain="shop.bench.test", nodes=0)
    with schema_context(site.tenant.schema_name):
        seed_catalog(count)
        print(f"seeded in {time.perf_counter() - started:.0f} s")
        projection = projections.get("catalog.products")
        last = [0.0]

        def progress(done: int, total: int) -> None:
            if time.perf_counter() - last[0] > 5 or done == total:
                last[0] = time.perf_counter()
                print(f"  rebuilt {done:,} of {total:,} products", flush=True)

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        profiler = cProfile.Profile() if profile else None
        began = time.perf_counter()
        if profiler:
            profiler.enable()
        projections.rebuild(projection, progress=progress, workers=workers)
        seconds = time.perf_counter() - began
        if profiler:
            profiler.disable()
            for order in ("tottime", "cumulative"):
                pstats.Stats(profiler).sort_stats(order).print_stats(25)
        documents = Document.objects.filter(type="product").count()
    print(
        f"rebuild of {documents:,} product documents ({count:,} products, {workers} process(es)): "
        f"{seconds:.1f} s, "
        f"{documents / seconds:,.0f} documents/s (goal: 100,000 in under 60 s)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
