"""Inventory in the tenant admin, in the "Shop" section next to the catalogue.

Stock per variant and location (on hand, reserved, available; filtered by location and by low
stock), where a row's page adjusts it or records a count; the low-stock thresholds; the stock
locations; and, read-only, the movement history and the reservations. Every write goes through
apps.inventory.services (adjust, count, set_threshold, create_location, update_location), whose
refusals come back on the form's fields. Nothing here deletes stock rows, movements or locations:
no service does.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from apps.catalog.admin.base import ServiceForm, ShopAdmin
from apps.catalog.admin.products import VARIANT_PANELS
from apps.inventory import services
from apps.inventory.models import Reservation, StockAlert, StockLevel, StockLocation, StockMovement
from apps.inventory.selectors import available_of, threshold_of
from apps.inventory.services.stock import ADJUST_REASONS
from apps.inventory.translation import LOCATION_FIELDS
from rustok.admin import (
    ObjectPermissionsModelAdmin,
    Panel,
    ReadOnly,
    language_fieldsets,
    refusals,
    register_panel,
)
from rustok.i18n import language_codes
from rustok.permissions import can
from rustok.texts import column, texts_from
from rustok.tree import UNSET


def stock_state(available: int, threshold: int | None):
    """("low" or "fine", what the list says), or "—" without a threshold."""
    if threshold is None:
        return "—"
    if available <= threshold:
        return "low", _("Low: %(available)d of %(threshold)d") % {
            "available": available,
            "threshold": threshold,
        }
    return "fine", _("Above %(threshold)d") % {"threshold": threshold}


class LowStockFilter(admin.SimpleListFilter):
    """Variants whose available stock (over the active locations) is at or below their
    low-stock threshold."""

    title = _("stock")
    parameter_name = "low"

    def lookups(self, request, model_admin):
        return [("yes", _("At or below the threshold")), ("no", _("Above the threshold"))]

    def queryset(self, request, queryset):
        low = Q(variant_threshold__isnull=False, variant_available__lte=F("variant_threshold"))
        if self.value() == "yes":
            return queryset.filter(low)
        if self.value() == "no":
            return queryset.exclude(low)
        return queryset


# --- stock per variant and location --------------------------------------------------------------

OPERATIONS = [("adjust", _("Adjust by a number of units")), ("count", _("Record a count"))]


class StockForm(ServiceForm):
    """Adjust the stock of a variant at a location (a delta and its reason) or record a count
    (what is on hand now); the service checks the numbers and what is reserved."""

    operation = forms.ChoiceField(
        label=_("what"), choices=OPERATIONS, initial="adjust", widget=forms.RadioSelect
    )
    delta = forms.IntegerField(
        label=_("change"), required=False, help_text=_("Units added (received: 5) or removed (damaged: -2).")
    )
    reason = forms.ChoiceField(
        label=_("reason"),
        required=False,
        choices=[(str(reason.value), reason.label) for reason in ADJUST_REASONS],
    )
    counted = forms.IntegerField(label=_("on hand now"), required=False, help_text=_("For a count."))
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = StockLevel
        fields = ["variant", "location"]

    def clean(self):
        cleaned = super().clean()
        needed = "counted" if cleaned.get("operation") == "count" else "delta"
        if cleaned.get(needed) is None and needed not in self.errors:
            self.add_error(needed, forms.Field.default_error_messages["required"])
        return cleaned


@admin.register(StockLevel)
class StockLevelAdmin(ShopAdmin):
    """Stock per variant and location; a row's page adjusts it or records a count, and "Add"
    brings stock of a variant to a location for the first time."""

    form = StockForm
    actions = []
    list_display = ["sku", "product", "location", "on_hand", "reserved", "available_here", "low"]
    list_filter = ["location", LowStockFilter]
    list_select_related = ["variant__product", "location"]
    search_fields = ["variant__sku", *(f"variant__product__{column('name', c)}" for c in language_codes())]
    autocomplete_fields = ["variant"]
    readonly = ["on_hand", "reserved", "available_here", "threshold", "updated_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                available_count=F("on_hand") - F("reserved"),
                variant_available=available_of(),
                variant_threshold=threshold_of(),
            )
        )

    @display(description=_("SKU"), ordering="variant__sku")
    def sku(self, level: StockLevel) -> str:
        return level.variant.sku

    @display(description=_("product"), ordering="variant__product")
    def product(self, level: StockLevel) -> str:
        return str(level.variant.product)

    @display(description=_("available"), ordering="available_count")
    def available_here(self, level: StockLevel) -> int:
        return level.available

    @display(description=_("low-stock threshold"))
    def threshold(self, level: StockLevel):
        found = getattr(level, "variant_threshold", None)
        return "—" if found is None else found

    @display(description=_("stock"), label={"low": "danger", "fine": "success"})
    def low(self, level: StockLevel):
        """Low when the variant's available stock (all active locations) is at or below its
        threshold; nothing shown without a threshold."""
        return stock_state(getattr(level, "variant_available", 0), getattr(level, "variant_threshold", None))

    def get_fieldsets(self, request, obj=None):
        where = ["variant", "location"]
        if obj is not None:
            where += self.readonly
        return [
            (None, {"fields": where}),
            (_("Change"), {"fields": ["operation", "delta", "reason", "counted", "note"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return ["variant", "location", *self.readonly] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        variant = obj.variant if change else data.get("variant")
        location = obj.location if change else data.get("location")
        where = {
            "actor": request.user,
            "variant": variant,
            "location": location,
            "note": data.get("note") or "",
        }
        with refusals(names={"on_hand": "counted"}):
            if data.get("operation") == "count":
                level = services.count(on_hand=data.get("counted"), **where)
            else:
                level = services.adjust(delta=data.get("delta"), reason=data.get("reason") or "", **where)
        obj.pk = level.pk
        obj.refresh_from_db()


def variant_stock(request, variant) -> Panel | None:
    """The variant page's panel (the catalogue's admin): its stock at each location, one query."""
    if not can(request.user, "inventory.view_stock"):
        return None
    levels = (
        StockLevel.objects.filter(variant=variant)
        .select_related("location")
        .order_by("location__priority", "location_id")
    )
    inactive = _("inactive")
    rows = [
        [
            str(level.location) + ("" if level.location.is_active else f" ({inactive})"),
            level.on_hand,
            level.reserved,
            level.available,
        ]
        for level in levels
    ]
    return Panel(
        key="stock",
        title=_("Stock per location"),
        columns=[_("location"), _("on hand"), _("reserved"), _("available")],
        rows=rows,
        empty=_("No stock of this variant at any location yet.")
        if variant.track_inventory
        else _("Stock of this variant is not tracked: it is always in stock."),
    )


register_panel(VARIANT_PANELS, variant_stock, module="inventory")


# --- low-stock thresholds ------------------------------------------------------------------------


class AlertForm(ServiceForm):
    class Meta:
        model = StockAlert
        fields = ["variant", "threshold"]


@admin.register(StockAlert)
class StockAlertAdmin(ShopAdmin):
    """Low-stock thresholds per variant; "At or below the threshold" lists what is low now."""

    form = AlertForm
    list_display = ["sku", "product", "threshold", "available", "low"]
    list_select_related = ["variant__product"]
    list_filter = [LowStockFilter]
    search_fields = ["variant__sku", *(f"variant__product__{column('name', c)}" for c in language_codes())]
    autocomplete_fields = ["variant"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(variant_available=available_of(), variant_threshold=F("threshold"))
        )

    def get_readonly_fields(self, request, obj=None):
        return ["variant"] if obj is not None else []

    @display(description=_("SKU"), ordering="variant__sku")
    def sku(self, alert: StockAlert) -> str:
        return alert.variant.sku

    @display(description=_("product"))
    def product(self, alert: StockAlert) -> str:
        return str(alert.variant.product)

    @display(description=_("available"), ordering="variant_available")
    def available(self, alert: StockAlert) -> int:
        return alert.variant_available

    @display(description=_("stock"), label={"low": "danger", "fine": "success"})
    def low(self, alert: StockAlert):
        return stock_state(alert.variant_available, alert.threshold)

    def save_model(self, request, obj, form, change):
        variant = obj.variant if change else form.cleaned_data.get("variant")
        with refusals():
            alert = services.set_threshold(
                actor=request.user, variant=variant, threshold=form.cleaned_data.get("threshold")
            )
        obj.pk = alert.pk
        obj.refresh_from_db()

    def delete_one(self, request, obj):
        services.set_threshold(actor=request.user, variant=obj.variant, threshold=None)


# --- locations -----------------------------------------------------------------------------------

ADDRESS = ["address_line1", "address_line2", "city", "postal_code", "country"]


@admin.register(StockLocation)
class StockLocationAdmin(ShopAdmin):
    """Where stock is kept; reservations take from the active ones, lowest priority first."""

    translated = LOCATION_FIELDS
    actions = []
    list_display = ["name", "city", "country", "priority", "is_active"]
    list_filter = ["is_active", "country"]
    search_fields = [*(column("name", code) for code in language_codes()), "city"]

    def get_fieldsets(self, request, obj=None):
        return [
            *language_fieldsets(self.translated),
            (_("Address"), {"fields": ADDRESS}),
            (None, {"fields": ["priority", "is_active"]}),
        ]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {name: data.get(name) for name in [*ADDRESS, "priority", "is_active"] if name in data}
        texts = texts_from(self.translated, columns=data)
        with refusals():
            if change:
                location = services.update_location(actor=request.user, location=obj, texts=texts, **fields)
            else:
                location = services.create_location(
                    actor=request.user, texts=texts, **{k: v for k, v in fields.items() if v is not UNSET}
                )
        obj.pk = location.pk
        obj.refresh_from_db()


# --- what only the services write: movements and reservations ---------------------------------------


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnly, ObjectPermissionsModelAdmin):
    """Every change of stock, newest first; append-only, so nobody changes or deletes one here."""

    list_display = [
        "created_at",
        "sku",
        "location",
        "reason",
        "delta_on_hand",
        "delta_reserved",
        "on_hand_after",
        "reserved_after",
        "actor",
        "owner",
    ]
    list_filter = ["reason", "location", "created_at"]
    list_select_related = ["location", "actor"]
    search_fields = ["sku", "owner", "note"]
    date_hierarchy = "created_at"
    actions = []


@admin.register(Reservation)
class ReservationAdmin(ReadOnly, ObjectPermissionsModelAdmin):
    """What checkouts hold, until it is sold, released or expires (services only)."""

    list_display = ["owner", "variant", "location", "quantity", "expires_at"]
    list_filter = ["location", "expires_at"]
    list_select_related = ["variant", "location"]
    search_fields = ["owner", "variant__sku"]
    actions = []
