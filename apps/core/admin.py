"""The platform admin (public host): tenants, their domains and their module switches.

Registered on the kernel's separate `platform_admin` site, mounted only by the public URL conf,
so a tenant's admin never lists the platform tables (the accounts module adds the platform
operators to it). Writes go through apps.core.services, so the admin obeys the same rules as
the command line (slug rules, module dependencies both ways).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from apps.core import services
from apps.core.models import Domain, Tenant, TenantModule
from apps.core.validators import SLUG_HELP, currency_choices, validate_hostname, validate_tenant_slug
from rustok.admin import ModelAdmin, TabularInline
from rustok.errors import DomainError
from rustok.i18n import language_codes
from rustok.modules import registry
from rustok.platform_admin import platform_admin

__all__ = ["platform_admin"]


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
    verbose_name = _("Module")
    verbose_name_plural = _("Modules")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Name"))
    def module_name(self, toggle):
        manifest = registry.modules.get(toggle.module)
        if manifest is None:
            return _("(not installed)")
        return f"{manifest.name}{' · core' if manifest.core else ''}"


def language_choices() -> list[tuple[str, str]]:
    """The languages the platform offers (settings.LANGUAGES), each named in its own language."""
    return [(code, get_language_info(code)["name_local"]) for code in language_codes()]


class TenantForm(forms.ModelForm):
    """A tenant's settings: its language and currency are chosen from lists, never typed."""

    default_language = forms.TypedChoiceField(label=_("Default language"), choices=language_choices)
    default_currency = forms.TypedChoiceField(label=_("Default currency"), choices=currency_choices)

    class Meta:
        model = Tenant
        fields = ["name", "status", "default_language", "default_currency", "allow_signup"]


class TenantCreateForm(TenantForm):
    """The add form: the slug becomes the schema name, a first host name is required, and the
    site's first owner is created with it (a password now, or an invitation mail)."""

    PASSWORD, INVITE = "password", "invite"

    schema_name = forms.CharField(label=_("Slug"), validators=[validate_tenant_slug], help_text=SLUG_HELP)
    domain = forms.CharField(
        label=_("Host name"),
        validators=[validate_hostname],
        help_text=_("Where the site answers, such as shop.example.com (no scheme, port or path)."),
    )
    owner_email = forms.EmailField(
        label=_("Owner's e-mail"), help_text=_("The first user of the site, with every right on it.")
    )
    owner_access = forms.ChoiceField(
        label=_("How the owner signs in"),
        choices=[
            (PASSWORD, _("With the password given here")),
            (INVITE, _("Mail an invitation to choose a password")),
        ],
        initial=INVITE,
        widget=forms.RadioSelect,
    )
    owner_password = forms.CharField(
        label=_("Owner's password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Only when the owner signs in with a password given here."),
    )

    class Meta:
        model = Tenant
        fields = ["schema_name", "name", "default_language", "default_currency"]

    def clean_domain(self):
        domain = self.cleaned_data["domain"].strip().lower()
        if Domain.objects.filter(domain=domain).exists():
            raise ValidationError(_("The host '%s' already belongs to a tenant.") % domain)
        return domain

    def clean_schema_name(self):
        slug = self.cleaned_data["schema_name"]
        if Tenant.objects.filter(schema_name=slug).exists():
            raise ValidationError(_("The slug '%s' is taken.") % slug)
        return slug

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("owner_password")
        if cleaned.get("owner_access") == self.PASSWORD:
            if not password:
                self.add_error("owner_password", _("Give the owner a password, or send an invitation."))
            else:
                try:
                    validate_password(password, get_user_model()(email=cleaned.get("owner_email") or ""))
                except ValidationError as exc:
                    self.add_error("owner_password", exc)
        else:
            cleaned["owner_password"] = ""
        return cleaned


def site_address(request, domain: str) -> str:
    """The address of a new site's host as its owner will reach it (scheme and port of this one)."""
    port = request.get_port()
    suffix = "" if port in ("80", "443") else f":{port}"
    return f"{request.scheme}://{domain}{suffix}"


@admin.register(Tenant, site=platform_admin)
class TenantAdmin(ModelAdmin):
    list_display = ["slug", "name", "status", "primary_domain", "default_language", "created_at"]
    list_filter = ["status", "default_language"]
    search_fields = ["schema_name", "name", "domains__domain"]
    readonly_fields = ["schema_name", "created_at", "updated_at"]
    actions = ["suspend", "resume"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(schema_name="public").prefetch_related("domains")

    form = TenantForm

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = TenantCreateForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return [
                "schema_name",
                "name",
                "domain",
                "default_language",
                "default_currency",
                "owner_email",
                "owner_access",
                "owner_password",
            ]
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

    @admin.display(description=_("Slug"), ordering="schema_name")
    def slug(self, tenant):
        """The schema name, under the name the add form gives it."""
        return tenant.schema_name

    @admin.display(description=_("Host"))
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
        data = form.cleaned_data
        created = services.create_tenant(
            slug=data["schema_name"],
            name=data["name"],
            domain=data["domain"],
            default_language=data["default_language"],
            default_currency=data["default_currency"],
            admin_email=data["owner_email"],
            admin_password=data["owner_password"] or None,
            admin_invite_base_url=site_address(request, data["domain"]),
            invited_by=request.user.email,
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
