"""`rustok user create|list|set-role|deactivate|unlock --tenant SLUG`: a tenant's users.

Every change goes through the account services, as the platform operator: the audit log and
the events are those of the same change made in the admin or the API.
"""

from __future__ import annotations

import json

from django.core.management.base import CommandError
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import Role, User
from apps.core.services import get_tenant
from rustok.cli import CommandGroup, Output
from rustok.errors import DomainError

OPERATOR = "operator (command line)"  # the audit log's "who" for user commands


def operator() -> User:
    """The actor of user commands: the platform, allowed everything; never saved.

    The audit log keeps it by its e-mail only (`record` stores no actor for an unsaved user).
    """
    return User(email=OPERATOR, role=Role.OWNER, is_superuser=True, is_active=True)


def _user(email: str, slug: str) -> User:
    user = User.objects.filter(email__iexact=(email or "").strip()).first()
    if user is None:
        raise CommandError(f"No user with the e-mail '{email}' on tenant '{slug}'.")
    return user


class UserCommands(CommandGroup):
    name = "user"
    help = "Create, list, re-role, deactivate or unlock a tenant's users."

    def add_actions(self, actions) -> None:
        roles = ", ".join(Role.values)
        create = actions.add_parser("create", help="Create a user of a tenant.")
        create.add_argument("email")
        create.add_argument("--tenant", required=True, help="Slug of the tenant.")
        create.add_argument(
            "--role", default=Role.CUSTOMER, help=f"One of: {roles} (default {Role.CUSTOMER})."
        )
        create.add_argument("--name", default="", help="Display name.")
        create.add_argument("--password", help="Password; without it the user cannot sign in until reset.")
        listing = actions.add_parser("list", help="List a tenant's users with their role and state.")
        listing.add_argument("--tenant", required=True, help="Slug of the tenant.")
        listing.add_argument("--role", choices=Role.values, help="Only users with this role.")
        listing.add_argument(
            "--json", action="store_true", dest="as_json", help="Print JSON instead of a table."
        )
        set_role = actions.add_parser("set-role", help="Give a user another role.")
        set_role.add_argument("email")
        set_role.add_argument("role", help=f"One of: {roles}.")
        set_role.add_argument("--tenant", required=True, help="Slug of the tenant.")
        deactivate = actions.add_parser(
            "deactivate", help="Stop a user from signing in; their sessions and API tokens end."
        )
        deactivate.add_argument("email")
        deactivate.add_argument("--tenant", required=True, help="Slug of the tenant.")
        unlock = actions.add_parser(
            "unlock",
            help="End sign-in lockouts: of an e-mail address (from every client address), of a "
            "client address (--address, for every e-mail), or of that pair given both.",
        )
        unlock.add_argument("email", nargs="?", default="", help="The e-mail address whose lockouts end.")
        unlock.add_argument("--address", default="", help="A client IP address whose lockouts end.")
        unlock.add_argument("--tenant", required=True, help="Slug of the tenant.")

    def create(self, out: Output, email, tenant, role, name="", password=None, **_options) -> None:
        with schema_context(get_tenant(tenant).schema_name):
            user = services.invite_user(
                actor=operator(), email=email, role=role, display_name=name, password=password
            )
        out.line(out.style.SUCCESS(f"User {user.email} created on {tenant} as {user.role}."))
        if not password:
            out.line(
                "No password given: the user has an unusable password and cannot sign in yet. "
                "An invitation link needs the site's host, so none was sent; they can ask for a "
                "password reset on the site, or be invited from the site's admin."
            )

    def list(self, out: Output, tenant, role=None, as_json=False, **_options) -> None:
        with schema_context(get_tenant(tenant).schema_name):
            users = User.objects.order_by("email")
            if role:
                users = users.filter(role=role)
            rows = [
                {
                    "email": u.email,
                    "name": u.display_name,
                    "role": u.role,
                    "active": u.is_active,
                    "joined": u.date_joined.isoformat(timespec="seconds"),
                }
                for u in users
            ]
        if as_json:
            out.line(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            out.line(f"No users on {tenant}" + (f" with the role {role}." if role else "."))
            return
        out.table(
            ["EMAIL", "NAME", "ROLE", "ACTIVE", "JOINED"],
            [
                [r["email"], r["name"] or "-", r["role"], "yes" if r["active"] else "no", r["joined"][:10]]
                for r in rows
            ],
        )

    def set_role(self, out: Output, email, role, tenant, **_options) -> None:
        with schema_context(get_tenant(tenant).schema_name):
            user = _user(email, tenant)
            previous = user.role
            user = services.set_role(actor=operator(), target=user, role=role)
        if user.role == previous:
            out.line(out.style.SUCCESS(f"{user.email} already has the role {role} on {tenant}."))
        else:
            out.line(out.style.SUCCESS(f"{user.email} is now {user.role} on {tenant} (was {previous})."))

    def deactivate(self, out: Output, email, tenant, **_options) -> None:
        with schema_context(get_tenant(tenant).schema_name):
            user = _user(email, tenant)
            was_active = user.is_active
            user = services.deactivate_user(actor=operator(), target=user)
        if was_active:
            out.line(
                out.style.SUCCESS(
                    f"{user.email} deactivated on {tenant}: their sign-ins and API tokens stopped working."
                )
            )
        else:
            out.line(out.style.SUCCESS(f"{user.email} was already deactivated on {tenant}."))

    def unlock(self, out: Output, email, address, tenant, **_options) -> None:
        if not (email or address):
            raise CommandError("Name the EMAIL or --address ADDR (or both) whose lockouts end.")
        try:
            with schema_context(get_tenant(tenant).schema_name):
                cleared = services.clear_lockout(actor=operator(), email=email, address=address)
        except DomainError as exc:
            if "address" in exc.errors:
                raise CommandError(f"--address: {' '.join(exc.errors['address'])}") from None
            raise
        whose = " from ".join(part for part in (email.strip().lower(), address.strip()) if part)
        out.line(
            out.style.SUCCESS(
                f"Sign-in lockouts of {whose} on {tenant} cleared ({cleared} record(s) of failures)."
            )
        )


group = UserCommands()
