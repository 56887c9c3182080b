"""The admin's dashboard: panels that modules contribute to the tenant admin's first page.

A module adds panels with a `dashboard.py` holding `panels(request) -> list[Panel]`; it is found
like its urls, api and schema (Module.submodule) and asked only while the module is on for the
request's tenant. The function returns only what the user may see (it asks the module's rules)
and keeps to a few bounded queries per panel: the dashboard is the page every editor opens.

    # apps/notes/dashboard.py
    def panels(request):
        if not can(request.user, "notes.view_note"):
            return []
        notes = Note.objects.order_by("-id")[:5]
        return [Panel(key="notes-recent", title=_("Recent notes"),
                      items=[Item(str(n), admin_url(n)) for n in notes],
                      link=reverse("admin:notes_note_changelist"), link_label=_("All notes"))]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rustok.modules import registry
from rustok.modules.gate import module_enabled_for

# Items a panel lists at most; its count and link tell how many there are in all.
PANEL_ITEMS = 5


@dataclass(frozen=True)
class Item:
    """One line of a panel: what it is, where it is handled, and a detail (a date, a status)."""

    label: str
    url: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Panel:
    """A box of the dashboard. `key` names it in the page (`id="panel-<key>"`, for tests and
    styles); `count`, when given, is the number of things it is about, shown in its heading;
    `link` leads to the admin page where they are handled."""

    key: str
    title: str
    items: list[Item] = field(default_factory=list)
    count: int | None = None
    link: str = ""
    link_label: str = ""
    empty: str = ""
    tone: str = ""  # "warning" when the panel reports something that needs care


def panels_for(request) -> list[Panel]:
    """The panels of the modules on for the request's tenant, in module order."""
    found: list[Panel] = []
    for module in registry:
        if not module.core and not module_enabled_for(request, module.slug):
            continue
        hook = module.submodule("dashboard")
        if hook is not None:
            found.extend(hook.panels(request))
    return found
