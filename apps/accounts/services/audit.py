"""Writing the audit log. Every entry says who, what, to whom, when and from which address."""

from __future__ import annotations

from apps.accounts.models import AuditEntry, User
from rustok.net import client_ip

Action = AuditEntry.Action


def entry(
    action: str,
    *,
    actor: User | None = None,
    actor_email: str = "",
    target=None,
    request=None,
    ip: str | None = None,
    **data,
) -> AuditEntry:
    """An entry, not yet saved (see `record`)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if actor is not None and actor.pk is None:
        actor_email, actor = actor.email, None
    return AuditEntry(
        action=action,
        actor=actor,
        actor_email=actor.email if actor is not None else (actor_email or "")[:254],
        target_type=target._meta.model_name if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:254] if target is not None else "",
        ip_address=ip or (client_ip(request) if request is not None else None),
        data=data,
    )


def record(action: str, **fields) -> AuditEntry:
    """Add one entry. `target` is any model instance (its type, id and str are kept).

    An actor that is not saved (the operator of `manage.py rustok`) is kept by its e-mail only.
    """
    found = entry(action, **fields)
    found.save()
    return found


def record_each(action: str, *, targets, **fields) -> list[AuditEntry]:
    """Add one entry per target (the same action, actor and data), in one query."""
    return AuditEntry.objects.bulk_create([entry(action, target=target, **fields) for target in targets])
