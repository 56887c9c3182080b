"""GraphQL of the shop's configuration, for managers and admins: shipping zones and methods (with
their weight brackets), tax rates, vouchers and the order settings, and one mutation per service.

Each root field declares the permission of its part (`orders.manage_shipping`,
`orders.manage_taxes`, `orders.manage_vouchers`, `orders.manage_order_settings`); the service
checks it again. Ids and tax class slugs are looked up here (NOT_FOUND naming the argument,
INVALID naming `taxClass`); everything else is checked by the service in its one transaction,
so a refused mutation writes nothing, and its errors name the fields as the services do
(`countries`, `weight_rates.0.up_to_grams`, `name_en`). Lists read through
apps.orders.selectors_config, whose prefetches keep a list's queries flat in its length. The
root fields are nullable: while the module is off they answer null with MODULE_DISABLED.
"""

from __future__ import annotations

import graphene

from apps.catalog.models import Product as ProductRow
from apps.catalog.models import ProductCategory as CategoryRow
from apps.catalog.models import TaxClass as TaxClassRow
from apps.catalog.schema.mutations import Deleted
from apps.catalog.schema.queries import id_argument, page, pk_of
from apps.catalog.schema.types import Amount, value_of
from apps.orders import selectors_config as selectors
from apps.orders import services
from apps.orders.models import RateKind, VoucherKind, VoucherScope
from apps.orders.models import ShippingMethod as MethodRow
from apps.orders.models import ShippingZone as ZoneRow
from apps.orders.models import TaxRate as TaxRateRow
from apps.orders.models import Voucher as VoucherRow
from apps.orders.services.shipping import METHOD_TEXTS, ZONE_TEXTS
from apps.orders.services.vouchers import TEXTS as VOUCHER_TEXTS
from rustok.errors import InvalidInput, NotFound
from rustok.permissions import declare
from rustok.texts import texts_from

SHIPPING = "orders.manage_shipping"
TAXES = "orders.manage_taxes"
VOUCHERS = "orders.manage_vouchers"
SETTINGS = "orders.manage_order_settings"

ShippingRateKind = graphene.Enum(
    "ShippingRateKind", [(k.name, k.value) for k in RateKind], description="A flat price, or by weight."
)
VoucherKindEnum = graphene.Enum(
    "VoucherKind", [(k.name, k.value) for k in VoucherKind], description="A percentage or a fixed amount off."
)
VoucherScopeEnum = graphene.Enum(
    "VoucherScope",
    [(s.name, s.value) for s in VoucherScope],
    description="The whole order, or chosen products.",
)


def _slug(tax_class) -> str | None:
    return tax_class.slug if tax_class is not None else None


# --- types ---------------------------------------------------------------------------------------


class ShippingWeightRate(graphene.ObjectType):
    """A bracket of a weight-priced method: up to `upToGrams` (inclusive) costs `price`."""

    up_to_grams = graphene.Int(required=True)
    price = Amount(required=True)


class ShippingMethodType(graphene.ObjectType):
    """A way to ship to a zone, priced in one currency (amounts in its minor units)."""

    class Meta:
        name = "ShippingMethod"

    id = graphene.ID(required=True)
    zone_id = graphene.ID(required=True)
    name = graphene.String(required=True)
    description = graphene.String(required=True)
    kind = graphene.Field(ShippingRateKind, required=True)
    currency = graphene.String(required=True)
    price = Amount(required=True, description="Of a flat rate.")
    free_above = Amount(description="Free from this subtotal after discounts; null: never.")
    tax_class = graphene.String(description="The tax class's slug; null: the country's standard rate.")
    is_active = graphene.Boolean(required=True)
    position = graphene.Int(required=True)
    weight_rates = graphene.List(
        graphene.NonNull(ShippingWeightRate), required=True, description="Lightest first."
    )
    offered = graphene.Boolean(required=True, description="Active, and (by weight) with a bracket at least.")

    @staticmethod
    def resolve_kind(method, info):
        return value_of(method.kind)

    @staticmethod
    def resolve_tax_class(method, info):
        return _slug(method.tax_class)

    @staticmethod
    def resolve_weight_rates(method, info):
        return sorted(method.weight_rates.all(), key=lambda rate: rate.up_to_grams)

    @staticmethod
    def resolve_offered(method, info):
        return method.is_active and (method.kind != RateKind.WEIGHT or bool(method.weight_rates.all()))


class ShippingZoneType(graphene.ObjectType):
    """Countries shipped to alike, with the methods offered there."""

    class Meta:
        name = "ShippingZone"

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    countries = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="ISO 3166 alpha-2."
    )
    position = graphene.Int(required=True)
    methods = graphene.List(graphene.NonNull(ShippingMethodType), required=True)

    @staticmethod
    def resolve_countries(zone, info):
        return [str(code) for code in zone.countries]

    @staticmethod
    def resolve_methods(zone, info):
        return zone.methods.all()


class TaxRateType(graphene.ObjectType):
    """The rate a tax class is taxed at in a country (no class: the country's standard rate)."""

    class Meta:
        name = "TaxRate"

    id = graphene.ID(required=True)
    tax_class = graphene.String(description="The tax class's slug; null: the standard rate.")
    country = graphene.String(required=True)
    rate = graphene.Decimal(required=True, description="Percent.")
    name = graphene.String(required=True, description="As invoices show it.")

    @staticmethod
    def resolve_tax_class(rate, info):
        return _slug(rate.tax_class)

    @staticmethod
    def resolve_country(rate, info):
        return str(rate.country)


class VoucherType(graphene.ObjectType):
    """A discount code, with how often it was used."""

    class Meta:
        name = "Voucher"

    id = graphene.ID(required=True)
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    kind = graphene.Field(VoucherKindEnum, required=True)
    percent = graphene.Decimal()
    amount = Amount()
    currency = graphene.String(required=True)
    scope = graphene.Field(VoucherScopeEnum, required=True)
    product_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)
    category_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)
    min_subtotal = Amount()
    starts_at = graphene.DateTime()
    ends_at = graphene.DateTime()
    usage_limit = graphene.Int()
    per_customer_limit = graphene.Int()
    used = graphene.Int(required=True)
    is_active = graphene.Boolean(required=True)

    @staticmethod
    def resolve_kind(voucher, info):
        return value_of(voucher.kind)

    @staticmethod
    def resolve_scope(voucher, info):
        return value_of(voucher.scope)

    @staticmethod
    def resolve_product_ids(voucher, info):
        return [product.pk for product in voucher.products.all()]

    @staticmethod
    def resolve_category_ids(voucher, info):
        return [category.pk for category in voucher.categories.all()]


class VoucherConnection(graphene.relay.Connection):
    """A page of vouchers, newest first."""

    class Meta:
        node = VoucherType

    total_count = graphene.Int(required=True)


class OrderSettingsType(graphene.ObjectType):
    """How the site sells."""

    class Meta:
        name = "OrderSettings"

    prices_include_tax = graphene.Boolean(required=True)
    default_country = graphene.String(required=True, description="ISO 3166 alpha-2, or empty.")
    reservation_minutes = graphene.Int(required=True)
    max_line_quantity = graphene.Int(required=True)

    @staticmethod
    def resolve_default_country(found, info):
        return str(found.default_country or "")


class Query(graphene.ObjectType):
    """Reading the shop's configuration (managers and admins)."""

    shipping_zones = graphene.List(graphene.NonNull(ShippingZoneType), description="By position.")
    shipping_methods = graphene.List(
        graphene.NonNull(ShippingMethodType), zone=graphene.ID(), description="By zone and position."
    )
    tax_rates = graphene.List(
        graphene.NonNull(TaxRateType),
        country=graphene.String(),
        tax_class=graphene.String(description="A tax class's slug."),
        description="By country, the standard rate first.",
    )
    vouchers = graphene.Field(
        VoucherConnection,
        first=graphene.Int(),
        after=graphene.String(),
        active=graphene.Boolean(),
        code=graphene.String(description="A part of the code, any case."),
        kind=VoucherKindEnum(),
        scope=VoucherScopeEnum(),
    )
    order_settings = graphene.Field(OrderSettingsType)

    @staticmethod
    @declare(SHIPPING)
    def resolve_shipping_zones(root, info):
        return selectors.shipping_zones()

    @staticmethod
    @declare(SHIPPING)
    def resolve_shipping_methods(root, info, zone=None):
        return selectors.shipping_methods(zone_id=id_argument(zone, "zone"))

    @staticmethod
    @declare(TAXES)
    def resolve_tax_rates(root, info, country=None, tax_class=None):
        found = selectors.tax_rates(country=country)
        return found.filter(tax_class__slug=tax_class) if tax_class else found

    @staticmethod
    @declare(VOUCHERS)
    def resolve_vouchers(root, info, first=None, after=None, active=None, code=None, kind=None, scope=None):
        found = selectors.vouchers(active=active, code=code, kind=value_of(kind), scope=value_of(scope))
        return page(found, VoucherConnection, first=first, after=after)

    @staticmethod
    @declare(SETTINGS)
    def resolve_order_settings(root, info):
        return services.order_settings()


# --- writing -------------------------------------------------------------------------------------


def _row(model, value, field: str, label: str):
    """The row with id `value`; NotFound naming `field` otherwise."""
    pk = pk_of(value)
    found = model.objects.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise NotFound(f"No such {label}.", field=field)
    return found


def _rows(model, values, field: str, label: str) -> list:
    """The rows with these ids; InvalidInput naming `field` for unknown ones."""
    pks = [pk_of(value) for value in values]
    found = model.objects.in_bulk([pk for pk in pks if pk is not None])
    unknown = [str(value) for value, pk in zip(values, pks, strict=True) if pk not in found]
    if unknown:
        raise InvalidInput.for_field(field, f"Unknown {label} id(s): {', '.join(unknown)}.")
    return [found[pk] for pk in dict.fromkeys(pks)]


def _tax_class(slug):
    if slug is None:
        return None
    found = TaxClassRow.objects.filter(slug=slug).first()
    if found is None:
        raise InvalidInput.for_field("taxClass", f"No tax class '{str(slug)[:60]}'.")
    return found


def _text_input(name: str, fields: tuple[str, ...]) -> type:
    attrs = {"language": graphene.String(required=True)}
    attrs |= {field: graphene.String() for field in fields}
    return type(name, (graphene.InputObjectType,), attrs)


ZoneTranslationInput = _text_input("ShippingZoneTranslationInput", ZONE_TEXTS)
MethodTranslationInput = _text_input("ShippingMethodTranslationInput", METHOD_TEXTS)
VoucherTranslationInput = _text_input("VoucherTranslationInput", VOUCHER_TEXTS)


def _changes(data, fields, *, texts: tuple[str, ...] = (), convert=None) -> dict:
    """The service's keyword arguments for what the input gives (`convert`: name -> function)."""
    changes = {}
    if texts and "translations" in data:
        pairs = ((item["language"], item) for item in data["translations"] or ())
        changes["texts"] = texts_from(texts, pairs, once="translations")
    for name in fields:
        if name in data:
            value = data[name]
            changes[name] = (convert or {}).get(name, value_of)(value)
    return changes


class ShippingZoneInput(graphene.InputObjectType):
    """A zone; on update, fields left out stay as they are."""

    translations = graphene.List(graphene.NonNull(ZoneTranslationInput))
    countries = graphene.List(
        graphene.NonNull(graphene.String), description="The whole set; each in no other zone."
    )
    position = graphene.Int()


def _zone_changes(data) -> dict:
    return _changes(data, ("countries", "position"), texts=ZONE_TEXTS)


class ShippingZonePayload(graphene.ObjectType):
    zone = graphene.Field(ShippingZoneType, required=True)


class ShippingZoneCreate(graphene.Mutation):
    """Add a shipping zone (a name in at least one language; a country taken by another zone is
    INVALID naming `countries`)."""

    access = SHIPPING

    class Arguments:
        input = ShippingZoneInput(required=True)

    Output = ShippingZonePayload

    @staticmethod
    def mutate(root, info, input):
        zone = services.create_shipping_zone(actor=info.context.user, **_zone_changes(input))
        return ShippingZonePayload(zone=zone)


class ShippingZoneUpdate(graphene.Mutation):
    """Change a zone's name, countries or position."""

    access = SHIPPING

    class Arguments:
        id = graphene.ID(required=True)
        input = ShippingZoneInput(required=True)

    Output = ShippingZonePayload

    @staticmethod
    def mutate(root, info, id, input):
        zone = _row(ZoneRow, id, "id", "shipping zone")
        zone = services.update_shipping_zone(actor=info.context.user, zone=zone, **_zone_changes(input))
        return ShippingZonePayload(zone=zone)


class ShippingZoneDelete(graphene.Mutation):
    """Delete a zone with its methods."""

    access = SHIPPING

    class Arguments:
        id = graphene.ID(required=True)

    Output = Deleted

    @staticmethod
    def mutate(root, info, id):
        zone = _row(ZoneRow, id, "id", "shipping zone")
        services.delete_shipping_zone(actor=info.context.user, zone=zone)
        return Deleted(ok=True, id=id)


class WeightRateInput(graphene.InputObjectType):
    up_to_grams = graphene.Int(required=True, description="More than 0; each weight once.")
    price = Amount(required=True)


def _weight_rates(given) -> list[dict]:
    return [dict(rate) for rate in given or ()]


class ShippingMethodInput(graphene.InputObjectType):
    """A method; on update, fields left out stay as they are."""

    translations = graphene.List(graphene.NonNull(MethodTranslationInput))
    zone_id = graphene.ID()
    kind = ShippingRateKind()
    currency = graphene.String(description="One of the shop's (default: its default one).")
    price = Amount()
    free_above = Amount(description="null: never free.")
    tax_class = graphene.String(description="A tax class's slug; null: the country's standard rate.")
    is_active = graphene.Boolean()
    position = graphene.Int()
    weight_rates = graphene.List(graphene.NonNull(WeightRateInput), description="The whole list of brackets.")


class ShippingMethodCreateInput(ShippingMethodInput):
    zone_id = graphene.ID(required=True)
    translations = graphene.List(graphene.NonNull(MethodTranslationInput), required=True)


METHOD_FIELDS = (
    "kind",
    "currency",
    "price",
    "free_above",
    "tax_class",
    "is_active",
    "position",
    "weight_rates",
)


def _method_changes(data) -> dict:
    changes = _changes(
        data,
        METHOD_FIELDS,
        texts=METHOD_TEXTS,
        convert={"tax_class": _tax_class, "weight_rates": _weight_rates},
    )
    if "zone_id" in data:
        changes["zone"] = _row(ZoneRow, data["zone_id"], "zoneId", "shipping zone")
    return changes


class ShippingMethodPayload(graphene.ObjectType):
    method = graphene.Field(ShippingMethodType, required=True)


class ShippingMethodCreate(graphene.Mutation):
    """Add a method to a zone: flat or by weight (with its brackets), in one of the shop's currencies."""

    access = SHIPPING

    class Arguments:
        input = ShippingMethodCreateInput(required=True)

    Output = ShippingMethodPayload

    @staticmethod
    def mutate(root, info, input):
        method = services.create_shipping_method(actor=info.context.user, **_method_changes(input))
        return ShippingMethodPayload(method=method)


class ShippingMethodUpdate(graphene.Mutation):
    """Change a method; `weightRates` replaces its brackets."""

    access = SHIPPING

    class Arguments:
        id = graphene.ID(required=True)
        input = ShippingMethodInput(required=True)

    Output = ShippingMethodPayload

    @staticmethod
    def mutate(root, info, id, input):
        method = _row(MethodRow, id, "id", "shipping method")
        method = services.update_shipping_method(
            actor=info.context.user, method=method, **_method_changes(input)
        )
        return ShippingMethodPayload(method=method)


class ShippingMethodSetWeightRates(graphene.Mutation):
    """Make a weight-priced method's brackets these (the whole list; the old ones go)."""

    access = SHIPPING

    class Arguments:
        id = graphene.ID(required=True)
        weight_rates = graphene.List(graphene.NonNull(WeightRateInput), required=True)

    Output = ShippingMethodPayload

    @staticmethod
    def mutate(root, info, id, weight_rates):
        method = _row(MethodRow, id, "id", "shipping method")
        method = services.set_weight_rates(
            actor=info.context.user, method=method, weight_rates=_weight_rates(weight_rates)
        )
        return ShippingMethodPayload(method=method)


class ShippingMethodDelete(graphene.Mutation):
    """Delete a method with its brackets."""

    access = SHIPPING

    class Arguments:
        id = graphene.ID(required=True)

    Output = Deleted

    @staticmethod
    def mutate(root, info, id):
        method = _row(MethodRow, id, "id", "shipping method")
        services.delete_shipping_method(actor=info.context.user, method=method)
        return Deleted(ok=True, id=id)


class TaxRateInput(graphene.InputObjectType):
    """A tax rate; on update, fields left out stay as they are."""

    tax_class = graphene.String(description="A tax class's slug; null: the country's standard rate.")
    country = graphene.String(description="ISO 3166 alpha-2; one rate per class and country.")
    rate = graphene.Decimal(description="Percent, 0 to 100, three decimals at most.")
    name = graphene.String(description="As invoices show it: VAT 20%.")


class TaxRateCreateInput(TaxRateInput):
    country = graphene.String(required=True)
    rate = graphene.Decimal(required=True)
    name = graphene.String(required=True)


def _tax_rate_changes(data) -> dict:
    return _changes(data, ("tax_class", "country", "rate", "name"), convert={"tax_class": _tax_class})


class TaxRatePayload(graphene.ObjectType):
    tax_rate = graphene.Field(TaxRateType, required=True)


class TaxRateCreate(graphene.Mutation):
    """Add a tax rate (a second of the same class and country is INVALID naming `country`)."""

    access = TAXES

    class Arguments:
        input = TaxRateCreateInput(required=True)

    Output = TaxRatePayload

    @staticmethod
    def mutate(root, info, input):
        return TaxRatePayload(
            tax_rate=services.create_tax_rate(actor=info.context.user, **_tax_rate_changes(input))
        )


class TaxRateUpdate(graphene.Mutation):
    """Change a tax rate."""

    access = TAXES

    class Arguments:
        id = graphene.ID(required=True)
        input = TaxRateInput(required=True)

    Output = TaxRatePayload

    @staticmethod
    def mutate(root, info, id, input):
        tax_rate = _row(TaxRateRow, id, "id", "tax rate")
        tax_rate = services.update_tax_rate(
            actor=info.context.user, tax_rate=tax_rate, **_tax_rate_changes(input)
        )
        return TaxRatePayload(tax_rate=tax_rate)


class TaxRateDelete(graphene.Mutation):
    """Delete a tax rate."""

    access = TAXES

    class Arguments:
        id = graphene.ID(required=True)

    Output = Deleted

    @staticmethod
    def mutate(root, info, id):
        tax_rate = _row(TaxRateRow, id, "id", "tax rate")
        services.delete_tax_rate(actor=info.context.user, tax_rate=tax_rate)
        return Deleted(ok=True, id=id)


class VoucherInput(graphene.InputObjectType):
    """A voucher; on update, fields left out stay as they are (`productIds`, `categoryIds`: the
    whole set)."""

    code = graphene.String(description="Kept upper-case; unique whatever its case.")
    translations = graphene.List(graphene.NonNull(VoucherTranslationInput))
    kind = VoucherKindEnum()
    percent = graphene.Decimal(description="Of a percentage voucher: more than 0, at most 100.")
    amount = Amount(description="Of a fixed one, in minor units of `currency`.")
    currency = graphene.String()
    scope = VoucherScopeEnum()
    product_ids = graphene.List(graphene.NonNull(graphene.ID))
    category_ids = graphene.List(graphene.NonNull(graphene.ID))
    min_subtotal = Amount()
    starts_at = graphene.DateTime()
    ends_at = graphene.DateTime()
    usage_limit = graphene.Int()
    per_customer_limit = graphene.Int()
    is_active = graphene.Boolean()


class VoucherCreateInput(VoucherInput):
    code = graphene.String(required=True)


VOUCHER_FIELDS = (
    "code", "kind", "percent", "amount", "currency", "scope", "min_subtotal", "starts_at", "ends_at",
    "usage_limit", "per_customer_limit", "is_active",
)  # fmt: skip


def _voucher_changes(data) -> dict:
    changes = _changes(data, VOUCHER_FIELDS, texts=VOUCHER_TEXTS)
    if changes.get("currency", "") is None:
        changes["currency"] = ""
    if "product_ids" in data:
        changes["products"] = _rows(ProductRow, data["product_ids"] or [], "productIds", "product")
    if "category_ids" in data:
        changes["categories"] = _rows(CategoryRow, data["category_ids"] or [], "categoryIds", "category")
    return changes


class VoucherPayload(graphene.ObjectType):
    voucher = graphene.Field(VoucherType, required=True)


class VoucherCreate(graphene.Mutation):
    """Add a voucher (a code another has, whatever its case, is INVALID naming `code`)."""

    access = VOUCHERS

    class Arguments:
        input = VoucherCreateInput(required=True)

    Output = VoucherPayload

    @staticmethod
    def mutate(root, info, input):
        return VoucherPayload(
            voucher=services.create_voucher(actor=info.context.user, **_voucher_changes(input))
        )


class VoucherUpdate(graphene.Mutation):
    """Change a voucher; `isActive: false` stops new uses."""

    access = VOUCHERS

    class Arguments:
        id = graphene.ID(required=True)
        input = VoucherInput(required=True)

    Output = VoucherPayload

    @staticmethod
    def mutate(root, info, id, input):
        voucher = _row(VoucherRow, id, "id", "voucher")
        voucher = services.update_voucher(actor=info.context.user, voucher=voucher, **_voucher_changes(input))
        return VoucherPayload(voucher=voucher)


class VoucherDelete(graphene.Mutation):
    """Delete a voucher never used (one used is CONFLICT `in_use`: deactivate it)."""

    access = VOUCHERS

    class Arguments:
        id = graphene.ID(required=True)

    Output = Deleted

    @staticmethod
    def mutate(root, info, id):
        voucher = _row(VoucherRow, id, "id", "voucher")
        services.delete_voucher(actor=info.context.user, voucher=voucher)
        return Deleted(ok=True, id=id)


class OrderSettingsInput(graphene.InputObjectType):
    """What to change; fields left out stay as they are."""

    prices_include_tax = graphene.Boolean()
    default_country = graphene.String(description="ISO 3166 alpha-2; empty: none.")
    reservation_minutes = graphene.Int(description="1 to 1440.")
    max_line_quantity = graphene.Int(description="1 to 10000.")


class OrderSettingsUpdate(graphene.Mutation):
    """Change the order settings."""

    access = SETTINGS

    class Arguments:
        input = OrderSettingsInput(required=True)

    Output = OrderSettingsType

    @staticmethod
    def mutate(root, info, input):
        fields = ("prices_include_tax", "default_country", "reservation_minutes", "max_line_quantity")
        return services.update_order_settings(actor=info.context.user, **_changes(input, fields))


class Mutation(graphene.ObjectType):
    """Writing the shop's configuration, one mutation per service."""

    shipping_zone_create = ShippingZoneCreate.Field()
    shipping_zone_update = ShippingZoneUpdate.Field()
    shipping_zone_delete = ShippingZoneDelete.Field()
    shipping_method_create = ShippingMethodCreate.Field()
    shipping_method_update = ShippingMethodUpdate.Field()
    shipping_method_set_weight_rates = ShippingMethodSetWeightRates.Field()
    shipping_method_delete = ShippingMethodDelete.Field()
    tax_rate_create = TaxRateCreate.Field()
    tax_rate_update = TaxRateUpdate.Field()
    tax_rate_delete = TaxRateDelete.Field()
    voucher_create = VoucherCreate.Field()
    voucher_update = VoucherUpdate.Field()
    voucher_delete = VoucherDelete.Field()
    order_settings_update = OrderSettingsUpdate.Field()
