"""Fixtures of the inventory tests: the site `alpha` active, a manager, a variant, a location."""

import pytest
from django_tenants.utils import schema_context

from tests.inventory.factories import ManagerFactory, StockLocationFactory, VariantFactory


@pytest.fixture
def site(tenant_a):
    """The schema of site `alpha` is active for the whole test."""
    with schema_context("alpha"):
        yield tenant_a


@pytest.fixture
def manager(site):
    return ManagerFactory()


@pytest.fixture
def variant(site):
    return VariantFactory()


@pytest.fixture
def location(site):
    return StockLocationFactory(name_en="Main", priority=0)
