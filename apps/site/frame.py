"""The frame of every storefront page: the site's settings, menu, feeds and languages, read lazily.

The context processor (apps.site.context_processors) gives templates one `site` object; nothing
is read until a template asks, so pages that do not show the frame (the admin, the API) pay
nothing, and a storefront page pays a fixed number of queries: the settings row with its social
links and one query per module hook (menu), whatever the number of items, both kept between
requests until what they show changes (rustok.page_cache.fragment).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit

from django.utils.encoding import iri_to_uri
from django.utils.translation import get_language_info, to_locale

from apps.site import selectors
from rustok import page_cache, storefront
from rustok.i18n import current_language, for_language, language_codes, site_language

SEARCH_PATH = "/search/"


@dataclass(frozen=True)
class LanguageLink:
    """The current address in another language, for the language switcher and hreflang links."""

    code: str
    name: str
    url: str
    current: bool


def _path(url: str) -> str:
    return urlsplit(url).path


def mark_current(items: list[storefront.MenuItem], path: str) -> None:
    """Mark the items whose address is the page shown or a section it is in (not the home page)."""
    for item in items:
        own = _path(item.url)
        item.current = own == path or (own not in ("", "/") and path.startswith(own))
        mark_current(item.children, path)


class Frame:
    """What the layout shows around a page's content, computed on first use, once per request."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def settings(self):
        return selectors.for_request(self.request)

    @cached_property
    def name(self) -> str:
        return selectors.site_name(self.settings, getattr(self.request, "tenant", None))

    def __getattr__(self, attribute):
        # The settings' own fields: tagline, footer_text, contact_email, accent_color, ...
        if attribute.startswith("_") or attribute == "request":
            raise AttributeError(attribute)
        return getattr(self.settings, attribute)

    @cached_property
    def description(self) -> str:
        return self.settings.meta_description

    @cached_property
    def logo_url(self) -> str:
        return self.request.build_absolute_uri(self.settings.logo.url) if self.settings.logo else ""

    @cached_property
    def social_links(self) -> list:
        return list(self.settings.social_links.all())

    @cached_property
    def _shared(self) -> tuple[list[storefront.MenuItem], list[storefront.FeedLink]]:
        """The modules' menu sections and feeds in the page's language, the same on every page:
        kept between requests until what the hooks said they show (`depends_on`) changes."""
        request = self.request

        def collected():
            return storefront.collect("menu", request), storefront.collect("feeds", request)

        return page_cache.fragment(request, "site.frame", collected, vary=(current_language(),))

    @cached_property
    def menu(self) -> list[storefront.MenuItem]:
        """The menu, the page shown (or the section it is in) marked."""
        items = self._shared[0]
        mark_current(items, self.request.path)
        return items

    @cached_property
    def header_links(self) -> list[storefront.HeaderLink]:
        return storefront.collect("header_links", self.request)

    @cached_property
    def feeds(self) -> list[storefront.FeedLink]:
        return self._shared[1]

    @cached_property
    def home_url(self) -> str:
        return iri_to_uri(for_language("/"))

    @cached_property
    def search_url(self) -> str:
        return SEARCH_PATH

    @cached_property
    def search_language(self) -> str:
        """The `lang` the search form sends along, so results come in the page's language."""
        language = current_language()
        return "" if language == site_language() else language

    @cached_property
    def language(self) -> str:
        return current_language()

    @cached_property
    def locale(self) -> str:
        """The page's language as OpenGraph names it (en_US, ru_RU)."""
        language = current_language()
        return {"en": "en_US", "ru": "ru_RU"}.get(language, to_locale(language))

    @cached_property
    def language_links(self) -> list[LanguageLink]:
        """This page in each language the site offers: the rest of the query kept, but not the
        page number (another language may have fewer results, and no such page: its first)."""
        active = current_language()
        links = []
        for code in language_codes():
            query = self.request.GET.copy()
            query.pop("page", None)
            query["lang"] = code
            links.append(
                LanguageLink(
                    code=code,
                    name=get_language_info(code)["name_local"],
                    url=f"{iri_to_uri(self.request.path)}?{query.urlencode()}",
                    current=code == active,
                )
            )
        return links

    def _address(self, language: str | None = None) -> str:
        """This page's own address in `language`: its path, its `?page=`, the language's `lang`."""
        path = iri_to_uri(self.request.path)
        page = self.request.GET.get("page")
        if page and page != "1":
            path = f"{path}?page={page}"
        return self.request.build_absolute_uri(for_language(path, language))

    @cached_property
    def canonical(self) -> str:
        """The page's canonical address, for pages that do not give their own."""
        return self._address()

    @cached_property
    def alternates(self) -> list[LanguageLink]:
        """The page in every language (hreflang), for pages that do not give their own."""
        active = current_language()
        return [
            LanguageLink(
                code=code,
                name=get_language_info(code)["name_local"],
                url=self._address(code),
                current=code == active,
            )
            for code in language_codes()
        ]
