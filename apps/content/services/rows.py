"""Locking the row a write is about, re-read from the database.

A view looks an object up, then calls a service; a concurrent request may delete the object in
between (an image removed while its node is deleted). The service locks the row again and
answers NotFound (404) when it is gone, instead of failing on a row that no longer exists.
"""

from __future__ import annotations

from django.db.models import Model

from rustok.errors import NotFound


def lock(model: type[Model], obj: Model, noun: str):
    """`obj` as stored now, its row locked until the transaction ends; NotFound if it is gone."""
    found = model._default_manager.select_for_update().filter(pk=obj.pk).first()
    if found is None:
        raise NotFound(f"This {noun} no longer exists.")
    return found
