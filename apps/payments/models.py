"""Tables of the payments module (tenant schema): payments and the record of every provider call.

A `Payment` is money asked of someone for something (`reference`, opaque here: "checkout:<uuid>"),
through one provider. Its `status` moves only through the transitions declared below (django-fsm,
applied by apps.payments.services through rustok.workflow). Amounts are whole minor units of
`currency`; database constraints keep 0 <= refunded <= captured <= amount whatever the code does.

`PaymentTransaction` records every call to a provider and every notification from one, with the
provider's answer kept verbatim. It is append-only: the model refuses to change or delete a row,
and so does a trigger in the database (migration 0002). A notification's `notification_id` is
unique per provider, which makes a notification delivered twice count once.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    AUTHORIZED = "authorized", _("Authorized")
    CAPTURED = "captured", _("Captured")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
    REFUNDED = "refunded", _("Refunded")
    FAILED = "failed", _("Failed")
    VOIDED = "voided", _("Voided")


S = Status
REFUNDABLE = [S.CAPTURED, S.PARTIALLY_REFUNDED]


class Payment(models.Model):
    """A payment of `amount` `currency` for `reference`, through `provider`.

    Transitions (the service applies them, never the interfaces):
    pending -> authorized (authorize) -> captured (capture); pending -> captured (charge: a
    one-step charge, a manual payment marked paid, a pending charge confirmed by a notification);
    pending -> failed (fail); pending or authorized -> voided (void); captured or partially
    refunded -> partially_refunded (refund_part) or refunded (refund).
    """

    provider = models.CharField(_("provider"), max_length=40, db_index=True)
    method = models.CharField(_("method"), max_length=40, blank=True, help_text=_('"card", "bank_transfer"'))
    amount = models.BigIntegerField(_("amount"), help_text=_("In minor units of the currency."))
    currency = models.CharField(_("currency"), max_length=3)
    status = FSMField(_("status"), default=S.PENDING, choices=Status.choices, protected=False, db_index=True)
    captured_amount = models.BigIntegerField(_("captured"), default=0)
    refunded_amount = models.BigIntegerField(_("refunded"), default=0)
    reference = models.CharField(
        _("reference"), max_length=100, db_index=True, help_text=_('What it pays for: "checkout:<uuid>".')
    )
    email = models.EmailField(_("e-mail"), blank=True)
    key = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    provider_reference = models.CharField(_("provider reference"), max_length=200, blank=True, db_index=True)
    details = models.JSONField(
        _("details"), default=dict, blank=True, help_text=_("What may be shown: card brand, last 4 digits.")
    )
    message = models.CharField(
        _("message"), max_length=255, blank=True, help_text=_("The provider's last word.")
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payments",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_payment_amount_gt_0"),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0), name="payments_payment_refunded_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(refunded_amount__lte=F("captured_amount")),
                name="payments_payment_refunded_lte_captured",
            ),
            models.CheckConstraint(
                condition=Q(captured_amount__lte=F("amount")), name="payments_payment_captured_lte_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.amount} {self.currency} ({self.reference})"

    @property
    def refundable(self) -> int:
        """What can still be refunded: captured, less what was refunded."""
        return self.captured_amount - self.refunded_amount

    # --- transitions (rustok.workflow.apply) -----------------------------------------------------
    @transition(field=status, source=S.PENDING, target=S.AUTHORIZED)
    def authorize(self):
        """The provider holds the amount."""

    @transition(field=status, source=S.AUTHORIZED, target=S.CAPTURED)
    def capture(self, amount: int):
        """The held amount (or part of it) is taken."""
        self.captured_amount = amount

    @transition(field=status, source=S.PENDING, target=S.CAPTURED)
    def charge(self, amount: int):
        """Paid in one step: a charge captured at once, a manual payment marked paid."""
        self.captured_amount = amount

    @transition(field=status, source=S.PENDING, target=S.FAILED)
    def fail(self):
        """Declined or refused: nothing was taken."""

    @transition(field=status, source=[S.PENDING, S.AUTHORIZED], target=S.VOIDED)
    def void(self):
        """Cancelled before any money was taken."""

    @transition(field=status, source=REFUNDABLE, target=S.PARTIALLY_REFUNDED)
    def refund_part(self, amount: int):
        """Part of what was captured went back."""
        self.refunded_amount += amount

    @transition(field=status, source=REFUNDABLE, target=S.REFUNDED)
    def refund(self, amount: int):
        """All that was captured went back."""
        self.refunded_amount += amount


class Kind(models.TextChoices):
    """What a recorded call or message was."""

    AUTHORIZE = "authorize", _("Authorize")
    CAPTURE = "capture", _("Capture")
    VOID = "void", _("Void")
    REFUND = "refund", _("Refund")
    NOTIFICATION = "notification", _("Notification")
    MANUAL = "manual", _("Manual")


class Outcome(models.TextChoices):
    """What the provider answered (`error`: no answer: a timeout, the provider down)."""

    SUCCESS = "success", _("Success")
    FAILED = "failed", _("Failed")
    PENDING = "pending", _("Pending")
    ERROR = "error", _("Error")


class AppendOnly(Exception):
    """Raised on an attempt to change or delete a recorded transaction."""


class TransactionQuerySet(models.QuerySet):
    """Transactions are added, never changed or removed: update() and delete() refuse."""

    def update(self, **kwargs):
        raise AppendOnly("Payment transactions cannot be changed.")

    def delete(self):
        raise AppendOnly("Payment transactions cannot be deleted.")


class PaymentTransaction(models.Model):
    """One call to a provider or one notification from it, with its answer kept verbatim.

    Append-only (the model, and a trigger in the database, refuse UPDATE and DELETE but for what
    deleting a user does: `actor` set to NULL).
    """

    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="transactions"
    )
    provider = models.CharField(_("provider"), max_length=40)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    amount = models.BigIntegerField(_("amount"), default=0)
    currency = models.CharField(_("currency"), max_length=3)
    result = models.CharField(_("result"), max_length=10, choices=Outcome.choices)
    provider_reference = models.CharField(_("provider reference"), max_length=200, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, blank=True, db_index=True)
    raw_response = models.JSONField(_("raw response"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    notification_id = models.CharField(_("notification id"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = TransactionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("payment transaction")
        verbose_name_plural = _("payment transactions")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "notification_id"],
                condition=~Q(notification_id=""),
                name="payments_transaction_notification_uniq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.result} ({self.payment_id})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("Payment transactions cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Payment transactions cannot be deleted.")
