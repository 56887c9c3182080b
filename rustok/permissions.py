"""The one permission check, used by services, REST, GraphQL, the admin and MCP tools.

Permissions are named `<module>.<verb>_<noun>` and defined with `rules` predicates in each
module's `rules.py`; `role_in(...)` builds the usual predicate "the user's role is one of these"
(the owner always passes). Object-level rules receive the object as their second argument.

    require(actor, "accounts.manage_users", target)    # raises NotAuthenticated / PermissionDenied
    can(actor, "accounts.manage_users")                 # bool

Interfaces declare what each entry point needs as an *access* value: PUBLIC (anyone), SIGNED_IN
(any signed-in user of this site), PERSON (a signed-in user, but not through an API token) or a
permission name. `access_error` turns a declaration and a user into the error to raise, if any;
REST, GraphQL, MCP and `require` in the services all go through it.

An API token acts as its user within its scopes. Some things are for the person only, whatever a
token's scopes say: their own account (PERSON) and the permissions a module marks with
`people_only(...)` (managing users and tokens: a token that could would mint itself a broader
credential). Both are refused to a token with 403 `api_token_not_allowed`.
"""

from __future__ import annotations

import rules

from rustok.errors import ApiTokenNotAllowed, NotAuthenticated, PermissionDenied

PUBLIC = "public"
SIGNED_IN = "signed_in"
PERSON = "person"

# Permissions that no API token may use (see people_only).
PEOPLE_ONLY: set[str] = set()

OWNER = "owner"


def role_in(*roles: str) -> rules.Predicate:
    """A predicate: the user is active and has one of `roles` (or is the owner, who may do all)."""
    allowed = frozenset(roles) | {OWNER}
    name = "role_in_" + "_".join(sorted(allowed))

    @rules.predicate(name=name)
    def predicate(user) -> bool:
        return bool(getattr(user, "is_active", False)) and getattr(user, "role", None) in allowed

    predicate.roles = allowed
    return predicate


def declare(access: str):
    """Mark a GraphQL resolver (or MCP tool) with the access it needs: `@declare(PUBLIC)`."""

    def mark(function):
        function.access = access
        return function

    return mark


def people_only(*perms: str) -> None:
    """Mark permissions as the person's own: refused to API tokens whatever their scopes, and
    never granted as a scope (a module's rules.py calls this next to add_perm)."""
    PEOPLE_ONLY.update(perms)


def is_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def by_api_token(user) -> bool:
    """Whether `user` acts through an API token (authentication sets `user.api_token`)."""
    return getattr(user, "api_token", None) is not None


def can(actor, perm: str, obj=None) -> bool:
    """Whether `actor` (a user, possibly anonymous) holds `perm`, on `obj` if given."""
    return is_signed_in(actor) and actor.has_perm(perm, obj)


def access_error(actor, access: str, obj=None) -> Exception | None:
    """The error that refuses `actor` an entry point declared with `access`, or None."""
    if access == PUBLIC:
        return None
    if not is_signed_in(actor):
        return NotAuthenticated("Sign in to do this.")
    if (access == PERSON or access in PEOPLE_ONLY) and by_api_token(actor):
        return ApiTokenNotAllowed("API tokens cannot do this whatever their scopes: sign in with a password.")
    if access in (SIGNED_IN, PERSON) or actor.has_perm(access, obj):
        return None
    return PermissionDenied(f"You do not have the permission '{access}'.", permission=access)


def require(actor, perm: str, obj=None) -> None:
    """Raise NotAuthenticated or PermissionDenied unless `actor` holds `perm` (on `obj`)."""
    error = access_error(actor, perm, obj)
    if error is not None:
        raise error
