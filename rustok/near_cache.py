"""The page cache's near copy: the entries a web process read from Redis or stored there, kept in
its own memory too, so asking for them again costs no Redis round trip.

rustok.page_cache keeps pages and parts of pages in Redis; reading one is a round trip, which on a
small machine costs about as much as the rest of a hit. A process keeps here, per entry key, the
tenant's schema, the sequence the entry was stored with, the tags it shows (`*` among them), the
stored bytes and when it expires (when the Redis entry does, by the TTL read with it, or
PAGE_CACHE_SECONDS after storing it). At most PAGE_CACHE_NEAR_BYTES of stored bytes are kept, the
least recently used dropped first.

A copy stays exact because invalidations are pushed: the page cache's invalidation script also
publishes (sequence, schema, tags) on a channel of the `pages` cache, and one daemon thread per
process (started by rustok.page_cache on first use, and again in a forked child) is subscribed
to it on a connection of its own. A message drops the schema's copies that show one of its tags.
Copies are served only while that subscription is known to be live on the Redis the `pages`
cache uses: the thread pings Redis every PING_SECONDS, and a ping left unanswered for as long, or
any error on the connection, drops every copy and stops their use until it is subscribed again
(messages may have been missed meanwhile). So an invalidation reaches another process's copies
when its message does (well under a millisecond on one network; a process busy with a request
takes it at its next switch of Python threads, within a few milliseconds), or, when the
subscription is lost, within about twice PING_SECONDS; the invalidating process drops its own
at once.

A lookup that read an entry from Redis at sequence L may get its message of a later invalidation
before it copies the entry: the process remembers its last invalidations, and copies nothing
that one of them above L touched, nor anything read at a sequence below those it no longer
remembers, nor anything read before the subscription's current *generation* began (messages
may have been missed then).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

log = logging.getLogger(__name__)

PING_SECONDS = 1.0  # how often the subscription's connection is checked; unanswered for as long: lost
_RECENT = 256  # invalidations remembered for lookups under way (of every schema)


@dataclass(slots=True)
class Copy:
    """One kept entry: what Redis holds under its key."""

    schema: str
    sequence: str  # the tenant's sequence the entry was stored with
    tags: frozenset[str]
    body: bytes
    expires: float  # time.monotonic() when it expires: not after its Redis entry


class Lost(Exception):
    """The subscription's connection stopped answering."""


def _parsed(data: bytes) -> tuple[str, int, frozenset[str]]:
    """(schema, sequence, tags) of a message: the sequence, the schema, then the tags, one a line
    (a tag never holds a line break: entries keep theirs one a line)."""
    sequence, schema, *tags = data.decode().split("\n")
    return schema, int(sequence), frozenset(tags)


class NearCache:
    """The copies of one process, and the subscription that keeps them exact.

    `where()` says which Redis the `pages` cache is on now (its LOCATION); `subscribe()` returns a
    redis-py PubSub of that Redis subscribed to the invalidations' channel. Both are called from
    the thread, which follows the `pages` cache when its settings change.
    """

    def __init__(self, *, where: Callable[[], object], subscribe: Callable[[], object]):
        self.pid = os.getpid()
        self._where = where
        self._subscribe = subscribe
        self._lock = threading.Lock()
        self._copies: OrderedDict[str, Copy] = OrderedDict()  # least recently used first
        self._schemas: dict[str, set[str]] = {}  # schema -> keys of its copies
        self._bytes = 0
        self._recent: deque[tuple[str, int, frozenset[str]]] = deque()
        self._floor: dict[str, int] = {}  # schema -> highest sequence no longer in _recent
        self.location: object = None  # where the live subscription is; None while there is none
        self.generation = 0  # counts the subscription's changes: a lookup began under one
        self.received = 0  # invalidation messages handled

    # --- readers -----------------------------------------------------------------------------

    def look(self, key: str, location: object) -> tuple[Copy | None, int | None]:
        """(the copy of `key` if it may be served, the generation to copy a Redis read under).

        Nothing is served, and the generation is None (nothing will be copied), while the
        subscription is not live on `location`."""
        with self._lock:
            if self.location is None or self.location != location:
                return None, None
            found = self._copies.get(key)
            if found is not None:
                if found.expires > time.monotonic():
                    self._copies.move_to_end(key)
                    return found, self.generation
                self._drop(key)
            return None, self.generation

    def keep(self, generation: int | None, key: str, copy: Copy, bound: int) -> None:
        """Copy an entry read from Redis or stored there at `copy.sequence` by a lookup begun under
        `generation`, unless a message may have been missed since, an invalidation received
        since touched its tags, or it is over `bound` alone; then drop the least recently used
        copies over `bound` bytes in all."""
        if generation is None or len(copy.body) > bound:
            return
        with self._lock:
            if generation != self.generation or self._touched(copy):
                return
            if key in self._copies:
                self._drop(key)
            self._copies[key] = copy
            self._schemas.setdefault(copy.schema, set()).add(key)
            self._bytes += len(copy.body)
            while self._bytes > bound:
                self._drop(next(iter(self._copies)))

    def invalidated(self, schema: str, sequence: int, tags: Iterable[str]) -> None:
        """Drop the schema's copies that show any of `tags`, and remember the invalidation for the
        lookups under way (`keep`)."""
        tags = frozenset(tags)
        with self._lock:
            self.received += 1
            if len(self._recent) >= _RECENT:
                gone_schema, gone_sequence, _tags = self._recent.popleft()
                self._floor[gone_schema] = max(self._floor.get(gone_schema, 0), gone_sequence)
            self._recent.append((schema, sequence, tags))
            for key in list(self._schemas.get(schema, ())):
                if self._copies[key].tags & tags:
                    self._drop(key)

    def clear(self) -> None:
        """Drop every copy and what was remembered of invalidations."""
        with self._lock:
            self._clear()

    def _touched(self, copy: Copy) -> bool:
        """Whether an invalidation received above the copy's sequence may have touched it."""
        sequence = int(copy.sequence)
        if sequence < self._floor.get(copy.schema, 0):
            return True  # no longer remembered which tags it touched
        return any(
            schema == copy.schema and above > sequence and tags & copy.tags
            for schema, above, tags in self._recent
        )

    def _drop(self, key: str) -> None:
        copy = self._copies.pop(key)
        self._bytes -= len(copy.body)
        keys = self._schemas[copy.schema]
        keys.discard(key)
        if not keys:
            del self._schemas[copy.schema]

    def _clear(self) -> None:
        self._copies.clear()
        self._schemas.clear()
        self._bytes = 0
        self._recent.clear()
        self._floor.clear()

    # --- the subscription --------------------------------------------------------------------

    def start(self) -> None:
        """Start the process's subscriber thread (a daemon: it ends with the process)."""
        threading.Thread(target=self._subscribed_forever, name="page-cache-near", daemon=True).start()

    def _subscribed_forever(self) -> None:
        while True:
            try:
                self._listen()
            except Exception as exc:
                if self.location is not None:
                    log.warning(
                        "page cache copies dropped: invalidations unheard (%s)", exc or type(exc).__name__
                    )
            self._set_live(None)
            time.sleep(PING_SECONDS)

    def _listen(self) -> None:
        """Subscribe, then handle messages and ping until the connection fails, stops answering,
        or the `pages` cache moves to another Redis."""
        location = self._where()
        pubsub = self._subscribe()
        try:
            self._await_subscription(pubsub)
            self._set_live(location)
            asked = answered = time.monotonic()
            pubsub.ping()
            while self._where() == location:
                now = time.monotonic()
                if now - asked >= PING_SECONDS:
                    if answered < asked:
                        raise Lost(f"no answer to a ping within {PING_SECONDS}s")
                    pubsub.ping()
                    asked = now
                received = pubsub.get_message(timeout=max(0.0, asked + PING_SECONDS - now))
                if received is None:
                    continue
                answered = time.monotonic()
                if received["type"] == "message":
                    self.invalidated(*_parsed(received["data"]))
        finally:
            pubsub.close()

    @staticmethod
    def _await_subscription(pubsub) -> None:
        deadline = time.monotonic() + 2 * PING_SECONDS
        while (left := deadline - time.monotonic()) > 0:
            received = pubsub.get_message(timeout=left)
            if received is not None and received["type"] == "subscribe":
                return
        raise Lost("no answer to the subscription")

    def _set_live(self, location: object) -> None:
        """Live on `location` (None: not live): a new generation, with no copy."""
        with self._lock:
            if location is not None and self.location is None:
                log.info("page cache copies in use: subscribed to invalidations")
            self.location = location
            self.generation += 1
            self._clear()
