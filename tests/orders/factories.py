"""Rows the orders tests stand on, in whatever schema is active.

The shop's configuration (zones, methods, rates, vouchers) is made directly with factory_boy, with
the fewest fields it needs; carts and orders go through the services, their only writers.
"""

from __future__ import annotations

from decimal import Decimal

import factory

from apps.catalog.services import shop_settings
from apps.orders.models import ShippingMethod, ShippingZone, TaxRate, Voucher, WeightRate


class ShippingZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShippingZone

    name_en = factory.Sequence(lambda n: f"Zone {n}")
    countries = ["DE"]


class ShippingMethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShippingMethod

    zone = factory.SubFactory(ShippingZoneFactory)
    name_en = factory.Sequence(lambda n: f"Parcel {n}")
    currency = factory.LazyFunction(lambda: shop_settings().default_currency)
    price = 490


class WeightRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeightRate

    method = factory.SubFactory(ShippingMethodFactory, kind="weight", price=0)
    up_to_grams = 1000
    price = 490


class TaxRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxRate

    tax_class = None
    country = "DE"
    rate = Decimal("19")
    name = "MwSt 19%"


class VoucherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Voucher

    code = factory.Sequence(lambda n: f"SAVE{n}")
    name_en = "Ten off"
    kind = "percentage"
    percent = Decimal("10")
