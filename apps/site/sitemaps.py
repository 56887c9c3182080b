"""Sitemap section of the site module: the home page, `/`, in every language of the site."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.utils.encoding import iri_to_uri

from apps.site import selectors
from rustok import storefront
from rustok.i18n import for_language, language_codes
from rustok.sitemaps import Section


class HomeSitemap(Section):
    """The home page at each language's address (`?lang=` but for the site's default language).

    lastmod is when what `/` shows last changed (rustok.storefront.home_changed): the chosen home
    page's last change, else the newest change of what the default home lists; none while it
    lists nothing.
    """

    def items(self) -> list[str]:
        return ["/"]

    def location(self, path: str) -> str:
        return iri_to_uri(for_language(path))

    def lastmod(self, path: str) -> dt.datetime | None:
        return self._changed

    def get_languages_for_item(self, path: str) -> list[str]:
        return language_codes()

    @cached_property
    def _changed(self) -> dt.datetime | None:
        chosen = selectors.for_request(self.request).home_page
        return storefront.home_changed(self.request, chosen)


sitemaps = {"home": HomeSitemap}
