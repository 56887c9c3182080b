"""The access matrix of search (tests/access_matrix.py): public, over the published documents."""

from __future__ import annotations

from rustok.permissions import PUBLIC
from tests.access_matrix import EVERYONE, On, graphql, rest

ENTRIES = [
    rest("GET /api/v1/search/", PUBLIC, On("all", EVERYONE), query="q=page"),
    graphql(
        "Query.search",
        PUBLIC,
        "query($q: String) { search(q: $q) { count results { title } } }",
        On("all", EVERYONE, body={"q": "page"}),
    ),
]
