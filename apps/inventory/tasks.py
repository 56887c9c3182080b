"""Celery tasks of the inventory module: giving back expired reservations, sent by beat."""

from __future__ import annotations

import logging

from celery import shared_task
from django_tenants.utils import schema_context

log = logging.getLogger(__name__)


@shared_task(name="inventory.release_expired", acks_late=True, ignore_result=True)
def release_expired() -> dict:
    """Release the expired reservations of every site that has the inventory module."""
    from apps.events.selectors import tenant_schemas
    from apps.inventory.services import release_expired as release_site

    released = {}
    for schema_name in tenant_schemas():
        with schema_context(schema_name):
            from apps.core.selectors import current_tenant, is_enabled

            if not is_enabled(current_tenant(), "inventory"):
                continue
            count = release_site()
        if count:
            released[schema_name] = count
            log.info("released %s expired reservation(s) on %s", count, schema_name)
    return released
