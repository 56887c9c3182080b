"""The database seen from a request: bounded waits, and a 503 when it is down or busy.

A request's queries may run at most REQUEST_STATEMENT_TIMEOUT seconds and wait at most
REQUEST_LOCK_TIMEOUT seconds for a row or table lock, so a held lock or a runaway query cannot
hold a web worker (workers and commands keep PostgreSQL's defaults: rebuilds and migrations may
take longer). The timeouts are set once per connection, when it is made, in processes that serve
requests (`bound_request_queries`, called by rustok.wsgi).

A database that refuses connections, drops them, cancels a query at its timeout or gives up
waiting for a lock raises OperationalError or InterfaceError: an outage or a busy moment, not a
bug, so the request is answered 503 with Retry-After (`unavailable`), whichever interface it
came by.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.backends.signals import connection_created

from rustok.errors import Unavailable

log = logging.getLogger(__name__)

OUTAGES = (OperationalError, InterfaceError)


def _bound(sender, connection, **kwargs) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('statement_timeout', %s, false), set_config('lock_timeout', %s, false)",
            [
                f"{int(settings.REQUEST_STATEMENT_TIMEOUT * 1000)}ms",
                f"{int(settings.REQUEST_LOCK_TIMEOUT * 1000)}ms",
            ],
        )


def bound_request_queries() -> None:
    """Give every database connection this process makes the request timeouts."""
    connection_created.connect(_bound, dispatch_uid="rustok.database.bound")


def unavailable(exc: BaseException | None) -> Unavailable | None:
    """The answer for `exc` if it says the database is down or busy (logged), else None."""
    if not isinstance(exc, OUTAGES):
        return None
    log.error("database unavailable: %s", str(exc).strip() or type(exc).__name__)
    return Unavailable(
        "The site's database is unavailable or busy just now. Try again shortly.",
        retry_after=settings.DATABASE_RETRY_AFTER,
    )
