"""Tables of the inventory (tenant schema): how many of each variant the shop holds, and where.

Stock is counted per variant and location (`StockLevel`): `on_hand` is what is on the shelf,
`reserved` what checkouts hold, `available` the difference. Database constraints keep both
non-negative and `reserved` at most `on_hand`, so available stock is never negative whatever the
code does. Every change is written down in `StockMovement`, which nothing may change afterwards
(the model refuses, and so does a trigger in the database). Only apps.inventory.services writes
these tables; the order in which they lock rows is in docs/inventory.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class StockLocation(models.Model):
    """A place stock is kept (a warehouse, a shop). Reservations take from the active locations
    with the lowest `priority` first."""

    name = models.CharField(_("name"), max_length=120)
    address_line1 = models.CharField(_("address line 1"), max_length=255, blank=True)
    address_line2 = models.CharField(_("address line 2"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 alpha-2 code."))
    priority = models.PositiveIntegerField(
        _("priority"), default=0, help_text=_("Lower is used first when stock is reserved.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Stock of inactive locations is not sold.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["priority", "id"]
        verbose_name = _("stock location")
        verbose_name_plural = _("stock locations")

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"


class StockLevel(models.Model):
    """How many of a variant one location holds (`on_hand`), and how many of those are reserved."""

    variant = models.ForeignKey(
        "catalog.Variant", verbose_name=_("variant"), on_delete=models.CASCADE, related_name="stock_levels"
    )
    location = models.ForeignKey(
        StockLocation, verbose_name=_("location"), on_delete=models.PROTECT, related_name="stock_levels"
    )
    on_hand = models.PositiveIntegerField(_("on hand"), default=0)
    reserved = models.PositiveIntegerField(_("reserved"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["variant_id", "location_id"]
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        constraints = [
            models.UniqueConstraint(fields=["variant", "location"], name="inventory_stocklevel_uniq"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="inventory_stocklevel_on_hand_gte_0"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="inventory_stocklevel_reserved_gte_0"),
            models.CheckConstraint(
                condition=Q(reserved__lte=F("on_hand")), name="inventory_stocklevel_reserved_lte_on_hand"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id} @ {self.location_id}: {self.on_hand} ({self.reserved} reserved)"

    @property
    def available(self) -> int:
        """What can still be sold here: on hand, less what is reserved."""
        return self.on_hand - self.reserved


class Reason(models.TextChoices):
    """Why stock changed."""

    RECEIVED = "received", _("Received")
    COUNTED = "counted", _("Counted")
    DAMAGED = "damaged", _("Damaged")
    RETURNED = "returned", _("Returned")
    CORRECTION = "correction", _("Correction")
    RESERVED = "reserved", _("Reserved")
    RELEASED = "released", _("Released")
    SOLD = "sold", _("Sold")
    RESTOCKED = "restocked", _("Restocked")


class AppendOnly(Exception):
    """Raised on an attempt to change or delete a row of an append-only table."""


class MovementQuerySet(models.QuerySet):
    """Movements are added, never changed or removed: update() and delete() refuse."""

    def update(self, **kwargs):
        raise AppendOnly("Stock movements cannot be changed.")

    def delete(self):
        raise AppendOnly("Stock movements cannot be deleted.")


class StockMovement(models.Model):
    """One change of a variant's stock at a location, with the state it left: the history.

    Append-only. The model refuses to save an existing row or delete one, and a trigger refuses
    UPDATE and DELETE in the database (migration 0002), except what deleting a variant or a user
    does: setting `variant` or `actor` to NULL (the `sku` keeps saying which variant it was).
    """

    variant = models.ForeignKey(
        "catalog.Variant",
        verbose_name=_("variant"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="stock_movements",
    )
    sku = models.CharField(_("SKU"), max_length=64)
    location = models.ForeignKey(
        StockLocation, verbose_name=_("location"), on_delete=models.PROTECT, related_name="movements"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    delta_on_hand = models.IntegerField(_("change on hand"), default=0)
    delta_reserved = models.IntegerField(_("change reserved"), default=0)
    on_hand_after = models.PositiveIntegerField(_("on hand after"))
    reserved_after = models.PositiveIntegerField(_("reserved after"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    owner = models.CharField(_("reservation owner"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    objects = MovementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        indexes = [models.Index(fields=["variant", "-created_at"], name="inventory_movement_variant_idx")]

    def __str__(self) -> str:
        return f"{self.sku} @ {self.location_id}: {self.reason}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("Stock movements cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Stock movements cannot be deleted.")


class Reservation(models.Model):
    """Units of a variant held at a location for an owner (a checkout) until `expires_at`."""

    owner = models.CharField(_("owner"), max_length=100, db_index=True, help_text=_('"checkout:<uuid>"'))
    variant = models.ForeignKey(
        "catalog.Variant", verbose_name=_("variant"), on_delete=models.CASCADE, related_name="reservations"
    )
    location = models.ForeignKey(
        StockLocation, verbose_name=_("location"), on_delete=models.PROTECT, related_name="reservations"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    expires_at = models.DateTimeField(_("expires"), db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["owner", "variant_id", "location_id"]
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inventory_reservation_quantity_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.owner}: {self.quantity} × {self.variant_id} @ {self.location_id}"


class StockAlert(models.Model):
    """A variant's low-stock threshold; `is_low` is what the last change found, so the alert is
    raised once when available stock falls to the threshold, and again only after it rose above."""

    variant = models.OneToOneField(
        "catalog.Variant", verbose_name=_("variant"), on_delete=models.CASCADE, related_name="stock_alert"
    )
    threshold = models.PositiveIntegerField(_("threshold"))
    is_low = models.BooleanField(_("low"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("low-stock alert")
        verbose_name_plural = _("low-stock alerts")

    def __str__(self) -> str:
        return f"{self.variant_id} ≤ {self.threshold}"
