"""`python manage.py rustok ...`: the operators' command line.

    rustok migrate                       shared schema, template schema, then every tenant
    rustok tenant create|list|suspend|resume|delete ...
    rustok module list|enable|disable ...
    rustok demo                          the demo tenant (idempotent)
    rustok user|events|index ...         groups added by modules (their cli.py)

Every subcommand has --help. Commands call apps.core.services (the modules' groups call their own
services); errors are printed with the field or rule that was broken, and the exit status is 1.
The demo's sample data, its users included, comes from the modules' demo.py.
"""

from __future__ import annotations

import json
import os
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django_tenants.utils import schema_context

from apps.core import selectors, services
from apps.core.models import Tenant
from rustok.cli import Output
from rustok.errors import DomainError
from rustok.modules import registry

DEMO_SLUG = "demo"
DEMO_HOST = "demo.localhost"
DEMO_ADMIN = "admin@demo.localhost"
PLATFORM_ADMIN = "admin@localhost"


class Command(BaseCommand):
    help = "Operate the RusToK platform: tenants, modules, users, migrations and the demo site."

    def add_arguments(self, parser):
        # Groups that modules add from their cli.py (events, index, ...).
        self.module_groups = {
            group.name: group
            for module in registry
            if (cli := module.submodule("cli")) is not None
            for group in [cli.group]
        }
        names = ["migrate", "tenant", "module", "demo", *self.module_groups]
        groups = parser.add_subparsers(dest="group", metavar="{" + ",".join(names) + "}", required=True)

        migrate = groups.add_parser(
            "migrate", help="Migrate the public schema, the template schema and every tenant (in parallel)."
        )
        migrate.add_argument(
            "--processes",
            type=int,
            default=None,
            help="Tenant migrations run at once (default MIGRATE_PROCESSES or 2).",
        )

        tenant = groups.add_parser("tenant", help="Create, list, suspend, resume or delete tenants.")
        tenant_actions = tenant.add_subparsers(
            dest="action", metavar="{create,list,suspend,resume,delete}", required=True
        )
        create = tenant_actions.add_parser(
            "create", help="Create a tenant: schema, domain, modules, first admin."
        )
        create.add_argument(
            "slug", help="Lower-case letters, digits, underscores; starts with a letter; 3-63 chars."
        )
        create.add_argument("--name", required=True, help="Display name.")
        create.add_argument("--domain", required=True, help="Host name the tenant is served at.")
        create.add_argument("--language", default="en", help="Default language (en or ru).")
        create.add_argument("--currency", default="USD", help="Default currency, ISO 4217.")
        create.add_argument("--admin-email", help="E-mail of the tenant's first admin.")
        create.add_argument("--admin-password", help="Password of the tenant's first admin.")
        listing = tenant_actions.add_parser("list", help="List tenants with their status and hosts.")
        listing.add_argument(
            "--json", action="store_true", dest="as_json", help="Print JSON instead of a table."
        )
        for action, text in [
            ("suspend", "Stop serving a tenant (503); data is kept."),
            ("resume", "Serve a tenant again."),
        ]:
            tenant_actions.add_parser(action, help=text).add_argument("slug")
        delete = tenant_actions.add_parser("delete", help="Delete a tenant and its schema with all its data.")
        delete.add_argument("slug")
        delete.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

        module = groups.add_parser("module", help="List modules or switch them per tenant.")
        module_actions = module.add_subparsers(dest="action", metavar="{list,enable,disable}", required=True)
        mlist = module_actions.add_parser(
            "list", help="List installed modules (and their state for a tenant)."
        )
        mlist.add_argument("--tenant", help="Show whether each module is on for this tenant.")
        for action in ("enable", "disable"):
            switch = module_actions.add_parser(action, help=f"{action.title()} a module for a tenant.")
            switch.add_argument("module")
            switch.add_argument("--tenant", required=True)

        groups.add_parser("demo", help="Create or refresh the demo tenant at demo.localhost (idempotent).")

        for group in self.module_groups.values():
            actions = groups.add_parser(group.name, help=group.help).add_subparsers(
                dest="action", required=True
            )
            group.add_actions(actions)

    def handle(self, *args, **options):
        group = self.module_groups.get(options["group"])
        if group is not None:
            options = {k: v for k, v in options.items() if k != "group"}

            def handler(**opts):
                group.run(Output(self), **opts)

        else:
            handler = getattr(self, f"_{options['group']}_{options.get('action') or 'run'}".replace("-", "_"))
        try:
            handler(**options)
        except DomainError as exc:
            if exc.errors:
                lines = [f"{field}: {' '.join(messages)}" for field, messages in exc.errors.items()]
                raise CommandError(f"{exc.title}: " + "; ".join(lines)) from None
            raise CommandError(exc.detail) from None

    # --- progress ----------------------------------------------------------------------------------
    def _step(self, message: str) -> None:
        self.stdout.write(f"  · {message}")
        self.stdout.flush()

    # --- migrate -----------------------------------------------------------------------------------
    def _migrate_run(self, processes=None, verbosity=1, **_options):
        started = time.monotonic()
        self.stdout.write("[1/3] public schema")
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=max(verbosity - 1, 0))
        services.ensure_public_tenant()
        self.stdout.write("[2/3] template schema")
        services.ensure_template_schema(progress=self._step)
        count = Tenant.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME).count()
        self.stdout.write(f"[3/3] {count} tenant schema(s)")
        if count:
            if processes:
                settings.TENANT_MULTIPROCESSING_MAX_PROCESSES = processes
            call_command(
                "migrate_schemas",
                tenant=True,
                executor="multiprocessing" if count > 1 else "standard",
                interactive=False,
                verbosity=verbosity,
            )
        self.stdout.write(self.style.SUCCESS(f"migrated in {time.monotonic() - started:.1f}s"))

    # --- tenants -----------------------------------------------------------------------------------
    def _tenant_create(self, slug, name, domain, language, currency, admin_email, admin_password, **_options):
        self.stdout.write(f"Creating tenant {slug}")
        tenant = services.create_tenant(
            slug=slug,
            name=name,
            domain=domain,
            default_language=language,
            default_currency=currency,
            admin_email=admin_email,
            admin_password=admin_password,
            progress=self._step,
        )
        host = tenant.get_primary_domain()
        self.stdout.write(self.style.SUCCESS(f"Tenant {tenant.schema_name} is served at http://{host}/"))

    def _tenant_list(self, as_json=False, **_options):
        tenants = Tenant.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME).prefetch_related("domains")
        rows = [
            {
                "slug": t.schema_name,
                "name": t.name,
                "status": t.status,
                "language": t.default_language,
                "currency": t.default_currency,
                "domains": [d.domain for d in t.domains.all()],
            }
            for t in tenants
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write(
                "No tenants. Create one with: manage.py rustok tenant create SLUG --name N --domain H"
            )
            return
        self._table(
            ["SLUG", "NAME", "STATUS", "LANG", "CUR", "DOMAINS"],
            [
                [r["slug"], r["name"], r["status"], r["language"], r["currency"], ", ".join(r["domains"])]
                for r in rows
            ],
        )

    def _tenant_suspend(self, slug, **_options):
        services.suspend_tenant(tenant=services.get_tenant(slug))
        self.stdout.write(
            self.style.SUCCESS(
                f"Tenant {slug} suspended: its hosts answer 503 (running web servers within "
                f"{settings.TENANT_ROUTING_CACHE_SECONDS:g} s), its data is kept."
            )
        )

    def _tenant_resume(self, slug, **_options):
        services.resume_tenant(tenant=services.get_tenant(slug))
        self.stdout.write(self.style.SUCCESS(f"Tenant {slug} resumed."))

    def _tenant_delete(self, slug, yes=False, **_options):
        tenant = services.get_tenant(slug)
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError(f"Refusing to delete {slug} without confirmation: pass --yes.")
            answer = input(f"Delete tenant {slug} and ALL its data? Type the slug to confirm: ")
            if answer.strip() != slug:
                raise CommandError("Not confirmed; nothing was deleted.")
        services.delete_tenant(tenant=tenant)
        self.stdout.write(self.style.SUCCESS(f"Tenant {slug} deleted with its schema."))

    # --- modules -----------------------------------------------------------------------------------
    def _module_list(self, tenant=None, **_options):
        states = selectors.module_states(services.get_tenant(tenant)) if tenant else None
        rows = []
        for module in registry:
            row = [
                module.slug,
                module.name,
                module.version,
                "core" if module.core else "",
                ", ".join(module.depends_on) or "-",
            ]
            if states is not None:
                row.append("on" if states[module.slug] else "off")
            rows.append(row)
        header = ["MODULE", "NAME", "VERSION", "KIND", "DEPENDS ON"] + (
            ["STATE"] if states is not None else []
        )
        self._table(header, rows)

    def _module_enable(self, module, tenant, **_options):
        self._switch(module, tenant, True)

    def _module_disable(self, module, tenant, **_options):
        self._switch(module, tenant, False)

    def _switch(self, module, slug, enabled):
        changed = services.set_module_enabled(
            tenant=services.get_tenant(slug), module=module, enabled=enabled
        )
        state = "enabled" if enabled else "disabled"
        message = (
            f"Module {module} {state} for {slug}."
            if changed
            else f"Module {module} was already {state} for {slug}."
        )
        self.stdout.write(self.style.SUCCESS(message))

    # --- demo --------------------------------------------------------------------------------------
    def _demo_run(self, **_options):
        password = os.environ.get("RUSTOK_DEMO_PASSWORD", "rustok-demo")
        port = os.environ.get("PORT", "8000")
        services.ensure_public_tenant()
        tenant = Tenant.objects.filter(schema_name=DEMO_SLUG).first()
        if tenant is None:
            self.stdout.write(f"Creating the demo tenant at {DEMO_HOST}")
            tenant = services.create_tenant(
                slug=DEMO_SLUG,
                name="RusToK Demo",
                domain=DEMO_HOST,
                admin_email=DEMO_ADMIN,
                admin_password=password,
                progress=self._step,
            )
        else:
            self.stdout.write(f"The demo tenant exists at {DEMO_HOST}; refreshing its sample data")
        with schema_context(tenant.schema_name):
            enabled = selectors.enabled_modules(tenant)
            demos = [(m.slug, m.submodule("demo")) for m in registry if m.slug in enabled]
            demos = [(slug, demo) for slug, demo in demos if demo is not None]
            for _slug, demo in demos:  # what every module's sample needs (the site's owner)
                if hasattr(demo, "start"):
                    demo.start(tenant)
            for slug, demo in demos:
                self._step(f"sample data of {slug}")
                demo.seed(tenant)
            for _slug, demo in demos:  # what needs every module's sample (the site's home page)
                if hasattr(demo, "finish"):
                    demo.finish(tenant)
        connection.set_schema_to_public()
        for module in registry:  # the platform's own sample (its operator), in the public schema
            demo = module.submodule("demo")
            if demo is not None and hasattr(demo, "seed_platform"):
                demo.seed_platform()
        self.stdout.write(self.style.SUCCESS("Demo ready:"))
        self.stdout.write(f"  site admin      http://{DEMO_HOST}:{port}/admin/   {DEMO_ADMIN} / {password}")
        self.stdout.write(
            f"  other roles     editor@, manager@, moderator@, customer@{DEMO_HOST} / {password}"
            f"   (sign in: POST http://{DEMO_HOST}:{port}/api/auth/login/)"
        )
        self.stdout.write(f"  API docs        http://{DEMO_HOST}:{port}/api/docs/")
        self.stdout.write(f"  GraphQL         http://{DEMO_HOST}:{port}/api/graphql/")
        self.stdout.write(f"  platform admin  http://localhost:{port}/admin/   {PLATFORM_ADMIN} / {password}")

    # --- output ------------------------------------------------------------------------------------
    def _table(self, header: list[str], rows: list[list[str]]) -> None:
        widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
        for row in [header, *rows]:
            self.stdout.write(
                "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)).rstrip()
            )
