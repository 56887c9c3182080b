"""The outbox of a tenant's schema and the record of each handler's delivery of each event."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxEvent(models.Model):
    """An event published by a committed write; pending until every handler has settled it."""

    id = models.BigAutoField(primary_key=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(_("type"), max_length=150)
    version = models.PositiveSmallIntegerField(_("version"))
    payload = models.JSONField(_("payload"))
    request_id = models.CharField(_("request id"), max_length=128, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    # When a relay should look at the event next: now for a new event, later while a handler
    # waits for its retry.
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    # Set once every handler has processed, skipped or dead-lettered the event.
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(dispatched_at__isnull=True),
                name="events_pending",
            ),
            models.Index(fields=["occurred_at"], name="events_occurred"),
            models.Index(fields=["type", "id"], name="events_type"),
        ]

    def __str__(self) -> str:
        return f"{self.type} #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.dispatched_at is None


class Delivery(models.Model):
    """One handler's record of one event: the processed-events record that makes handlers
    idempotent, and the retry schedule and dead letter when it fails."""

    class Status(models.TextChoices):
        DONE = "done", _("done")
        RETRYING = "retrying", _("retrying")
        DEAD = "dead", _("dead letter")
        SKIPPED = "skipped", _("skipped (module off)")

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    handler = models.CharField(_("handler"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["event", "handler"], name="events_one_delivery")]
        indexes = [models.Index(fields=["status", "updated_at"], name="events_delivery_status")]

    def __str__(self) -> str:
        return f"{self.handler} ← {self.event}"


class DeadLetter(Delivery):
    """Deliveries that gave up: the admin's list of dead letters."""

    class Meta:
        proxy = True
        verbose_name = _("dead letter")
        verbose_name_plural = _("dead letters")
