"""`rustok catalog import|export FILE --tenant SLUG`: the catalogue as CSV (or XLSX) files.

    rustok catalog export catalogue.csv --tenant shop
    rustok catalog import catalogue.csv --tenant shop --dry-run      # what would change
    rustok catalog import catalogue.csv --tenant shop --as manager@shop.example

Import checks every row first and writes nothing while one is wrong; it prints the errors (row,
column, reason) and exits with status 1. The actor is the tenant's owner unless --as names an
owner, admin or manager by e-mail; the events and checks are those of the same change in the
admin.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django_tenants.utils import schema_context

from apps.accounts.models import Role, User
from apps.catalog import exchange
from apps.core.services import get_tenant
from rustok.cli import CommandGroup, Output

STAGES = {"parse": "reading rows", "check": "checking products", "write": "writing"}
SHOWN_CHANGES = 50


def _actor(email: str | None, slug: str) -> User:
    if email:
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with the e-mail '{email}' on tenant '{slug}'.")
        return user
    owner = User.objects.filter(role=Role.OWNER, is_active=True).order_by("id").first()
    if owner is None:
        raise CommandError(f"Tenant '{slug}' has no owner: name the importing manager with --as EMAIL.")
    return owner


class _Bars:
    """One progress bar per stage of an import."""

    def __init__(self, out: Output):
        self.out, self.bar, self.stage = out, None, None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage, self.bar = stage, self.out.progress(STAGES.get(stage, stage))
        self.bar(done, total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class CatalogCommands(CommandGroup):
    name = "catalog"
    help = "Import or export a tenant's catalogue (products, variants, prices) as CSV or XLSX."

    def add_actions(self, actions) -> None:
        formats = "CSV, or XLSX by the .xlsx extension"
        imports = actions.add_parser(
            "import", help=f"Import products, variants and prices from a file ({formats}); all or nothing."
        )
        imports.add_argument("file", help="The file to read.")
        imports.add_argument("--tenant", required=True, help="Slug of the tenant.")
        imports.add_argument(
            "--dry-run", action="store_true", help="Check and show what would change; write nothing."
        )
        imports.add_argument(
            "--as",
            dest="as_email",
            help="E-mail of the owner, admin or manager importing (default: the owner).",
        )
        exports = actions.add_parser(
            "export", help=f"Export every product and variant to a file ({formats})."
        )
        exports.add_argument("file", help="The file to write.")
        exports.add_argument("--tenant", required=True, help="Slug of the tenant.")

    def run(self, out: Output, action: str, **options) -> None:
        {"import": self.import_file, "export": self.export_file}[action](out, **options)

    def import_file(self, out: Output, file, tenant, dry_run=False, as_email=None, **_options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file}.")
        with schema_context(get_tenant(tenant).schema_name):
            actor = _actor(as_email, tenant)
            bars = _Bars(out)
            with path.open("rb") as handle:
                report = exchange.import_file(
                    handle, actor=actor, name=path.name, dry_run=dry_run, progress=bars
                )
            bars.close()
        out.line(f"{report.rows} row(s) read from {path.name}")
        if report.errors:
            out.table(
                ["ROW", "COLUMN", "REASON"], [[e.row, e.column or "-", e.reason] for e in report.errors]
            )
            raise CommandError(f"{len(report.errors)} error(s) in {path.name}; nothing was imported.")
        kinds = ("created", "updated", "unchanged")
        out.table(
            ["", *(k.upper() for k in kinds)],
            [
                ["products", *(report.products[k] for k in kinds)],
                ["variants", *(report.variants[k] for k in kinds)],
            ],
        )
        for name, count in report.provided.items():
            out.line(f"{name}: {count} row(s) changed")
        if dry_run:
            changed = [c for c in report.changes if c.action != "unchanged"]
            if changed:
                out.table(
                    ["ROW", "PRODUCT", "SKU", "CHANGE", "COLUMNS"],
                    [
                        [c.row, c.product, c.sku or "-", c.action, ", ".join(c.columns)]
                        for c in changed[:SHOWN_CHANGES]
                    ],
                )
                if len(changed) > SHOWN_CHANGES:
                    out.line(f"... and {len(changed) - SHOWN_CHANGES} more row(s)")
            out.line(out.style.WARNING("Dry run: nothing was written."))
        else:
            out.line(out.style.SUCCESS(f"Imported {path.name} into {tenant}."))

    def export_file(self, out: Output, file, tenant, **_options) -> None:
        path = Path(file)
        try:
            exchange.files.kind_of(path.name)
        except exchange.FileFormatError as exc:
            raise CommandError(str(exc)) from None
        with schema_context(get_tenant(tenant).schema_name):
            actor = _actor(None, tenant)
            bar = out.progress("exporting products")
            with path.open("wb") as handle:
                count = exchange.export_file(handle, actor=actor, name=path.name, progress=bar)
            bar.close()
        out.line(out.style.SUCCESS(f"{count} row(s) written to {path}."))


group = CatalogCommands()
