"""Tables of the public schema: tenants, their host names, and their module toggles."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from apps.core.validators import validate_currency, validate_hostname, validate_language


class Tenant(TenantMixin):
    """One shop or site. Its slug is the name of the PostgreSQL schema holding its data."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("display name"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    default_language = models.CharField(
        _("default language"), max_length=8, default="en", validators=[validate_language]
    )
    default_currency = models.CharField(
        _("default currency"), max_length=3, default="USD", validators=[validate_currency]
    )
    allow_signup = models.BooleanField(
        _("visitors may sign up"),
        default=True,
        help_text=_("Whether visitors may create a customer account themselves."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # The schema is created (cloned from the template) when the row is first saved, and dropped
    # with the row: deleting a tenant is deleting its data, so the command asks first.
    auto_create_schema = True
    auto_drop_schema = True

    class Meta:
        ordering = ["schema_name"]
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")

    def __str__(self) -> str:
        return f"{self.name} ({self.schema_name})"

    @property
    def slug(self) -> str:
        return self.schema_name

    @property
    def is_public(self) -> bool:
        return self.schema_name == "public"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Domain(DomainMixin):
    """A host name routed to a tenant's schema."""

    class Meta:
        ordering = ["domain"]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self) -> str:
        return self.domain

    def clean(self) -> None:
        self.domain = (self.domain or "").strip().lower()
        validate_hostname(self.domain)


class TenantModule(models.Model):
    """Whether one module is switched on for one tenant, with the module's settings for it.

    No row means the module's manifest default. Written only by apps.core.services.
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="module_toggles")
    module = models.CharField(_("module"), max_length=63)
    enabled = models.BooleanField(_("enabled"), default=True)
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["tenant", "module"]
        constraints = [models.UniqueConstraint(fields=["tenant", "module"], name="uniq_tenant_module")]
        verbose_name = _("module toggle")
        verbose_name_plural = _("module toggles")

    def __str__(self) -> str:
        return f"{self.module} ({'on' if self.enabled else 'off'})"
