"""Clearing sign-in lockouts (django-axes' records of failures) for operators and admins."""

from __future__ import annotations

import ipaddress

from axes.utils import reset
from django.db import transaction

from apps.accounts.models import User
from apps.accounts.services.audit import Action, record
from rustok.errors import InvalidInput
from rustok.permissions import require


def _address(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise InvalidInput.for_field("address", f"'{value}' is not an IP address.") from None


@transaction.atomic
def clear_lockout(*, actor: User, email: str = "", address: str = "", request=None) -> int:
    """Forget the failed sign-ins of `email` (from every address), of `address` (for every
    e-mail) or, given both, of that pair only; their lockouts end at once. Returns how many
    records were removed; audited as `lockout_cleared`."""
    require(actor, "accounts.manage_users")
    email = (email or "").strip().lower()  # as lockout_username counts them
    address = _address(address)
    if not email and not address:
        raise InvalidInput(
            "Name an e-mail address, a client address, or both.",
            errors={"email": ["Name an e-mail address or a client address."]},
        )
    cleared = reset(ip=address or None, username=email or None)
    target = User.objects.filter(email__iexact=email).first() if email else None
    record(
        Action.LOCKOUT_CLEARED,
        actor=actor,
        target=target,
        request=request,
        email=email,
        address=address,
        cleared=cleared,
    )
    return cleared
