"""URLs of the platform host (public schema): the platform admin for tenants and modules."""

from django.urls import include, path
from django.views.generic import TemplateView

from rustok.platform_admin import platform_admin

urlpatterns = [
    path("", TemplateView.as_view(template_name="platform/index.html"), name="platform-home"),
    # The admin's language menu (set_language: a cookie read by rustok.i18n).
    path("admin/i18n/", include("django.conf.urls.i18n")),
    path("admin/", platform_admin.urls),
]

handler400 = "rustok.views.bad_request"
handler403 = "rustok.views.permission_denied"
handler404 = "rustok.views.not_found"
handler500 = "rustok.views.server_error"
