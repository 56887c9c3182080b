"""Writing thousands of new rows at once with PostgreSQL's COPY: for imports and the outbox rows
of their events, where Django's bulk_create spent more time compiling its INSERT value by value
than the database spent writing the rows.

    new_product = maker(Product)                             # a fast constructor of new instances
    products = [new_product(product_type=t, name_en=name) for t, name in given]
    insert(products)                                         # new instances: ids set, as bulk_create
    copy_rows(Product.categories.through, ["product_id", "productcategory_id"], pairs)

Both write to the table of the current schema (the connection's search_path, as every query of
a tenant), in the caller's transaction, and, like bulk_create, call no save() and send no signal.
The statements are composed from the models' own table and column names (quoted identifiers),
never from input; the values travel as COPY data, not as SQL. Each COPY is one entry in the
connection's query log, so query counts in tests see it.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from psycopg import sql

M = TypeVar("M", bound=Model)


def maker(model: type[M]) -> Callable[..., M]:
    """A constructor of new `model` instances for code that makes thousands of them: `make(**kw)`
    is `model(**kw)`, every field at its default and then each keyword set as an attribute, but
    the defaults are computed once (per instance only where the default is a callable) and given
    to the model's positional fast path. modeltranslation otherwise computes the default of every
    translation column, under a switch of language, for each instance."""
    fields = model._meta.concrete_fields
    template = [None if f.has_default() and callable(f.default) else f.get_default() for f in fields]
    dynamic = [(i, f) for i, f in enumerate(fields) if f.has_default() and callable(f.default)]

    def make(**kwargs) -> M:
        values = template
        if dynamic:
            values = list(template)
            for index, field in dynamic:
                values[index] = field.get_default()
        obj = model(*values)
        for name, value in kwargs.items():
            setattr(obj, name, value)
        return obj

    return make


def copy_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write `rows` (tuples of values in database form, in the order of `columns`, which are
    column names of `model`'s table) with one COPY; no statement at all without rows. Returns
    how many rows were written."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    connection = connections[DEFAULT_DB_ALIAS]
    written = 0
    started = time.monotonic()
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in itertools.chain([first], rows):
            copy.write_row(row)
            written += 1
    if connection.queries_logged:
        text = statement.as_string(cursor.cursor.connection)
        connection.queries_log.append(
            {"sql": f"{text} -- {written} rows", "time": f"{time.monotonic() - started:.3f}"}
        )
    return written


def insert(objs: Sequence[Model]) -> Sequence[Model]:
    """Insert new instances of one model (without primary keys) as bulk_create would: their ids
    taken from the table's sequence in one query, in their order, then one COPY of every concrete
    field. A foreign key to an instance saved after it was assigned is followed, as by save();
    one to an unsaved instance is a ValueError. Returns `objs`, saved."""
    if not objs:
        return objs
    model = type(objs[0])
    opts = model._meta
    pk = opts.pk
    if any(type(obj) is not model or obj.pk is not None for obj in objs):
        raise ValueError(f"insert() takes new {model.__name__} instances only.")
    connection = connections[DEFAULT_DB_ALIAS]  # not the proxy: read for every value below
    fields = [f for f in opts.concrete_fields if f is not pk and not f.generated]
    relations = [f for f in fields if f.is_relation]
    for obj in objs:
        for field in relations:
            related = field.get_cached_value(obj) if field.is_cached(obj) else None
            if related is None:
                continue
            if related.pk is None:
                raise ValueError(
                    f"insert() prohibited to prevent data loss due to unsaved related object '{field.name}'."
                )
            if getattr(obj, field.attname) is None:
                setattr(obj, field.name, related)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(opts.db_table), pk.column, len(objs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    rows = (
        (pk_value, *(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields))
        for obj, pk_value in zip(objs, ids, strict=True)
    )
    copy_rows(model, [pk.column, *(f.column for f in fields)], rows)
    for obj, pk_value in zip(objs, ids, strict=True):
        setattr(obj, pk.attname, pk_value)
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs
