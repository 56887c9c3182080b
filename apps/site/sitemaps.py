"""Sitemap section of the site module: the home page, `/`, in every language of the site."""

from __future__ import annotations

import datetime as dt

from apps.site import selectors
from rustok import storefront
from rustok.sitemaps import AddressSection


class HomeSitemap(AddressSection):
    """The home page at each language's address (`?lang=` but for the site's default language).

    lastmod is when what `/` shows last changed (rustok.storefront.home_changed): the chosen home
    page's last change, else the newest change of what the default home lists; none while it
    lists nothing.
    """

    path = "/"

    def changed(self) -> dt.datetime | None:
        chosen = selectors.for_request(self.request).home_page
        return storefront.home_changed(self.request, chosen)


sitemaps = {"home": HomeSitemap}
