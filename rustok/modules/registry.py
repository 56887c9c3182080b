"""The module registry: every installed app that has a `module.py` declares one `Module`.

The registry is built once at start-up (the core module's AppConfig.ready). A missing dependency or a
dependency cycle stops the process with an ImproperlyConfigured that names the modules.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps as django_apps
from django.core.exceptions import ImproperlyConfigured

Hook = Callable[[Any], None]  # called with the tenant


@dataclass(frozen=True)
class Module:
    """A module's manifest, declared as `module = Module(...)` in its app's `module.py`.

    `on_enable` / `on_disable` run inside the tenant's schema, in the transaction that flips the
    toggle: raising from a hook refuses the change.
    """

    slug: str
    name: str
    description: str = ""
    version: str = "0.1.0"
    depends_on: tuple[str, ...] = ()
    core: bool = False
    default_enabled: bool = True
    on_enable: Hook | None = None
    on_disable: Hook | None = None
    # The admin section the module's models are listed under, shared with every module naming
    # the same one (a translatable title: `gettext_lazy("Shop")`); empty: a section of its own.
    admin_group: Any = ""
    app_label: str = field(default="", compare=False)
    app_module: str = field(default="", compare=False)

    def submodule(self, name: str):
        """Import `<app>.<name>` (api, schema, ...) or return None when the module has none.

        The answer is kept for the process (modules do not come and go while it runs): the
        storefront asks on every page, and a module without the file would otherwise cost a
        failed import each time."""
        path = f"{self.app_module}.{name}"
        if path in _submodules:
            return _submodules[path]
        try:
            found = importlib.import_module(path)
        except ModuleNotFoundError as exc:
            if exc.name != path:
                raise
            found = None
        _submodules[path] = found
        return found


# `<app>.<name>` -> the imported module, or None when the app has no such file.
_submodules: dict[str, Any] = {}


class ModuleRegistry:
    """All modules by slug, in dependency order (a module comes after what it depends on)."""

    def __init__(self) -> None:
        self._modules: dict[str, Module] | None = None

    def load(self) -> None:
        """Collect the manifests of the installed apps and validate the dependency graph."""
        manifests = []
        for app_config in django_apps.get_app_configs():
            try:
                mod = importlib.import_module(f"{app_config.name}.module")
            except ModuleNotFoundError as exc:
                if exc.name == f"{app_config.name}.module":
                    continue
                raise
            manifest = getattr(mod, "module", None)
            if not isinstance(manifest, Module):
                raise ImproperlyConfigured(f"{app_config.name}.module must define `module = Module(...)`.")
            manifests.append(
                Module(**{**manifest.__dict__, "app_label": app_config.label, "app_module": app_config.name})
            )
        self._modules = build_graph(manifests)

    @property
    def modules(self) -> dict[str, Module]:
        if self._modules is None:
            self.load()
        return self._modules

    def __iter__(self):
        return iter(self.modules.values())

    def __contains__(self, slug: str) -> bool:
        return slug in self.modules

    def get(self, slug: str) -> Module:
        try:
            return self.modules[slug]
        except KeyError:
            raise LookupError(f"Unknown module '{slug}'. Known: {', '.join(sorted(self.modules))}.") from None

    def for_app(self, app_label: str) -> Module | None:
        """The module declared by the app with this label, or None for apps that are not modules."""
        return next((m for m in self if m.app_label == app_label), None)

    def dependents(self, slug: str) -> list[Module]:
        """Modules that depend on `slug`, directly or through others."""
        found: list[Module] = []
        for module in self:
            if slug in self.requirements(module.slug):
                found.append(module)
        return found

    def requirements(self, slug: str) -> list[str]:
        """Every module `slug` needs, directly or through others."""
        seen: list[str] = []
        stack = list(self.get(slug).depends_on)
        while stack:
            dep = stack.pop()
            if dep not in seen:
                seen.append(dep)
                stack.extend(self.get(dep).depends_on)
        return seen


def build_graph(manifests: Iterable[Module]) -> dict[str, Module]:
    """Check slugs, dependencies and cycles; return the modules in dependency order."""
    by_slug: dict[str, Module] = {}
    for manifest in manifests:
        if manifest.slug in by_slug:
            raise ImproperlyConfigured(f"Two modules declare the slug '{manifest.slug}'.")
        by_slug[manifest.slug] = manifest

    for manifest in by_slug.values():
        missing = [dep for dep in manifest.depends_on if dep not in by_slug]
        if missing:
            raise ImproperlyConfigured(
                f"Module '{manifest.slug}' depends on {', '.join(repr(m) for m in missing)}, "
                "which is not installed."
            )
        if manifest.core:
            optional = [dep for dep in manifest.depends_on if not by_slug[dep].core]
            if optional:
                raise ImproperlyConfigured(
                    f"Core module '{manifest.slug}' cannot depend on non-core module(s) "
                    f"{', '.join(optional)}."
                )

    ordered: dict[str, Module] = {}
    visiting: list[str] = []

    def visit(slug: str) -> None:
        if slug in ordered:
            return
        if slug in visiting:
            cycle = [*visiting[visiting.index(slug) :], slug]
            raise ImproperlyConfigured(f"Module dependency cycle: {' -> '.join(cycle)}.")
        visiting.append(slug)
        for dep in by_slug[slug].depends_on:
            visit(dep)
        visiting.pop()
        ordered[slug] = by_slug[slug]

    for slug in sorted(by_slug):
        visit(slug)
    return ordered


registry = ModuleRegistry()
