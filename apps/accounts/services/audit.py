"""Writing the audit log. Every entry says who, what, to whom, when and from which address."""

from __future__ import annotations

from apps.accounts.models import AuditEntry, User
from rustok.net import client_ip

Action = AuditEntry.Action


def record(
    action: str,
    *,
    actor: User | None = None,
    actor_email: str = "",
    target=None,
    request=None,
    ip: str | None = None,
    **data,
) -> AuditEntry:
    """Add one entry. `target` is any model instance (its type, id and str are kept).

    An actor that is not saved (the operator of `manage.py rustok`) is kept by its e-mail only.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if actor is not None and actor.pk is None:
        actor_email, actor = actor.email, None
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        actor_email=actor.email if actor is not None else (actor_email or "")[:254],
        target_type=target._meta.model_name if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:254] if target is not None else "",
        ip_address=ip or (client_ip(request) if request is not None else None),
        data=data,
    )
