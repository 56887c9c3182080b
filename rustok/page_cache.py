"""The page cache: anonymous storefront pages and public GET answers of the API, per tenant.

An answer is kept in Redis (the `pages` cache's server) under a key made of the tenant's schema,
the scheme, host, path, the query (sorted by name), the language the request is answered in and
when the tenant's row last changed, together with what its page shows, as *tags* the view named
(`depends_on`: `product#12`, `product/category:5`), and the tenant's invalidation sequence when
the request was looked up. `invalidate_tags` drops the answers that show any of the tags it is
given (one Redis write, however many pages are kept: each tag gets the sequence's next number,
and an entry with a tag numbered above its own sequence is never served); `invalidate` drops
every answer of the tenant (every entry shows the tag `*`). A page that names no tag is dropped
by every invalidation. Entries expire after PAGE_CACHE_SECONDS. The sequence is read with the
entry, in one round trip, before the view runs, so a page rendered while one of its tags changes
is stored with the sequence before the change and never served.

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

A hit is answered in front of Django: CachedPages, the WSGI application rustok.wsgi wraps around
Django's, looks a GET or HEAD up when the host's route is kept by the process (the common case)
and answers a hit itself, with the stored status and headers as they are and what the outer
middlewares add to every answer (the request id, the security headers): no request signal,
middleware, routing, session or language runs for it. Two middlewares do the rest:
UpdatePageCacheMiddleware, early in MIDDLEWARE (outside the session, CSRF and message
middlewares, so it sees every cookie they set), adds the headers, stores and answers 304s;
FetchPageCacheMiddleware, after the tenant and the language are known, looks the page up when
CachedPages could not (a host whose route the process does not keep now, a request that did not
come through rustok.wsgi) and takes on the miss CachedPages looked up, so a request asks Redis once.
Redis is reached through the request path's breaker (rustok.resilience.through_redis): while it
is unavailable pages are rendered as if there were no cache.

Parts of pages are kept the same way (`fragment`): what many pages show and few writes change
(the site's settings, the menu, the category tree, a list's counts), computed once and served,
to a render that is not a hit, until a tag it shows changes; the page that shows a part shows
its tags too, so a kept page is dropped with its parts. FRAGMENT_CACHE turns them off.

Each process also keeps a near copy of the entries it read or stored (rustok.near_cache), so an
entry asked for again costs no round trip: every lookup, of a page (`_look_up`) or of a part of
one (`fragment`), goes through `_read`, which serves the copy when the process may (its
subscription to the invalidations is live, the entry has not expired) and otherwise asks Redis and
copies what it read; `_keep` copies what it stores. A copy expires when its Redis entry does (the
lookup script returns the entry's TTL; a stored one expires PAGE_CACHE_SECONDS after storing). At
most PAGE_CACHE_NEAR_BYTES of entries are copied per process (0: none, every lookup asks Redis).
The invalidation script publishes each invalidation, which drops the copies it touches in every
process when its message arrives (well under a millisecond), and in the invalidating process at
once; a lost subscription (Redis hung or restarted) drops every copy within about two seconds.

Invalidation is the modules' business: a module that changes what readers see subscribes to its
events and calls `invalidate_tags` or `invalidate` (apps/index after writing documents, with the
tags of apps/index/tags.py; apps/site on its settings, apps/core on module switches and tenant
changes, apps/content on taxonomy).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.client import responses
from pathlib import Path
from typing import TypeVar

import django
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.exceptions import SuspiciousOperation
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, urlencode

from rustok import health
from rustok.logs import start_request
from rustok.near_cache import Copy, NearCache
from rustok.resilience import UNAVAILABLE, through_redis

log = logging.getLogger(__name__)
T = TypeVar("T")

CACHE_ALIAS = "pages"
HEADER = "X-Cache"
HIT, MISS, BYPASS = "hit", "miss", "bypass"

# Varying on these is covered: the language is in the key, credentials bypass the cache.
_COVERED_VARY = frozenset({"accept-language", "cookie", "authorization"})
_REFUSED_CACHE_CONTROL = frozenset({"private", "no-cache", "no-store"})
_ATTRIBUTE = "_rustok_page_cache"  # the request's Lookup, for UpdatePageCacheMiddleware
_LOOKED_UP = "rustok.page_cache"  # the environ's Lookup of a miss, from CachedPages
_READS = frozenset({"GET", "HEAD"})
# A request that sends one of these is answered through get_conditional_response (a 304, a 412).
_VALIDATORS = ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")
_TAGS = "_rustok_page_tags"  # what the view said its page shows
_PART_TAGS = "_rustok_part_tags"  # what the parts it showed (`fragment`) show
_FRAGMENTS = "_rustok_fragments"
_FORMAT = 3  # of a stored entry (a hash: s, t, b): a change of its shape changes the keys
ALL = "*"  # every entry of a tenant shows this tag: the tenant's pages all at once
UNTAGGED = "~"  # the entries of pages that named no tag: every tag's invalidation reaches them
_TAG_MARGIN = 60  # seconds a tag's version outlives the entries stored before it changed


def _cache():
    return caches[CACHE_ALIAS]


def _client():
    """The `pages` cache's Redis connection: entries and tags are plain Redis keys and hashes,
    read and written by two small scripts, so a hit is one round trip whatever the tags."""
    return _cache().client.get_client(write=True)


def _prefix(schema_name: str) -> str:
    return f"{_cache().key_prefix}:{schema_name}:"


def _channel() -> str:
    """The channel invalidations are published on (rustok.near_cache). A channel is the Redis
    server's, not one database's: its name holds the database with the `pages` cache's prefix."""
    database = _client().connection_pool.connection_kwargs.get("db", 0)
    return f"{_cache().key_prefix}:{database}:invalidated"


# A tenant's *sequence* (`<prefix>seq`) counts its invalidations; it starts from Redis's clock in
# microseconds, so one made again after it was lost (evicted, flushed) is above every number it
# gave before. An invalidation takes the next number and sets it as the version of each of its
# tags (`<prefix>tag:<tag>`, kept PAGE_CACHE_SECONDS + a margin: longer than any entry stored
# before). An entry keeps the sequence read when its request was looked up (`s`, before the view
# read anything) and the tags its page named (`t`); it is served while none of them has a version
# above `s`. A page rendered while one of its tags changed is stored, and never served. A lookup
# also returns the entry's tags and milliseconds to live, and an invalidation publishes its
# number, the schema and its tags, for the processes' near copies (rustok.near_cache).
_START = "redis.call('SET', KEYS[1], t[1] .. string.format('%06d', t[2]), 'NX')"
_LOOK_UP = f"""
local seq = redis.call('GET', KEYS[1])
if not seq then
  local t = redis.call('TIME')
  {_START}
  seq = redis.call('GET', KEYS[1])
end
local entry = redis.call('HMGET', KEYS[2], 's', 't', 'b')
if not entry[3] then return {{seq, false}} end
local stored, keys = tonumber(entry[1]), {{}}
for tag in string.gmatch(entry[2], '[^\\n]+') do keys[#keys + 1] = ARGV[1] .. tag end
local versions = redis.call('MGET', unpack(keys))
for i = 1, #keys do
  if versions[i] and tonumber(versions[i]) > stored then return {{seq, false}} end
end
return {{seq, entry[3], entry[2], redis.call('PTTL', KEYS[2])}}
"""
_INVALIDATE = f"""
if redis.call('EXISTS', KEYS[1]) == 0 then
  local t = redis.call('TIME')
  {_START}
end
local seq = redis.call('INCR', KEYS[1])
for i = 5, #ARGV do redis.call('SET', ARGV[1] .. ARGV[i], seq, 'EX', ARGV[2]) end
local tags = table.concat(ARGV, '\\n', 5)
redis.call('PUBLISH', ARGV[3], string.format('%d', seq) .. '\\n' .. ARGV[4] .. '\\n' .. tags)
return seq
"""
_scripts: dict = {}


def _script(source: str):
    """The script registered with the current client (EVALSHA, loaded again if Redis lost it)."""
    client = _client()
    found = _scripts.get(source)
    if found is None or found.registered_client is not client:
        found = _scripts[source] = client.register_script(source)
    return found


# --- invalidation --------------------------------------------------------------------------------


def _bump(schema_name: str, tags) -> int:
    """The invalidation in Redis (published to every process's near copy); its sequence."""
    prefix = _prefix(schema_name)
    ttl = settings.PAGE_CACHE_SECONDS + _TAG_MARGIN
    args = [f"{prefix}tag:", ttl, _channel(), schema_name, *sorted(tags)]
    return _script(_INVALIDATE)(keys=[f"{prefix}seq"], args=args)


def invalidate_tags(tags, schema_name: str | None = None, *, strict: bool = False) -> bool:
    """Drop the tenant's kept answers that show any of `tags` (default tenant: the one the
    connection is on), and those of pages that named no tag; returns whether Redis took it.

    A failure is logged, or raised when `strict` (event handlers: the bus retries them until Redis
    answers, so the change reaches the readers then). Until then, answers expire on their own
    after PAGE_CACHE_SECONDS. This process's near copies are dropped at once, the other
    processes' when the invalidation's message reaches them.
    """
    schema_name = schema_name or connection.schema_name
    tags = set(tags)
    if ALL not in tags:
        tags.add(UNTAGGED)
    try:
        sequence = _bump(schema_name, tags)
    except Exception:
        if strict:
            raise
        log.error("could not invalidate the page cache of %s", schema_name, exc_info=True)
        return False
    near = near_copy()
    if near is not None:
        near.invalidated(schema_name, sequence, tags)
    return True


def invalidate(schema_name: str | None = None, *, strict: bool = False) -> bool:
    """Drop every kept answer of a tenant (a change every page shows: the site's name, a module
    switch); as `invalidate_tags`."""
    return invalidate_tags([ALL], schema_name, strict=strict)


class _InvalidateAfterCommit:
    """The on-commit callback that invalidates one schema's tags (once per transaction, with
    every tag asked for during it)."""

    def __init__(self, schema_name: str):
        self.schema_name = schema_name
        self.tags: set[str] = set()
        self.done = False

    def __call__(self) -> None:
        self.done = True
        invalidate_tags(self.tags, self.schema_name)


def invalidate_tags_on_commit(tags, schema_name: str | None = None) -> None:
    """`invalidate_tags` once the current transaction commits (at once outside one), so no
    reader renders the state before the write after the invalidation. Asked several times in one
    transaction, it invalidates once, every tag asked for."""
    schema_name = schema_name or connection.schema_name
    # One callback per schema and savepoint: a savepoint rolled back drops its callback with the
    # writes it was for, never tags asked for outside it.
    savepoints = set(connection.savepoint_ids)
    queued = next(
        (
            func
            for sids, func, _robust in connection.run_on_commit
            if isinstance(func, _InvalidateAfterCommit)
            and func.schema_name == schema_name
            and not func.done
            and sids == savepoints
        ),
        None,
    )
    if queued is None:
        queued = _InvalidateAfterCommit(schema_name)
        queued.tags.update(tags)
        transaction.on_commit(queued, robust=True)
    else:
        queued.tags.update(tags)


def invalidate_on_commit(schema_name: str | None = None) -> None:
    """Invalidate every page of the tenant once the current transaction commits."""
    invalidate_tags_on_commit([ALL], schema_name)


def depends_on(request, *tags: str) -> None:
    """Say what a page shows, as tags (`product#12`, `product/category:5`): its answer is kept
    until one of them is invalidated (`invalidate_tags`) or the tenant's pages all are. A page
    that names no tag is invalidated by every tag's invalidation."""
    request.__dict__.setdefault(_TAGS, set()).update(tags)


def tags_of(request) -> frozenset[str]:
    """The tags the page of `request` shows: those it named (`depends_on`), or `UNTAGGED` when it
    named none (it may show anything), and those of the parts it showed (`fragment`: the frame)."""
    named = request.__dict__.get(_TAGS) or {UNTAGGED}
    return frozenset(named | request.__dict__.get(_PART_TAGS, set()))


# --- which requests and answers ------------------------------------------------------------------


@dataclass
class Lookup:
    """What the page cache decided for one request."""

    eligible: bool  # an anonymous GET/HEAD the cache is for
    personal: bool  # the request carries credentials: its answer is private
    key: str = ""  # the entry's key; empty when the cache is not consulted (off, Redis out)
    sequence: str = ""  # the tenant's invalidation sequence when the request was looked up
    generation: int | None = None  # of the near copy's subscription then: None, nothing copied
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


def _changed(tenant) -> str:
    """When the tenant's row last changed, as keys hold it: a page or part made from a former
    copy of the row (web processes keep one a few seconds) is kept apart from the current one's."""
    return tenant.updated_at.isoformat() if getattr(tenant, "updated_at", None) else ""


def entry_key(request) -> str:
    """The key of the request's answer (the entry says what it shows and when it was rendered)."""
    tenant = request.tenant
    changed = _changed(tenant)
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
    return f"{_prefix(tenant.schema_name)}page:{_FORMAT}:{digest}"


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


def _store(request, lookup: Lookup, response) -> None:
    """Keep the answer with the sequence its request was looked up with and the tags its page
    shows (`_keep`). Its headers are kept as WSGI's list of (name, value), which CachedPages
    hands to start_response as it is."""
    body = pickle.dumps((response.status_code, list(response.items()), response.content))
    _keep(request.tenant.schema_name, lookup.key, lookup.sequence, lookup.generation, tags_of(request), body)


def _from_stored(stored: bytes) -> HttpResponse:
    status, headers, content = pickle.loads(stored)  # noqa: S301 (written by _store, above)
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


# --- serving: in front of Django, and in its middleware -----------------------------------------


class CachedPages:
    """The WSGI application in front of Django's (rustok.wsgi): a page cache hit answered from the
    environ alone, before Django's request cycle (its request signals, the middleware chain, an
    HttpResponse with its headers set one by one).

    It answers an anonymous GET or HEAD on a host whose route this process keeps (rustok.tenancy:
    no query) and whose site is active, looked up with the language and the key the middlewares
    would find: the stored status and headers as they are, `X-Cache: hit`, and what the outer
    middlewares add to every answer (the request id, SecurityMiddleware's headers). A request
    with validators gets the 304 (or 412) UpdatePageCacheMiddleware would give. A miss goes on to
    Django with what was looked up, so FetchPageCacheMiddleware does not ask Redis again. What it
    cannot tell (a host not kept, a suspended site, credentials, an HTTPS redirect, Redis
    unavailable) goes to Django untouched; health checks, static files and uploads are never
    looked up."""

    def __init__(self, handler):
        from django.middleware.security import SecurityMiddleware

        from rustok.i18n import request_language
        from rustok.tenancy import TenantMiddleware, routes

        self.handler = handler
        self.routes = routes
        self.hostname = TenantMiddleware.hostname_from_request
        self.language = request_language
        self.security = SecurityMiddleware(handler)
        self._security_headers: dict[bool, list[tuple[str, str]]] = {}

    def __call__(self, environ, start_response):
        answer = None
        if settings.PAGE_CACHE and environ.get("REQUEST_METHOD") in _READS:
            try:
                answer = self._hit(WSGIRequest(environ))
            except SuspiciousOperation:  # a host not allowed, too many fields: Django answers 400
                answer = None
        if answer is None:
            return self.handler(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [body]

    def _tenant(self, request):
        """The request's tenant when it may be answered here, else None."""
        path = request.path
        if path in health.PATHS or path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            return None  # answered before routing, on every host
        if _personal(request):
            return None
        tenant = self.routes.kept(self.hostname(request))
        if tenant is None or not tenant.is_active or self.security.process_request(request) is not None:
            return None
        return tenant

    def _hit(self, request):
        """(status line, headers, body) of the hit, or None: Django answers."""
        tenant = self._tenant(request)
        if tenant is None:
            return None
        request_id = start_request(request.META)
        request.tenant = tenant
        request.LANGUAGE_CODE = self.language(request)
        lookup = _decide(request)
        if not lookup.eligible:
            return None
        stored = _look_up(request, lookup)
        if stored is None:
            request.META[_LOOKED_UP] = lookup  # the environ: FetchPageCacheMiddleware takes it on
            return None
        if any(name in request.META for name in _VALIDATORS):
            response = _conditional(request, _from_stored(stored))
            status, headers, content = response.status_code, list(response.items()), response.content
        else:
            status, headers, content = pickle.loads(stored)  # noqa: S301 (written by _store)
        headers.append((HEADER, HIT))
        headers += self._security(request, headers)
        headers.append(("X-Request-ID", request_id))
        return f"{status} {responses[status]}", headers, b"" if request.method == "HEAD" else content

    def _security(self, request, headers) -> list[tuple[str, str]]:
        """SecurityMiddleware's headers for the request that `headers` do not set (it leaves a
        view's own alone). They depend on the scheme alone: worked out once per scheme, by its
        process_response on a blank answer."""
        secure = request.is_secure()
        added = self._security_headers.get(secure)
        if added is None:
            blank = HttpResponse()
            before = set(blank.headers)
            self.security.process_response(request, blank)
            added = [(name, value) for name, value in blank.items() if name not in before]
            self._security_headers[secure] = added
        present = {name.lower() for name, _value in headers}
        return [(name, value) for name, value in added if name.lower() not in present]


class FetchPageCacheMiddleware:
    """Answer from the cache when the tenant has this page (after tenant and language routing),
    unless CachedPages looked it up already (then the page is rendered)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found: Lookup | None = request.META.get(_LOOKED_UP)
        lookup = _decide(request)
        if found is not None and found.key and lookup.eligible and found.key == entry_key(request):
            setattr(request, _ATTRIBUTE, found)  # looked up, not there: rendered below
            return self.get_response(request)
        setattr(request, _ATTRIBUTE, lookup)
        if lookup.eligible and settings.PAGE_CACHE:
            stored = _look_up(request, lookup)
            if stored is not None:
                lookup.hit = True
                return _from_stored(stored)
        return self.get_response(request)


def _look_up(request, lookup: Lookup):
    """The stored answer to the request if none of the tags it shows changed since it was
    rendered, or None; sets the lookup's key, sequence and generation unless Redis is
    unavailable (then nothing is stored either)."""
    key = entry_key(request)
    found = _read(request.tenant.schema_name, key)
    if found is UNAVAILABLE:
        return None
    lookup.key, lookup.sequence, lookup.generation = key, found.sequence, found.generation
    return found.body


@dataclass
class _Read:
    """What a lookup found (`_read`)."""

    sequence: str  # to store a miss's answer with: the tenant's sequence (a hit's: the entry's)
    body: bytes | None  # the stored bytes; None: a miss
    generation: int | None  # of the near copy's subscription before Redis was asked (`_keep`)


def _read(schema_name: str, key: str):
    """The entry of the schema under `key` as `_keep` stored it, if none of the tags it shows
    changed since: from this process's near copy when it may serve one (no round trip), else
    from Redis, in one round trip (a script: the sequence, the entry, its tags), and copied.
    UNAVAILABLE when Redis is."""
    near = _near()
    copy, generation = near.look(key, _location()) if near is not None else (None, None)
    if copy is not None:
        return _Read(copy.sequence, copy.body, generation)
    prefix = _prefix(schema_name)
    asked = time.monotonic()
    found = through_redis("page cache", _look_up_script, [f"{prefix}seq", key], [f"{prefix}tag:"])
    if found is UNAVAILABLE:
        return UNAVAILABLE
    sequence, body, *kept = found
    if body and generation is not None and kept[1] > 0:  # kept: the entry's tags, its TTL in ms
        tags = frozenset(kept[0].decode().split("\n"))
        copy = Copy(schema_name, sequence.decode(), tags, body, asked + kept[1] / 1000)
        near.keep(generation, key, copy, settings.PAGE_CACHE_NEAR_BYTES)
    return _Read(sequence.decode(), body or None, generation)


def _look_up_script(keys, args):
    return _script(_LOOK_UP)(keys=keys, args=args)


# --- the near copy (rustok.near_cache) -----------------------------------------------------------

_near_cache: NearCache | None = None
_starting = threading.Lock()


def _near() -> NearCache | None:
    """This process's near copy, None while PAGE_CACHE_NEAR_BYTES is 0. Made on first use with
    its subscriber thread, and again in a forked process (gunicorn's workers): a thread does not
    survive a fork."""
    global _near_cache
    if settings.PAGE_CACHE_NEAR_BYTES <= 0:
        return None
    near = near_copy()
    if near is None:
        with _starting:
            near = near_copy()
            if near is None:
                near = _near_cache = NearCache(where=_location, subscribe=_subscribe)
                near.start()
    return near


def near_copy() -> NearCache | None:
    """This process's near copy if it made one (to watch it: its subscription, what it received)."""
    near = _near_cache
    return near if near is not None and near.pid == os.getpid() else None


def _location():
    """Which Redis the `pages` cache is on (its LOCATION): copies are served while their
    subscription is live on it."""
    return _cache()._server


def _subscribe():
    """A connection of the `pages` cache's Redis subscribed to the invalidations' channel."""
    pubsub = _client().pubsub()
    pubsub.subscribe(_channel())
    return pubsub


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
            through_redis("page cache", _store, request, lookup, response)
        response = _conditional(request, response)
        response[HEADER] = MISS if lookup.key else BYPASS
        return response


# --- fragments -----------------------------------------------------------------------------------


def fragment(request, name: str, compute: Callable[[], T], *, vary=(), tags=(), shared: bool = False) -> T:
    """What `compute()` returns for the request's tenant, kept between requests as pages are: the
    frame's settings and menu, the category tree, a list's facet counts. A rendered page that is
    not kept (a miss, another query, the page cache off) reads its parts from here instead of
    asking the database again for what has not changed.

    The value shows `tags` and the tags `compute` names with `depends_on`; it is kept (in Redis,
    with the sequence read before computing) until one of them is invalidated, and the page that
    asks for it shows them too, so a kept page is dropped with its parts. `vary` is what else the
    value depends on (the language, the list's query): each value of it is kept on its own. Asked
    again in one request, the value is not read again.

    Only on a tenant's request with FRAGMENT_CACHE on, while Redis answers; otherwise `compute()`
    runs every time (its tags still named). The value is pickled: plain data and model instances.
    Each request gets its own copy, unless `shared`: a value nobody who reads it changes (the
    category tree, markup) is then unpickled once per process and handed to every request while
    the process's near copy keeps it.
    """
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.is_public or not settings.FRAGMENT_CACHE:
        return _computed(request, compute, tags)[0]
    changed = _changed(tenant)
    digest = hashlib.sha256(repr((vary, changed)).encode()).hexdigest()
    prefix = _prefix(tenant.schema_name)
    key = f"{prefix}part:{_FORMAT}:{_release()}:{name}:{digest}"
    memo = request.__dict__.setdefault(_FRAGMENTS, {})
    if key not in memo:
        found = _read(tenant.schema_name, key)
        if found is not UNAVAILABLE and found.body:
            memo[key] = _loaded(key, found.body) if shared else pickle.loads(found.body)  # noqa: S301
        else:
            memo[key] = computed = _computed(request, compute, tags)
            if found is not UNAVAILABLE:
                body = pickle.dumps(computed)
                kept = (tenant.schema_name, key, found.sequence, found.generation, computed[1], body)
                through_redis("page cache", _keep, *kept)
    value, shown = memo[key]
    request.__dict__.setdefault(_PART_TAGS, set()).update(shown)
    return value


# Shared parts as unpickled, by key: (the near copy's bytes they came from, the value).
_SHARED: dict[str, tuple[bytes, object]] = {}
MAX_SHARED = 256  # values kept; beyond, the memory starts afresh


def _loaded(key: str, body: bytes):
    """The value pickled in `body`, a shared part's: the one unpickled before while `body` is the
    same bytes object (the near copy's, which is replaced whenever the entry changes)."""
    kept = _SHARED.get(key)
    if kept is not None and kept[0] is body:
        return kept[1]
    value = pickle.loads(body)  # noqa: S301 (written by fragment)
    if len(_SHARED) >= MAX_SHARED:
        _SHARED.clear()
    _SHARED[key] = (body, value)
    return value


@functools.cache
def _release() -> str:
    """Which code computes the parts: a digest of Django's version and of the platform's Python
    files (their paths, sizes and modification times), read once per process. A part is pickled
    objects of the code that made it (model instances, dataclasses): a release that changed their
    shape reads parts of its own, never those a former release kept."""
    digest = hashlib.sha256(django.get_version().encode())
    root = Path(settings.BASE_DIR)
    for path in sorted(path for package in ("apps", "rustok") for path in (root / package).rglob("*.py")):
        found = path.stat()
        digest.update(f"{path.relative_to(root)} {found.st_size} {found.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:12]


def _computed(request, compute: Callable[[], T], tags) -> tuple[T, frozenset[str]]:
    """`compute()` and the tags it shows: `tags` and those it named (`depends_on`, also in the
    parts it showed), which the page shows as a part's."""
    if request is None:
        return compute(), frozenset(tags)
    outer = request.__dict__.pop(_TAGS, None), request.__dict__.pop(_PART_TAGS, None)
    try:
        value = compute()
    finally:
        inner = request.__dict__.pop(_TAGS, set()) | request.__dict__.pop(_PART_TAGS, set())
        shown = frozenset({*tags, *inner})
        for attribute, kept in zip((_TAGS, _PART_TAGS), outer, strict=True):
            if kept is not None:
                request.__dict__[attribute] = kept
        request.__dict__.setdefault(_PART_TAGS, set()).update(shown)
    return value, shown


def _keep(schema_name: str, key: str, sequence: str, generation: int | None, tags, body: bytes) -> None:
    """Keep `body` under `key` with the sequence it was looked up with and the tags it shows (and
    the tags every entry shows), for PAGE_CACHE_SECONDS; one round trip. Copied too, when the
    lookup began under the near copy's `generation`."""
    shown = frozenset({ALL, *(tags or {UNTAGGED})})
    pipe = _client().pipeline(transaction=True)
    pipe.hset(key, mapping={"s": sequence, "t": "\n".join(sorted(shown)), "b": body})
    pipe.expire(key, settings.PAGE_CACHE_SECONDS)
    stored = time.monotonic()
    pipe.execute()
    near = _near()
    if near is not None:
        copy = Copy(schema_name, sequence, shown, body, stored + settings.PAGE_CACHE_SECONDS)
        near.keep(generation, key, copy, settings.PAGE_CACHE_NEAR_BYTES)
