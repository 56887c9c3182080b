"""Users, API tokens and the audit log in the admin of each tenant host.

What an admin user may see and do is asked of the same rules as the API (rules'
ObjectPermissionsModelAdmin); every change goes through apps.accounts.services, so the owner
rules, the audit log and token revocation apply here too.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from apps.accounts import services
from apps.accounts.lockout import current_lockouts
from apps.accounts.models import ApiToken, AuditEntry, Lockout, Role, User
from apps.accounts.services.api_tokens import grantable_scopes
from rustok.admin import (
    ModelAdmin,
    ObjectPermissionsModelAdmin,
    ReadOnly,
    ServiceForm,
    WritesThroughServices,
    refusals,
)
from rustok.errors import DomainError
from rustok.net import site_url
from rustok.permissions import can
from rustok.platform_admin import platform_admin

# Roles replace Django's groups in the tenant admin.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


class UserAddForm(ServiceForm):
    """Invite a user: without a password they get a mail to choose one."""

    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to mail an invitation to choose one."),
    )

    class Meta:
        model = User
        fields = ["email", "display_name", "role"]


class UserChangeForm(ServiceForm):
    # No e-mail or password here: changing them is a sign-in matter for the user (reset by mail).
    class Meta:
        model = User
        fields = ["display_name", "preferred_language", "role", "is_active"]


@admin.register(User)
class UserAdmin(WritesThroughServices, ObjectPermissionsModelAdmin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "display_name"]
    readonly_fields = ["email", "last_login", "date_joined"]
    form = UserChangeForm
    add_form = UserAddForm
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "preferred_language"]}),
        (_("Access"), {"fields": ["role", "is_active"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "display_name", "role", "password"]})]
    actions = ["deactivate_users"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_urls(self):
        # Django's "set another user's password" page would bypass the services (no audit, no
        # sign-out); users reset their own password by mail instead.
        return [url for url in super().get_urls() if not str(url.pattern).endswith("password/")]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        # The password is changed on its own page (the link under the field).
        return [(None, {"fields": ["email"]}), *self.fieldsets[1:]]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "role" in form.base_fields and not (request.user.is_superuser or request.user.role == Role.OWNER):
            form.base_fields["role"].choices = [c for c in Role.choices if c[0] != Role.OWNER]
        return form

    def save_model(self, request, obj, form, change):
        """Create or change the user through the services (owner rules, audit, revocation)."""
        with refusals():
            if not change:
                created = services.invite_user(
                    actor=request.user,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    display_name=form.cleaned_data.get("display_name", ""),
                    password=form.cleaned_data.get("password") or None,
                    base_url=site_url(request),
                    request=request,
                )
                obj.pk = created.pk
                return
            stored = User.objects.get(pk=obj.pk)
            services.update_profile(
                user=stored,
                display_name=form.cleaned_data["display_name"],
                preferred_language=form.cleaned_data["preferred_language"],
            )
            if "role" in form.changed_data:
                services.set_role(actor=request.user, target=stored, role=obj.role, request=request)
            if "is_active" in form.changed_data:
                change_state = services.activate_user if obj.is_active else services.deactivate_user
                change_state(actor=request.user, target=stored, request=request)

    @admin.action(description=_("Deactivate the selected users"), permissions=["change"])
    def deactivate_users(self, request, queryset):
        done = 0
        for user in queryset:
            try:
                services.deactivate_user(actor=request.user, target=user, request=request)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{user.email}: {exc.detail}", messages.ERROR)
        if done:
            self.message_user(
                request, _("%(count)d user(s) deactivated.") % {"count": done}, messages.SUCCESS
            )

    def has_delete_permission(self, request, obj=None):
        # Users are deactivated, never deleted: the audit log keeps pointing at them.
        return False


# Platform operators are the users of the public schema: listed by the platform admin too.
platform_admin.register(User, UserAdmin)


class ApiTokenForm(ServiceForm):
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the token may do."),
    )

    class Meta:
        model = ApiToken
        fields = ["name", "user", "scopes", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(name, name) for name in sorted(grantable_scopes())]
        self.fields["user"].queryset = User.objects.filter(is_active=True)


@admin.register(ApiToken)
class ApiTokenAdmin(WritesThroughServices, ObjectPermissionsModelAdmin):
    list_display = [
        "name",
        "user",
        "prefix",
        "scope_list",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__email"]
    actions = ["revoke_tokens"]

    @admin.display(description=_("scopes"))
    def scope_list(self, token):
        return ", ".join(token.scopes)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "name",
            "user",
            "prefix",
            "scopes",
            "created_by",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
        ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "user", "scopes", "expires_at"]
        return self.get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return
        with refusals():
            token, secret = services.create_api_token(
                actor=request.user,
                name=form.cleaned_data["name"],
                user=form.cleaned_data["user"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.cleaned_data.get("expires_at"),
                request=request,
            )
        obj.pk = token.pk
        self.message_user(
            request,
            _("Copy the token now; it is not shown again: %(secret)s") % {"secret": secret},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke_tokens(self, request, queryset):
        for token in queryset:
            services.revoke_api_token(actor=request.user, token=token, request=request)
        self.message_user(request, _("Tokens revoked."), messages.SUCCESS)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnly, ObjectPermissionsModelAdmin):
    list_display = ["at", "actor_email", "action", "target_label", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_email", "target_label", "ip_address"]
    date_hierarchy = "at"
    readonly_fields = [
        "at",
        "actor",
        "actor_email",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "ip_address",
        "data",
    ]


@admin.register(Lockout)
class LockoutAdmin(ReadOnly, ModelAdmin):
    """The sign-in lockouts in force on this site; admins and owners clear them.

    Each row is django-axes' record of one e-mail address, client address and browser; it is
    listed while it locks its pair (e-mail, address) or its address (apps.accounts.lockout).
    """

    list_display = ["username", "ip_address", "pair_failures", "address_failures", "attempt_time"]
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    actions = ["unlock_accounts", "unlock_addresses"]

    def get_queryset(self, request):
        return current_lockouts()

    @admin.display(description=_("failures of this e-mail from this address"))
    def pair_failures(self, row):
        return row.pair_failures

    @admin.display(description=_("failures from this address"))
    def address_failures(self, row):
        return row.address_failures

    def _unlock(self, request, pairs):
        done = 0
        for email, address in sorted(pairs):
            done += services.clear_lockout(actor=request.user, email=email, address=address, request=request)
        self.message_user(
            request, _("%(count)d record(s) of failed sign-ins cleared.") % {"count": done}, messages.SUCCESS
        )

    @admin.action(description=_("Unlock the selected e-mail addresses on their client addresses"))
    def unlock_accounts(self, request, queryset):
        self._unlock(request, {(row.username or "", row.ip_address or "") for row in queryset})

    @admin.action(description=_("Unlock the selected client addresses (every e-mail address)"))
    def unlock_addresses(self, request, queryset):
        self._unlock(request, {("", row.ip_address) for row in queryset if row.ip_address})

    # Admins and owners only, as for managing users. Read-only: records are written by sign-ins
    # and only cleared, by the actions above (through the service, so it is audited).
    def has_module_permission(self, request):
        return can(request.user, "accounts.manage_users")

    def has_view_permission(self, request, obj=None):
        return can(request.user, "accounts.manage_users")
