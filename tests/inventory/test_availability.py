"""Readers see whether a product can be bought: its documents follow its variants' stock."""

from datetime import timedelta

import pytest
from django_tenants.utils import schema_context

from apps.catalog import services as catalog
from apps.core import services as core
from apps.index.models import Document
from apps.inventory import services
from tests.catalog.factories import make_product
from tests.conftest import deliver
from tests.inventory.factories import stock

pytestmark = pytest.mark.django_db


def availability(product) -> str:
    with schema_context("alpha"):
        return Document.objects.get(type="product", object_id=str(product.pk), language="en").availability


@pytest.fixture
def product(manager):
    """An active product whose one variant's stock is tracked; none in stock yet."""
    found = make_product(actor=manager, status="active")
    deliver("alpha")
    return found


def test_a_tracked_variant_without_stock_is_out_of_stock(product):
    assert availability(product) == "out_of_stock"


def test_receiving_stock_puts_the_product_in_stock_and_reserving_the_last_takes_it_out(
    product, manager, location
):
    variant = product.variants.get()
    stock(variant, location, 2, actor=manager)
    deliver("alpha")
    assert availability(product) == "in_stock"
    services.reserve(lines=[(variant.pk, 2)], owner="checkout:1", ttl=timedelta(minutes=15))
    deliver("alpha")
    assert availability(product) == "out_of_stock"
    services.release(owner="checkout:1")
    deliver("alpha")
    assert availability(product) == "in_stock"


def test_an_untracked_variant_is_always_in_stock(product, manager):
    catalog.update_variant(actor=manager, variant=product.variants.get(), track_inventory=False)
    deliver("alpha")
    assert availability(product) == "in_stock"


def test_without_inventory_every_product_is_in_stock(product, manager, tenant_a):
    core.set_module_enabled(tenant=tenant_a, module="orders", enabled=False)  # it needs inventory
    core.set_module_enabled(tenant=tenant_a, module="inventory", enabled=False)
    catalog.update_product(actor=manager, product=product, texts={"ru": {"name": "Товар"}})
    deliver("alpha")
    assert availability(product) == "in_stock"
