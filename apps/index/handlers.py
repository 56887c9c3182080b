"""The index's subscriptions: every module's projections, and the module switches.

Importing this module (the event bus does, at start-up) registers each projection as a handler
of the events it declares. A module switched off loses its documents; switched on again, its
documents are rebuilt from its data.
"""

from apps.index import projections
from rustok.events import Envelope, subscribe

projections.autodiscover()


def _of_module(slug: str) -> list[projections.Projection]:
    from rustok.modules import registry

    app_label = registry.get(slug).app_label
    return [p for p in projections.all_projections().values() if p.app_label == app_label]


@subscribe("core.module.enabled", name="index.module_enabled")
def rebuild_module_documents(envelope: Envelope) -> None:
    for projection in _of_module(envelope.event.module):
        projections.rebuild(projection)


@subscribe("core.module.disabled", name="index.module_disabled")
def clear_module_documents(envelope: Envelope) -> None:
    for projection in _of_module(envelope.event.module):
        projections.clear(projection)
