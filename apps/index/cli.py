"""`rustok index rebuild|status`: the operator's view of the read models."""

from __future__ import annotations

import os

from django.core.management import CommandError
from django.db.models import Count
from django_tenants.utils import schema_context

from apps.events.selectors import schemas_for
from apps.index import projections
from apps.index.models import Document
from rustok.cli import CommandGroup, Output


class IndexCommands(CommandGroup):
    name = "index"
    help = "Rebuild the search documents from the data, or count them."

    def add_actions(self, actions) -> None:
        rebuild = actions.add_parser(
            "rebuild", help="Recompute documents from the write side, with progress."
        )
        rebuild.add_argument("--tenant", help="Only this tenant (slug); default every tenant.")
        rebuild.add_argument("--projection", help="Only this projection (see `rustok index status`).")
        rebuild.add_argument(
            "--workers",
            type=int,
            default=min(4, os.cpu_count() or 1),
            help="Processes sharing the work (default: one per core, at most 4; 1 to spare the machine).",
        )
        status = actions.add_parser("status", help="Documents per projection and language.")
        status.add_argument("--tenant", help="Only this tenant (slug).")

    def rebuild(self, out: Output, tenant=None, projection=None, workers=1, **_options) -> None:
        if workers < 1:
            raise CommandError(f"--workers: give 1 or more processes, not {workers}.")
        chosen = [projections.get(projection)] if projection else list(projections.all_projections().values())
        for schema_name in schemas_for(tenant, with_public=False):
            with schema_context(schema_name):
                for each in chosen:
                    progress = out.progress(f"{schema_name}: {each.name}")
                    count = projections.rebuild(each, progress=progress, workers=workers)
                    progress.close()
                    out.step(f"{schema_name}: {each.name}: {count} document(s)")

    def status(self, out: Output, tenant=None, **_options) -> None:
        names = {p.document_type: p.name for p in projections.all_projections().values()}
        rows = []
        for schema_name in schemas_for(tenant, with_public=False):
            with schema_context(schema_name):
                counts = (
                    Document.objects.values_list("type", "language").annotate(n=Count("id")).order_by("type")
                )
                rows.extend([schema_name, names.get(t, "?"), t, lang, n] for t, lang, n in counts)
        out.table(["TENANT", "PROJECTION", "TYPE", "LANGUAGE", "DOCUMENTS"], rows)
        out.line(f"projections: {', '.join(sorted(names.values())) or 'none'}")


group = IndexCommands()
