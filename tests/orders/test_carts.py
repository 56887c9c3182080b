"""Carts: lines added, changed and removed with clear refusals; guests' carts merge on sign-in."""

import pytest

from apps.accounts.models import Role
from apps.catalog import services as catalog
from apps.events.models import OutboxEvent as Outbox
from apps.inventory.services import OutOfStock
from apps.orders import services
from apps.orders.carts import priced
from apps.orders.models import Cart, CartLine, CartStatus
from rustok.errors import Conflict, InvalidInput
from tests.accounts.factories import UserFactory
from tests.catalog.factories import make_product


@pytest.fixture
def cart(alpha):
    return services.create_cart()


def test_a_new_cart_is_in_the_shops_currency(cart):
    assert cart.currency == "USD"
    assert cart.status == CartStatus.OPEN


def test_adding_a_variant_twice_adds_to_its_line(cart, shirt):
    services.add_line(cart=cart, variant_id=shirt.pk, quantity=2)
    line = services.add_line(cart=cart, variant_id=shirt.pk, quantity=1)
    assert line.quantity == 3
    assert cart.lines.count() == 1
    assert line.price_when_added == 1250


@pytest.mark.parametrize("quantity", [0, -1, 1.5, "2", True, None])
def test_a_quantity_that_is_not_a_positive_whole_number_is_refused(cart, shirt, quantity):
    with pytest.raises(InvalidInput) as refused:
        services.add_line(cart=cart, variant_id=shirt.pk, quantity=quantity)
    assert list(refused.value.errors) == ["quantity"]
    assert not cart.lines.exists()


def test_more_than_a_line_may_hold_is_refused(cart, shirt, warehouse, keeper):
    from tests.inventory.factories import stock

    stock(shirt, warehouse, 500, actor=keeper)
    with pytest.raises(InvalidInput) as refused:
        services.add_line(cart=cart, variant_id=shirt.pk, quantity=100)
    assert "99" in refused.value.errors["quantity"][0]


def test_more_than_is_in_stock_is_refused_with_what_is_available(cart, shirt):
    with pytest.raises(OutOfStock) as refused:
        services.add_line(cart=cart, variant_id=shirt.pk, quantity=11)
    assert refused.value.lines == [{"variant_id": shirt.pk, "sku": shirt.sku, "asked": 11, "available": 10}]


def test_unknown_variants_and_products_not_for_sale_are_refused(cart, keeper):
    draft = make_product(actor=keeper, status="draft").variants.get()
    for variant_id in (draft.pk, 10**9, "x"):
        with pytest.raises(InvalidInput) as refused:
            services.add_line(cart=cart, variant_id=variant_id)
        assert list(refused.value.errors) == ["variant"]
    assert not cart.lines.exists()


def test_a_variant_without_a_price_in_the_carts_currency_is_refused(alpha, keeper):
    catalog.update_shop_settings(actor=keeper, currencies=["EUR"])
    euro_cart = services.create_cart(currency="eur")
    variant = make_product(actor=keeper, status="active").variants.get()
    with pytest.raises(InvalidInput) as refused:
        services.add_line(cart=euro_cart, variant_id=variant.pk)
    assert "EUR" in refused.value.errors["variant"][0]


def test_a_currency_the_shop_does_not_sell_in_is_refused(alpha):
    with pytest.raises(InvalidInput) as refused:
        services.create_cart(currency="JPY")
    assert list(refused.value.errors) == ["currency"]


def test_setting_a_quantity_to_zero_removes_the_line(cart, shirt):
    line = services.add_line(cart=cart, variant_id=shirt.pk, quantity=2)
    assert services.set_quantity(cart=cart, line_id=line.pk, quantity=0) is None
    assert not cart.lines.exists()


def test_lowering_a_quantity_is_allowed_even_when_stock_ran_out(cart, shirt, warehouse, keeper):
    from apps.inventory import services as inventory

    line = services.add_line(cart=cart, variant_id=shirt.pk, quantity=5)
    inventory.adjust(actor=keeper, variant=shirt, location=warehouse, delta=-9, reason="damaged")
    assert services.set_quantity(cart=cart, line_id=line.pk, quantity=2).quantity == 2
    with pytest.raises(OutOfStock):
        services.set_quantity(cart=cart, line_id=line.pk, quantity=3)


def test_the_cart_says_when_a_price_changed_since_the_line_was_added(cart, shirt, keeper):
    services.add_line(cart=cart, variant_id=shirt.pk)
    catalog.update_variant(actor=keeper, variant=shirt, prices=[{"currency": "USD", "amount": 1500}])
    shown = priced(cart)
    assert shown.lines[0].problems == ["price_changed"]
    assert (shown.lines[0].price_when_added, shown.lines[0].unit_price) == (1250, 1500)
    assert shown.totals.subtotal == 1500


def test_the_cart_says_when_a_product_is_no_longer_for_sale_and_leaves_it_out_of_the_totals(
    cart, shirt, mug, keeper
):
    services.add_line(cart=cart, variant_id=shirt.pk)
    services.add_line(cart=cart, variant_id=mug.pk)
    catalog.transition_product(actor=keeper, product=mug.product, name="deactivate")
    shown = priced(cart)
    assert [line.problems for line in shown.lines] == [[], ["unavailable"]]
    assert shown.totals.subtotal == 1250


def test_cart_changes_publish_events(cart, shirt):
    Outbox.objects.all().delete()
    line = services.add_line(cart=cart, variant_id=shirt.pk, quantity=2)
    services.set_quantity(cart=cart, line_id=line.pk, quantity=0)
    assert [(e.type, e.payload["quantity"]) for e in Outbox.objects.order_by("id")] == [
        ("orders.cart.line_changed", 2),
        ("orders.cart.line_changed", 0),
    ]


def test_a_customer_has_one_cart(alpha):
    customer = UserFactory(role=Role.CUSTOMER)
    assert services.create_cart(customer=customer) == services.create_cart(customer=customer)


def test_a_guest_cart_becomes_the_customers_when_they_have_none(cart, shirt):
    customer = UserFactory(role=Role.CUSTOMER)
    services.add_line(cart=cart, variant_id=shirt.pk)
    merged = services.merge(guest_cart=cart, customer=customer)
    assert merged.pk == cart.pk
    assert merged.customer == customer


def test_a_guest_cart_merges_into_the_customers_adding_quantities_within_stock(cart, shirt, mug):
    customer = UserFactory(role=Role.CUSTOMER)
    mine = services.create_cart(customer=customer)
    services.add_line(cart=mine, variant_id=shirt.pk, quantity=6)
    services.add_line(cart=cart, variant_id=shirt.pk, quantity=7)
    services.add_line(cart=cart, variant_id=mug.pk, quantity=2)
    merged = services.merge(guest_cart=cart, customer=customer)
    assert merged.pk == mine.pk
    assert {line.variant_id: line.quantity for line in merged.lines.all()} == {shirt.pk: 10, mug.pk: 2}
    cart.refresh_from_db()
    assert cart.status == CartStatus.MERGED
    with pytest.raises(Conflict):
        services.add_line(cart=cart, variant_id=shirt.pk)


def test_another_customers_cart_cannot_be_merged(alpha, shirt):
    first, second = UserFactory(role=Role.CUSTOMER), UserFactory(role=Role.CUSTOMER)
    theirs = services.create_cart(customer=first)
    from rustok.errors import NotFound

    with pytest.raises(NotFound):
        services.merge(guest_cart=theirs, customer=second)
    assert Cart.objects.get(pk=theirs.pk).customer == first
    assert not CartLine.objects.exists()
