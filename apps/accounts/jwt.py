"""JSON Web Tokens of a site: signed with HS256, bound to one tenant and one sign-in (family).

Claims: `user_id`, `tenant` (the schema the token was issued in), `fam` (the TokenFamily), plus
simplejwt's `token_type`, `exp`, `iat` and `jti`. Decoding accepts HS256 only, so an `alg: none`
or re-signed token is refused like a tampered one.
"""

from __future__ import annotations

import json
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


@dataclass(frozen=True)
class Issued:
    """A new pair, its refresh token's jti, and the pair's claims (JSON) for `reissue`."""

    access: str
    refresh: str
    jti: str
    claims: str


def issue(*, user_id: int, family_id: str) -> Issued:
    """A new pair for the current tenant."""
    refresh = RefreshToken()
    refresh["user_id"] = user_id
    refresh[TENANT_CLAIM] = connection.schema_name
    refresh[FAMILY_CLAIM] = family_id
    access = refresh.access_token
    claims = json.dumps({"access": access.payload, "refresh": refresh.payload})
    return Issued(access=str(access), refresh=str(refresh), jti=refresh["jti"], claims=claims)


def reissue(claims: str) -> tuple[str, str]:
    """The same (access, refresh) again, signed anew from the claims `issue` gave.

    The claims are no credential: only the signing key turns them into tokens (and that key can
    sign any token). Signing is deterministic, so the tokens are the very ones first issued.
    """
    from rest_framework_simplejwt.state import token_backend

    pair = json.loads(claims)
    return token_backend.encode(pair["access"]), token_backend.encode(pair["refresh"])


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
