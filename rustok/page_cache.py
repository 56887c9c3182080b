"""The page cache: anonymous storefront pages and public GET answers of the API, per tenant.

An answer is kept in Redis (the `pages` cache) under a key made of the tenant's schema, the
scheme, host, path, the query (sorted by name), the language the request is answered in and when
the tenant's row last changed, together with the tenant's *page version* it was rendered under.
Every answer of a tenant is invalidated at once by giving the tenant a new version
(`invalidate`): one Redis write, however many pages are kept; an entry of another version is never
served (a miss, rendered and stored again), and expires after PAGE_CACHE_SECONDS. The version and
the entry are read together, in one round trip, before the view runs, so a page rendered while an
invalidation happens is stored under the old version and never served.

Switching a module invalidates the tenant's pages as the switch commits (apps.core.services), so
the switch shows on the next request; the tenant's row is in the key because a web process routes
with a copy of it kept for a few seconds (rustok.tenancy): a page rendered with an older copy (a
former name) is stored where the current copy does not look.

What is cached (docs/operations.md, "Page cache"):

- requests: GET and HEAD (HEAD answered from what a GET stored) of a tenant's storefront pages,
  of /api/v1/ and of GraphQL queries (`/api/graphql/?query=...`, not asking for HTML), without
  credentials: no `Authorization` header, no session cookie, no JWT cookie,
  no flash-message cookie. Anything else bypasses the cache: it is neither read nor written.
- answers: status 200, not streamed, setting no cookie, without `Cache-Control: private`,
  `no-cache` or `no-store` (preview links send those), varying on nothing the key does not hold
  (Accept-Language, Cookie, Authorization), to a request whose user is not signed in. A 404 is not
  kept: a crawler asking for made-up addresses would fill the cache with not-found pages; nor is a
  GraphQL answer with errors (the view sends it with `Cache-Control: no-store`).

Such answers also get HTTP validators and may be held by a CDN: a strong `ETag` (a hash of the
body), `Last-Modified` (when the body was rendered), `Cache-Control: public,
max-age=PAGE_CACHE_MAX_AGE` and `Vary: Cookie, Authorization`; a conditional GET (If-None-Match,
If-Modified-Since) that matches is answered 304, from the cache or not. Answers to requests with
credentials get `Cache-Control: private, no-cache` unless the view chose its own. `X-Cache` says
what happened: `hit` (served from the cache), `miss` (looked up, not there: rendered, and stored
if it may be) or `bypass` (not looked up: not cacheable, PAGE_CACHE off, or Redis unavailable).

Two middlewares do it: UpdatePageCacheMiddleware, early in MIDDLEWARE (outside the session, CSRF
and message middlewares, so it sees every cookie they set), adds the headers, stores and answers
304s; FetchPageCacheMiddleware, after the tenant and the language are known, looks the page up.
Redis is reached through the request path's breaker (rustok.resilience.through_redis): while it
is unavailable pages are rendered as if there were no cache.

Invalidation is the modules' business: a module that changes what readers see subscribes to its
events and calls `invalidate` (apps/index after writing documents, apps/site on its settings,
apps/core on module switches and tenant changes, apps/content on taxonomy).
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, urlencode

from rustok.resilience import UNAVAILABLE, through_redis

log = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
HEADER = "X-Cache"
HIT, MISS, BYPASS = "hit", "miss", "bypass"

# Varying on these is covered: the language is in the key, credentials bypass the cache.
_COVERED_VARY = frozenset({"accept-language", "cookie", "authorization"})
_REFUSED_CACHE_CONTROL = frozenset({"private", "no-cache", "no-store"})
_ATTRIBUTE = "_rustok_page_cache"
_TAGS = "_rustok_page_tags"
_FORMAT = 2  # of a stored entry (version, status, headers, body): a change of its shape changes the keys


def _cache():
    return caches[CACHE_ALIAS]


def _version_key(schema_name: str) -> str:
    return f"pages:version:{schema_name}"


# --- invalidation --------------------------------------------------------------------------------


def invalidate(schema_name: str | None = None, *, strict: bool = False) -> bool:
    """Drop every cached answer of a tenant (default: the one the connection is on) by giving it
    a new page version; returns whether Redis took it.

    A failure is logged, or raised when `strict` (event handlers: the bus retries them until Redis
    answers, so the change reaches the readers then). Until then, answers expire on their own
    after PAGE_CACHE_SECONDS.
    """
    schema_name = schema_name or connection.schema_name
    try:
        _cache().set(_version_key(schema_name), uuid.uuid4().hex, timeout=None)
    except Exception:
        if strict:
            raise
        log.error("could not invalidate the page cache of %s", schema_name, exc_info=True)
        return False
    return True


class _InvalidateAfterCommit:
    """The on-commit callback that invalidates one schema's pages (once per transaction)."""

    def __init__(self, schema_name: str):
        self.schema_name = schema_name
        self.done = False

    def __call__(self) -> None:
        self.done = True
        invalidate(self.schema_name)


def invalidate_on_commit(schema_name: str | None = None) -> None:
    """Invalidate the tenant's pages once the current transaction commits (at once outside one),
    so no reader renders the state before the write under the new version. Asked several times in
    one transaction, it invalidates once."""
    schema_name = schema_name or connection.schema_name
    queued = any(
        isinstance(func, _InvalidateAfterCommit) and func.schema_name == schema_name and not func.done
        for _sids, func, _robust in connection.run_on_commit
    )
    if not queued:
        transaction.on_commit(_InvalidateAfterCommit(schema_name), robust=True)


def depends_on(request, *tags: str) -> None:
    """Say what a page shows, as tags (`product#12`, `product/category:5`): its answer is kept
    until one of them is invalidated (`invalidate_tags`) or the tenant's pages all are. A page
    that names no tag is invalidated by every tag's invalidation."""
    request.__dict__.setdefault(_TAGS, set()).update(tags)


def tags_of(request) -> frozenset[str]:
    """The tags the page of `request` said it shows (`depends_on`)."""
    return frozenset(request.__dict__.get(_TAGS, ()))


def invalidate_tags(tags, schema_name: str | None = None, *, strict: bool = False) -> bool:
    """Drop the tenant's kept answers that show any of `tags`, and those that named none."""
    return invalidate(schema_name, strict=strict)


def invalidate_tags_on_commit(tags, schema_name: str | None = None) -> None:
    """`invalidate_tags` once the current transaction commits (at once outside one)."""
    invalidate_on_commit(schema_name)


# --- which requests and answers ------------------------------------------------------------------


@dataclass
class Lookup:
    """What the page cache decided for one request."""

    eligible: bool  # an anonymous GET/HEAD the cache is for
    personal: bool  # the request carries credentials: its answer is private
    key: str = ""  # the entry's key; empty when the cache is not consulted (off, Redis out)
    version: str = ""  # the tenant's page version when the request was looked up
    hit: bool = False


def _credential_cookies() -> tuple[str, ...]:
    return (
        settings.SESSION_COOKIE_NAME,
        settings.AUTH_ACCESS_COOKIE,
        settings.AUTH_REFRESH_COOKIE,
        CookieStorage.cookie_name,
    )


def _personal(request) -> bool:
    """Whether the request says who is asking (or carries a message for them)."""
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    return any(name in request.COOKIES for name in _credential_cookies())


GRAPHQL_PATH = "/api/graphql/"


def _in_scope(request) -> bool:
    """Storefront pages, the versioned REST API and GraphQL queries asked with GET; not the
    admin, sign-in or the schema. A browser asking GraphQL for HTML gets GraphiQL, never kept: the
    key does not hold what the client accepts."""
    path = request.path
    if path.startswith(("/admin/", settings.MEDIA_URL)):
        return False  # uploads are files on disk, served with their own validators
    if path == GRAPHQL_PATH:
        return "query" in request.GET and "text/html" not in request.headers.get("Accept", "")
    return not path.startswith("/api/") or path.startswith("/api/v1/")


def _decide(request) -> Lookup:
    personal = _personal(request)
    tenant = getattr(request, "tenant", None)
    eligible = (
        not personal
        and request.method in ("GET", "HEAD")
        and tenant is not None
        and not tenant.is_public
        and _in_scope(request)
    )
    return Lookup(eligible=eligible, personal=personal)


def _new_version(schema_name: str):
    """The tenant's page version when Redis had none (first use, evicted): made now, or the one
    another process made meanwhile; UNAVAILABLE when Redis is."""
    cache, key = _cache(), _version_key(schema_name)
    fresh = uuid.uuid4().hex
    added = through_redis("page cache", cache.add, key, fresh, None)
    if added is UNAVAILABLE:
        return UNAVAILABLE
    version = fresh if added else through_redis("page cache", cache.get, key)
    return version if version is not None else UNAVAILABLE


def entry_key(request) -> str:
    """The key of the request's answer (of every page version: the entry says which it is)."""
    tenant = request.tenant
    changed = tenant.updated_at.isoformat() if getattr(tenant, "updated_at", None) else ""
    query = urlencode(sorted(request.GET.lists(), key=lambda item: item[0]), doseq=True)
    parts = (
        request.scheme,
        request.get_host().lower(),
        request.path,
        query,
        getattr(request, "LANGUAGE_CODE", ""),
        changed,
    )
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"pages:{tenant.schema_name}:{_FORMAT}:{digest}"


def _storable(request, response) -> bool:
    """Whether this answer may be kept and shared with every anonymous reader."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    control = {
        part.split("=", 1)[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
        if part
    }
    if control & _REFUSED_CACHE_CONTROL:
        return False
    vary = {field.strip().lower() for field in cc_delim_re.split(response.get("Vary", "")) if field}
    return vary <= _COVERED_VARY


def _add_validators(response) -> None:
    """ETag, Last-Modified, Cache-Control and Vary of an answer every anonymous reader shares."""
    if not response.has_header("ETag"):
        response["ETag"] = f'"{hashlib.blake2b(response.content, digest_size=16).hexdigest()}"'
    # When this body was made, also over a view's own date (a feed's newest entry, the sitemap's
    # newest page): the site's name or a category's can change the body without a newer entry.
    response["Last-Modified"] = http_date(time.time())
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_MAX_AGE)
    patch_vary_headers(response, ("Cookie", "Authorization"))


def _stored(response, version: str) -> tuple:
    return (version, response.status_code, list(response.items()), response.content)


def _from_stored(stored) -> HttpResponse:
    _version, status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def _conditional(request, response):
    """304 when the request's validators match the answer's."""
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )


# --- middleware ----------------------------------------------------------------------------------


class FetchPageCacheMiddleware:
    """Answer from the cache when the tenant has this page (after tenant and language routing)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lookup = _decide(request)
        setattr(request, _ATTRIBUTE, lookup)
        if lookup.eligible and settings.PAGE_CACHE:
            stored = _look_up(request, lookup)
            if stored is not None:
                lookup.hit = True
                return _from_stored(stored)
        return self.get_response(request)


def _look_up(request, lookup: Lookup):
    """The stored answer to the request under the tenant's current page version, or None; sets
    the lookup's key and version unless Redis is unavailable (then nothing is stored either).
    The version and the entry are read in one round trip."""
    schema_name = request.tenant.schema_name
    version_key, key = _version_key(schema_name), entry_key(request)
    found = through_redis("page cache", _cache().get_many, [version_key, key])
    if found is UNAVAILABLE:
        return None
    version = found.get(version_key)
    if version is None:
        version = _new_version(schema_name)
        if version is UNAVAILABLE:
            return None
    lookup.key, lookup.version = key, version
    stored = found.get(key)
    if stored is not None and stored[0] == version:
        return stored
    return None


class UpdatePageCacheMiddleware:
    """Headers, storage and 304s of the page cache (early in MIDDLEWARE: it sees every cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        lookup: Lookup | None = getattr(request, _ATTRIBUTE, None)
        if lookup is None:  # answered before the lookup (unknown host, suspended site)
            lookup = _decide(request)
            lookup.eligible = False
        if lookup.hit:
            response = _conditional(request, response)
            response[HEADER] = HIT
            return response
        if lookup.personal and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_cache=True)
        if not lookup.eligible or not _storable(request, response):
            response[HEADER] = MISS if lookup.key else BYPASS
            return response
        _add_validators(response)
        if lookup.key and request.method == "GET":
            through_redis(
                "page cache",
                _cache().set,
                lookup.key,
                _stored(response, lookup.version),
                settings.PAGE_CACHE_SECONDS,
            )
        response = _conditional(request, response)
        response[HEADER] = MISS if lookup.key else BYPASS
        return response
