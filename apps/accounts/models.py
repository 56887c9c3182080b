"""Users, roles, sign-in sessions, API tokens and the audit log.

Every table lives in every schema: the public schema holds platform operators, a tenant schema
that tenant's users. A user, a token family or an API token of one tenant therefore does not
exist on another tenant's host.
"""

from __future__ import annotations

import uuid

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user may do on their site; the permissions of each are in each module's rules.py."""

    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    EDITOR = "editor", _("Editor")
    MANAGER = "manager", _("Manager")
    MODERATOR = "moderator", _("Moderator")
    CUSTOMER = "customer", _("Customer")


# Roles that work in the tenant admin; customers only use the storefront and the API.
STAFF_ROLES = frozenset({Role.OWNER, Role.ADMIN, Role.EDITOR, Role.MANAGER, Role.MODERATOR})


class UserManager(BaseUserManager):
    """Creates users that sign in by e-mail (stored as typed, matched case-insensitively)."""

    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        """A platform operator (public schema): every permission, role owner."""
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.OWNER)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address, unique (case-insensitively) in its schema."""

    email = models.EmailField(_("e-mail address"), max_length=254)
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, blank=True, choices=settings.LANGUAGES
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.CUSTOMER)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    # Set by authentication for a request made with an API token: the token's scopes then bound
    # every permission the user has (see has_perm).
    api_token: ApiToken | None = None

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="uniq_user_email_ci")]
        indexes = [models.Index(fields=["role"], name="user_role_idx")]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def is_staff(self) -> bool:
        """Whether the user may enter the admin: a staff role, or a platform operator."""
        return self.is_active and (self.is_superuser or self.role in STAFF_ROLES)

    def has_perm(self, perm, obj=None) -> bool:
        """The one permission check: the user's role through the rules, bounded by a token's scopes."""
        token = self.api_token
        if token is not None and perm not in token.scopes:
            return False
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        token = self.api_token
        if token is not None and not any(scope.startswith(f"{app_label}.") for scope in token.scopes):
            return False
        return super().has_module_perms(app_label)


class TokenFamily(models.Model):
    """One sign-in: the chain of refresh tokens issued since a login, each replacing the last.

    Only the newest refresh token (`current_jti`) may be used. Presenting an older one means it was
    copied: the whole family is revoked, and with it every access token it issued. The one
    exception is the immediate duplicate: the refresh token just exchanged (`previous_jti`),
    presented again within AUTH_REFRESH_GRACE_SECONDS of `refreshed_at`, gets the pair that
    exchange issued once more (re-signed from `issued_claims`).
    """

    class Mode(models.TextChoices):
        BEARER = "bearer", _("Bearer token")
        COOKIE = "cookie", _("Cookie")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="token_families")
    mode = models.CharField(max_length=8, choices=Mode.choices)
    current_jti = models.CharField(max_length=64)
    previous_jti = models.CharField(max_length=64, blank=True)
    issued_claims = models.TextField(blank=True, help_text="Claims of the pair the last refresh issued.")
    created_at = models.DateTimeField(default=timezone.now)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=32, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("sign-in session")
        verbose_name_plural = _("sign-in sessions")
        indexes = [models.Index(fields=["user", "revoked_at"], name="tokenfamily_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} ({self.mode}, {self.created_at:%Y-%m-%d %H:%M})"


class ApiToken(models.Model):
    """A credential for an integration: acts as `user`, limited to `scopes` (permission names).

    The secret is shown once, at creation; only its SHA-256 is kept. `prefix` finds the row.
    """

    name = models.CharField(_("name"), max_length=100)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("acts as")
    )
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    scopes = ArrayField(models.CharField(max_length=100), default=list, blank=True, verbose_name=_("scopes"))
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class AuditEntry(models.Model):
    """Who did what to whom, when and from where: sign-ins, role changes, tokens."""

    class Action(models.TextChoices):
        LOGIN = "login", _("signed in")
        LOGIN_FAILED = "login_failed", _("failed to sign in")
        LOCKED_OUT = "locked_out", _("locked out")
        LOGOUT = "logout", _("signed out")
        REGISTERED = "registered", _("registered")
        SIGNUP_TAKEN = "signup_taken", _("tried to sign up with an address in use")
        USER_CREATED = "user_created", _("created a user")
        ROLE_CHANGED = "role_changed", _("changed a role")
        USER_DEACTIVATED = "user_deactivated", _("deactivated a user")
        USER_ACTIVATED = "user_activated", _("activated a user")
        PASSWORD_CHANGED = "password_changed", _("changed the password")
        PASSWORD_RESET_REQUESTED = "password_reset_requested", _("asked for a password reset")
        PASSWORD_RESET = "password_reset", _("reset the password")
        TOKEN_REUSED = "token_reused", _("reused a rotated refresh token")
        API_TOKEN_CREATED = "api_token_created", _("created an API token")
        API_TOKEN_REVOKED = "api_token_revoked", _("revoked an API token")
        LOCKOUT_CLEARED = "lockout_cleared", _("cleared a sign-in lockout")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("who")
    )
    actor_email = models.CharField(_("who (e-mail)"), max_length=254, blank=True)
    action = models.CharField(_("what"), max_length=32, choices=Action.choices, db_index=True)
    target_type = models.CharField(_("target type"), max_length=32, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_label = models.CharField(_("target"), max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_email or '-'} {self.action} {self.target_label}"


class Lockout(AccessAttempt):
    """django-axes' record of failed sign-ins of one e-mail, address and browser, as the tenant
    admin lists it: the current lockouts, which admins clear (apps.accounts.admin)."""

    class Meta:
        proxy = True
        verbose_name = _("sign-in lockout")
        verbose_name_plural = _("sign-in lockouts")
