"""The site module's storefront hook: the site's name and logo, for its admin's header."""

from __future__ import annotations

from apps.site import selectors
from rustok.storefront import Brand


def brand(request) -> Brand:
    settings = selectors.for_request(request)
    logo = request.build_absolute_uri(settings.logo.url) if settings.logo else ""
    return Brand(name=selectors.site_name(settings, request.tenant), logo_url=logo)
