from django.apps import AppConfig


class ContentConfig(AppConfig):
    """Content nodes (pages, and the kinds other modules register), their taxonomy and history."""

    name = "apps.content"
    label = "content"
    verbose_name = "Content"

    def ready(self) -> None:
        from apps.content import kinds

        kinds.autodiscover()
