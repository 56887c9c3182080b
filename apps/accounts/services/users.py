"""Users of a site: sign-up, sign-in, passwords, invitations, roles and deactivation."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate, login, logout, password_validation, update_session_auth_hash
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext

from apps.accounts.events import (
    PasswordResetRequested,
    SignUpAttempted,
    UserActivated,
    UserCreated,
    UserDeactivated,
    UserRegistered,
    UserRoleChanged,
)
from apps.accounts.models import Role, TokenFamily, User
from apps.accounts.services.api_tokens import end_tokens_of
from apps.accounts.services.audit import Action, record
from apps.accounts.services.sessions import Tokens, revoke_all_sessions, start_session
from rustok import events
from rustok.errors import AuthenticationFailed, Conflict, DomainError, InvalidInput, PermissionDenied
from rustok.permissions import OWNER, require


class LoginLocked(DomainError):
    """Too many failed sign-ins for this account or from this address."""

    code = "login_locked"
    status = 429
    title = "Too many failed sign-ins"


class TenantResetTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset tokens, also bound to the site: a token of one tenant fails on another."""

    key_salt = "rustok.accounts.password-reset"

    def _make_hash_value(self, user, timestamp):
        return f"{connection.schema_name}:{super()._make_hash_value(user, timestamp)}"


reset_tokens = TenantResetTokenGenerator()


def is_locked_out(request, email: str) -> bool:
    """Whether sign-ins for `email`, or from the request's address, are locked (django-axes)."""
    from axes.handlers.proxy import AxesProxyHandler

    django_request = getattr(request, "_request", request)
    credentials = {"username": (email or "").strip()}
    locked = AxesProxyHandler.is_locked(django_request, credentials)
    if locked:
        django_request.axes_locked_out = True  # AxesMiddleware answers with the lockout response
        django_request.axes_credentials = credentials  # ... telling when it ends
    return locked


def _email(value: str, field: str = "email") -> str:
    value = (value or "").strip()
    try:
        validate_email(value)
    except ValidationError:
        raise InvalidInput.for_field(field, gettext("Enter a valid e-mail address.")) from None
    return User.objects.normalize_email(value)


def _password(password: str, user: User, field: str = "password") -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(f"{field}: {' '.join(exc.messages)}", errors={field: list(exc.messages)}) from None


def _language(value: str) -> str:
    value = value or ""
    if value and value not in dict(settings.LANGUAGES):
        raise InvalidInput.for_field(
            "preferred_language", f"Choose one of: {', '.join(dict(settings.LANGUAGES))}."
        )
    return value


def _taken(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def _save_new(user: User) -> None:
    """Insert a new user; a concurrent insert of the same e-mail is the same refusal as _taken."""
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise InvalidInput.for_field(
            "email", gettext("A user with this e-mail address already exists.")
        ) from None


@transaction.atomic
def register_customer(
    *,
    tenant,
    email: str,
    password: str,
    display_name: str = "",
    preferred_language: str = "",
    base_url: str = "",
    request=None,
) -> User | None:
    """Self-service sign-up as a customer, when the site allows it.

    The caller's answer must not tell whether the address is taken. For a taken address nothing
    is created or changed: the address's owner gets a mail saying someone tried to sign up
    (SignUpAttempted, with a reset link built on `base_url`), and None is returned. The new
    password is hashed either way, so both cases take as long; a new customer gets a welcome
    mail (UserRegistered).
    """
    if request is not None and is_locked_out(request, email):
        raise LoginLocked(gettext("Too many failed sign-ins from here; try again later."))
    if not tenant.allow_signup:
        raise PermissionDenied(
            gettext("This site does not allow signing up; ask for an invitation."), reason="signup_closed"
        )
    email = _email(email)
    user = User(
        email=email,
        display_name=(display_name or "").strip()[:150],
        preferred_language=_language(preferred_language),
        role=Role.CUSTOMER,
    )
    _password(password, user)
    user.set_password(password)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # signed up at the same moment by another request
            existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        record(Action.SIGNUP_TAKEN, actor_email=email, target=existing, request=request)
        events.publish(SignUpAttempted(user_id=existing.pk, base_url=base_url))
        return None
    record(Action.REGISTERED, actor=user, target=user, request=request)
    events.publish(
        UserRegistered(user_id=user.pk, email=user.email, preferred_language=user.preferred_language)
    )
    return user


def check_credentials(*, request, email: str, password: str) -> User:
    """The active user with this e-mail address and password, checked through the lockout.

    Every way of signing in asks this: the API's tokens (`sign_in`), the storefront's session
    (`sign_in_session`). `request` is Django's HttpRequest (or DRF's): the lockout (django-axes)
    keys on its address, and a failure reaches the audit log through Django's
    `user_login_failed` signal. Raises LoginLocked or AuthenticationFailed.
    """
    django_request = getattr(request, "_request", request)
    user = authenticate(django_request, username=(email or "").strip(), password=password or "")
    if getattr(django_request, "axes_locked_out", False):
        raise LoginLocked(gettext("Too many failed sign-ins; try again later."))
    if user is None:
        raise AuthenticationFailed(
            gettext("The e-mail address or the password is wrong."), reason="credentials"
        )
    return user


def sign_in(*, request, email: str, password: str, mode: str = TokenFamily.Mode.BEARER) -> Tokens:
    """Check the password (with lockout) and open a token family.

    `request` is Django's HttpRequest: the lockout (django-axes) keys on its address. Failed and
    successful sign-ins reach the audit log through Django's auth signals, as admin sign-ins do.
    """
    django_request = getattr(request, "_request", request)
    user = check_credentials(request=django_request, email=email, password=password)
    tokens = start_session(user=user, mode=mode, request=django_request)
    user_logged_in.send(sender=User, request=django_request, user=user)
    return tokens


def sign_in_session(*, request, email: str, password: str) -> User:
    """Check the password (with lockout) and sign in with Django's session (the storefront).

    django.contrib.auth.login gives the browser a new session key and sends `user_logged_in`
    (audited). The session holds the password's hash (Django's session auth hash), so a change
    or reset of the password ends it.
    """
    user = check_credentials(request=request, email=email, password=password)
    login(request, user)
    return user


def sign_out_session(*, request) -> None:
    """End the request's session sign-in (audited through `user_logged_out`)."""
    logout(request)


def _check_current_password(user: User, password: str, request) -> None:
    """Check `user`'s current password as a sign-in is checked: through the lockout (django-axes),
    so a wrong one counts as a failed sign-in (and is audited as one) and a locked account or
    address is refused. Runs outside any transaction, so the failure it records stays."""
    if request is None:  # in-process callers (no client to lock out)
        if not user.check_password(password or ""):
            raise InvalidInput.for_field("current_password", gettext("The current password is wrong."))
        return
    django_request = getattr(request, "_request", request)
    checked = authenticate(django_request, username=user.email, password=password or "")
    if getattr(django_request, "axes_locked_out", False):
        raise LoginLocked(gettext("Too many wrong passwords; try again later."))
    if checked is None or checked.pk != user.pk:
        raise InvalidInput.for_field("current_password", gettext("The current password is wrong."))


def change_password(
    *, user: User, current_password: str, new_password: str, keep: TokenFamily | None = None, request=None
) -> User:
    """Change one's own password; every other sign-in of the user ends.

    A wrong current password counts towards the lockout like a failed sign-in.
    """
    _check_current_password(user, current_password, request)
    return _set_new_password(user=user, new_password=new_password, keep=keep, request=request)


@transaction.atomic
def _set_new_password(*, user: User, new_password: str, keep: TokenFamily | None, request) -> User:
    _password(new_password, user, "new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    revoke_all_sessions(user=user, reason="password_changed", keep=keep)
    record(Action.PASSWORD_CHANGED, actor=user, target=user, request=request)
    return user


def change_password_in_session(*, request, current_password: str, new_password: str) -> User:
    """Change the password of the session's user (the storefront): every other sign-in ends, the
    session of `request` goes on with the new password's hash."""
    user = change_password(
        user=request.user, current_password=current_password, new_password=new_password, request=request
    )
    update_session_auth_hash(request, user)
    return user


def reset_link(user: User, base_url: str) -> str:
    """The link of a mail that lets `user` choose a password (reset or invitation)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"{base_url.rstrip('/')}/account/reset/?uid={uid}&token={reset_tokens.make_token(user)}"


@transaction.atomic
def request_password_reset(*, email: str, base_url: str, request=None) -> None:
    """Mail a reset link if an active user has this address. Says nothing either way."""
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is None:
        return
    # The mail goes out from the event's handler (apps.accounts.handlers), after the commit and
    # outside the request: the answer takes as long whether the address exists or not.
    events.publish(PasswordResetRequested(user_id=user.pk, base_url=base_url))
    record(Action.PASSWORD_RESET_REQUESTED, actor=user, target=user, request=request)


def user_of_reset_link(*, uid: str, token: str) -> User | None:
    """The active user a mailed reset link (its `uid` and `token`) is for; None if the link is
    wrong, used or expired (a new password changes the token)."""
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uid or ""))), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    return user if reset_tokens.check_token(user, token or "") else None


@transaction.atomic
def reset_password(*, uid: str, token: str, new_password: str, request=None) -> User:
    """Set a new password with a mailed token; every sign-in of the user ends."""
    user = user_of_reset_link(uid=uid, token=token)
    if user is None:
        raise InvalidInput.for_field("token", gettext("The reset link is invalid or has expired."))
    _password(new_password, user, "new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    revoke_all_sessions(user=user, reason="password_reset")
    record(Action.PASSWORD_RESET, actor=user, target=user, request=request)
    return user


@transaction.atomic
def update_profile(
    *, user: User, display_name: str | None = None, preferred_language: str | None = None
) -> User:
    """Change one's own display name or language."""
    fields = []
    if display_name is not None:
        user.display_name = display_name.strip()[:150]
        fields.append("display_name")
    if preferred_language is not None:
        user.preferred_language = _language(preferred_language)
        fields.append("preferred_language")
    if fields:
        user.save(update_fields=fields)
    return user


def _role(value: str) -> str:
    if value not in Role.values:
        raise InvalidInput.for_field("role", f"Choose one of: {', '.join(Role.values)}.")
    return value


def _grant_check(actor: User, role: str) -> None:
    if role == Role.OWNER and actor.role != OWNER and not actor.is_superuser:
        raise PermissionDenied("Only an owner can make someone an owner.", permission="accounts.manage_users")


@transaction.atomic
def invite_user(
    *,
    actor: User,
    email: str,
    role: str = Role.CUSTOMER,
    display_name: str = "",
    password: str | None = None,
    base_url: str = "",
    request=None,
    check_strength: bool = True,
) -> User:
    """Create a user with a role. Without a password, they get a mail to choose one.

    `check_strength=False` skips the password validators: only for the demo's documented sample
    password, which is shared by its accounts and alike to their addresses.
    """
    require(actor, "accounts.manage_users")
    email = _email(email)
    role = _role(role)
    _grant_check(actor, role)
    user = User(email=email, display_name=(display_name or "").strip()[:150], role=role)
    if password and check_strength:
        _password(password, user)
    if _taken(email):
        raise InvalidInput.for_field("email", gettext("A user with this e-mail address already exists."))
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    _save_new(user)
    record(Action.USER_CREATED, actor=actor, target=user, request=request, role=role)
    events.publish(
        UserCreated(
            user_id=user.pk,
            email=user.email,
            role=role,
            actor_id=actor.pk,
            invited_by=actor.email,
            # Without a password, the handler mails a link to choose one (apps.accounts.handlers).
            set_password_base_url="" if password else base_url,
        )
    )
    return user


@transaction.atomic
def create_first_owner(
    *, email: str, password: str | None = None, invite_base_url: str = "", invited_by: str = ""
) -> User:
    """The owner of a new site, made by the platform (apps.core.services.create_tenant).

    With a password they can sign in at once; without one they get the invitation mail to
    choose one (a link under `invite_base_url`, the site's own address), as invited users do.
    """
    return _create_owner(
        email=email, password=password, invite_base_url=invite_base_url, invited_by=invited_by
    )


@transaction.atomic
def create_platform_operator(*, email: str, password: str, invited_by: str = "") -> User:
    """A platform operator: a user of the public schema with every right, who signs in to the
    platform admin (`rustok demo` makes one). Audited and announced like every new user."""
    if connection.schema_name != settings.PUBLIC_SCHEMA_NAME:
        raise Conflict("Platform operators live in the platform's public schema, not in a site's.")
    return _create_owner(email=email, password=password, invited_by=invited_by, superuser=True)


def _create_owner(
    *,
    email: str,
    password: str | None,
    invite_base_url: str = "",
    invited_by: str = "",
    superuser: bool = False,
) -> User:
    email = _email(email, "owner_email")
    user = User(email=email, role=Role.OWNER, is_superuser=superuser)
    if password:
        _password(password, user, "owner_password")
    elif not invite_base_url:
        raise InvalidInput.for_field("owner_password", "Give a password, or send an invitation mail.")
    if _taken(email):
        raise InvalidInput.for_field("owner_email", "A user with this e-mail address already exists.")
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    _save_new(user)
    record(Action.USER_CREATED, actor_email=invited_by, target=user, role=Role.OWNER)
    events.publish(
        UserCreated(
            user_id=user.pk,
            email=user.email,
            role=Role.OWNER,
            actor_id=None,
            invited_by=invited_by,
            set_password_base_url="" if password else invite_base_url,
        )
    )
    return user


def _owners_left_without(target: User) -> int:
    return User.objects.filter(role=Role.OWNER, is_active=True).exclude(pk=target.pk).count()


def _lock(target: User) -> User:
    """Re-read `target` under a row lock, and lock the owners, so two changes cannot both pass."""
    list(
        User.objects.select_for_update().filter(role=Role.OWNER, is_active=True).values_list("pk", flat=True)
    )
    return User.objects.select_for_update().get(pk=target.pk)


@transaction.atomic
def set_role(*, actor: User, target: User, role: str, request=None) -> User:
    """Give `target` another role. Only owners manage owners; the last owner stays an owner."""
    role = _role(role)
    require(actor, "accounts.manage_users", target)
    _grant_check(actor, role)
    target = _lock(target)
    require(actor, "accounts.manage_users", target)
    if target.role == role:
        return target
    if target.role == Role.OWNER and target.is_active and not _owners_left_without(target):
        raise Conflict("The site must keep at least one owner.", reason="last_owner")
    previous = target.role
    target.role = role
    target.save(update_fields=["role"])
    record(Action.ROLE_CHANGED, actor=actor, target=target, request=request, previous=previous, role=role)
    events.publish(UserRoleChanged(user_id=target.pk, previous=previous, role=role, actor_id=actor.pk))
    return target


@transaction.atomic
def deactivate_user(*, actor: User, target: User, request=None) -> User:
    """Stop a user from signing in; their sign-ins end and their API tokens (acting as them, or
    made by them) are revoked for good: activating the user again does not bring them back."""
    require(actor, "accounts.manage_users", target)
    target = _lock(target)
    require(actor, "accounts.manage_users", target)  # again, on the locked, current row
    if target.pk == actor.pk:
        raise Conflict("You cannot deactivate yourself.", reason="self")
    if not target.is_active:
        return target
    if target.role == Role.OWNER and not _owners_left_without(target):
        raise Conflict("The site must keep at least one owner.", reason="last_owner")
    target.is_active = False
    target.save(update_fields=["is_active"])
    revoke_all_sessions(user=target, reason="deactivated")
    end_tokens_of(user=target, actor=actor, reason="user_deactivated", request=request)
    record(Action.USER_DEACTIVATED, actor=actor, target=target, request=request)
    events.publish(UserDeactivated(user_id=target.pk, actor_id=actor.pk))
    return target


@transaction.atomic
def activate_user(*, actor: User, target: User, request=None) -> User:
    """Let a deactivated user sign in again."""
    require(actor, "accounts.manage_users", target)
    if not target.is_active:
        target.is_active = True
        target.save(update_fields=["is_active"])
        record(Action.USER_ACTIVATED, actor=actor, target=target, request=request)
        events.publish(UserActivated(user_id=target.pk, actor_id=actor.pk))
    return target
