"""URLs of a tenant's host: its admin, its API and (as modules add them) its storefront."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("rustok.api.urls")),
]

handler400 = "rustok.views.bad_request"
handler403 = "rustok.views.permission_denied"
handler404 = "rustok.views.not_found"
handler500 = "rustok.views.server_error"
