"""Storefront pages of the site module: the home page, robots.txt and the favicon.

Views stay thin: the home page is the page a module renders for the chosen id
(rustok.storefront.home_page), else the sections the enabled modules give.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.site import selectors
from rustok import storefront

DEFAULT_ICON = "rustok/favicon.ico"
ICON_MAX_AGE = 24 * 3600


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The chosen home page, or (none chosen, or no longer published) the default home."""
    settings = selectors.for_request(request)
    if settings.home_page:
        response = storefront.home_page(request, settings.home_page)
        if response is not None:
            return response
    sections = storefront.collect("home_sections", request)
    return render(request, "storefront/site/home.html", {"sections": sections, "is_home": True})


@require_GET
def robots(request: HttpRequest) -> HttpResponse:
    """robots.txt: the private addresses, the sitemap, and `Disallow: /` when crawling is off."""
    settings = selectors.for_request(request)
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /api/", "Disallow: /preview/"]
    if not settings.allow_indexing:
        lines.append("Disallow: /")
    lines += ["", f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """The icon made from the site's logo when it was stored, else the platform's default icon."""
    settings = selectors.for_request(request)
    if settings.icon:
        response = FileResponse(settings.icon.open("rb"), content_type="image/png")
    else:
        response = FileResponse(open(finders.find(DEFAULT_ICON), "rb"), content_type="image/x-icon")  # noqa: SIM115
    response["Cache-Control"] = f"public, max-age={ICON_MAX_AGE}"
    return response
