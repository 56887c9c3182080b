"""The index's subscriptions: every module's projections, and the module switches.

Importing this module (the event bus does, at start-up) registers each projection as a handler
of the events it declares. A module switched off loses its documents; switched on again, its
documents are rebuilt from its data. A new default language rebuilds every document.
"""

from apps.index import projections
from rustok.events import Envelope, subscribe

projections.autodiscover()


def _of_module(slug: str) -> list[projections.Projection]:
    from rustok.modules import registry

    app_label = registry.get(slug).app_label
    return [p for p in projections.all_projections().values() if p.app_label == app_label]


def _follow_switch(slug: str) -> None:
    """Bring the module's documents in line with whether it is on *now*.

    Events are not delivered in order (a retry, or another relay holding one, lets a later event
    pass), so an "off" handled after the "on" that followed it must not clear the documents: both
    handlers look at the current switch instead of trusting the event.
    """
    from apps.core.selectors import current_tenant, is_enabled

    on = is_enabled(current_tenant(), slug)
    for projection in _of_module(slug):
        if on:
            projections.rebuild(projection)
        else:
            projections.clear(projection)


@subscribe("core.module.enabled", name="index.module_enabled")
def rebuild_module_documents(envelope: Envelope) -> None:
    _follow_switch(envelope.event.module)


@subscribe("core.module.disabled", name="index.module_disabled")
def clear_module_documents(envelope: Envelope) -> None:
    _follow_switch(envelope.event.module)


@subscribe("core.tenant.language_changed", name="index.language_changed")
def rebuild_for_language(envelope: Envelope) -> None:
    """Documents hold addresses (`?lang=` for every language but the default) and fallback
    texts in the default language: a new default makes them all again."""
    from apps.core.selectors import current_tenant, is_enabled
    from rustok.i18n import reread_site_language
    from rustok.modules import registry

    reread_site_language()  # as it is now, whatever this process read before
    tenant = current_tenant()
    for projection in projections.all_projections().values():
        module = registry.for_app(projection.app_label)
        if module is None or is_enabled(tenant, module.slug):
            projections.rebuild(projection)
