"""Reads of the site's settings: the one row of the schema (made on first read), once per request."""

from __future__ import annotations

from django.db.models import prefetch_related_objects

from apps.site.models import SiteSettings
from rustok import page_cache

_REQUEST_ATTR = "_site_settings"
SETTINGS_TAG = "site:settings"  # what shows the settings (their change invalidates every page)


def site_settings() -> SiteSettings:
    """The settings of the site whose schema the connection is on; made with defaults if missing."""
    found, _created = SiteSettings.objects.get_or_create(pk=SiteSettings.ONLY)
    return found


def _with_links() -> SiteSettings:
    found = site_settings()
    prefetch_related_objects([found], "social_links")
    return found


def for_request(request) -> SiteSettings:
    """The site's settings with their social links, read once per request whoever asks (layout,
    views, feeds), and kept between requests until they change (rustok.page_cache.fragment)."""
    found = getattr(request, _REQUEST_ATTR, None)
    if found is None:
        found = page_cache.fragment(request, "site.settings", _with_links, tags=[SETTINGS_TAG])
        setattr(request, _REQUEST_ATTR, found)
    return found


def site_name(settings: SiteSettings | None = None, tenant=None) -> str:
    """The name readers see: the settings' name, else the tenant's display name."""
    settings = settings if settings is not None else site_settings()
    if settings.name:
        return settings.name
    if tenant is None:
        from apps.core.selectors import current_tenant

        tenant = current_tenant()
    return tenant.name if tenant is not None else "RusToK"
