"""The admin sites: django-unfold's theme, the site's name and logo, module gating, the dashboard.

`RustokAdminSite` is the look shared by the tenant admin and the platform admin
(rustok.platform_admin, where the modules register their platform tables):
unfold's templates and assets (served from our static files: no CDN, no web fonts from outside),
the site's name as header and title, and the logo when the request carries one
(from the modules' `brand` hook of rustok.storefront, or `site_logo_url` in the context).

`TenantAdminSite` is the admin of a tenant host: Django's admin, minus the models of modules the
tenant switched off. A disabled module's models vanish from the index and its admin pages answer
404, for every module, without the module's admin.py doing anything. On the platform host, the
models whose tables live only in tenant schemas are hidden the same way. Its first page is the
dashboard: the panels that enabled modules contribute (rustok.dashboard).
"""

from functools import update_wrapper

from django.contrib.admin.apps import AdminConfig
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from unfold.sites import UnfoldAdminSite

from rustok import dashboard, storefront
from rustok.modules import registry
from rustok.modules.gate import module_enabled_for
from rustok.tenancy import tenant_only_app


def _module_of(app_label: str) -> str | None:
    module = registry.for_app(app_label)
    return None if module is None or module.core else module.slug


def _shown(request, app_label: str) -> bool:
    tenant = getattr(request, "tenant", None)
    if (tenant is None or tenant.is_public) and tenant_only_app(app_label):
        return False
    slug = _module_of(app_label)
    return slug is None or module_enabled_for(request, slug)


class RustokAdminSite(UnfoldAdminSite):
    """unfold's admin with the site's own name (and logo, when one is given) in its header."""

    site_header = "RusToK"
    site_title = "RusToK"

    def site_name(self, request) -> str:
        """The name shown in the header and the browser's title bar."""
        return str(self.site_header)

    def site_logo_url(self, request) -> str:
        """The logo shown in the header, if the site has one."""
        return ""

    def each_context(self, request):
        context = super().each_context(request)
        name = self.site_name(request)
        context["site_header"] = name
        context["site_title"] = name
        logo = context.get("site_logo_url") or self.site_logo_url(request)
        if logo:
            context["site_logo_url"] = logo
            context["site_icon"] = logo
        return context


class TenantAdminSite(RustokAdminSite):
    index_template = "admin/rustok/dashboard.html"
    index_title = _("Dashboard")

    def site_name(self, request) -> str:
        """The site's own name (its settings, through the modules' `brand` hook), else the
        tenant's display name."""
        tenant = getattr(request, "tenant", None)
        if tenant is not None and not tenant.is_public:
            found = storefront.brand(request)
            return found.name if found is not None and found.name else tenant.name
        return super().site_name(request)

    def site_logo_url(self, request) -> str:
        tenant = getattr(request, "tenant", None)
        if tenant is None or tenant.is_public:
            return ""
        found = storefront.brand(request)
        return found.logo_url if found is not None else ""

    def index(self, request, extra_context=None):
        """The first page: the dashboard's panels above the list of models."""
        panels = dashboard.panels_for(request) if self.has_permission(request) else []
        return super().index(request, {"dashboard_panels": panels, **(extra_context or {})})

    def _build_app_dict(self, request, label=None):
        app_dict = super()._build_app_dict(request, label)
        if label is not None:
            return app_dict if _shown(request, label) else {}
        return {app_label: app for app_label, app in app_dict.items() if _shown(request, app_label)}

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)
        model_admin = getattr(view, "__self__", None)
        model = getattr(model_admin, "model", None)
        if model is None:
            return inner
        label = model._meta.app_label
        if _module_of(label) is None and not tenant_only_app(label):
            return inner

        def gated(request, *args, **kwargs):
            if not _shown(request, label):
                raise Http404(f"'{model._meta.verbose_name}' is not available on this site.")
            return inner(request, *args, **kwargs)

        return update_wrapper(gated, inner)


class PlatformAdminSite(RustokAdminSite):
    """The admin of the platform host: tenants, their domains and modules, platform operators."""

    site_header = _("RusToK platform")
    site_title = _("RusToK platform")
    index_title = _("Tenants and modules")


class RustokAdminConfig(AdminConfig):
    """django.contrib.admin with TenantAdminSite as `admin.site`."""

    default_site = "rustok.admin_site.TenantAdminSite"
