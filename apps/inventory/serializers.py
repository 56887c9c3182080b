"""REST shapes of the inventory: stock locations, stock levels, movements, low stock, and what
managers send to adjust, count and set thresholds. Quantities are whole numbers (a float, a
string or a boolean is refused naming its field); the services check their signs and bounds."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.catalog.models import Variant
from apps.inventory.models import StockLevel, StockLocation, StockMovement
from apps.inventory.translation import LOCATION_FIELDS
from rustok.api import serializers as strict
from rustok.api.texts import split_texts
from rustok.i18n import language_codes
from rustok.texts import shown_language, translations


class LocationSerializer(serializers.ModelSerializer):
    language = serializers.SerializerMethodField()
    translations = serializers.SerializerMethodField()

    class Meta:
        model = StockLocation
        fields = [
            "id", "name", "language", "translations", "address_line1", "address_line2", "city",
            "postal_code", "country", "priority", "is_active", "created_at", "updated_at",
        ]  # fmt: skip

    def get_language(self, location) -> str:
        return shown_language(location, "name")

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "object"}})
    def get_translations(self, location):
        return translations(location, LOCATION_FIELDS)


class LocationTextSerializer(strict.Serializer):
    name = serializers.CharField(required=False, allow_blank=True)


def _check_languages(value):
    unknown = sorted(set(value) - set(language_codes()))
    if unknown:
        raise serializers.ValidationError(
            f"Unknown language(s) {', '.join(unknown)}. Known: {', '.join(language_codes())}."
        )
    return value


class LocationWriteSerializer(LocationTextSerializer):
    """A location's name (in `language`, others under `translations`), address, priority and
    whether it sells; only the fields given change."""

    language = serializers.ChoiceField(
        choices=[(c, c) for c in language_codes()],
        required=False,
        help_text="The language of `name` (default: the request's language).",
    )
    translations = serializers.DictField(
        child=LocationTextSerializer(),
        required=False,
        validators=[_check_languages],
        help_text='The name in other languages: {"ru": {"name": "..."}}.',
    )
    address_line1 = serializers.CharField(required=False, allow_blank=True)
    address_line2 = serializers.CharField(required=False, allow_blank=True)
    city = serializers.CharField(required=False, allow_blank=True)
    postal_code = serializers.CharField(required=False, allow_blank=True)
    country = serializers.CharField(required=False, allow_blank=True, help_text="ISO 3166 alpha-2 (DE).")
    priority = strict.WholeNumberField(required=False, help_text="Lower is reserved from first.")
    is_active = serializers.BooleanField(required=False)

    def service_arguments(self) -> tuple[str, dict]:
        return split_texts(self.validated_data, LOCATION_FIELDS)


class StockLevelSerializer(serializers.ModelSerializer):
    sku = serializers.CharField(source="variant.sku")
    product = serializers.IntegerField(source="variant.product_id")
    available = serializers.IntegerField(help_text="On hand, less what is reserved.")

    class Meta:
        model = StockLevel
        fields = [
            "id",
            "variant",
            "sku",
            "product",
            "location",
            "on_hand",
            "reserved",
            "available",
            "updated_at",
        ]


class AdjustmentSerializer(strict.Serializer):
    variant = serializers.PrimaryKeyRelatedField(queryset=Variant.objects.all())
    location = serializers.PrimaryKeyRelatedField(queryset=StockLocation.objects.all())
    delta = strict.WholeNumberField(help_text="Units added (negative: removed); not zero.")
    reason = serializers.CharField(
        help_text="received or returned (delta > 0), damaged (delta < 0), correction (either)."
    )
    note = serializers.CharField(required=False, allow_blank=True)


class CountSerializer(strict.Serializer):
    variant = serializers.PrimaryKeyRelatedField(queryset=Variant.objects.all())
    location = serializers.PrimaryKeyRelatedField(queryset=StockLocation.objects.all())
    on_hand = strict.WholeNumberField(help_text="The units counted there now (0 or more).")
    note = serializers.CharField(required=False, allow_blank=True)


class MovementSerializer(serializers.ModelSerializer):
    class Meta:
        model = StockMovement
        fields = [
            "id", "variant", "sku", "location", "reason", "delta_on_hand", "delta_reserved",
            "on_hand_after", "reserved_after", "actor", "note", "owner", "created_at",
        ]  # fmt: skip


class LowStockSerializer(serializers.Serializer):
    variant = serializers.IntegerField(source="variant_id")
    sku = serializers.CharField(source="variant.sku")
    product = serializers.IntegerField(source="variant.product_id")
    threshold = serializers.IntegerField()
    available = serializers.SerializerMethodField()

    def get_available(self, alert) -> int:
        """Units available over the active locations."""
        return self.context["available"].get(alert.variant_id, 0)


class ThresholdSerializer(strict.Serializer):
    threshold = strict.WholeNumberField(
        allow_null=True, help_text="Alert at this many available units or fewer; null removes it."
    )


class ThresholdAnswerSerializer(serializers.Serializer):
    variant = serializers.IntegerField()
    threshold = serializers.IntegerField(allow_null=True)
    is_low = serializers.BooleanField(help_text=_("Available stock is at the threshold or below."))
