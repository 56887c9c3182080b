"""API tokens for integrations: created by admins, shown once, stored as a SHA-256 digest.

The secret looks like `rtk_<prefix>_<secret>`; `prefix` finds the row, the digest of the whole
string is compared in constant time. A token acts as its user, bounded by its scopes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import ApiToken, User
from apps.accounts.services.audit import Action, record, record_each
from rustok.errors import AuthenticationFailed, InvalidInput
from rustok.permissions import PEOPLE_ONLY, can, require

TOKEN_PREFIX = "rtk_"
# last_used_at is written at most this often per token, not on every request.
TOUCH_EVERY = timedelta(minutes=1)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def known_permissions() -> set[str]:
    """Every `module.action` permission a rules.py declared (what a scope may name).

    Bare app labels (rules' answer to the admin's "may see this app at all") are left out.
    """
    import rules.permissions

    return {name for name in rules.permissions.permissions if "." in name}


def grantable_scopes() -> set[str]:
    """The permissions a token may be given: all but those for people only (rustok.permissions)."""
    return known_permissions() - PEOPLE_ONLY


@transaction.atomic
def create_api_token(
    *,
    actor: User,
    name: str,
    user: User,
    scopes: list[str],
    expires_at=None,
    request=None,
) -> tuple[ApiToken, str]:
    """Create a token acting as `user` with `scopes`; returns (token, secret) — the secret once."""
    require(actor, "accounts.manage_api_tokens")
    if user.pk != actor.pk:
        # Acting as someone is managing them: an admin cannot mint a token that acts as an owner.
        require(actor, "accounts.manage_users", user)
    if not (name or "").strip():
        raise InvalidInput.for_field("name", "A name is required.")
    scopes = sorted(set(scopes))
    if not scopes:
        raise InvalidInput.for_field("scopes", "Name at least one permission.")
    unknown = sorted(set(scopes) - known_permissions())
    if unknown:
        raise InvalidInput.for_field("scopes", f"Unknown permission(s): {', '.join(unknown)}.")
    personal = sorted(set(scopes) & PEOPLE_ONLY)
    if personal:
        raise InvalidInput.for_field(
            "scopes", f"Only people, never a token, may hold: {', '.join(personal)}."
        )
    # A token can never do more than the one who made it nor more than the user it acts as.
    beyond = [scope for scope in scopes if not (can(actor, scope) and user.has_perm(scope))]
    if beyond:
        raise InvalidInput.for_field(
            "scopes", f"Not granted to you and to {user.email}: {', '.join(beyond)}."
        )
    if not user.is_active:
        raise InvalidInput.for_field("user", "The user is deactivated.")
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput.for_field("expires_at", "The expiry must be in the future.")
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        name=name.strip(),
        user=user,
        prefix=prefix,
        key_hash=_digest(secret),
        scopes=scopes,
        created_by=actor,
        expires_at=expires_at,
    )
    record(Action.API_TOKEN_CREATED, actor=actor, target=token, request=request, scopes=scopes)
    return token, secret


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken, request=None) -> ApiToken:
    """Stop a token from working, at once. Revoking a revoked token changes nothing."""
    require(actor, "accounts.manage_api_tokens")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(Action.API_TOKEN_REVOKED, actor=actor, target=token, request=request)
    return token


def end_tokens_of(*, user: User, actor: User, reason: str, request=None) -> int:
    """Revoke, each audited, every live token acting as `user` or made by them (an admin who
    leaves must not keep the tokens they made for others). For services that have checked that
    `actor` manages `user`: revoked tokens stay revoked, whatever happens to the user later."""
    live = ApiToken.objects.filter(Q(user=user) | Q(created_by=user), revoked_at__isnull=True)
    tokens = list(live.select_for_update())  # a fixed number of queries, however many there are
    if not tokens:
        return 0
    ApiToken.objects.filter(pk__in=[token.pk for token in tokens]).update(revoked_at=timezone.now())
    record_each(Action.API_TOKEN_REVOKED, targets=tokens, actor=actor, request=request, reason=reason)
    return len(tokens)


def authenticate_api_token(raw: str) -> User:
    """The user a live token acts as, with the token attached (its scopes bound has_perm)."""
    parts = raw.split("_")
    if len(parts) < 3 or not raw.startswith(TOKEN_PREFIX):
        raise AuthenticationFailed("The API token is malformed.", reason="invalid")
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.key_hash, _digest(raw)):
        raise AuthenticationFailed("The API token is invalid.", reason="invalid")
    if not token.is_live or not token.user.is_active:
        raise AuthenticationFailed("The API token is revoked or expired.", reason="revoked")
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    user = token.user
    user.api_token = token
    return user
