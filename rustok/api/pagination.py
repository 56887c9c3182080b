"""The pages of every REST list: `?limit=` (default PAGE_SIZE, at most MAX_LIMIT) and `?offset=`.

A limit above MAX_LIMIT is clamped to it, so a client can never ask the database for a page it
cannot count (a limit beyond 64 bits failed in PostgreSQL) or for a whole table at once. An
offset past the end is an empty page, answered without a query for the rows.
"""

from __future__ import annotations

from rest_framework.pagination import LimitOffsetPagination

MAX_LIMIT = 100


class Pagination(LimitOffsetPagination):
    """Limit and offset, with the limit clamped to MAX_LIMIT (the REST_FRAMEWORK default)."""

    max_limit = MAX_LIMIT
