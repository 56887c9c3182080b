"""Every way a user comes to be (tenant creation, the demo, the command line) goes through the
account services: each new user has its audit entry and its `accounts.user.created` event."""

import io

from django.core.management import call_command
from django_tenants.utils import schema_context

from apps.accounts.models import AuditEntry, User
from apps.core import services as core
from apps.events.models import OutboxEvent


def rustok(*args) -> str:
    out = io.StringIO()
    call_command("rustok", *args, stdout=out)
    return out.getvalue()


def created(email: str) -> tuple[list[str], list[dict]]:
    """(the audit entries' actors, the events' payloads) announcing the user `email`, in the
    current schema."""
    user = User.objects.get(email__iexact=email)
    entries = AuditEntry.objects.filter(action="user_created", target_type="user", target_id=str(user.pk))
    events = OutboxEvent.objects.filter(type="accounts.user.created", payload__user_id=user.pk)
    return list(entries.values_list("actor_email", flat=True)), list(events.values_list("payload", flat=True))


def test_the_owner_made_with_a_tenant_is_audited_and_announced(db):
    core.create_tenant(
        slug="gamma",
        name="Gamma",
        domain="gamma.test",
        admin_email="Owner@Gamma.test",
        admin_password="s3cret-pass-word",
        invited_by="ops@platform.test",
    )
    with schema_context("gamma"):
        actors, events = created("owner@gamma.test")
    assert actors == ["ops@platform.test"]
    assert [(e["email"], e["role"], e["invited_by"]) for e in events] == [
        ("Owner@gamma.test", "owner", "ops@platform.test")
    ]


def test_the_tenant_command_makes_its_owner_through_the_services(db):
    rustok(
        "tenant", "create", "delta", "--name", "Delta", "--domain", "delta.test",
        "--admin-email", "owner@delta.test", "--admin-password", "s3cret-pass-word",
    )  # fmt: skip
    with schema_context("delta"):
        actors, events = created("owner@delta.test")
    assert len(actors) == 1 and [e["role"] for e in events] == ["owner"]


def test_a_user_made_on_the_command_line_is_audited_and_announced(tenant_a):
    rustok("user", "create", "writer@alpha.test", "--tenant", "alpha", "--role", "editor")
    with schema_context("alpha"):
        actors, events = created("writer@alpha.test")
    assert actors == ["operator (command line)"]
    assert [(e["email"], e["role"]) for e in events] == [("writer@alpha.test", "editor")]


def test_every_user_of_the_demo_is_audited_and_announced(db):
    rustok("demo")
    rustok("demo")  # idempotent: nobody is created, audited or announced twice
    with schema_context("demo"):
        users = list(User.objects.order_by("email").values_list("email", "role"))
        for email, role in users:
            actors, events = created(email)
            assert len(actors) == 1, email
            assert [e["role"] for e in events] == [role], email
    assert {role for _email, role in users} == {"owner", "editor", "manager", "moderator", "customer"}
    # The platform operator, in the public schema, as well.
    operator = User.objects.get(email="admin@localhost")
    assert operator.is_superuser and operator.check_password("rustok-demo")
    actors, events = created("admin@localhost")
    assert actors == ["rustok demo"] and [e["role"] for e in events] == ["owner"]


def test_the_demo_users_sign_in_with_the_documented_password(db):
    rustok("demo")
    with schema_context("demo"):
        for user in User.objects.all():
            assert user.check_password("rustok-demo"), user.email
