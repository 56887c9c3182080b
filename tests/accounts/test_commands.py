"""`manage.py rustok user ...`: operators manage a tenant's users through the account services."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tenants.utils import schema_context

from apps.accounts.models import AuditEntry, Role, User
from tests.accounts.factories import EditorFactory, OwnerFactory


def rustok(*args) -> str:
    out = io.StringIO()
    call_command("rustok", *args, stdout=out)
    return out.getvalue()


def test_create_then_list_shows_the_user_and_role(tenant_a):
    out = rustok(
        "user", "create", "Writer@Alpha.test", "--tenant", "alpha", "--role", "editor", "--name", "Wri Ter"
    )
    assert "created on alpha as editor" in out
    assert "unusable password" in out and "host" in out
    with schema_context("alpha"):
        user = User.objects.get(email__iexact="writer@alpha.test")
        assert user.role == Role.EDITOR and not user.has_usable_password()
        entry = AuditEntry.objects.get(action="user_created")
        assert entry.actor is None and entry.actor_email == "operator (command line)"
    with schema_context("beta"):
        assert not User.objects.filter(email__iexact="writer@alpha.test").exists()

    lines = rustok("user", "list", "--tenant", "alpha").splitlines()
    assert lines[0].split() == ["EMAIL", "NAME", "ROLE", "ACTIVE", "JOINED"]
    row = next(line for line in lines if line.startswith("Writer@alpha.test"))
    assert row.split()[:5] == ["Writer@alpha.test", "Wri", "Ter", "editor", "yes"]

    rows = json.loads(rustok("user", "list", "--tenant", "alpha", "--role", "editor", "--json"))
    assert [(r["email"], r["name"], r["role"], r["active"]) for r in rows] == [
        ("Writer@alpha.test", "Wri Ter", "editor", True)  # as typed, the domain lower-cased
    ]
    assert "No users on alpha with the role owner." in rustok(
        "user", "list", "--tenant", "alpha", "--role", "owner"
    )


def test_create_with_a_password_lets_the_user_sign_in(tenant_a):
    out = rustok("user", "create", "pw@alpha.test", "--tenant", "alpha", "--password", "s3cret-pass-word")
    assert "unusable" not in out
    with schema_context("alpha"):
        user = User.objects.get(email="pw@alpha.test")
        assert user.role == Role.CUSTOMER and user.check_password("s3cret-pass-word")


def test_create_refuses_a_taken_email_and_a_bad_role(tenant_a):
    with schema_context("alpha"):
        EditorFactory(email="taken@alpha.test")
    with pytest.raises(CommandError, match="email: A user with this e-mail address already exists"):
        rustok("user", "create", "TAKEN@alpha.test", "--tenant", "alpha")
    with pytest.raises(CommandError, match="role: Choose one of"):
        rustok("user", "create", "new@alpha.test", "--tenant", "alpha", "--role", "boss")


def test_set_role_changes_the_role_and_writes_the_audit_log(tenant_a):
    with schema_context("alpha"):
        EditorFactory(email="ed@alpha.test")
    out = rustok("user", "set-role", "ED@alpha.test", "admin", "--tenant", "alpha")
    assert "ed@alpha.test is now admin on alpha (was editor)." in out
    with schema_context("alpha"):
        assert User.objects.get(email="ed@alpha.test").role == Role.ADMIN
        entry = AuditEntry.objects.get(action="role_changed")
        assert entry.actor is None
        assert entry.actor_email == "operator (command line)"
        assert entry.target_label == User.objects.get(email="ed@alpha.test").display_name
        assert entry.data == {"previous": "editor", "role": "admin"}
    assert "already has the role admin" in rustok(
        "user", "set-role", "ed@alpha.test", "admin", "--tenant", "alpha"
    )


def test_set_role_keeps_the_last_owner(tenant_a):
    with schema_context("alpha"):
        OwnerFactory(email="boss@alpha.test")
    with pytest.raises(CommandError, match="The site must keep at least one owner"):
        rustok("user", "set-role", "boss@alpha.test", "editor", "--tenant", "alpha")
    with schema_context("alpha"):
        assert User.objects.get(email="boss@alpha.test").role == Role.OWNER
        assert not AuditEntry.objects.filter(action="role_changed").exists()


def test_deactivating_the_last_owner_is_refused(tenant_a):
    with schema_context("alpha"):
        OwnerFactory(email="boss@alpha.test")
    with pytest.raises(CommandError, match="The site must keep at least one owner"):
        rustok("user", "deactivate", "boss@alpha.test", "--tenant", "alpha")
    with schema_context("alpha"):
        assert User.objects.get(email="boss@alpha.test").is_active


def test_deactivate_stops_a_user_and_is_audited(tenant_a):
    with schema_context("alpha"):
        OwnerFactory(email="boss@alpha.test")
        OwnerFactory(email="second@alpha.test")
    out = rustok("user", "deactivate", "second@alpha.test", "--tenant", "alpha")
    assert "second@alpha.test deactivated on alpha" in out
    assert "already deactivated" in rustok("user", "deactivate", "second@alpha.test", "--tenant", "alpha")
    with schema_context("alpha"):
        assert not User.objects.get(email="second@alpha.test").is_active
        entry = AuditEntry.objects.get(action="user_deactivated")
        assert entry.actor is None and entry.actor_email == "operator (command line)"
    assert "no" in rustok("user", "list", "--tenant", "alpha", "--role", "owner").splitlines()[2].split()


@pytest.mark.parametrize(
    "args",
    [
        ["create", "x@nowhere.test"],
        ["list"],
        ["set-role", "x@nowhere.test", "editor"],
        ["deactivate", "x@nowhere.test"],
    ],
)
def test_unknown_tenant_is_refused(db, args):
    with pytest.raises(CommandError, match="No tenant with the slug 'nowhere'"):
        rustok("user", *args, "--tenant", "nowhere")


@pytest.mark.parametrize(
    "action", [["set-role", "ghost@alpha.test", "editor"], ["deactivate", "ghost@alpha.test"]]
)
def test_unknown_email_is_refused(tenant_a, action):
    with pytest.raises(
        CommandError, match=re.escape("No user with the e-mail 'ghost@alpha.test' on tenant 'alpha'")
    ):
        rustok("user", *action, "--tenant", "alpha")


def test_the_same_email_on_another_tenant_is_unknown(tenant_a, tenant_b):
    with schema_context("beta"):
        EditorFactory(email="only-beta@beta.test")
    with pytest.raises(
        CommandError, match=re.escape("No user with the e-mail 'only-beta@beta.test' on tenant 'alpha'")
    ):
        rustok("user", "set-role", "only-beta@beta.test", "admin", "--tenant", "alpha")


@pytest.mark.parametrize("args", [["user"], ["user", "create"], ["user", "list"], ["user", "set-role"]])
def test_help_is_available(args, capsys):
    from apps.core.management.commands.rustok import Command

    with pytest.raises(SystemExit) as exited:
        Command().create_parser("manage.py", "rustok").parse_args([*args, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: manage.py rustok user")
