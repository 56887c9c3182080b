"""Projections: how a module's objects become search documents, kept current by its events.

A module declares its projections in `projections.py`:

    class PageProjection(Projection):
        name = "content.pages"              # unique; also the handler's name in the event bus
        document_type = "page"              # the `type` of its documents (and of search results)
        events = ("content.node.published", "content.node.unpublished", ...)

        def interested(self, envelope):     # optional: whether the event can change documents
            return envelope.event.kind == "page"

        def affected(self, envelope):       # ids of the objects an event touches
            return [envelope.event.node_id]

        def documents(self, ids):           # their documents now, read from the write side
            for page in Page.objects.filter(pk__in=ids, status="published"):
                yield Doc(object_id=page.pk, language="en", title=page.title, body=page.text)

        def all_ids(self):                  # every object that may have documents (rebuilds)
            return Page.objects.values_list("pk", flat=True)

    projections = [PageProjection()]

Optional: `key_labels` names the values of `key:<group>` facets for readers, `facet_values` lists
the values a facet can find so that search counts it with the others in one pass.

An event reaches a projection only if `interested` says so (the bus does not even record a
delivery otherwise), so an event about a post runs the post projection alone, and an event
that can only concern drafts runs none. An object whose `documents` yields nothing (deleted, a
draft) is removed from the index. Because
a projection recomputes from the current state instead of applying the event's delta, the
order events arrive in does not matter, replays are harmless, and a rebuild gives the same
documents as the live updates did.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import multiprocessing
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections, transaction

from apps.index import tags
from rustok import page_cache
from rustok.events import Envelope, subscribe

# PostgreSQL text search configurations by language; others get 'simple' (no stemming).
TEXT_CONFIGS = {"en": "english", "ru": "russian"}


def text_config(language: str) -> str:
    """The text search configuration documents and queries of `language` are parsed with."""
    return TEXT_CONFIGS.get(language, "simple")


@dataclasses.dataclass(frozen=True)
class Doc:
    """One object's document in one language, as a projection computes it."""

    object_id: int | str
    language: str
    title: str
    body: str = ""
    url: str = ""
    data: dict[str, Any] = dataclasses.field(default_factory=dict)
    detail: dict[str, Any] = dataclasses.field(default_factory=dict)
    categories: Sequence[str] = ()
    tags: Sequence[str] = ()
    keys: Sequence[str] = ()
    price: Decimal | None = None
    availability: str = ""
    published_at: dt.datetime | None = None
    # The language the text is really in, when a fallback's text stands in for `language`'s
    # (it decides how the text is parsed for search); default: `language`.
    text_language: str = ""


class Projection:
    """Base of projections; see the module docstring."""

    name: str = ""
    document_type: str = ""
    label: str = ""  # what readers call a document of this type (search page); default: the type
    events: tuple[str, ...] = ()
    app_label: str = ""  # the declaring module's app, set when discovered

    def interested(self, envelope: Envelope) -> bool:
        """Whether `envelope` may change this projection's documents (default: every event it
        declared). Answer from the event alone: it decides whether the handler runs at all."""
        return True

    def affected(self, envelope: Envelope) -> Iterable[int | str]:
        raise NotImplementedError(f"{type(self).__name__} must say which objects an event touches")

    def documents(self, ids: list[str]) -> Iterable[Doc]:
        raise NotImplementedError(f"{type(self).__name__} must compute documents")

    def all_ids(self) -> Iterable[int | str]:
        raise NotImplementedError(f"{type(self).__name__} must list its objects for rebuilds")

    def key_labels(self, keys: list[str], language: str) -> dict[str, str]:
        """Optional: what readers of `language` call these keys' values (a collection's name for
        `collection:3`), shown in `key:<group>` facets; a key left out shows as itself."""
        return {}

    def facet_values(self, facet: str) -> list[str] | None:
        """Optional: every value the facet `facet` (`availability` or `key:<group>`) can find
        among this projection's documents, when a few queries tell: `["in_stock",
        "out_of_stock"]`, `["collection:1", "collection:2"]`. Such facets are counted together,
        value by value, in one pass over the matching documents, instead of grouping every
        matching document's values. None (the default): not known, or too many to list."""
        return None


_projections: dict[str, Projection] = {}


def all_projections() -> dict[str, Projection]:
    """Every discovered projection by name."""
    return dict(_projections)


def get(name: str) -> Projection:
    try:
        return _projections[name]
    except KeyError:
        from rustok.errors import InvalidInput

        known = ", ".join(sorted(_projections)) or "none"
        raise InvalidInput.for_field("projection", f"No projection '{name}'. Known: {known}.") from None


def document_types() -> dict[str, Projection]:
    """Projections by the document type they write."""
    return {p.document_type: p for p in _projections.values()}


def register(projection: Projection, app_label: str) -> None:
    """Add a projection and subscribe it to its events (called for each module's projections.py)."""
    if not projection.name or not projection.document_type or not projection.events:
        raise ImproperlyConfigured(f"{type(projection).__name__} needs a name, a document_type and events.")
    if projection.name in _projections:
        if type(_projections[projection.name]) is type(projection):
            return
        raise ImproperlyConfigured(f"Two projections are named '{projection.name}'.")
    if projection.document_type in document_types():
        raise ImproperlyConfigured(f"Two projections write documents of type '{projection.document_type}'.")
    projection.app_label = app_label
    _projections[projection.name] = projection
    for event_type in projection.events:
        subscribe(
            event_type, name=f"index.{projection.name}", app_label=app_label, when=projection.interested
        )(_handler(projection))


def _handler(projection: Projection) -> Callable[[Envelope], None]:
    def project(envelope: Envelope) -> None:
        apply(projection, projection.affected(envelope))

    project.__qualname__ = f"project[{projection.name}]"
    return project


def autodiscover() -> None:
    """Register the projections of every module (their `projections.py`)."""
    from rustok.modules import registry

    for module in registry:
        if module.app_label == "index":
            continue  # this file: the framework, not a module's declarations
        found = module.submodule("projections")
        for projection in getattr(found, "projections", ()) if found else ():
            register(projection, module.app_label)


# NUL cannot be stored; \x02 and \x03 mark matches in search snippets.
_CONTROL = str.maketrans("", "", "\x00\x02\x03")


def _clean(text: str) -> str:
    return (text or "").translate(_CONTROL)


def _lock_objects(document_type: str, ids: list[str]) -> dt.datetime:
    """Lock these objects' documents until the transaction ends; return the database's time.

    Two relays (or a relay and a rebuild) updating the same object take turns, so the one that
    read the object last also writes last. The time is read after the locks, from one clock
    (the database's), so a rebuild's "not written since I began" test is exact.
    """
    keys = [f"index:{document_type}:{object_id}" for object_id in ids]
    with connection.cursor() as cursor:
        # In hash order, so two batches never wait on each other in a cycle.
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(h)) FROM "
            "(SELECT hashtext(k) AS h FROM unnest(%s::text[]) AS k ORDER BY 1) AS locks",
            [keys],
        )
    return _database_now()


def _database_now() -> dt.datetime:
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


# A document's search vector, computed from the written row `r` as it is written: the title
# weighs most (A), then its categories and tags (B), then its body (C); the arrays are read as
# their text ({"Green tea",Japan}).
_VECTOR = (
    "setweight(to_tsvector(r.config::regconfig, coalesce(r.title, '')), 'A')"
    " || setweight(to_tsvector(r.config::regconfig,"
    " coalesce(r.categories::text, '') || ' ' || coalesce(r.tags::text, '')), 'B')"
    " || setweight(to_tsvector(r.config::regconfig, coalesce(r.body, '')), 'C')"
)


def _upsert(rows: list[dict[str, Any]], now: dt.datetime) -> None:
    """Write these documents (new or replacing their row) with their search vector, in one
    statement: the rows travel as one JSON array, so a batch of a thousand documents is one
    parameter, and each row and its indexes are written once, not inserted and then updated."""
    from apps.index.models import WRITTEN_FIELDS, Document

    meta, quote = Document._meta, connection.ops.quote_name
    given = ["type", "object_id", "language", *(name for name in WRITTEN_FIELDS if name != "indexed_at")]
    written = [*given, "indexed_at", "search_vector"]
    declared = ", ".join(f"{quote(name)} {meta.get_field(name).db_type(connection)}" for name in given)
    updated = ", ".join(f"{quote(name)} = EXCLUDED.{quote(name)}" for name in written[3:])
    statement = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(map(quote, written))}) "  # noqa: S608 (names, not input)
        f"SELECT {', '.join(f'r.{quote(name)}' for name in given)}, %s, {_VECTOR} "
        f"FROM jsonb_to_recordset(%s::jsonb) AS r({declared}) "
        f"ON CONFLICT (type, object_id, language) DO UPDATE SET {updated}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [now, json.dumps(rows, ensure_ascii=False)])


@transaction.atomic
def apply(projection: Projection, ids: Iterable[int | str]) -> int:
    """Bring the documents of these objects up to date; returns how many documents were written."""
    from apps.index.models import Document

    ids = sorted({str(i) for i in ids})
    if not ids:
        return 0
    now = _lock_objects(projection.document_type, ids)
    rows = {}
    for doc in projection.documents(ids):
        object_id = str(doc.object_id)
        rows[(object_id, doc.language)] = {
            "type": projection.document_type,
            "object_id": object_id,
            "language": doc.language,
            "config": text_config(doc.text_language or doc.language),
            "title": _clean(doc.title),
            "body": _clean(doc.body),
            "url": doc.url,
            "data": doc.data,
            "detail": doc.detail,
            "categories": list(doc.categories),
            "tags": list(doc.tags),
            "keys": list(doc.keys),
            "price": None if doc.price is None else str(doc.price),
            "availability": doc.availability,
            "published_at": doc.published_at.isoformat() if doc.published_at else None,
        }
    mine = Document.objects.filter(type=projection.document_type, object_id__in=ids)
    before = list(mine.values_list("object_id", "keys"))
    if rows:
        _upsert(list(rows.values()), now)
    deleted, _ = mine.exclude(indexed_at=now).delete()  # objects (or languages) with no document now
    if rows or deleted:
        # Readers' pages show documents: those of these objects, and the lists of their keys
        # before and after (a product leaving a category leaves that category's page).
        page_cache.invalidate_tags_on_commit(_page_tags(projection.document_type, before, rows.values()))
    return len(rows)


def _page_tags(document_type: str, before, written) -> set[str]:
    """The page cache tags (apps.index.tags) of documents as they were and as they are written."""
    found = {tags.of_type(document_type)}
    for object_id, keys in [*before, *((row["object_id"], row["keys"]) for row in written)]:
        found.add(tags.of_object(document_type, object_id))
        found.update(tags.of_key(document_type, key) for key in keys)
    return found


def rebuild(projection: Projection, *, batch_size: int = 500, progress=None, workers: int = 1) -> int:
    """Recompute every document of `projection` from the write side; returns how many exist.

    Batches commit one by one, so searches keep answering during a rebuild; documents of
    objects that no longer exist are deleted at the end. `progress(done, total)` is told of
    each batch done. With `workers` above 1 the batches are shared among as many processes
    (forked from this one, each with its own database connection): a rebuild is computing as
    much as writing, and one process uses one core. Inside a transaction (its rows would be
    invisible to the other processes' connections) the batches are made here, one by one.
    """
    from apps.index.models import Document

    started = _database_now()
    ids = [str(i) for i in projection.all_ids()]
    batches = [ids[start : start + batch_size] for start in range(0, len(ids), batch_size)]
    parallel = workers > 1 and len(batches) > 1 and not connection.in_atomic_block
    made = _made_in_processes(projection, batches, workers) if parallel else _made_here(projection, batches)
    written = done = 0
    for count, size in made:
        written, done = written + count, done + size
        if progress:
            progress(done, len(ids))
    if progress and not ids:
        progress(0, 0)
    stale, _ = Document.objects.filter(type=projection.document_type, indexed_at__lt=started).delete()
    if stale:
        page_cache.invalidate_on_commit()
    return written


def _made_here(projection: Projection, batches: list[list[str]]):
    for batch in batches:
        yield apply(projection, batch), len(batch)


def _made_in_processes(projection: Projection, batches: list[list[str]], workers: int):
    """Each batch applied in one of `workers` forked processes; yields (written, size) per batch
    as they end. The forks inherit the connection's schema; its socket is closed first, so
    each opens its own."""
    connections.close_all()
    context = multiprocessing.get_context("fork")
    pool = context.Pool(min(workers, len(batches)))
    try:
        yield from pool.imap_unordered(_apply_batch, [(projection.name, batch) for batch in batches])
    except BaseException:  # a batch failed, or the caller stopped reading: stop the others
        pool.terminate()
        raise
    else:
        pool.close()
    finally:
        pool.join()


def _apply_batch(job: tuple[str, list[str]]) -> tuple[int, int]:
    """In a worker process: one batch, on a connection of its own, closed after it (the worker
    ends with the pool, with no chance to close it then)."""
    name, batch = job
    try:
        return apply(get(name), batch), len(batch)
    finally:
        connections.close_all()


def clear(projection: Projection) -> int:
    """Delete every document of `projection` (its module was switched off)."""
    from apps.index.models import Document

    deleted, _ = Document.objects.filter(type=projection.document_type).delete()
    if deleted:
        page_cache.invalidate_on_commit()
    return deleted
