"""The product's page on the storefront, read from its document."""

import pytest
from django_tenants.utils import schema_context

from apps.catalog import services
from apps.core import services as core
from tests.catalog.factories import make_attribute, make_product_type
from tests.conftest import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def kettle(manager, tenant_a):
    """An active kettle with two sizes, a rich-text care note and a yes-or-no attribute."""
    core.set_module_enabled(tenant=tenant_a, module="orders", enabled=False)  # it needs inventory
    core.set_module_enabled(tenant=tenant_a, module="inventory", enabled=False)
    care = make_attribute(actor=manager, slug="care", input_type="rich_text")
    steel = make_attribute(actor=manager, slug="steel", input_type="boolean")
    size = make_attribute(actor=manager, slug="size")
    kind = make_product_type(
        actor=manager, slug="kettle", attributes=[(size, "variant"), (care, "product"), (steel, "product")]
    )
    product = services.create_product(
        actor=manager,
        product_type=kind,
        texts={"en": {"name": "Kettle", "description": "Boils **fast**."}, "ru": {"name": "Чайник"}},
        attributes={"care": "<p>Wipe <em>dry</em></p><script>x</script>", "steel": True},
    )
    for sku, chosen, amount in (("K-S", "s", 2000), ("K-L", "l", 2600)):
        services.create_variant(
            actor=manager,
            product=product,
            sku=sku,
            attributes={"size": chosen},
            prices=[{"currency": "USD", "amount": amount, "compare_at_amount": 3000}],
        )
    services.transition_product(actor=manager, product=product, name="activate")
    deliver("alpha")
    return product


def test_the_page_is_in_the_readers_language(reader_a, kettle):
    html = reader_a.get("/shop/products/kettle/?lang=ru").content.decode()
    assert "<h1>Чайник</h1>" in html
    assert "В наличии" in html


def test_a_draft_or_an_unknown_product_is_not_found(reader_a, manager, kettle):
    assert reader_a.get("/shop/products/nothing/").status_code == 404
    services.transition_product(actor=manager, product=kettle, name="deactivate")
    deliver("alpha")
    assert reader_a.get("/shop/products/kettle/").status_code == 404


def test_the_page_is_one_query_on_documents(reader_a, kettle, django_assert_max_num_queries):
    reader_a.get("/shop/products/kettle/")  # the frame's settings and menu, read once
    with django_assert_max_num_queries(9):
        assert reader_a.get("/shop/products/kettle/").status_code == 200


def test_with_the_catalogue_off_the_page_is_not_found(reader_a, kettle, tenant_a):
    with schema_context("public"):
        core.set_module_enabled(tenant=tenant_a, module="orders", enabled=False)  # it needs catalog
        core.set_module_enabled(tenant=tenant_a, module="catalog", enabled=False)
    assert reader_a.get("/shop/products/kettle/").status_code == 404
