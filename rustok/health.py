"""/health/live and /health/ready on every host, answered before tenant routing.

live: the process answers. ready: the database answers, Redis answers, and no migration of the
public schema is pending. Ready answers 503 naming the failing part.

Ready also reports the event backlog over every tenant's outbox. Past EVENTS_BACKLOG_LIMIT
pending events or an oldest pending event older than EVENTS_LAG_LIMIT_SECONDS, it says
"degraded" but still answers 200: the platform serves, its read models lag behind. Taking it
out of the load balancer would not drain the backlog.
"""

from __future__ import annotations

import time

import redis
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import NO_DB_ALIAS
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import load_backend
from django.http import JsonResponse

from rustok.hooks import Hook

outbox_states = Hook(
    "event backlog",
    "() -> the outbox state of every schema (pending, lag, dead letters); provided by the events module.",
)

# The paths answered here, with or without the trailing slash (the page cache never looks them up).
LIVE = frozenset({"/health/live", "/health/live/"})
READY = frozenset({"/health/ready", "/health/ready/"})
PATHS = LIVE | READY

_migrations_seen_applied = False


def check_database() -> str | None:
    """None when the database answers a query; else the reason. Uses its own short connection."""
    params = dict(connections[DEFAULT_DB_ALIAS].settings_dict)
    params["OPTIONS"] = {**params.get("OPTIONS", {}), "connect_timeout": settings.HEALTH_CHECK_TIMEOUT}
    # NO_DB_ALIAS: signal receivers (django.contrib.postgres) leave this probe connection alone.
    wrapper = load_backend(params["ENGINE"]).DatabaseWrapper(params, alias=NO_DB_ALIAS)
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        return _reason(exc)
    finally:
        wrapper.close()
    return None


def check_redis() -> str | None:
    """None when Redis answers PING; else the reason."""
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=settings.HEALTH_CHECK_TIMEOUT,
            socket_timeout=settings.HEALTH_CHECK_TIMEOUT,
        )
        client.ping()
        client.close()
    except Exception as exc:
        return _reason(exc)
    return None


def check_migrations() -> str | None:
    """None when the public schema has no unapplied migration; else how many are pending.

    Computing the plan loads every migration, so once it is empty the answer is kept for the
    life of the process (new migrations arrive only with new code, that is, a new process).
    """
    global _migrations_seen_applied
    if _migrations_seen_applied:
        return None
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.set_schema_to_public()
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        return _reason(exc)
    if plan:
        return f"{len(plan)} unapplied migration(s), first {plan[0][0].app_label}.{plan[0][0].name}"
    _migrations_seen_applied = True
    return None


_events_seen: tuple[float, dict] | None = None


def check_events() -> dict:
    """The event backlog summed over tenants: {"status": "ok"|"degraded", "backlog", ...}.

    One query over every tenant's outbox, bounded by HEALTH_CHECK_TIMEOUT (statement and lock
    timeouts: a migration holding a lock cannot make the probe hang), and kept for
    HEALTH_EVENTS_CACHE_SECONDS so frequent probes cost one query per interval.
    """
    global _events_seen
    if _events_seen is not None and time.monotonic() - _events_seen[0] < settings.HEALTH_EVENTS_CACHE_SECONDS:
        return dict(_events_seen[1])
    connection = connections[DEFAULT_DB_ALIAS]
    connection.set_schema_to_public()
    limit_ms = str(int(settings.HEALTH_CHECK_TIMEOUT * 1000))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('statement_timeout', %s, true), set_config('lock_timeout', %s, true)",
            [limit_ms, limit_ms],
        )
        states = outbox_states()
    backlog = sum(state.pending for state in states)
    oldest = max((state.lag_seconds for state in states), default=0.0)
    late = max((state.relay_lag_seconds for state in states), default=0.0)
    entry = {
        "status": "ok",
        "backlog": backlog,
        "oldest_pending_seconds": round(oldest, 1),
        "relay_lag_seconds": round(late, 1),
        "dead_letters": sum(state.dead_letters for state in states),
    }
    reasons = []
    if backlog > settings.EVENTS_BACKLOG_LIMIT:
        reasons.append(f"{backlog} pending events (limit {settings.EVENTS_BACKLOG_LIMIT})")
    # Lateness counts from when an event was due, not from when it occurred: an event that waits
    # out a failing handler's backoff is not a relay falling behind.
    if late > settings.EVENTS_LAG_LIMIT_SECONDS:
        reasons.append(
            f"a due event has waited {late:.0f}s for a relay (limit {settings.EVENTS_LAG_LIMIT_SECONDS}s)"
        )
    if reasons:
        entry["status"] = "degraded"
        entry["reason"] = "; ".join(reasons)
    _events_seen = (time.monotonic(), entry)
    return dict(entry)


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def readiness() -> tuple[bool, dict]:
    """Run every readiness check; returns (ready, {part: {"status", "error"?, "ms"}})."""
    checks = {"database": check_database, "redis": check_redis, "migrations": check_migrations}
    report: dict[str, dict] = {}
    ready = True
    for name, check in checks.items():
        if name == "migrations" and report["database"]["status"] != "ok":
            report[name] = {"status": "unknown", "error": "database unavailable"}
            continue
        started = time.monotonic()
        error = check()
        entry = {
            "status": "ok" if error is None else "down",
            "ms": round((time.monotonic() - started) * 1000, 1),
        }
        if error:
            entry["error"] = error
            ready = False
        report[name] = entry
    if report["migrations"]["status"] == "ok":
        started = time.monotonic()
        try:
            report["events"] = check_events()
        except Exception as exc:  # the backlog is information; it never makes the platform unready
            report["events"] = {"status": "unknown", "error": _reason(exc)}
        report["events"]["ms"] = round((time.monotonic() - started) * 1000, 1)
    return ready, report


class HealthMiddleware:
    """Answer the health paths before any tenant lookup, so they work on every host."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in LIVE:
            return JsonResponse({"status": "ok"})
        if request.path in READY:
            ready, report = readiness()
            failing = [
                name
                for name, entry in report.items()
                if entry["status"] not in ("ok", "degraded") and name != "events"
            ]
            degraded = [name for name, entry in report.items() if entry["status"] == "degraded"]
            status = "unavailable" if not ready else "degraded" if degraded else "ok"
            body = {"status": status, "checks": report}
            if failing:
                body["failing"] = failing
            if degraded:
                body["degraded"] = degraded
            return JsonResponse(body, status=200 if ready else 503)
        return self.get_response(request)
