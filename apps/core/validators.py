"""Rules for tenant slugs, host names, languages and currencies; each error names its rule."""

import functools
import re

from babel import Locale
from babel.numbers import get_currency_name, get_territory_currencies
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

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


# What the platform admin's add form says about a slug (the rules of validate_tenant_slug).
SLUG_HELP = gettext_lazy(
    "The site's short name, also its database schema: 3 to 63 lower-case Latin letters, digits "
    "and underscores, starting with a letter. Reserved words such as www, admin, api, static or "
    "public, and names starting with pg_ or tenant_template, are refused. It cannot be changed later."
)


def validate_tenant_slug(value: str) -> None:
    """A slug is the tenant's schema name: lower-case, starts with a letter, 3-63 chars, not reserved."""
    if not isinstance(value, str) or not SLUG_RE.match(value):
        raise ValidationError(
            _("Use lower-case letters, digits and underscores, starting with a letter."), code="slug_format"
        )
    if not SLUG_MIN <= len(value) <= SLUG_MAX:
        raise ValidationError(
            _("Use %(min)d to %(max)d characters (got %(got)d).")
            % {"min": SLUG_MIN, "max": SLUG_MAX, "got": len(value)},
            code="slug_length",
        )
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("'%(slug)s' is reserved by the platform.") % {"slug": value}, code="slug_reserved"
        )
    prefix = next((p for p in RESERVED_PREFIXES if value.startswith(p)), None)
    if prefix:
        raise ValidationError(
            _("Slugs starting with '%(prefix)s' are reserved (PostgreSQL and platform schemas).")
            % {"prefix": prefix},
            code="slug_reserved_prefix",
        )


def validate_hostname(value: str) -> None:
    """A host name such as shop.example.com or demo.localhost, without scheme, port or path."""
    if not HOST_RE.match(value or ""):
        raise ValidationError(
            _("Enter a host name such as shop.example.com (no scheme, port or path)."), code="host_format"
        )


def validate_language(value: str) -> None:
    codes = [code for code, _name in settings.LANGUAGES]
    if value not in codes:
        raise ValidationError(
            _("Choose one of: %(codes)s.") % {"codes": ", ".join(codes)}, code="language_unknown"
        )


@functools.cache
def iso_currencies() -> frozenset[str]:
    """The ISO 4217 codes legal tender somewhere today, from Babel's copy of the Unicode CLDR (a
    maintained list, updated with Babel), without the historic and fund codes."""
    territories = [code for code in Locale("en").territories if code.isalpha()]
    return frozenset(code for territory in territories for code in get_territory_currencies(territory))


def currency_choices() -> list[tuple[str, str]]:
    """(code, "code — name") for every currency, named in the active language, sorted by code."""
    locale = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return [(code, f"{code} — {get_currency_name(code, locale=locale)}") for code in sorted(iso_currencies())]


def validate_currency(value: str) -> None:
    if not CURRENCY_RE.match(value or ""):
        raise ValidationError(
            _("Use a three-letter ISO 4217 code such as USD or EUR."), code="currency_format"
        )
    if value not in iso_currencies():
        raise ValidationError(
            _("'%(code)s' is not a currency in use (ISO 4217).") % {"code": value}, code="currency_unknown"
        )
