from django.apps import AppConfig


class EventsConfig(AppConfig):
    """The event bus's tables (outbox, deliveries), its relay tasks, admin and commands."""

    name = "apps.events"
    label = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        from apps.events import dispatch, selectors
        from rustok import events, health
        from rustok.events.bus import autodiscover

        # The kernel's bus writes to this module's outbox and queues its relay; the health
        # probe reads its backlog.
        events.outbox_append.provide(dispatch.append)
        events.outbox_append_many.provide(dispatch.append_many)
        events.relay_kick.provide(dispatch.kick)
        health.outbox_states.provide(selectors.outbox_states)
        autodiscover()
