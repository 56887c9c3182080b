"""Celery tasks of the content module: scheduled publishing, sent by beat."""

from __future__ import annotations

import logging

from celery import shared_task
from django_tenants.utils import schema_context

log = logging.getLogger(__name__)


@shared_task(name="content.publish_due", acks_late=True, ignore_result=True)
def publish_due() -> dict:
    """Publish the nodes whose publish_at has come, on every site that has the content module."""
    from apps.content.services import publish_due as publish_site
    from apps.events.selectors import tenant_schemas

    published = {}
    for schema_name in tenant_schemas():
        with schema_context(schema_name):
            from apps.core.selectors import current_tenant, is_enabled

            if not is_enabled(current_tenant(), "content"):
                continue
            count = publish_site()
        if count:
            published[schema_name] = count
            log.info("published %s scheduled node(s) on %s", count, schema_name)
    return published
