"""JSON Web Tokens of a site: signed with HS256, bound to one tenant and one sign-in (family).

Claims: `user_id`, `tenant` (the schema the token was issued in), `fam` (the TokenFamily), plus
simplejwt's `token_type`, `exp`, `iat` and `jti`. Decoding accepts HS256 only, so an `alg: none`
or re-signed token is refused like a tampered one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import connection
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from rustok.errors import AuthenticationFailed

TENANT_CLAIM = "tenant"
FAMILY_CLAIM = "fam"


@dataclass(frozen=True)
class Claims:
    user_id: int
    family_id: str
    jti: str


def issue(*, user_id: int, family_id: str) -> tuple[str, str, str]:
    """A new (access, refresh, refresh jti) for the current tenant."""
    refresh = RefreshToken()
    refresh["user_id"] = user_id
    refresh[TENANT_CLAIM] = connection.schema_name
    refresh[FAMILY_CLAIM] = family_id
    return str(refresh.access_token), str(refresh), refresh["jti"]


def _read(token_class, raw: str, what: str) -> Claims:
    try:
        token = token_class(raw)
    except TokenError:
        raise AuthenticationFailed(f"The {what} token is invalid or expired.", reason="invalid") from None
    if token.get(TENANT_CLAIM) != connection.schema_name:
        raise AuthenticationFailed(f"The {what} token was issued for another site.", reason="wrong_tenant")
    try:
        family_id = str(uuid.UUID(str(token[FAMILY_CLAIM])))
        return Claims(user_id=int(token["user_id"]), family_id=family_id, jti=str(token["jti"]))
    except (KeyError, TypeError, ValueError):
        raise AuthenticationFailed(f"The {what} token is invalid or expired.", reason="invalid") from None


def read_access(raw: str) -> Claims:
    """Verify an access token's signature, expiry, type and tenant; raise AuthenticationFailed."""
    return _read(AccessToken, raw, "access")


def read_refresh(raw: str) -> Claims:
    """Verify a refresh token's signature, expiry, type and tenant; raise AuthenticationFailed."""
    return _read(RefreshToken, raw, "refresh")
