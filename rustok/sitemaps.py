"""The site's sitemap, `/sitemap.xml`, made of the sections of the modules enabled for the site.

A module offers sections in its `sitemaps.py`, as django.contrib.sitemaps classes built on
`Section`:

    class PageSitemap(Section):
        def items(self):                       # what readers can see, in one query
            return Page.objects.filter(status="published")

        def location(self, page):              # its address in the active language
            return page_url(page)

        def lastmod(self, page):
            return page.updated_at

        def get_languages_for_item(self, page):  # the languages the item has
            return [code for code in language_codes() if page.has(code)]

    sitemaps = {"pages": PageSitemap}

Every language of an item is a `<url>` with `xhtml:link rel="alternate" hreflang` links to all
its languages; an item without a lastmod (a page that lists nothing yet) has no `<lastmod>`.
Once the site has more than SITEMAP_MAX_URLS of them (50,000, the protocol's limit for one file),
`/sitemap.xml` is a sitemap index pointing at `/sitemap-<section>.xml?p=<n>`. A section is made
for one request: it has the request (`self.request`) and its tenant (`self.tenant`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.encoding import iri_to_uri
from django.utils.functional import cached_property

from rustok.i18n import for_language, language_codes
from rustok.modules import registry
from rustok.modules.gate import module_enabled_for


class Section(Sitemap):
    """Base of a module's sitemap section: every language of an item, with hreflang alternates.

    The items are read once per request (a section is made for one request), however often the
    sitemap views ask for them.
    """

    i18n = True
    alternates = True

    def __init__(self, *, tenant=None, request: HttpRequest | None = None):
        self.tenant = tenant
        self.request = request
        self.limit = settings.SITEMAP_MAX_URLS

    @cached_property
    def _items_once(self) -> list:
        return list(self.items())

    def _items(self):
        return [(item, code) for item in self._items_once for code in self.get_languages_for_item(item)]

    @cached_property
    def paginator(self):
        return super().paginator

    def get_latest_lastmod(self):
        dates = (self.lastmod(item) for item in self._items_once)
        return max((date for date in dates if date is not None), default=None)


class AddressSection(Section):
    """A section of one address of the site (its home, a module's index) at each language's
    address (`?lang=` but for the site's default language); lastmod is `changed()`, asked once.
    A subclass names the page's `path` (in no language)."""

    path = "/"

    def changed(self):
        """When what the page shows last changed; None when unknown (no lastmod)."""
        return None

    def items(self) -> list[str]:
        return [self.path]

    def location(self, path: str) -> str:
        return iri_to_uri(for_language(path))

    def lastmod(self, path: str):
        return self._changed

    def get_languages_for_item(self, path: str) -> list[str]:
        return language_codes()

    @cached_property
    def _changed(self):
        return self.changed()


def sections(request: HttpRequest) -> dict[str, Section]:
    """The sitemap sections of the modules enabled for the request's site, by name."""
    found: dict[str, Section] = {}
    for module in registry:
        declared = module.submodule("sitemaps")
        if declared is None or not module_enabled_for(request, module.slug):
            continue
        for name, section in declared.sitemaps.items():
            if name in found:
                raise ImproperlyConfigured(f"Two modules declare the sitemap section '{name}'.")
            found[name] = section(tenant=request.tenant, request=request)
    return found


def sitemap(request: HttpRequest) -> HttpResponse:
    """`/sitemap.xml`: every URL of the site, or an index of the pages of its sections that have
    URLs once there are more than SITEMAP_MAX_URLS."""
    found = sections(request)
    if sum(section.paginator.count for section in found.values()) > settings.SITEMAP_MAX_URLS:
        listed = {name: section for name, section in found.items() if section.paginator.count}
        return sitemap_views.index(request, listed, sitemap_url_name="sitemap-section")
    return sitemap_views.sitemap(request, found)


def section(request: HttpRequest, section: str) -> HttpResponse:
    """`/sitemap-<section>.xml?p=<n>`: one page of one section (404 for none such)."""
    return sitemap_views.sitemap(request, sections(request), section=section)


urlpatterns = [
    path("sitemap.xml", sitemap, name="sitemap"),
    path("sitemap-<slug:section>.xml", section, name="sitemap-section"),
]
