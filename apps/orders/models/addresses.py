"""A customer's address book: the postal addresses they keep, one of them the default one the
checkout offers first (apps.orders.selectors.default_address)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.orders.addresses import one_line


class CustomerAddress(models.Model):
    """One saved address of a customer, in the shape of a checkout's address (apps.orders.addresses:
    `first_name`, `line1`, `postal_code`, `country`, ...), checked as a checkout checks it."""

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="saved_addresses",
    )
    address = models.JSONField(_("address"))
    is_default = models.BooleanField(_("default shipping address"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-is_default", "created_at", "id"]
        verbose_name = _("saved address")
        verbose_name_plural = _("saved addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=Q(is_default=True), name="orders_customeraddress_one_default"
            )
        ]
        indexes = [models.Index(fields=["customer", "created_at"], name="orders_custaddr_customer_idx")]

    def __str__(self) -> str:
        return one_line(self.address)
