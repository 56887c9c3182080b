"""Manifest of the index module: read models and search; always on."""

from rustok.modules import Module

module = Module(
    slug="index",
    name="Search index",
    description="Denormalised documents rebuilt from events, with full-text search and facets.",
    version="0.1.0",
    depends_on=("core", "events"),
    core=True,
)
