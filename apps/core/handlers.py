"""Handlers of the core module's events."""

from __future__ import annotations

from apps.core import selectors
from rustok import page_cache
from rustok.events import Envelope, subscribe


@subscribe("core.module.enabled", name="core.forget_module_states")
@subscribe("core.module.disabled", name="core.forget_module_states")
def forget_module_states(envelope: Envelope) -> None:
    """Drop the tenant's cached toggles once more, from the worker.

    The switch drops them as it commits; if Redis was out of reach then (a partition, a hung
    server), every process would read the old toggles until the entry expired. Here a failure
    is retried by the bus until Redis answers, so the switch reaches every process then.
    """
    selectors.forget_module_states(selectors.current_tenant(), strict=True)


@subscribe("core.module.enabled", name="core.invalidate_pages")
@subscribe("core.module.disabled", name="core.invalidate_pages")
def invalidate_pages(envelope: Envelope) -> None:
    """Drop the tenant's cached pages once more, from the worker: a switch changes the menu, the
    home page and the feeds.

    The switch invalidates them as it commits, so pages change with it at once; if Redis was out
    of reach then, this is retried by the bus until Redis answers. The toggles are dropped first
    (as the switch does), so no page rendered with toggles older than the switch is served after
    it.
    """
    selectors.forget_module_states(selectors.current_tenant(), strict=True)
    page_cache.invalidate(envelope.schema_name, strict=True)
