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


@pytest.fixture(autouse=True)
def quick_payments(settings):
    """Provider calls retried without pauses; pending demo charges settled by the tests."""
    settings.PAYMENTS_RETRY_BACKOFF = 0
    settings.PAYMENTS_DEMO_SETTLE_SECONDS = -1


GERMAN_ADDRESS = {
    "first_name": "Anna",
    "last_name": "Schmidt",
    "line1": "Unter den Linden 1",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
}


@pytest.fixture
def parcel(alpha):
    """A flat-rate method shipping to Germany for 490."""
    from tests.orders.factories import ShippingMethodFactory

    return ShippingMethodFactory(price=490)


@pytest.fixture
def ready_cart(alpha, shirt, parcel):
    """A guest's cart with 2 shirts, every checkout detail given, to pay by demo card."""
    from apps.orders import services

    cart = services.create_cart()
    services.add_line(cart=cart, variant_id=shirt.pk, quantity=2)
    return services.update_checkout(
        cart=cart,
        email="anna@example.com",
        shipping_address=GERMAN_ADDRESS,
        shipping_method=parcel.pk,
        payment_provider="demo",
    )


LIVE_SCHEMA = "live_events"


def ready_carts(variant, method, count: int, **checkout) -> list:
    """`count` guest carts of one unit of `variant`, every checkout detail given (demo card)."""
    from apps.orders import services

    carts = []
    for i in range(count):
        cart = services.create_cart()
        services.add_line(cart=cart, variant_id=variant.pk)
        carts.append(
            services.update_checkout(
                cart=cart,
                email=f"shopper{i}@example.com",
                shipping_address=GERMAN_ADDRESS,
                shipping_method=method.pk,
                payment_provider="demo",
                **checkout,
            )
        )
    return carts


@pytest.fixture
def live_shop(live_tenant, settings):
    """A variant with its last 10 units, and a way to ship it, in the live tenant (real commits)."""
    from tests.orders.factories import ShippingMethodFactory

    settings.PAYMENTS_RETRY_BACKOFF = 0
    with schema_context(LIVE_SCHEMA):
        keeper = manager()
        variant = make_product(actor=keeper, status="active").variants.get()
        stock(variant, StockLocationFactory(), 10, actor=keeper)
        method = ShippingMethodFactory(price=490)
    return variant, method
