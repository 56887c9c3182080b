"""Reads of the site's settings: the one row of the schema (made on first read), once per request."""

from __future__ import annotations

from apps.site.models import SiteSettings

_REQUEST_ATTR = "_site_settings"


def site_settings() -> SiteSettings:
    """The settings of the site whose schema the connection is on; made with defaults if missing."""
    found, _created = SiteSettings.objects.get_or_create(pk=SiteSettings.ONLY)
    return found


def for_request(request) -> SiteSettings:
    """The site's settings, read once per request whoever asks (layout, views, feeds)."""
    found = getattr(request, _REQUEST_ATTR, None)
    if found is None:
        found = site_settings()
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
