"""Sign-in sessions over JWT: issue, rotate on every refresh, revoke; reuse revokes the family."""

from __future__ import annotations

import logging
from dataclasses import dataclass

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
    access, refresh, jti = jwt.issue(user_id=user.pk, family_id=str(family.pk))
    family.current_jti = jti
    family.save()
    return Tokens(access=access, refresh=refresh, family=family)


def _revoke(family: TokenFamily, reason: str) -> None:
    family.revoked_at = timezone.now()
    family.revoked_reason = reason
    family.save(update_fields=["revoked_at", "revoked_reason"])


def refresh_session(*, raw_refresh: str, request=None) -> Tokens:
    """Exchange a refresh token for a new pair; the one presented can never be used again.

    A refresh token that was already exchanged is proof that it leaked: its whole family is
    revoked (the legitimate holder must sign in again) and the reuse is audited.
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
        if family.current_jti != claims.jti:
            _revoke(family, "reuse")
            record(Action.TOKEN_REUSED, actor=family.user, target=family.user, request=request)
            reused = family
        else:
            access, refresh, jti = jwt.issue(user_id=family.user_id, family_id=str(family.pk))
            family.current_jti = jti
            family.refreshed_at = timezone.now()
            family.save(update_fields=["current_jti", "refreshed_at"])
            return Tokens(access=access, refresh=refresh, family=family)
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
