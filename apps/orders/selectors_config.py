"""Reading the shop's configuration: what the checkout asks (the zone of a country, the methods
it offers in a currency, the tax rates of a country, a voucher by its code) and the lists the
managers' REST, GraphQL and admin share, so the three answer alike.

Each list is a fixed number of queries whatever its length: the relations it shows are
prefetched here.
"""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet

from apps.catalog.models import Product, ProductCategory
from apps.orders.models import RateKind, ShippingMethod, ShippingZone, TaxRate, Voucher, WeightRate


def _code(country) -> str:
    return str(country or "").strip().upper()


def zone_of(country) -> ShippingZone | None:
    """The zone that holds `country` (an ISO 3166 alpha-2 code, any case), or None: a country is
    in one zone at most (the services see to it)."""
    code = _code(country)
    if len(code) != 2 or not code.isalpha():
        return None
    # The countries are stored as "AT,DE,FR": two letters between commas, so a code found in the
    # text is one of them.
    return ShippingZone.objects.filter(countries__contains=code).order_by("position", "id").first()


def _offered(methods) -> list[ShippingMethod]:
    """Of `methods` (their brackets prefetched), those a shopper may choose: a weight-priced one
    needs at least one bracket."""
    return [m for m in methods if m.kind != RateKind.WEIGHT or m.weight_rates.all()]


def methods_for(country, currency: str) -> list[ShippingMethod]:
    """The active methods of `country`'s zone priced in `currency`, by position, with their
    weight brackets prefetched (`method.weight_rates.all()`, lightest first) and their tax class
    (`tax_class_id`); none when no zone holds the country. A weight-priced method without a
    bracket is not offered."""
    zone = zone_of(country)
    if zone is None:
        return []
    found = (
        ShippingMethod.objects.filter(zone=zone, is_active=True, currency=str(currency or "").upper())
        .prefetch_related(Prefetch("weight_rates", queryset=WeightRate.objects.order_by("up_to_grams")))
        .order_by("position", "id")
    )
    return _offered(found)


def rates_for(country) -> dict[int | None, TaxRate]:
    """The tax rates of `country` by tax class id; the key None is the country's standard rate
    (for products and shipping without a class). Empty for a country without rates."""
    code = _code(country)
    if len(code) != 2:
        return {}
    return {rate.tax_class_id: rate for rate in TaxRate.objects.filter(country=code)}


def voucher_by_code(code) -> Voucher | None:
    """The voucher with this code, whatever its case and surrounding spaces; None if none. Whether
    it may be used now (active, its window, its limits) is the checkout's to judge."""
    if not isinstance(code, str) or not code.strip():
        return None
    return Voucher.objects.filter(code__iexact=code.strip()).first()


# --- the managers' lists --------------------------------------------------------------------------

BRACKETS = Prefetch("weight_rates", queryset=WeightRate.objects.order_by("up_to_grams"))


def shipping_methods(*, zone_id: int | None = None) -> QuerySet[ShippingMethod]:
    """Every method with its tax class and brackets, by zone and position (of one zone)."""
    found = ShippingMethod.objects.select_related("tax_class").prefetch_related(BRACKETS)
    if zone_id is not None:
        found = found.filter(zone_id=zone_id)
    return found.order_by("zone__position", "zone_id", "position", "id")


def shipping_zones() -> QuerySet[ShippingZone]:
    """Every zone by position, its methods (with their tax classes and brackets) prefetched."""
    methods = ShippingMethod.objects.select_related("tax_class").prefetch_related(BRACKETS)
    return ShippingZone.objects.prefetch_related(
        Prefetch("methods", queryset=methods.order_by("position", "id"))
    ).order_by("position", "id")


def tax_rates(*, country=None, tax_class_id=None, standard: bool | None = None) -> QuerySet[TaxRate]:
    """The tax rates by country, then class (the standard rate first); of one `country`, one
    class, or (`standard`) only the countries' standard rates or only the others."""
    found = TaxRate.objects.select_related("tax_class")
    if country:
        found = found.filter(country=_code(country))
    if tax_class_id is not None:
        found = found.filter(tax_class_id=tax_class_id)
    if standard is not None:
        found = found.filter(tax_class__isnull=standard)
    return found.order_by("country", F("tax_class_id").asc(nulls_first=True), "id")


def vouchers(
    *, active: bool | None = None, code: str | None = None, kind: str | None = None, scope: str | None = None
) -> QuerySet[Voucher]:
    """The vouchers, newest first, with the ids of their products and categories prefetched;
    `active` their switch, `code` a part of the code (any case)."""
    found = Voucher.objects.prefetch_related(
        Prefetch("products", queryset=Product.objects.only("pk").order_by("pk")),
        Prefetch("categories", queryset=ProductCategory.objects.only("pk").order_by("pk")),
    )
    if active is not None:
        found = found.filter(is_active=active)
    if code:
        found = found.filter(code__icontains=code.strip())
    if kind:
        found = found.filter(kind=kind)
    if scope:
        found = found.filter(scope=scope)
    return found.order_by("-created_at", "-id")
