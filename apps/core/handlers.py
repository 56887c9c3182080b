"""Handlers of the core module's events."""

from __future__ import annotations

from apps.core import selectors
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
