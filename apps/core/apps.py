from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The platform core: tenants, domains, module toggles, and the operators' command line."""

    name = "apps.core"
    label = "core"
    verbose_name = "Platform"

    def ready(self) -> None:
        from rustok.modules import registry

        registry.load()
