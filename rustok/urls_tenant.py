"""URLs of a tenant's host: its admin, its API and the storefront pages of its modules.

A module's `urls.py` (`urlpatterns`) adds storefront pages at the root of the host, gated by the
module's toggle like its API routes: a page of a module that is off is a 404. Storefront pages
are rate limited per client address (rustok.api.throttling.limited, THROTTLE_STOREFRONT), and so
is `/sitemap.xml`, made of the `sitemaps` sections of the modules enabled for the site
(rustok.sitemaps). Uploads are served under MEDIA_URL from the site's own directory
(rustok.media).
"""

from django.contrib import admin
from django.urls import include, path

from rustok import media, sitemaps
from rustok.api.throttling import limited
from rustok.modules import registry
from rustok.modules.gate import gate_patterns, wrap_views


def storefront_urlpatterns() -> list:
    patterns = []
    for module in registry:
        urls = module.submodule("urls")
        if urls is not None:
            patterns.extend(gate_patterns(list(urls.urlpatterns), module.slug))
    return wrap_views(patterns, limited)


urlpatterns = [
    # The admin's language menu (set_language: a cookie read by rustok.i18n).
    path("admin/i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("rustok.api.urls")),
    *media.urlpatterns(),  # the site's uploads, from its own directory of MEDIA_ROOT
    *wrap_views(list(sitemaps.urlpatterns), limited),
    *storefront_urlpatterns(),
]

handler400 = "rustok.views.bad_request"
handler403 = "rustok.views.permission_denied"
handler404 = "rustok.views.not_found"
handler500 = "rustok.views.server_error"
