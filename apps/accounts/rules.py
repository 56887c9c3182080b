"""Who may manage users, roles, API tokens and read the audit log of a site.

Object-level: an admin manages every user but an owner; only an owner makes or manages owners.
The Django admin asks the same questions through its `view/add/change/delete` permission names.
Managing users and tokens is for people only: an API token that could would give itself a
broader credential (a token without its scopes, or a user whose password it chose).
"""

import rules

from apps.accounts.models import Role, User
from rustok.permissions import people_only, role_in

is_admin = role_in(Role.ADMIN)


@rules.predicate
def target_is_not_owner(user, target=None) -> bool:
    """True without an object (the question is about users in general) or for a non-owner."""
    return target is None or getattr(target, "role", None) != Role.OWNER


is_owner = role_in()
manages_target = is_owner | (is_admin & target_is_not_owner)

rules.add_perm("accounts.manage_users", manages_target)
rules.add_perm("accounts.manage_api_tokens", is_admin)
rules.add_perm("accounts.view_audit_log", is_admin)

# The names the Django admin asks for.
rules.add_perm("accounts.view_user", is_admin)
rules.add_perm("accounts.add_user", is_admin)
rules.add_perm("accounts.change_user", manages_target)
rules.add_perm("accounts.view_apitoken", is_admin)
rules.add_perm("accounts.add_apitoken", is_admin)
rules.add_perm("accounts.change_apitoken", is_admin)
rules.add_perm("accounts.view_auditentry", is_admin)
rules.add_perm("accounts.view_tokenfamily", is_admin)
rules.add_perm("accounts.change_tokenfamily", is_admin)

people_only(
    "accounts.manage_users",
    "accounts.manage_api_tokens",
    "accounts.add_user",
    "accounts.change_user",
    "accounts.add_apitoken",
    "accounts.change_apitoken",
    "accounts.change_tokenfamily",
)

# Whether the admin index shows the module's models at all (rules' has_module_perms).
rules.add_perm("accounts", is_admin)


def role_table(roles, permission_names) -> str:
    """The role x permission table of docs/permissions.md, as Markdown, from the rules themselves."""
    people = {role: User(role=role, is_active=True) for role in roles}
    lines = [
        "| permission | " + " | ".join(roles) + " |",
        "| --- | " + " | ".join("---" for _ in roles) + " |",
    ]
    for name in sorted(permission_names):
        marks = ["✓" if people[role].has_perm(name) else "" for role in roles]
        lines.append(f"| `{name}` | " + " | ".join(marks) + " |")
    return "\n".join(lines)
