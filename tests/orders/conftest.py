"""Fixtures of the orders tests: inside site `alpha`'s schema, a small shop to buy from."""

import pytest
from django_tenants.utils import schema_context

from tests.catalog.factories import make_product, manager
from tests.inventory.factories import StockLocationFactory, stock


@pytest.fixture
def alpha(tenant_a):
    """Run the test inside site `alpha`'s schema."""
    with schema_context("alpha"):
        yield tenant_a


@pytest.fixture
def keeper(alpha):
    """A manager of alpha."""
    return manager()


@pytest.fixture
def warehouse(alpha):
    return StockLocationFactory()


@pytest.fixture
def shirt(keeper, warehouse):
    """An active product with one variant at 1250 (the shop's default currency), 10 in stock."""
    product = make_product(actor=keeper, name="Linen shirt", status="active")
    variant = product.variants.get()
    stock(variant, warehouse, 10, actor=keeper)
    return variant


@pytest.fixture
def mug(keeper, warehouse):
    """An active product with one variant at 800, 3 in stock, weighing 400 g."""
    product = make_product(
        actor=keeper, name="Mug", status="active", prices=[{"currency": "USD", "amount": 800}]
    )
    variant = product.variants.get()
    variant.weight_grams = 400
    variant.save(update_fields=["weight_grams"])
    stock(variant, warehouse, 3, actor=keeper)
    return variant
