from django.apps import AppConfig


class IndexConfig(AppConfig):
    """Read models: denormalised documents kept by projections, and full-text search over them.

    Projections are discovered with the event handlers (apps/index/handlers.py)."""

    name = "apps.index"
    label = "index"
    verbose_name = "Search index"
