"""Sample users of the demo site, one per working role (idempotent). Seeded by `rustok demo`."""

import os

from apps.accounts.models import Role, User

DEMO_ROLES = (Role.EDITOR, Role.MANAGER, Role.MODERATOR, Role.CUSTOMER)


def demo_email(tenant, role: str) -> str:
    host = tenant.get_primary_domain().domain if tenant.get_primary_domain() else "demo.localhost"
    return f"{role}@{host}"


def seed(tenant) -> None:
    password = os.environ.get("RUSTOK_DEMO_PASSWORD", "rustok-demo")
    for role in DEMO_ROLES:
        email = demo_email(tenant, role)
        if not User.objects.filter(email__iexact=email).exists():
            User.objects.create_user(email, password, role=role, display_name=f"Demo {role}")
