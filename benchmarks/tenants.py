"""Benchmark: creating tenants and migrating them, in a scratch database.

    make bench ALL=1      (or: .venv/bin/python benchmarks/tenants.py --tenants 100)

Reports, all measured in the same run:
- creating one tenant by cloning the template schema, against creating one by running every
  migration (the ratio is what the template buys);
- creating N tenants one after another;
- `migrate_schemas` over N tenants with the standard executor and with the multiprocessing one.
The scratch database is dropped at the end.
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

from benchmarks.scratch import scratch_database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tenants", type=int, default=100)
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database rustok_bench.")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rustok.settings")
    with scratch_database("rustok_bench", keep=args.keep):
        run(args)
    return 0


def run(args) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from apps.core import services
    from apps.core.models import Tenant

    try:
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
        services.ensure_public_tenant()
        services.ensure_template_schema()

        def create(slug: str) -> float:
            started = time.perf_counter()
            services.create_tenant(slug=slug, name=slug, domain=f"{slug.replace('_', '-')}.bench")
            elapsed = time.perf_counter() - started
            # A new session per tenant, as separate commands or requests have: one PostgreSQL
            # session that creates hundreds of schemas slows down with its own catalog caches.
            connection.close()
            return elapsed

        def compare(label: str, round_: str) -> None:
            cloned = statistics.median(create(f"clone_{round_}_{i}") for i in range(3))
            settings.TENANT_CREATION_FAKES_MIGRATIONS = False
            migrated = statistics.median(create(f"full_{round_}_{i}") for i in range(3))
            settings.TENANT_CREATION_FAKES_MIGRATIONS = True
            print(
                f"{label}: one tenant cloned from the template {cloned:5.2f} s, "
                f"with every migration run {migrated:5.2f} s ({migrated / cloned:.1f}x the clone)"
            )

        compare("with   0 tenants", "a")
        started = time.perf_counter()
        existing = Tenant.objects.exclude(schema_name="public").count()
        for i in range(args.tenants - existing):
            create(f"shop_{i:04d}")
        total = Tenant.objects.exclude(schema_name="public").count()
        elapsed, made = time.perf_counter() - started, total - existing
        if made:
            print(f"creating {made} tenants one by one: {elapsed:.1f} s ({elapsed / made:.2f} s each)")
        compare(f"with {total:3d} tenants", "b")
        total = Tenant.objects.exclude(schema_name="public").count()

        timings = {}
        for executor in ("standard", "multiprocessing"):
            started = time.perf_counter()
            call_command("migrate_schemas", tenant=True, executor=executor, interactive=False, verbosity=0)
            timings[executor] = time.perf_counter() - started
            connection.close()
        speedup = timings["standard"] / timings["multiprocessing"]
        print(
            f"migrate_schemas over {total} tenants: standard {timings['standard']:.1f} s, "
            f"multiprocessing ({settings.TENANT_MULTIPROCESSING_MAX_PROCESSES} processes) "
            f"{timings['multiprocessing']:.1f} s ({speedup:.1f}x faster)"
        )
    finally:
        connection.close()


if __name__ == "__main__":
    sys.exit(main())
