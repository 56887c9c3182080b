"""The record of the servers `make run` uses, so every local command reaches the same ones.

`make run` (deploy/local.py) finds PostgreSQL and Redis, or starts embedded ones, and writes what
it found to `.rustok/env`: one `NAME=value` line each (shell syntax, so `set -a; . .rustok/env`
works too), replaced atomically. `manage.py`, `bin/rustok`, `make shell` and `make stop` read it.
A variable set in the environment wins over the record.

This module imports nothing of Django: manage.py applies the record before settings are read.
The test suite's own processes never read it (they do not start through manage.py); a test that
runs manage.py sets the variables it relies on, or its own RUSTOK_STATE.
"""

from __future__ import annotations

import os
import shlex
import sys
import tempfile
from collections.abc import Mapping, MutableMapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The variables a command takes from the record when the environment does not set them.
CONNECTION = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "PORT")


def state_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """Where `make run` keeps the record and the embedded servers' data (`RUSTOK_STATE`)."""
    return Path(environ.get("RUSTOK_STATE") or ROOT / ".rustok")


def record_path(environ: Mapping[str, str] = os.environ) -> Path:
    return state_dir(environ) / "env"


def write(path: Path, values: Mapping[str, str], *, header: str = "") -> None:
    """Write `values` to `path` at once: a reader sees the old record or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    lines += [f"{name}={shlex.quote(str(value))}" for name, value in values.items() if value is not None]
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".env.")
    try:
        with os.fdopen(handle, "w") as out:  # mkstemp: readable by the owner only (URLs may hold passwords)
            out.write("\n".join(lines) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read(path: Path) -> dict[str, str]:
    """The record's variables; empty when there is no record."""
    try:
        text = path.read_text()
    except FileNotFoundError:
        return {}
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, _, raw = line.partition("=")
        parts = shlex.split(raw)
        values[name.strip()] = parts[0] if parts else ""
    return values


def apply(environ: MutableMapping[str, str] = os.environ, *, path: Path | None = None) -> dict[str, str]:
    """Set the record's connection variables that `environ` lacks; return those set.

    Warns on stderr when the record names an embedded server that is not running (after
    `make stop`), since the command would otherwise fail with a bare connection error.
    """
    record = read(path or record_path(environ))
    applied = {name: record[name] for name in CONNECTION if record.get(name) and not environ.get(name)}
    environ.update(applied)
    if "DATABASE_URL" in applied or "REDIS_URL" in applied:
        for server in stopped_servers(record):
            print(
                f"rustok: the embedded {server} recorded in {path or record_path(environ)} is not "
                "running; `make run` starts it again",
                file=sys.stderr,
            )
    return applied


def stopped_servers(record: Mapping[str, str]) -> list[str]:
    """The embedded servers of the record whose pid file is gone (each removes it when it stops)."""
    stopped = []
    data = record.get("RUSTOK_POSTGRES_DATA")
    if data and not (Path(data) / "postmaster.pid").exists():
        stopped.append("PostgreSQL")
    pidfile = record.get("RUSTOK_REDIS_PIDFILE")
    if pidfile and not Path(pidfile).exists():
        stopped.append("Redis")
    return stopped
