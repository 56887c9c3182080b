"""Benchmark: importing and exporting a catalogue file, in a scratch database.

    make bench ALL=1      (or: .venv/bin/python benchmarks/catalog_import.py --products 10000)

Seeds one tenant with a product type (a text, a number, a boolean and a multiple-choice attribute
on products; size and colour options on variants), two currencies (USD, EUR) and a category,
writes a CSV of N products with 3 variants each in two languages, then times:
- the import into the empty catalogue (every row created, one transaction);
- the export of what it made;
- the import of the same file again (every row checked, nothing changed).
The goal: 10,000 products with 3 variants (30,000 rows) imported in under 60 s on 2 cores.
The scratch database is dropped at the end.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import itertools
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scratch import OWNER_EMAIL, OWNER_PASSWORD, scratch_database  # noqa: E402

SIZES = ("s", "m", "l")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database rustok_bench_catalog.")
    parser.add_argument("--profile", action="store_true", help="Profile the first import (cProfile, top 30).")
    parser.add_argument(
        "--stages",
        action="store_true",
        help="Print each import's time by stage (parse, check, write steps, events, commit): wall / CPU s.",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rustok.settings")
    with scratch_database("rustok_bench_catalog", keep=args.keep), tempfile.TemporaryDirectory() as folder:
        run(args, Path(folder))
    return 0


def seed(owner) -> None:
    from apps.catalog import services

    services.update_shop_settings(actor=owner, currencies=["EUR"])
    material = services.create_attribute(actor=owner, slug="material", input_type="text")
    weight = services.create_attribute(actor=owner, slug="weight-kg", input_type="number", unit="kg")
    organic = services.create_attribute(actor=owner, slug="organic", input_type="boolean")
    features = services.create_attribute(
        actor=owner,
        slug="features",
        input_type="multi_choice",
        choices=[{"slug": s} for s in ("zip", "hood")],
    )
    size = services.create_attribute(
        actor=owner, slug="size", input_type="choice", choices=[{"slug": s} for s in SIZES]
    )
    colour = services.create_attribute(
        actor=owner, slug="colour", input_type="swatch", choices=[{"slug": "red", "color": "#ff0000"}]
    )
    services.create_product_type(
        actor=owner,
        slug="shirt",
        attributes=[
            (material, "product"),
            (weight, "product"),
            (organic, "product"),
            (features, "product"),
            (size, "variant"),
            (colour, "variant"),
        ],
    )
    services.create_category(actor=owner, texts={"en": {"name": "Shirts"}, "ru": {"name": "Рубашки"}})


def write_file(path: Path, products: int) -> int:
    header = [
        "product",
        "product_type",
        "status",
        "name:en",
        "name:ru",
        "slug:en",
        "slug:ru",
        "description:en",
        "categories",
        "weight_grams",
        "attribute:material:en",
        "attribute:material:ru",
        "attribute:weight-kg",
        "attribute:organic",
        "attribute:features",
        "sku",
        "variant_name:en",
        "track_inventory",
        "position",
        "variant_attribute:size",
        "variant_attribute:colour",
        "price:USD",
        "compare_at:USD",
        "price:EUR",
    ]
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for n in range(products):
            product = [
                f"shirt-{n}",
                "shirt",
                "active",
                f"Shirt {n}",
                f"Рубашка {n}",
                f"shirt-{n}",
                f"rubashka-{n}",
                f"A **cotton** shirt, number {n}.",
                "shirts",
                str(200 + n % 100),
                "Cotton",
                "Хлопок",
                f"0.{n % 9 + 1}",
                "true" if n % 2 else "false",
                "zip|hood" if n % 3 else "zip",
            ]
            for position, size in enumerate(SIZES):
                writer.writerow(
                    [
                        *product,
                        f"SHIRT-{n}-{size.upper()}",
                        f"Shirt {n} {size.upper()}",
                        "true",
                        str(position),
                        size,
                        "red",
                        f"{19 + position}.90",
                        "29.90",
                        f"{17 + position}.50",
                    ]
                )
                rows += 1
    return rows


class Stages:
    """The import's progress callback: the wall and CPU time up to the end of each stage (the
    write steps are named after what they write; "commit" is what follows the last one)."""

    WRITES = {
        1: "products",
        2: "categories, product values",
        3: "variants",
        4: "variant values",
        5: "prices",
        8: "events",
    }

    def __init__(self):
        self.marks = [("start", time.perf_counter(), time.process_time())]

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == "write":
            self.marks.append(
                (f"write {self.WRITES.get(done, done)}", time.perf_counter(), time.process_time())
            )
        elif done == total and self.marks[-1][0] != stage:
            self.marks.append((stage, time.perf_counter(), time.process_time()))

    def summary(self) -> str:
        marks = [*self.marks, ("commit", time.perf_counter(), time.process_time())]
        return ", ".join(
            f"{name} {wall - last_wall:.1f} / {cpu - last_cpu:.1f}"
            for (_, last_wall, last_cpu), (name, wall, cpu) in itertools.pairwise(marks)
        )


def run(args, folder: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django_tenants.utils import schema_context

    from apps.accounts.models import User
    from apps.catalog import exchange
    from apps.catalog.models import Price, Product, Variant
    from apps.core import services
    from apps.events.models import OutboxEvent

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    services.ensure_public_tenant()
    services.ensure_template_schema()
    tenant = services.create_tenant(
        slug="catalog_bench",
        name="Catalogue bench",
        domain="catalog-bench.test",
        admin_email=OWNER_EMAIL,
        admin_password=OWNER_PASSWORD,
    )
    source = folder / "catalogue.csv"
    rows = write_file(source, args.products)
    with schema_context(tenant.schema_name):
        owner = User.objects.get(email=OWNER_EMAIL)
        seed(owner)

        def timed_import(label: str) -> None:
            profile = cProfile.Profile() if args.profile else None
            stages = Stages() if args.stages else None
            started = time.perf_counter()
            with source.open("rb") as handle:
                if profile is not None:
                    profile.enable()
                report = exchange.import_file(handle, actor=owner, name=source.name, progress=stages)
                if profile is not None:
                    profile.disable()
            elapsed = time.perf_counter() - started
            if stages is not None:
                print(f"  stages (wall / CPU s): {stages.summary()}")
            if profile is not None:
                pstats.Stats(profile).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(25)
            if report.errors:
                raise SystemExit(f"the import failed: {report.errors[:5]}")
            print(
                f"{label}: {rows:,} rows ({args.products:,} products) in {elapsed:6.1f} s, "
                f"{rows / elapsed:7.0f} rows/s "
                f"(products {dict(report.products)}, variants {dict(report.variants)})"
            )

        events = OutboxEvent.objects.count()
        timed_import("import into an empty catalogue")
        print(
            f"  written: {Product.objects.count():,} products, {Variant.objects.count():,} variants, "
            f"{Price.objects.count():,} prices, {OutboxEvent.objects.count() - events:,} events"
        )
        exported = folder / "export.csv"
        started = time.perf_counter()
        with exported.open("wb") as handle:
            count = exchange.export_file(handle, actor=owner, name=exported.name)
        elapsed = time.perf_counter() - started
        print(f"export: {count:,} rows in {elapsed:6.1f} s, {count / elapsed:7.0f} rows/s")
        timed_import("the same file again (nothing changes)")


if __name__ == "__main__":
    sys.exit(main())
