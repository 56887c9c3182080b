"""Events of the core module, published in the tenant's schema."""

from rustok.events import Event


class ModuleEnabled(Event):
    """A module was switched on for the tenant."""

    type = "core.module.enabled"
    version = 1

    module: str


class ModuleDisabled(Event):
    """A module was switched off for the tenant."""

    type = "core.module.disabled"
    version = 1

    module: str


class LanguageChanged(Event):
    """The tenant's default language changed: the language readers get without asking for one,
    the fallback of untranslated text, and which addresses carry `?lang=`."""

    type = "core.tenant.language_changed"
    version = 1

    language: str
    previous: str
