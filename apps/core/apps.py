from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The platform core: tenants, domains, module toggles, and the operators' command line."""

    name = "apps.core"
    label = "core"
    verbose_name = "Platform"

    def ready(self) -> None:
        from apps.core import selectors
        from rustok.modules import registry
        from rustok.modules.gate import toggle_check

        registry.load()
        toggle_check.provide(selectors.is_enabled)  # the kernel's gate asks the toggles kept here
