"""The access matrix of the blog (tests/access_matrix.py): posts, by the content rules (see
tests/content/access.py), and the public archive."""

from __future__ import annotations

from rustok.permissions import PUBLIC
from tests.access_matrix import EVERYONE, SECRET, On, rest
from tests.accounts.factories import SiteAdminFactory
from tests.content.access import build_nodes, node_entries
from tests.content.factories import make_node


def build(world) -> None:
    build_nodes(world, "post")


def build_foreign() -> None:
    make_node(
        actor=SiteAdminFactory(email=f"blogger-{SECRET}@beta.test"),
        kind="post",
        title=SECRET,
        status="published",
    )


ENTRIES = [
    *node_entries("/api/v1/blog/posts/", "post", {"title": "A new post"}),
    rest("GET /api/v1/blog/archive/", PUBLIC, On("all", EVERYONE)),
]
