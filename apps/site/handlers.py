"""Handlers of the site module's events."""

from __future__ import annotations

from rustok import page_cache
from rustok.events import Envelope, subscribe


@subscribe("site.settings.changed", name="site.invalidate_pages")
def invalidate_pages(envelope: Envelope) -> None:
    """Drop the site's cached pages: every storefront page shows its settings (name, logo,
    colours, footer, links, home page)."""
    page_cache.invalidate(envelope.schema_name, strict=True)
