"""Celery tasks of the payments module: the demo provider's bank approving a pending charge."""

from __future__ import annotations

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(name="payments.settle_demo_charge", acks_late=True, ignore_result=True)
def settle_demo_charge(charge_id: str) -> None:
    """The demo provider's pending charge `charge_id` succeeds: its signed notification is
    delivered to the site (in the schema the task was queued from), as the webhook would be."""
    from apps.payments import providers, services

    provider = providers.get("demo")
    body, headers = provider.settle(charge_id)
    services.handle_notification(provider="demo", body=body, headers=headers)
    log.info("demo charge %s settled", charge_id)
