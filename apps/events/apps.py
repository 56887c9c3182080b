from django.apps import AppConfig


class EventsConfig(AppConfig):
    """The event bus's tables (outbox, deliveries), its relay tasks, admin and commands."""

    name = "apps.events"
    label = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        from rustok.events.bus import autodiscover

        autodiscover()
