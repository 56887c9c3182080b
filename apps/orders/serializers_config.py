"""REST shapes of the shop's configuration: shipping zones (with their methods), shipping methods
(with their weight brackets), tax rates, vouchers and the order settings, and what managers send
to write them.

Amounts are whole minor units of the method's or voucher's `currency` (490 with EUR is €4.90);
rates and percentages are decimal strings ("19.000", "12.50"). A tax class is named by its slug
(null: the country's standard rate), as the catalogue names it. Translated names read as the
catalogue's: `name` in `language`, every language's text under `translations`; writers send one
language as plain fields and others under `translations`: {"ru": {"name": "..."}}. The services
check the values, so their refusals (naming the field) are the same on every interface.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.catalog.models import Product, ProductCategory, TaxClass
from apps.orders.models import (
    OrderSettings,
    RateKind,
    ShippingMethod,
    ShippingZone,
    TaxRate,
    Voucher,
    VoucherKind,
    VoucherScope,
)
from apps.orders.services.shipping import METHOD_TEXTS, ZONE_TEXTS
from rustok.api import serializers as strict
from rustok.api.texts import split_texts
from rustok.i18n import current_language, language_codes
from rustok.texts import shown_language, translations

LANGUAGE_HELP = "The language of the plain text fields (default: the request's language)."
TRANSLATIONS_HELP = 'Text in other languages: {"ru": {"name": "..."}}.'
TEXTS_SCHEMA = {"type": "object", "additionalProperties": {"type": "object"}}
TAX_CLASS_HELP = "A tax class's slug; null: the country's standard rate."


def _languages():
    return [(code, code) for code in language_codes()]


def _check_languages(value):
    unknown = sorted(set(value) - set(language_codes()))
    if unknown:
        raise serializers.ValidationError(
            f"Unknown language(s) {', '.join(unknown)}. Known: {', '.join(language_codes())}."
        )
    return value


class Named(serializers.Serializer):
    """A row with translated text: the language `name` is shown in, and every language's text."""

    text_fields: tuple[str, ...] = ("name",)

    language = serializers.SerializerMethodField()
    translations = serializers.SerializerMethodField()

    def get_language(self, obj) -> str:
        return shown_language(obj, "name")

    @extend_schema_field(TEXTS_SCHEMA)
    def get_translations(self, obj):
        return translations(obj, self.text_fields)


# --- shipping --------------------------------------------------------------------------------------


class WeightRateSerializer(serializers.Serializer):
    up_to_grams = serializers.IntegerField(help_text="Up to this weight (inclusive).")
    price = serializers.IntegerField(help_text="In minor units of the method's currency.")


class ShippingMethodSerializer(Named, serializers.ModelSerializer):
    text_fields = METHOD_TEXTS

    tax_class = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text=TAX_CLASS_HELP)
    weight_rates = WeightRateSerializer(many=True, read_only=True, help_text="Lightest first.")
    offered = serializers.SerializerMethodField()

    class Meta:
        model = ShippingMethod
        fields = [
            "id", "zone", "name", "description", "language", "translations", "kind", "currency", "price",
            "free_above", "tax_class", "is_active", "position", "weight_rates", "offered", "created_at",
            "updated_at",
        ]  # fmt: skip

    def get_offered(self, method) -> bool:
        """Active, and (priced by weight) with at least one bracket."""
        return method.is_active and (method.kind != RateKind.WEIGHT or bool(method.weight_rates.all()))


class ShippingZoneSerializer(Named, serializers.ModelSerializer):
    countries = serializers.SerializerMethodField()
    methods = ShippingMethodSerializer(
        many=True, read_only=True, help_text="Read only: write them at shipping-methods/."
    )

    class Meta:
        model = ShippingZone
        fields = [
            "id",
            "name",
            "language",
            "translations",
            "countries",
            "position",
            "methods",
            "created_at",
            "updated_at",
        ]

    def get_countries(self, zone) -> list[str]:
        """ISO 3166 alpha-2 codes."""
        return [str(code) for code in zone.countries]


class ConfigNameText(strict.Serializer):
    name = serializers.CharField(required=False, allow_blank=True)


class ShippingMethodText(ConfigNameText):
    description = serializers.CharField(required=False, allow_blank=True)


class Texts(strict.Serializer):
    """The plain text fields in `language`, others under `translations`."""

    text_fields: tuple[str, ...] = ("name",)

    def service_arguments(self) -> tuple[str, dict]:
        return split_texts(self.validated_data, self.text_fields)


class ZoneWriteSerializer(Texts, ConfigNameText):
    """A zone's name, countries and position; only the fields given change."""

    language = serializers.ChoiceField(choices=_languages(), required=False, help_text=LANGUAGE_HELP)
    translations = serializers.DictField(
        child=ConfigNameText(), required=False, help_text=TRANSLATIONS_HELP, validators=[_check_languages]
    )
    countries = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="ISO 3166 alpha-2 codes, the whole set; each in no other zone.",
    )
    position = strict.WholeNumberField(required=False)
    text_fields = ZONE_TEXTS


class WeightRateInput(strict.Serializer):
    up_to_grams = strict.WholeNumberField(help_text="More than 0; each weight once.")
    price = strict.WholeNumberField(help_text="In minor units.")


class MethodWriteSerializer(Texts, ShippingMethodText):
    """A method's text, zone, rate, currency, prices, tax class and brackets; only the fields
    given change."""

    language = serializers.ChoiceField(choices=_languages(), required=False, help_text=LANGUAGE_HELP)
    translations = serializers.DictField(
        child=ShippingMethodText(), required=False, help_text=TRANSLATIONS_HELP, validators=[_check_languages]
    )
    zone = serializers.PrimaryKeyRelatedField(queryset=ShippingZone.objects.all(), required=False)
    kind = serializers.ChoiceField(choices=RateKind.choices, required=False)
    currency = serializers.CharField(
        required=False, help_text="One of the shop's (default: its default one)."
    )
    price = strict.WholeNumberField(required=False, help_text="Of a flat rate, in minor units.")
    free_above = strict.WholeNumberField(
        required=False, allow_null=True, help_text="Free from this subtotal after discounts; null: never."
    )
    tax_class = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=TaxClass.objects.all(),
        required=False,
        allow_null=True,
        help_text=TAX_CLASS_HELP,
    )
    is_active = serializers.BooleanField(required=False)
    position = strict.WholeNumberField(required=False)
    weight_rates = WeightRateInput(
        many=True, required=False, help_text="The brackets of a weight rate, the whole list (replaces them)."
    )
    text_fields = METHOD_TEXTS

    def service_arguments(self) -> tuple[str, dict]:
        language, arguments = super().service_arguments()
        if "weight_rates" in arguments:
            arguments["weight_rates"] = [dict(rate) for rate in arguments["weight_rates"]]
        return language, arguments


class MethodCreateSerializer(MethodWriteSerializer):
    zone = serializers.PrimaryKeyRelatedField(queryset=ShippingZone.objects.all())


# --- taxes -----------------------------------------------------------------------------------------


class TaxRateSerializer(serializers.ModelSerializer):
    tax_class = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text=TAX_CLASS_HELP)
    country = serializers.CharField(help_text="ISO 3166 alpha-2.")

    class Meta:
        model = TaxRate
        fields = ["id", "tax_class", "country", "rate", "name", "created_at", "updated_at"]


class TaxRateWriteSerializer(strict.Serializer):
    """A rate of a tax class (or the standard rate) in a country; only the fields given change."""

    tax_class = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=TaxClass.objects.all(),
        required=False,
        allow_null=True,
        help_text=TAX_CLASS_HELP,
    )
    country = serializers.CharField(
        required=False, help_text="ISO 3166 alpha-2 (DE); one rate per class and country."
    )
    rate = serializers.DecimalField(
        max_digits=6, decimal_places=3, required=False, help_text="Percent, 0 to 100, three decimals at most."
    )
    name = serializers.CharField(required=False, help_text="As invoices show it: VAT 20%.")

    def service_arguments(self) -> tuple[str, dict]:
        return current_language(), dict(self.validated_data)


class TaxRateCreateSerializer(TaxRateWriteSerializer):
    country = serializers.CharField(help_text="ISO 3166 alpha-2 (DE); one rate per class and country.")
    rate = serializers.DecimalField(max_digits=6, decimal_places=3, help_text="Percent, 0 to 100.")
    name = serializers.CharField(help_text="As invoices show it: VAT 20%.")


# --- vouchers --------------------------------------------------------------------------------------


class VoucherSerializer(Named, serializers.ModelSerializer):
    products = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    categories = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    used = serializers.IntegerField(
        read_only=True, help_text="Orders placed with it (cancelled unpaid ones given back)."
    )

    class Meta:
        model = Voucher
        fields = [
            "id", "code", "name", "language", "translations", "kind", "percent", "amount", "currency",
            "scope", "products", "categories", "min_subtotal", "starts_at", "ends_at", "usage_limit",
            "per_customer_limit", "used", "is_active", "created_at", "updated_at",
        ]  # fmt: skip


class VoucherWriteSerializer(Texts, ConfigNameText):
    """A voucher; only the fields given change (`products`, `categories`: the whole set)."""

    unknown_field_hints = {"used": _("Counted by the orders placed with it.")}

    language = serializers.ChoiceField(choices=_languages(), required=False, help_text=LANGUAGE_HELP)
    translations = serializers.DictField(
        child=ConfigNameText(), required=False, help_text=TRANSLATIONS_HELP, validators=[_check_languages]
    )
    code = serializers.CharField(required=False, help_text="Kept upper-case; unique whatever its case.")
    kind = serializers.ChoiceField(choices=VoucherKind.choices, required=False)
    percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="Of a percentage: 0 < p ≤ 100.",
    )
    amount = strict.WholeNumberField(
        required=False, allow_null=True, help_text="Of a fixed one, in minor units."
    )
    currency = serializers.CharField(
        required=False, allow_blank=True, help_text="Of the amount off and the minimum subtotal."
    )
    scope = serializers.ChoiceField(choices=VoucherScope.choices, required=False)
    products = strict.PrimaryKeyRelatedField(
        queryset=Product.objects.all(), many=True, required=False, help_text="Ids; for scope `products`."
    )
    categories = strict.PrimaryKeyRelatedField(
        queryset=ProductCategory.objects.all(),
        many=True,
        required=False,
        help_text="Ids; for scope `products`.",
    )
    min_subtotal = strict.WholeNumberField(required=False, allow_null=True)
    starts_at = serializers.DateTimeField(required=False, allow_null=True)
    ends_at = serializers.DateTimeField(required=False, allow_null=True, help_text="After `starts_at`.")
    usage_limit = strict.WholeNumberField(
        required=False, allow_null=True, help_text="Uses in all; null: any."
    )
    per_customer_limit = strict.WholeNumberField(required=False, allow_null=True)
    is_active = serializers.BooleanField(
        required=False, help_text="false stops new uses (a used one is not deleted)."
    )


class VoucherCreateSerializer(VoucherWriteSerializer):
    code = serializers.CharField(help_text="Kept upper-case; unique whatever its case.")


# --- the order settings ----------------------------------------------------------------------------


class OrderSettingsSerializer(serializers.ModelSerializer):
    default_country = serializers.CharField(help_text="ISO 3166 alpha-2, or empty.")

    class Meta:
        model = OrderSettings
        fields = [
            "prices_include_tax",
            "default_country",
            "reservation_minutes",
            "max_line_quantity",
            "updated_at",
        ]


class OrderSettingsWriteSerializer(strict.Serializer):
    prices_include_tax = serializers.BooleanField(required=False)
    default_country = serializers.CharField(
        required=False, allow_blank=True, help_text="ISO 3166 alpha-2; empty: none."
    )
    reservation_minutes = strict.WholeNumberField(required=False, help_text="1 to 1440.")
    max_line_quantity = strict.WholeNumberField(required=False, help_text="1 to 10000.")
