"""Manifest of the content module: pages, the node kinds other modules add, categories and tags."""

from rustok.modules import Module

module = Module(
    slug="content",
    name="Content",
    description="Pages and other content nodes with categories, tags, revisions and translations.",
    version="0.1.0",
    depends_on=("core", "accounts", "events", "index"),
)
