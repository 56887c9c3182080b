"""Rows the inventory tests stand on, created in whatever schema is active.

The catalogue's rows (product types, products, variants) are made directly here, with the
fewest fields they need; stock is given through the inventory's services, its only writers.
"""

from __future__ import annotations

import factory

from apps.accounts.models import Role
from apps.catalog.models import Product, ProductType, Variant
from apps.inventory import services
from apps.inventory.models import StockLocation
from tests.accounts.factories import UserFactory


class ManagerFactory(UserFactory):
    role = Role.MANAGER


class ProductTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductType

    name_en = factory.Sequence(lambda n: f"Type {n}")
    slug = factory.Sequence(lambda n: f"type-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    product_type = factory.SubFactory(ProductTypeFactory)
    name_en = factory.Sequence(lambda n: f"Product {n}")
    slug_en = factory.Sequence(lambda n: f"product-{n}")


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    track_inventory = True


class StockLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StockLocation

    name_en = factory.Sequence(lambda n: f"Warehouse {n}")
    country = "DE"
    priority = 0
    is_active = True


def stock(variant, location, on_hand: int, *, actor=None):
    """`on_hand` units of `variant` received at `location`, through the services."""
    return services.adjust(
        actor=actor or ManagerFactory(), variant=variant, location=location, delta=on_hand, reason="received"
    )
