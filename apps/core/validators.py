"""Rules for tenant slugs, host names, languages and currencies; each error names its rule."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError

SLUG_RE = re.compile(r"^[a-z][a-z0-9_]*$")
SLUG_MIN, SLUG_MAX = 3, 63

# Words a tenant may not take: they name parts of the platform, common infrastructure hosts, or
# schemas PostgreSQL and the platform use themselves.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "api",
        "assets",
        "auth",
        "cdn",
        "default",
        "docs",
        "ftp",
        "graphql",
        "health",
        "imap",
        "information_schema",
        "mail",
        "media",
        "mx",
        "ns1",
        "ns2",
        "platform",
        "pop",
        "pop3",
        "public",
        "root",
        "rustok",
        "smtp",
        "static",
        "status",
        "support",
        "system",
        "webmail",
        "www",
    }
)
RESERVED_PREFIXES = ("pg_", "tenant_template")

HOST_RE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def validate_tenant_slug(value: str) -> None:
    """A slug is the tenant's schema name: lower-case, starts with a letter, 3-63 chars, not reserved."""
    if not isinstance(value, str) or not SLUG_RE.match(value):
        raise ValidationError(
            "Use lower-case letters, digits and underscores, starting with a letter.", code="slug_format"
        )
    if not SLUG_MIN <= len(value) <= SLUG_MAX:
        raise ValidationError(
            f"Use {SLUG_MIN} to {SLUG_MAX} characters (got {len(value)}).", code="slug_length"
        )
    if value in RESERVED_SLUGS:
        raise ValidationError(f"'{value}' is reserved by the platform.", code="slug_reserved")
    prefix = next((p for p in RESERVED_PREFIXES if value.startswith(p)), None)
    if prefix:
        raise ValidationError(
            f"Slugs starting with '{prefix}' are reserved (PostgreSQL and platform schemas).",
            code="slug_reserved_prefix",
        )


def validate_hostname(value: str) -> None:
    """A host name such as shop.example.com or demo.localhost, without scheme, port or path."""
    if not HOST_RE.match(value or ""):
        raise ValidationError(
            "Enter a host name such as shop.example.com (no scheme, port or path).", code="host_format"
        )


def validate_language(value: str) -> None:
    codes = [code for code, _name in settings.LANGUAGES]
    if value not in codes:
        raise ValidationError(f"Choose one of: {', '.join(codes)}.", code="language_unknown")


def validate_currency(value: str) -> None:
    if not CURRENCY_RE.match(value or ""):
        raise ValidationError("Use a three-letter ISO 4217 code such as USD or EUR.", code="currency_format")
