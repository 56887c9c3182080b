"""The admin of a tenant host: Django's admin, minus the models of modules the tenant switched off.

A disabled module's models vanish from the index and its admin pages answer 404, for every
module, without the module's admin.py doing anything.
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import Http404

from rustok.modules import registry
from rustok.modules.gate import module_enabled_for


def _module_of(app_label: str) -> str | None:
    module = registry.for_app(app_label)
    return None if module is None or module.core else module.slug


class TenantAdminSite(admin.AdminSite):
    site_header = "RusToK"
    site_title = "RusToK"

    def each_context(self, request):
        context = super().each_context(request)
        tenant = getattr(request, "tenant", None)
        if tenant is not None and not tenant.is_public:
            context["site_header"] = tenant.name
        return context

    def _build_app_dict(self, request, label=None):
        app_dict = super()._build_app_dict(request, label)
        if label is not None:
            slug = _module_of(label)
            return app_dict if slug is None or module_enabled_for(request, slug) else {}
        return {
            app_label: app
            for app_label, app in app_dict.items()
            if (slug := _module_of(app_label)) is None or module_enabled_for(request, slug)
        }

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)
        model_admin = getattr(view, "__self__", None)
        model = getattr(model_admin, "model", None)
        slug = _module_of(model._meta.app_label) if model is not None else None
        if slug is None:
            return inner

        def gated(request, *args, **kwargs):
            if not module_enabled_for(request, slug):
                raise Http404(f"The module '{slug}' is not enabled for this site.")
            return inner(request, *args, **kwargs)

        return update_wrapper(gated, inner)


class RustokAdminConfig(AdminConfig):
    """django.contrib.admin with TenantAdminSite as `admin.site`."""

    default_site = "rustok.admin_site.TenantAdminSite"
