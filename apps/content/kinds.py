"""Kinds of content node: `page` belongs to the content module; other modules add their own.

A module declares its kinds in `kinds.py` (`kinds = [Kind(...)]`); the content module collects
them at start-up. A node's kind decides which module it belongs to: while that module is off for
a site, its nodes are hidden everywhere (API, GraphQL, search, feeds) and cannot be written.

    kinds = [Kind(slug="post", module="blog", label="post", path="/blog/{slug}/")]
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from rustok.i18n import for_language
from rustok.modules import registry
from rustok.per_request import remembered


@dataclass(frozen=True)
class Kind:
    """One kind of node. `path` is where a published node is read, `{slug}` its slug."""

    slug: str
    module: str
    label: str
    path: str
    hierarchical: bool = False  # whether nodes of this kind have parents (a page tree)

    def url(self, slug: str, language: str) -> str:
        """The storefront address of a node of this kind in `language` (rustok.i18n.for_language)."""
        return for_language(self.path.format(slug=slug), language)


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    if kind.slug in _kinds and _kinds[kind.slug] != kind:
        raise ImproperlyConfigured(f"Two modules declare the content kind '{kind.slug}'.")
    if kind.module not in registry:
        raise ImproperlyConfigured(f"Content kind '{kind.slug}' names unknown module '{kind.module}'.")
    _kinds[kind.slug] = kind


def autodiscover() -> None:
    """Collect the `kinds` list of every module's kinds.py."""
    for module in registry:
        found = module.submodule("kinds")
        for kind in getattr(found, "kinds", ()):
            if kind.module != module.slug:
                raise ImproperlyConfigured(
                    f"{module.app_module}.kinds declares '{kind.slug}' for module '{kind.module}'."
                )
            register(kind)


def all_kinds() -> dict[str, Kind]:
    return dict(_kinds)


def get(slug: str) -> Kind:
    return _kinds[slug]


def enabled_kinds(tenant) -> list[str]:
    """The kinds whose module is on for `tenant`, worked out once per request (rustok.per_request)."""
    schema = getattr(tenant, "schema_name", None)
    return list(remembered(("content.enabled_kinds", schema), lambda: tuple(_enabled_kinds(tenant))))


def _enabled_kinds(tenant) -> list[str]:
    from apps.core.selectors import is_enabled

    return [kind.slug for kind in _kinds.values() if is_enabled(tenant, kind.module)]


kinds = [Kind(slug="page", module="content", label=_("page"), path="/pages/{slug}/", hierarchical=True)]
