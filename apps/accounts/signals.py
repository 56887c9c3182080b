"""Sign-ins, failed sign-ins, lockouts and sign-outs go to the audit log, from every interface.

Django's auth signals are sent by the admin's session login and by the API's token login alike
(services.sign_in sends `user_logged_in`), so both are audited by these receivers.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from apps.accounts.services.audit import Action, record


def _email(credentials) -> str:
    return str((credentials or {}).get("username") or (credentials or {}).get("email") or "")


@receiver(user_logged_in, dispatch_uid="accounts.audit.login")
def audit_login(sender, request, user, **kwargs):
    record(Action.LOGIN, actor=user, target=user, request=request)


@receiver(user_login_failed, dispatch_uid="accounts.audit.login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    record(Action.LOGIN_FAILED, actor_email=_email(credentials), request=request)


@receiver(user_locked_out, dispatch_uid="accounts.audit.locked_out")
def audit_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    record(Action.LOCKED_OUT, actor_email=username or "", ip=ip_address, request=request)


@receiver(user_logged_out, dispatch_uid="accounts.audit.logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record(Action.LOGOUT, actor=user, target=user, request=request)
