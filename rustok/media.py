"""A site's uploads (featured images and their renditions, the logo), served from its own host.

Uploads are stored per tenant (django-tenants' TenantFileSystemStorage: MEDIA_ROOT/<schema>/...)
and addressed as MEDIA_URL<schema>/<name>. A host serves only its own tenant's directory: the
schema in the address must be the host's, so no host reaches another site's files, whatever the
path. Files are read from disk with Django's static file view (which refuses paths that leave the
directory and answers If-Modified-Since with 304) and may be kept by browsers and CDNs for
MEDIA_MAX_AGE seconds: a stored file is never changed in place, a new upload gets a new name.

Behind a web server that serves MEDIA_ROOT itself this view is never reached; without one
(`make run`, the compose file) it is what serves uploads.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import re_path
from django.utils.cache import patch_cache_control
from django.views.static import serve


def media(request: HttpRequest, schema: str, path: str) -> HttpResponse:
    """The upload `path` of the host's own tenant; 404 for any other tenant's or for none."""
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.schema_name != schema:
        raise Http404("No such file.")
    response = serve(request, path, document_root=Path(settings.MEDIA_ROOT) / schema)
    patch_cache_control(response, public=True, max_age=settings.MEDIA_MAX_AGE)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def urlpatterns() -> list:
    """The route of uploads under MEDIA_URL (a path of this host, e.g. /media/)."""
    prefix = settings.MEDIA_URL.lstrip("/")
    return [re_path(rf"^{prefix}(?P<schema>[a-z0-9_]+)/(?P<path>.+)$", media, name="media")]
