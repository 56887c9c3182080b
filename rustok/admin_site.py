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

Modules whose manifests name the same `admin_group` ("Shop": the catalogue, inventory, and later
orders and payments) share one section of the index and the sidebar, in module order, each
module's models in the order its admin.py registers them. A module that is off leaves the
section; a section left empty leaves the page.
"""

from functools import update_wrapper

from django.contrib.admin.apps import AdminConfig
from django.http import Http404
from django.utils import translation
from django.utils.text import slugify
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


def _group_of(app_label: str):
    module = registry.for_app(app_label)
    return module.admin_group if module is not None else ""


def grouped(app_dict: dict[str, dict]) -> list[dict]:
    """The admin's sections: each app of `app_dict` on its own (its models sorted by name, as
    Django does), except the apps of modules naming an `admin_group`, which share one section.
    Sections are sorted by name."""
    sections: list[dict] = []
    groups: dict[str, dict] = {}
    for app in sorted(app_dict.values(), key=lambda a: registry_position(a["app_label"])):
        title = _group_of(app["app_label"])
        if not title:
            app["models"].sort(key=lambda model: model["name"])
            sections.append(app)
            continue
        with translation.override("en"):
            key = slugify(str(title))
        group = groups.get(key)
        if group is None:
            group = groups[key] = {
                "name": str(title),
                "app_label": key,
                "app_url": app["app_url"],
                "has_module_perms": True,
                "models": [],
                "apps": [],
            }
            sections.append(group)
        group["models"].extend(app["models"])  # in the order the module's admin registers them
        group["apps"].append(app["app_label"])
    return sorted(sections, key=lambda section: section["name"].lower())


def registry_position(app_label: str) -> int:
    """Where the app's module comes in the registry (dependency order); apps that are no module last."""
    for position, module in enumerate(registry):
        if module.app_label == app_label:
            return position
    return len(registry.modules)


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

    def get_app_list(self, request, app_label=None):
        """The index's and the sidebar's sections, with the modules' shared groups ("Shop");
        one app's own page (`app_label`) lists that app alone, as Django does."""
        if app_label is not None:
            return super().get_app_list(request, app_label)
        return grouped(self._build_app_dict(request))

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
