"""Rows under concurrent writers: locking the row a write is about, and saving one whose slug a
concurrent writer may just have taken.

A view looks an object up, then calls a service; a concurrent request may delete the object in
between (an image removed while its node is deleted). The service locks the row again and
answers NotFound (404) when it is gone, instead of failing on a row that no longer exists.

A slug is checked before the write (rustok.texts.fill_slugs), but two writers may both pass
the check; the second then breaks a unique constraint. `save_with_slugs` turns that into the same
400 as the check gives, naming the `slug_<language>` field, for nodes, categories and tags alike.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Model

from rustok.errors import InvalidInput, NotFound
from rustok.i18n import language_codes
from rustok.texts import column


def lock(model: type[Model], obj: Model, noun: str):
    """`obj` as stored now, its row locked until the transaction ends; NotFound if it is gone."""
    found = model._default_manager.select_for_update().filter(pk=obj.pk).first()
    if found is None:
        raise NotFound(f"This {noun} no longer exists.")
    return found


def save_with_slugs(obj: Model, noun: str) -> None:
    """Save `obj`; a slug taken meanwhile by a concurrent writer is InvalidInput naming the slug."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        field = next((column("slug", c) for c in language_codes() if f"slug_{c}_uniq" in str(exc)), None)
        if field is None:
            raise
        raise InvalidInput.for_field(field, f"This slug was just taken by another {noun}.") from None
