"""Mails of the accounts module, sent by the event bus's worker after the write committed.

Sent at least once: if the worker dies between sending and recording it, the mail goes again.
A failed send fails the handler's attempt; the bus retries it with backoff.
"""

from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.services.users import reset_link
from apps.core.selectors import current_tenant
from apps.site.selectors import site_name
from rustok.events import Envelope, subscribe
from rustok.resilience import breaker


def _send(subject: str, body: str, to: str) -> None:
    """Send through the mail circuit breaker: while the mail server keeps failing, attempts fail
    at once (and the bus retries them later) instead of each waiting for EMAIL_TIMEOUT."""
    breaker("mail").call(send_mail, subject, body, None, [to])


def _language(user: User) -> str:
    tenant = current_tenant()
    return user.preferred_language or (tenant.default_language if tenant else "en")


@subscribe("accounts.password_reset.requested", name="accounts.mail_password_reset")
def mail_password_reset(envelope: Envelope) -> None:
    event = envelope.event
    user = User.objects.filter(pk=event.user_id, is_active=True).first()
    if user is None:  # deactivated since: no link
        return
    with translation.override(_language(user)):
        _send(
            _("Reset your password at %(site)s") % {"site": _site_name()},
            _(
                "Someone asked to reset the password of %(email)s.\n\nTo choose a new one, open:\n%(link)s"
                "\n\nIf it was not you, ignore this message."
            )
            % {"email": user.email, "link": reset_link(user, event.base_url)},
            user.email,
        )


@subscribe("accounts.user.created", name="accounts.mail_invitation")
def mail_invitation(envelope: Envelope) -> None:
    event = envelope.event
    if not event.set_password_base_url:
        return
    user = User.objects.filter(pk=event.user_id, is_active=True).first()
    if user is None or user.has_usable_password():  # gone, or has chosen a password already
        return
    with translation.override(_language(user)):
        _send(
            _("You are invited to %(site)s") % {"site": _site_name()},
            _("%(who)s invited you to sign in as %(role)s.\n\nChoose your password here:\n%(link)s\n")
            % {
                "who": event.invited_by,
                "role": user.get_role_display(),
                "link": reset_link(user, event.set_password_base_url),
            },
            user.email,
        )


def _site_name() -> str:
    """The name the site's settings give (apps.site), else the tenant's display name."""
    tenant = current_tenant()
    if tenant is None or tenant.is_public:
        return "RusToK"
    return site_name(tenant=tenant)


@subscribe("accounts.user.registered", name="accounts.mail_welcome")
def mail_welcome(envelope: Envelope) -> None:
    """The mail a new customer was told to look for when signing up."""
    user = User.objects.filter(pk=envelope.event.user_id, is_active=True).first()
    if user is None:
        return
    with translation.override(_language(user)):
        _send(
            _("Welcome to %(site)s") % {"site": _site_name()},
            _(
                "Your account %(email)s at %(site)s is ready: sign in with this address and the "
                "password you chose.\n\nIf it was not you who signed up, reset the password and "
                "tell the site."
            )
            % {"email": user.email, "site": _site_name()},
            user.email,
        )


@subscribe("accounts.user.signup_attempted", name="accounts.mail_signup_attempted")
def mail_signup_attempted(envelope: Envelope) -> None:
    """Someone signed up with the address of an existing account: tell its owner, not them."""
    event = envelope.event
    user = User.objects.filter(pk=event.user_id, is_active=True).first()
    if user is None:  # deactivated: nothing they can do with a link
        return
    with translation.override(_language(user)):
        _send(
            _("Someone tried to sign up with your address"),
            _(
                "Someone tried to sign up at %(site)s with %(email)s. You already have an account: "
                "sign in with it. If you forgot your password, choose a new one here:\n%(link)s"
                "\n\nIf it was not you, ignore this message: nothing was changed."
            )
            % {"site": _site_name(), "email": user.email, "link": reset_link(user, event.base_url)},
            user.email,
        )
