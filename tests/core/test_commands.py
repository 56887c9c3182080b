"""The operators' command line: `manage.py rustok ...`."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from apps.accounts.models import User
from apps.core.models import Domain, Tenant
from tests.testapps.notes.models import Note

ROOT = Path(__file__).resolve().parents[2]


def rustok(*args) -> str:
    out = io.StringIO()
    call_command("rustok", *args, stdout=out)
    return out.getvalue()


def test_tenant_create_makes_schema_domain_admin_and_shows_progress(db):
    out = rustok(
        "tenant",
        "create",
        "gamma",
        "--name",
        "Gamma",
        "--domain",
        "Gamma.Test",
        "--admin-email",
        "Owner@Gamma.test",
        "--admin-password",
        "s3cret-pass",
    )
    assert "creating schema gamma from template" in out
    assert "schema ready in" in out
    assert "Tenant gamma is served at http://gamma.test/" in out
    tenant = Tenant.objects.get(schema_name="gamma")
    assert schema_exists("gamma")
    assert Domain.objects.get(tenant=tenant).domain == "gamma.test"
    with schema_context("gamma"):
        owner = User.objects.get(email__iexact="owner@gamma.test")
        assert owner.role == "owner" and owner.check_password("s3cret-pass")
        assert not owner.is_superuser  # a site's owner is not a platform operator


def test_tenant_create_with_a_bad_slug_names_the_rule(db):
    with pytest.raises(CommandError, match=r"slug: .*reserved"):
        rustok("tenant", "create", "admin", "--name", "X", "--domain", "x.test")


def test_tenant_list_shows_tenants_as_table_and_json(db):
    table = rustok("tenant", "list")
    assert table.splitlines()[0].split() == ["SLUG", "NAME", "STATUS", "LANG", "CUR", "DOMAINS"]
    assert any(line.split()[:3] == ["alpha", "Alpha", "active"] for line in table.splitlines())
    rows = json.loads(rustok("tenant", "list", "--json"))
    assert {
        "slug": "beta",
        "name": "Beta",
        "status": "active",
        "language": "ru",
        "currency": "USD",
        "domains": ["beta.test"],
    } in rows
    assert "public" not in [row["slug"] for row in rows]


def test_tenant_suspend_and_resume(tenant_a):
    assert "suspended" in rustok("tenant", "suspend", "alpha")
    tenant_a.refresh_from_db()
    assert tenant_a.status == "suspended"
    rustok("tenant", "resume", "alpha")
    tenant_a.refresh_from_db()
    assert tenant_a.status == "active"


def test_unknown_tenant_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No tenant with the slug 'nobody'"):
        rustok("tenant", "suspend", "nobody")


def test_tenant_delete_without_yes_refuses_when_it_cannot_ask(tenant_a, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="pass --yes"):
        rustok("tenant", "delete", "alpha")
    assert schema_exists("alpha")


def test_tenant_delete_asks_and_stops_unless_the_slug_is_typed(tenant_a, monkeypatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Not confirmed"):
        rustok("tenant", "delete", "alpha")
    monkeypatch.setattr("builtins.input", lambda prompt: "alpha")
    rustok("tenant", "delete", "alpha")
    assert not Tenant.objects.filter(schema_name="alpha").exists()
    assert not schema_exists("alpha")


def test_tenant_delete_with_yes_drops_the_schema(tenant_b):
    assert "deleted" in rustok("tenant", "delete", "beta", "--yes")
    assert not schema_exists("beta")
    assert not Domain.objects.filter(domain="beta.test").exists()


def test_module_list_shows_states_for_a_tenant(tenant_a):
    lines = rustok("module", "list", "--tenant", "alpha").splitlines()
    assert lines[0].split() == ["MODULE", "NAME", "VERSION", "KIND", "DEPENDS", "ON", "STATE"]
    states = {line.split()[0]: line.split()[-1] for line in lines[1:]}
    assert states == {
        "core": "on",
        "accounts": "on",
        "events": "on",
        "index": "on",
        "site": "on",
        "content": "on",
        "blog": "on",
        "catalog": "on",
        "inventory": "on",
        "payments": "on",
        "orders": "on",
        "notes": "on",
        "digest": "off",
    }


def test_module_enable_and_disable(tenant_a):
    assert "Module digest enabled for alpha." in rustok("module", "enable", "digest", "--tenant", "alpha")
    assert "already enabled" in rustok("module", "enable", "digest", "--tenant", "alpha")
    with pytest.raises(CommandError, match="'notes' is needed by digest"):
        rustok("module", "disable", "notes", "--tenant", "alpha")
    rustok("module", "disable", "digest", "--tenant", "alpha")
    assert "Module notes disabled for alpha." in rustok("module", "disable", "notes", "--tenant", "alpha")


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["tenant"],
        ["tenant", "create"],
        ["tenant", "delete"],
        ["module"],
        ["module", "enable"],
        ["demo"],
        ["migrate"],
    ],
)
def test_help_is_available_at_every_level(args, capsys):
    from apps.core.management.commands.rustok import Command

    with pytest.raises(SystemExit) as exited:
        Command().create_parser("manage.py", "rustok").parse_args([*args, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: manage.py rustok")
    assert "--help" in out


def test_demo_is_idempotent(db):
    first = rustok("demo")
    assert "Creating the demo tenant at demo.localhost" in first
    assert "admin@demo.localhost" in first
    second = rustok("demo")
    assert "exists" in second
    assert Tenant.objects.filter(schema_name="demo").count() == 1
    with schema_context("demo"):
        assert User.objects.filter(email="admin@demo.localhost").count() == 1
        # each enabled module's demo.py seeded its sample data, once
        assert list(Note.objects.values_list("text", flat=True)) == ["Welcome to RusToK Demo"]
        roles = dict(User.objects.values_list("email", "role"))
        from apps.content.models import Node

        pages = dict(Node.objects.filter(kind="page", status="published").values_list("title_en", "title_ru"))
        posts = dict(Node.objects.filter(kind="post").values_list("title_en", "status"))
        scheduled = Node.objects.filter(kind="post", publish_at__isnull=False).count()
    assert pages["About us"] == "О нас" and len(pages) == 4
    assert posts["How to brew green tea"] == "published" and posts["Oolong, explained"] == "in_review"
    assert len(posts) == 4 and scheduled == 1
    assert roles["admin@demo.localhost"] == "owner"
    assert roles["editor@demo.localhost"] == "editor" and roles["customer@demo.localhost"] == "customer"
    assert len(roles) == 5
    assert "sample data of notes" in second
    with schema_context("demo"):
        from apps.site.models import SiteSettings

        settings = SiteSettings.objects.get()
        home = Node.objects.get(kind="page", title_en="Welcome")
        menu = set(Node.objects.filter(show_in_menus=True).values_list("title_en", flat=True))
    assert settings.home_page == home.pk and settings.tagline_en and settings.accent_color != "#0b5cad"
    assert menu == {"About us", "Our team", "Contact"}


@pytest.mark.django_db(transaction=False)
def test_migrate_runs_public_template_and_every_tenant_in_parallel(django_db_blocker):
    """Run as an operator would, in its own process against the test database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rustok.settings.test",
        "DATABASE_URL": _database_url(),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "rustok", "migrate", "--processes", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "[1/3] public schema" in result.stdout
    assert "[2/3] template schema" in result.stdout
    assert "[3/3] 2 tenant schema(s)" in result.stdout
    assert "migrated in" in result.stdout


def _database_url() -> str:
    """The test database as a URL, password and unix-socket host included."""
    from urllib.parse import quote

    params = connection.settings_dict
    auth = quote(params["USER"] or "", safe="") + (
        ":" + quote(params["PASSWORD"], safe="") if params.get("PASSWORD") else ""
    )
    host = params.get("HOST") or ""
    if host.startswith("/"):
        return f"postgres://{auth}@/{params['NAME']}?host={quote(host, safe='')}"
    port = f":{params['PORT']}" if params.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{params['NAME']}"
