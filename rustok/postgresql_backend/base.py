"""The database backend: django-tenants' PostgreSQL backend, whose health check of a persistent
connection costs no round trip while the connection is quiet.

With CONN_HEALTH_CHECKS Django asks a reused connection `SELECT 1` before the first query of each
request: a round trip per request, as long as the page's own query on a small page. A connection
the server has closed since its last use (a restart, a terminated backend, an idle timeout) has
something to read: the server's last message, or the end of the stream. So its socket is polled
first, without waiting: nothing to read, the connection is as the last request left it and no
query is sent; anything to read (or a socket that cannot be polled), Django's own check runs and
closes the connection if it fails, so the request opens a new one. A server that vanished without
a word (a network cut) is caught by neither check: the request's query times out instead
(rustok.database).
"""

from __future__ import annotations

import select

from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper


def quiet(connection) -> bool:
    """Whether the server has sent nothing on `connection` (a psycopg connection) since it was
    last read."""
    try:
        poller = select.poll()
        poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
        return not poller.poll(0)
    except Exception:  # closed, broken: not known to be quiet
        return False


class DatabaseWrapper(TenantDatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not getattr(self, "pool", None)
            and quiet(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
