"""Languages of a site: which one a request is answered in, and which translation stands in for a
missing one.

Every site offers the platform's LANGUAGES (en, ru). A request is answered in the language of
`?lang=`, else of `Accept-Language`, else the site's default language (TenantLocaleMiddleware).
A translated field that is empty in the active language falls back to the site's default
language, then to the others in LANGUAGES order (`TenantFallbacks`, handed to modeltranslation as
every model's `fallback_languages`), so a Russian site shows its Russian text to an English reader
who asks for something not yet translated, and an English site its English text to a Russian one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin


def language_codes() -> list[str]:
    """The languages every site offers, in the order of settings.LANGUAGES."""
    return [code for code, _name in settings.LANGUAGES]


def site_language() -> str:
    """The default language of the site whose schema the connection is on."""
    # Asked for every read of a translated field (TenantFallbacks): the connection is looked up
    # once, not once per attribute through the `connection` proxy.
    conn = connections[DEFAULT_DB_ALIAS]
    tenant = getattr(conn, "tenant", None)
    language = getattr(tenant, "default_language", None)
    if language is None and conn.schema_name != "public":
        # Under schema_context the connection holds a stand-in without the row: read it once per
        # schema for this connection.
        cached = getattr(conn, "_rustok_site_language", None)
        if cached and cached[0] == conn.schema_name:
            return cached[1]
        from django_tenants.utils import get_tenant_model

        language = (
            get_tenant_model()
            .objects.filter(schema_name=conn.schema_name)
            .values_list("default_language", flat=True)
            .first()
        )
        conn._rustok_site_language = (conn.schema_name, language or settings.LANGUAGE_CODE)
    return language or settings.LANGUAGE_CODE


def reread_site_language() -> str:
    """Read the site's default language from its row again, for the rest of this connection's
    work (a worker's connection outlives a change of it). Returns it."""
    from django_tenants.utils import get_tenant_model

    language = (
        get_tenant_model()
        .objects.filter(schema_name=connection.schema_name)
        .values_list("default_language", flat=True)
        .first()
    ) or settings.LANGUAGE_CODE
    tenant = getattr(connection, "tenant", None)
    if getattr(tenant, "default_language", None) is not None:
        tenant.default_language = language
    connection._rustok_site_language = (connection.schema_name, language)
    return language


def fallback_order(language: str | None = None) -> list[str]:
    """`language` (default: the active one), then the site's default, then the other languages."""
    first = language or current_language()
    order = [first, site_language(), *language_codes()]
    return list(dict.fromkeys(order))


def current_language() -> str:
    """The active language as a known code (en, ru), else the site's default."""
    active = (translation.get_language() or "").split("-")[0]
    return active if active in language_codes() else site_language()


def for_language(path: str, language: str | None = None) -> str:
    """`path` for readers of `language` (default: the active one): with `?lang=` unless it is the
    site's default language, so every language of a page has an address of its own."""
    language = language or current_language()
    if language == site_language():
        return path
    return f"{path}{'&' if '?' in path else '?'}lang={language}"


class TenantFallbacks(Mapping):
    """modeltranslation's `fallback_languages`, computed for the site being served.

    modeltranslation asks `get(language)` for a language's own fallbacks and `get("default")` for
    the fallbacks of every language; the answer depends on the site, so it is read when asked.
    """

    def __getitem__(self, key: str) -> tuple[str, ...]:
        if key == "default":
            return (site_language(), *language_codes())
        raise KeyError(key)

    def get(self, key: str, default=None):
        # modeltranslation asks get(language) on every read of a translated field: answered
        # without raising and catching a KeyError, as Mapping.get would.
        return (site_language(), *language_codes()) if key == "default" else default

    def __contains__(self, key) -> bool:
        return key == "default"

    def __iter__(self) -> Iterator[str]:
        return iter(("default",))

    def __len__(self) -> int:
        return 1


def request_language(request) -> str:
    """The language a request is answered in: `?lang=`, else Accept-Language (or the language
    cookie), else its site's default language (`request.tenant`'s)."""
    known = language_codes()
    language = request.GET.get("lang", "")
    if language not in known:
        # META rather than request.headers, which copies every header (this runs on every hit).
        asked = request.META.get("HTTP_ACCEPT_LANGUAGE") or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        accepted = translation.get_language_from_request(request) if asked else ""
        language = accepted if accepted in known else ""
    if not language:
        tenant = getattr(request, "tenant", None)
        language = getattr(tenant, "default_language", None) or settings.LANGUAGE_CODE
    return language


class TenantLocaleMiddleware(MiddlewareMixin):
    """Activate `?lang=`, else Accept-Language, else the site's default language.

    Replaces Django's LocaleMiddleware, whose last resort is the platform's LANGUAGE_CODE rather
    than the site's own language. An unknown `?lang=` is ignored here; endpoints that take a
    language as a parameter validate it and answer 400.
    """

    def process_request(self, request):
        language = request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language() or "")
        patch_vary_headers(response, ("Accept-Language",))
        return response
