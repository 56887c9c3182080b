"""Sign-in sessions over JWT: issue, rotate on every refresh, revoke; reuse revokes the family."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.utils import timezone

from apps.accounts import jwt
from apps.accounts.models import TokenFamily, User
from apps.accounts.services.audit import Action, record
from rustok.errors import AuthenticationFailed
from rustok.net import client_ip, user_agent

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Tokens:
    access: str
    refresh: str
    family: TokenFamily


@transaction.atomic
def start_session(*, user: User, mode: str, request=None) -> Tokens:
    """Open a token family for `user` (after the password was checked) and issue its first pair."""
    family = TokenFamily(
        user=user,
        mode=mode,
        ip_address=client_ip(request) if request is not None else None,
        user_agent=user_agent(request) if request is not None else "",
    )
    issued = jwt.issue(user_id=user.pk, family_id=str(family.pk))
    family.current_jti = issued.jti
    family.save()
    return Tokens(access=issued.access, refresh=issued.refresh, family=family)


def _revoke(family: TokenFamily, reason: str) -> None:
    family.revoked_at = timezone.now()
    family.revoked_reason = reason
    family.save(update_fields=["revoked_at", "revoked_reason"])


def _is_immediate_duplicate(family: TokenFamily, jti: str) -> bool:
    """The refresh token exchanged last, presented again within the grace window: two tabs
    refreshing at once, or a retry of a request whose answer was lost."""
    grace = settings.AUTH_REFRESH_GRACE_SECONDS
    return (
        grace > 0
        and bool(family.previous_jti)
        and family.previous_jti == jti
        and family.refreshed_at is not None
        and bool(family.issued_claims)
        and timezone.now() - family.refreshed_at <= timedelta(seconds=grace)
    )


def refresh_session(*, raw_refresh: str, request=None) -> Tokens:
    """Exchange a refresh token for a new pair; the one presented can never be used again.

    A refresh token that was already exchanged is proof that it leaked: its whole family is
    revoked (the legitimate holder must sign in again) and the reuse is audited. Except the
    immediate duplicate (see _is_immediate_duplicate): it gets the very pair the first exchange
    issued, not a fresh one, so whichever answer a client keeps, its refresh token is the current
    one and the sign-in goes on.
    """
    claims = jwt.read_refresh(raw_refresh)
    reused = None
    with transaction.atomic():
        family = (
            TokenFamily.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=claims.family_id, user_id=claims.user_id)
            .first()
        )
        if family is None or family.revoked_at is not None or not family.user.is_active:
            raise AuthenticationFailed("This sign-in has ended; sign in again.", reason="revoked")
        if family.current_jti == claims.jti:
            issued = jwt.issue(user_id=family.user_id, family_id=str(family.pk))
            family.previous_jti = claims.jti
            family.current_jti = issued.jti
            family.issued_claims = issued.claims
            family.refreshed_at = timezone.now()
            family.save(update_fields=["previous_jti", "current_jti", "issued_claims", "refreshed_at"])
            return Tokens(access=issued.access, refresh=issued.refresh, family=family)
        if _is_immediate_duplicate(family, claims.jti):
            access, refresh = jwt.reissue(family.issued_claims)
            return Tokens(access=access, refresh=refresh, family=family)
        _revoke(family, "reuse")
        record(Action.TOKEN_REUSED, actor=family.user, target=family.user, request=request)
        reused = family
    # Raised after the block commits, so the revocation stays.
    log.warning("refresh token reused; sign-in revoked", extra={"family": str(reused.pk)})
    raise AuthenticationFailed("This refresh token was already used; sign in again.", reason="reused")


@transaction.atomic
def end_session(*, family: TokenFamily, request=None) -> None:
    """Sign out: the family's refresh and access tokens stop working at once."""
    if family.revoked_at is None:
        _revoke(family, "logout")
    user_logged_out.send(sender=User, request=getattr(request, "_request", request), user=family.user)


def family_of_refresh(raw_refresh: str) -> TokenFamily:
    """The live family a refresh token belongs to (for logout); AuthenticationFailed otherwise."""
    claims = jwt.read_refresh(raw_refresh)
    family = (
        TokenFamily.objects.select_related("user")
        .filter(pk=claims.family_id, user_id=claims.user_id, revoked_at__isnull=True)
        .first()
    )
    if family is None:
        raise AuthenticationFailed("This sign-in has ended; sign in again.", reason="revoked")
    return family


def revoke_all_sessions(*, user: User, reason: str, keep: TokenFamily | None = None) -> int:
    """End every sign-in of `user` (but `keep`): after a password change, reset or deactivation."""
    families = TokenFamily.objects.filter(user=user, revoked_at__isnull=True)
    if keep is not None:
        families = families.exclude(pk=keep.pk)
    return families.update(revoked_at=timezone.now(), revoked_reason=reason)


def user_of_access(raw_access: str) -> tuple[User, TokenFamily]:
    """The active user and live family an access token speaks for, in one query."""
    claims = jwt.read_access(raw_access)
    family = (
        TokenFamily.objects.select_related("user")
        .filter(pk=claims.family_id, user_id=claims.user_id, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if family is None:
        raise AuthenticationFailed("This sign-in has ended; sign in again.", reason="revoked")
    return family.user, family
