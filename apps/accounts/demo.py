"""Users of the demo: the site's owner, one user per working role, and the platform operator
(idempotent). Seeded by `rustok demo`, through the account services (audit entry and event)."""

import os

from apps.accounts import services
from apps.accounts.models import Role, User

DEMO_ROLES = (Role.EDITOR, Role.MANAGER, Role.MODERATOR, Role.CUSTOMER)
PLATFORM_OPERATOR = "admin@localhost"
CREATED_BY = "rustok demo"  # the audit log's "who" of the demo's users


def _password() -> str:
    return os.environ.get("RUSTOK_DEMO_PASSWORD", "rustok-demo")


def demo_email(tenant, role: str) -> str:
    host = tenant.get_primary_domain().domain if tenant.get_primary_domain() else "demo.localhost"
    return f"{role}@{host}"


def _exists(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def start(tenant) -> None:
    """The site's owner (admin@<host>), whom the other modules' samples are written by."""
    email = demo_email(tenant, "admin")
    if not _exists(email):
        services.create_first_owner(email=email, password=_password(), invited_by=CREATED_BY)


def seed(tenant) -> None:
    """One user per working role, invited by the site's owner."""
    owner = User.objects.filter(role=Role.OWNER, is_active=True).order_by("pk").first()
    for role in DEMO_ROLES:
        email = demo_email(tenant, role)
        if owner is not None and not _exists(email):
            services.invite_user(
                actor=owner,
                email=email,
                role=role,
                display_name=f"Demo {role}",
                password=_password(),
                check_strength=False,  # the documented sample password, alike to these addresses
            )


def seed_platform() -> None:
    """The platform operator who signs in to the platform admin (public schema)."""
    if not _exists(PLATFORM_OPERATOR):
        services.create_platform_operator(
            email=PLATFORM_OPERATOR, password=_password(), invited_by=CREATED_BY
        )
