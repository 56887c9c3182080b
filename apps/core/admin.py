"""The platform admin (public host): tenants, their domains and their module switches.

It is a separate AdminSite, mounted only by the public URL conf, so a tenant's admin never lists
the platform tables. Writes go through apps.core.services, so the admin obeys the same rules as
the command line (slug rules, module dependencies both ways).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from apps.accounts.admin import UserAdmin
from apps.accounts.models import User
from apps.core import services
from apps.core.models import Domain, Tenant, TenantModule
from apps.core.validators import validate_hostname, validate_tenant_slug
from rustok.admin import ModelAdmin, TabularInline
from rustok.admin_site import RustokAdminSite
from rustok.errors import DomainError
from rustok.modules import registry


class PlatformAdminSite(RustokAdminSite):
    site_header = _("RusToK platform")
    site_title = _("RusToK platform")
    index_title = _("Tenants and modules")


platform_admin = PlatformAdminSite(name="platform_admin")


class DomainInline(TabularInline):
    model = Domain
    extra = 0
    fields = ["domain", "is_primary"]


class ModuleToggleFormSet(BaseInlineFormSet):
    """Validate all switches of the form together with the module dependency rules."""

    def clean(self):
        super().clean()
        if any(self.errors) or self.instance.pk is None:
            return
        desired = {
            form.instance.module: form.cleaned_data.get("enabled", False)
            for form in self.forms
            if form.has_changed()
        }
        if desired:
            try:
                services.check_module_states(tenant=self.instance, desired=desired)
            except DomainError as exc:
                raise ValidationError(exc.detail) from None


class ModuleToggleInline(TabularInline):
    model = TenantModule
    formset = ModuleToggleFormSet
    extra = 0
    can_delete = False
    fields = ["module", "module_name", "enabled"]
    readonly_fields = ["module", "module_name"]
    verbose_name = _("module")
    verbose_name_plural = _("modules")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("name"))
    def module_name(self, toggle):
        manifest = registry.modules.get(toggle.module)
        if manifest is None:
            return _("(not installed)")
        return f"{manifest.name}{' · core' if manifest.core else ''}"


class TenantCreateForm(forms.ModelForm):
    """The add form: the slug becomes the schema name, and a first host name is required."""

    schema_name = forms.CharField(label=_("slug"), validators=[validate_tenant_slug])
    domain = forms.CharField(label=_("host name"), validators=[validate_hostname])

    class Meta:
        model = Tenant
        fields = ["schema_name", "name", "default_language", "default_currency"]

    def clean_domain(self):
        domain = self.cleaned_data["domain"].strip().lower()
        if Domain.objects.filter(domain=domain).exists():
            raise ValidationError(_("The host '%s' already belongs to a tenant.") % domain)
        return domain


@admin.register(Tenant, site=platform_admin)
class TenantAdmin(ModelAdmin):
    list_display = ["schema_name", "name", "status", "primary_domain", "default_language", "created_at"]
    list_filter = ["status", "default_language"]
    search_fields = ["schema_name", "name", "domains__domain"]
    readonly_fields = ["schema_name", "created_at", "updated_at"]
    actions = ["suspend", "resume"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(schema_name="public").prefetch_related("domains")

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = TenantCreateForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["schema_name", "name", "domain", "default_language", "default_currency"]
        return [
            "schema_name",
            "name",
            "status",
            "default_language",
            "default_currency",
            "allow_signup",
            "created_at",
            "updated_at",
        ]

    def get_inlines(self, request, obj):
        return [DomainInline, ModuleToggleInline] if obj else []

    @admin.display(description=_("host"))
    def primary_domain(self, tenant):
        return next((d.domain for d in tenant.domains.all() if d.is_primary), "")

    def save_model(self, request, obj, form, change):
        if change:
            services.update_tenant(
                tenant=obj,
                name=obj.name,
                default_language=obj.default_language,
                default_currency=obj.default_currency,
                allow_signup=obj.allow_signup,
            )
            if "status" in form.changed_data:
                if obj.is_active:
                    services.resume_tenant(tenant=obj)
                else:
                    services.suspend_tenant(tenant=obj)
            return
        created = services.create_tenant(
            slug=form.cleaned_data["schema_name"],
            name=form.cleaned_data["name"],
            domain=form.cleaned_data["domain"],
            default_language=form.cleaned_data["default_language"],
            default_currency=form.cleaned_data["default_currency"],
        )
        obj.pk = created.pk
        obj.__dict__.update(created.__dict__)

    def save_formset(self, request, form, formset, change):
        if formset.model is not TenantModule:
            return super().save_formset(request, form, formset, change)
        desired = {
            f.instance.module: f.cleaned_data.get("enabled", False) for f in formset.forms if f.has_changed()
        }
        # The admin's change message reads these; the service, not the formset, writes the rows.
        formset.new_objects, formset.deleted_objects = [], []
        formset.changed_objects = [(f.instance, ["enabled"]) for f in formset.forms if f.has_changed()]
        if desired:
            changed = services.set_module_states(tenant=form.instance, desired=desired)
            if changed:
                self.message_user(request, _("Modules switched: %s") % ", ".join(changed), messages.SUCCESS)
        return None

    def delete_model(self, request, obj):
        services.delete_tenant(tenant=obj)

    def delete_queryset(self, request, queryset):
        for tenant in queryset:
            services.delete_tenant(tenant=tenant)

    @admin.action(description=_("Suspend the selected tenants"))
    def suspend(self, request, queryset):
        for tenant in queryset:
            services.suspend_tenant(tenant=tenant)

    @admin.action(description=_("Resume the selected tenants"))
    def resume(self, request, queryset):
        for tenant in queryset:
            services.resume_tenant(tenant=tenant)


@admin.register(Domain, site=platform_admin)
class DomainAdmin(ModelAdmin):
    list_display = ["domain", "tenant", "is_primary"]
    search_fields = ["domain", "tenant__schema_name", "tenant__name"]
    list_select_related = ["tenant"]


# Platform operators are the users of the public schema.
platform_admin.register(User, UserAdmin)
