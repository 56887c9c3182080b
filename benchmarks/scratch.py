"""A throw-away database for benchmarks, on the server of DATABASE_URL (or the local default)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from urllib.parse import urlparse

import psycopg
from psycopg import sql


@contextmanager
def scratch_database(name: str, *, keep: bool = False):
    """Create database `name`, point DATABASE_URL at it for the block, drop it afterwards."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rustok")
    url = urlparse(base)._replace(path=f"/{name}").geturl()
    _drop(url)
    _admin(url, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    os.environ["DATABASE_URL"] = url
    try:
        yield url
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            _drop(url)


def _admin(url: str, statement: sql.Composed) -> None:
    admin = urlparse(url)._replace(path="/postgres", scheme="postgresql").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(statement)


def _drop(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    _admin(url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
