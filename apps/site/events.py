"""Events of the site module."""

from rustok.events import Event


class SiteSettingsChanged(Event):
    """The site's settings changed; `changed` names the fields (page caches of the site drop)."""

    type = "site.settings.changed"
    version = 1
    actor_id: int | None
    changed: list[str]
