"""A cart's totals as the shopper sees them: tax of the shipping country, the chosen method's
rate, the voucher's discount or why it does not apply; in a fixed number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.catalog import services as catalog
from apps.orders import services
from apps.orders.carts import order_settings, priced
from apps.orders.models import OrderSettings
from tests.catalog.factories import make_product
from tests.inventory.factories import stock
from tests.orders.factories import ShippingMethodFactory, TaxRateFactory, VoucherFactory, WeightRateFactory

GERMANY = {
    "first_name": "A",
    "last_name": "B",
    "line1": "X 1",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
}


@pytest.fixture
def cart(alpha, shirt):
    cart = services.create_cart()
    services.add_line(cart=cart, variant_id=shirt.pk, quantity=2)
    return cart


def ship_to(cart, country="DE"):
    cart.shipping_address = {**GERMANY, "country": country}
    cart.save()


def test_tax_of_the_shipping_country_is_part_of_prices_that_include_it(cart):
    TaxRateFactory(country="DE", rate=Decimal(19), name="MwSt 19%")
    TaxRateFactory(country="FR", rate=Decimal(20), name="TVA 20%")
    ship_to(cart, "DE")
    totals = priced(cart).totals
    assert (totals.subtotal, totals.tax, totals.total) == (2500, 399, 2500)
    assert [(t.name, t.base, t.tax) for t in totals.taxes] == [("MwSt 19%", 2500, 399)]
    ship_to(cart, "FR")
    assert priced(cart).totals.tax == 417


def test_tax_is_added_when_prices_are_entered_without_it(cart):
    OrderSettings.objects.update_or_create(pk=1, defaults={"prices_include_tax": False})
    TaxRateFactory(country="DE", rate=Decimal(19))
    ship_to(cart)
    totals = priced(cart).totals
    assert (totals.tax, totals.total) == (475, 2975)


def test_a_tax_class_with_its_own_rate_is_taxed_at_it(cart, shirt, keeper):
    reduced = catalog.create_tax_class(actor=keeper, slug="reduced")
    catalog.update_product(actor=keeper, product=shirt.product, tax_class=reduced)
    TaxRateFactory(country="DE", rate=Decimal(19))
    TaxRateFactory(country="DE", tax_class=reduced, rate=Decimal(7), name="MwSt 7%")
    ship_to(cart)
    assert priced(cart).totals.tax == 164  # 2500 × 7 / 107 = 163.55


def test_before_an_address_the_sites_default_country_is_taxed(cart):
    settings = order_settings()
    settings.default_country = "DE"
    settings.save()
    TaxRateFactory(country="DE", rate=Decimal(19))
    assert priced(cart).totals.tax == 399


def test_the_chosen_shipping_method_is_added_and_free_above_its_threshold(cart):
    method = ShippingMethodFactory(price=490, free_above=3000)
    cart.shipping_method = method
    ship_to(cart)
    assert priced(cart).totals.shipping == 490
    assert priced(cart).totals.total == 2990
    method.free_above = 2500
    method.save()
    assert priced(cart).totals.shipping == 0


def test_a_weight_priced_method_takes_the_bracket_of_the_carts_weight(alpha, mug):
    cart = services.create_cart()
    services.add_line(cart=cart, variant_id=mug.pk, quantity=2)  # 800 g
    light = WeightRateFactory(up_to_grams=500, price=300)
    WeightRateFactory(method=light.method, up_to_grams=1000, price=600)
    cart.shipping_method = light.method
    ship_to(cart)
    assert priced(cart).totals.shipping == 600
    services.add_line(cart=cart, variant_id=mug.pk, quantity=1)  # 1200 g: no bracket
    shown = priced(cart)
    assert (shown.totals.shipping, shown.shipping_problem) == (0, "too_heavy")


def test_a_method_of_another_zone_does_not_count_and_says_why(cart):
    cart.shipping_method = ShippingMethodFactory(zone__countries=["FR"])
    ship_to(cart, "DE")
    shown = priced(cart)
    assert (shown.totals.shipping, shown.shipping_problem) == (0, "country")


def test_a_percentage_voucher_takes_its_percent_off(cart):
    cart.voucher = VoucherFactory(percent=Decimal(10))
    shown = priced(cart)
    assert (shown.totals.discount, shown.totals.total, shown.voucher_problem) == (250, 2250, None)


@pytest.mark.parametrize(
    ("terms", "reason"),
    [
        ({"is_active": False}, "inactive"),
        ({"starts_at": timezone.now() + timedelta(days=1)}, "not_started"),
        ({"ends_at": timezone.now() - timedelta(days=1)}, "expired"),
        ({"usage_limit": 1, "used": 1}, "used_up"),
        ({"min_subtotal": 5000, "currency": "USD"}, "min_subtotal"),
        ({"kind": "fixed", "percent": None, "amount": 500, "currency": "EUR"}, "currency"),
    ],
)
def test_a_voucher_that_does_not_apply_gives_no_discount_and_says_why(cart, terms, reason):
    cart.voucher = VoucherFactory(**terms)
    shown = priced(cart)
    assert shown.totals.discount == 0
    assert shown.voucher_problem.reason == reason
    assert list(shown.voucher_problem.errors) == ["voucher"]


def test_a_product_voucher_discounts_only_its_products(cart, keeper, warehouse):
    other = make_product(actor=keeper, status="active").variants.get()
    stock(other, warehouse, 5, actor=keeper)
    services.add_line(cart=cart, variant_id=other.pk)
    voucher = VoucherFactory(scope="products", percent=Decimal(50))
    voucher.products.add(other.product)
    cart.voucher = voucher
    assert priced(cart).totals.discount == 625


def test_a_priced_cart_is_read_in_a_fixed_number_of_queries(
    alpha, keeper, warehouse, django_assert_max_num_queries
):
    cart = services.create_cart()
    for _n in range(12):
        variant = make_product(actor=keeper, status="active").variants.get()
        stock(variant, warehouse, 5, actor=keeper)
        services.add_line(cart=cart, variant_id=variant.pk)
    voucher = VoucherFactory(scope="products")
    cart.voucher = voucher
    cart.shipping_method = WeightRateFactory().method
    ship_to(cart)
    TaxRateFactory()
    order_settings()
    with django_assert_max_num_queries(14):
        shown = priced(cart)
    assert len(shown.lines) == 12
