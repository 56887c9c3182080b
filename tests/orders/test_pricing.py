"""Totals: the documented rules (docs/orders.md, "Totals") on plain values."""

from decimal import Decimal

import pytest

from apps.orders.pricing import Discount, PricedLine, Rate, ShippingQuote, compute, shares, tax_of

VAT = Rate("VAT 20%", Decimal(20))
REDUCED = Rate("VAT 7%", Decimal(7))


def rates(tax_class_id):
    return REDUCED if tax_class_id == 7 else VAT


def test_subtotal_is_unit_price_times_quantity_and_total_adds_up():
    totals = compute(
        lines=[PricedLine(1, 1250, 2), PricedLine(2, 999, 1)], currency="EUR", prices_include_tax=True
    )
    assert (totals.subtotal, totals.discount, totals.shipping, totals.tax, totals.total) == (
        3499,
        0,
        0,
        0,
        3499,
    )
    assert [line.subtotal for line in totals.lines] == [2500, 999]


def test_tax_included_in_prices_is_the_part_of_the_amount_rounded_per_line():
    totals = compute(
        lines=[PricedLine(1, 1000, 1), PricedLine(2, 1000, 1)],
        currency="EUR",
        prices_include_tax=True,
        rates=lambda _c: VAT,
    )
    # 1000 × 20 / 120 = 166.67 → 167 per line; the sum of rounded lines, not a rounded sum.
    assert [line.tax for line in totals.lines] == [167, 167]
    assert totals.tax == 334
    assert totals.total == 2000


def test_tax_added_to_prices_without_it():
    totals = compute(
        lines=[PricedLine(1, 1005, 1)], currency="EUR", prices_include_tax=False, rates=lambda _c: VAT
    )
    assert totals.tax == 201  # 1005 × 0.2 = 201.0
    assert totals.total == 1206
    assert totals.lines[0].total == 1206


def test_halves_round_away_from_zero():
    assert tax_of(1025, Rate("x", Decimal(10)), included=False) == 103  # 102.5 → 103
    assert tax_of(1015, Rate("x", Decimal(10)), included=False) == 102  # 101.5 → 102


def test_taxes_are_listed_per_rate_with_their_bases():
    totals = compute(
        lines=[PricedLine(1, 1070, 1, tax_class_id=7), PricedLine(2, 1200, 1)],
        currency="EUR",
        prices_include_tax=True,
        rates=rates,
    )
    assert [(t.name, t.base, t.tax) for t in totals.taxes] == [("VAT 20%", 1200, 200), ("VAT 7%", 1070, 70)]


def test_percentage_discount_is_rounded_per_line_and_taxed_after():
    totals = compute(
        lines=[PricedLine(1, 333, 1), PricedLine(2, 333, 1)],
        currency="EUR",
        prices_include_tax=False,
        rates=lambda _c: VAT,
        discount=Discount(percent=Decimal(15)),
    )
    assert [line.discount for line in totals.lines] == [50, 50]  # 49.95 → 50 each
    assert totals.discount == 100
    assert [line.tax for line in totals.lines] == [57, 57]  # (333 − 50) × 0.2 = 56.6
    assert totals.total == 666 - 100 + 114


def test_fixed_discount_is_shared_in_proportion_and_adds_up_exactly():
    totals = compute(
        lines=[PricedLine(1, 100, 1), PricedLine(2, 100, 1), PricedLine(3, 100, 1)],
        currency="EUR",
        prices_include_tax=True,
        discount=Discount(amount=100),
    )
    assert [line.discount for line in totals.lines] == [34, 33, 33]
    assert totals.discount == 100


def test_fixed_discount_is_at_most_the_eligible_subtotal():
    totals = compute(
        lines=[PricedLine(1, 300, 1)], currency="EUR", prices_include_tax=True, discount=Discount(amount=5000)
    )
    assert totals.discount == 300
    assert totals.total == 0


def test_discount_on_chosen_products_leaves_the_other_lines_alone():
    discount = Discount(percent=Decimal(50), applies_to=lambda line: line.product_id == 9)
    totals = compute(
        lines=[PricedLine(1, 1000, 1, product_id=9), PricedLine(2, 1000, 1, product_id=8)],
        currency="EUR",
        prices_include_tax=True,
        discount=discount,
    )
    assert [line.discount for line in totals.lines] == [500, 0]


def test_shipping_is_taxed_and_free_above_the_threshold_after_discount():
    quote = ShippingQuote(price=500, free_above=2000)
    paid = compute(
        lines=[PricedLine(1, 1900, 1)],
        currency="EUR",
        prices_include_tax=True,
        rates=lambda _c: VAT,
        shipping=quote,
    )
    assert paid.shipping == 500
    assert paid.shipping_tax == 83
    assert paid.tax == 317 + 83
    assert paid.total == 2400
    free = compute(lines=[PricedLine(1, 2000, 1)], currency="EUR", prices_include_tax=True, shipping=quote)
    assert free.shipping == 0
    discounted = compute(
        lines=[PricedLine(1, 2000, 1)],
        currency="EUR",
        prices_include_tax=True,
        shipping=quote,
        discount=Discount(amount=1),
    )
    assert discounted.shipping == 500


@pytest.mark.parametrize(
    ("amount", "weights", "expected"),
    [
        (10, [1, 1, 1], [4, 3, 3]),
        (7, [0, 5, 0], [0, 7, 0]),
        (0, [1, 2], [0, 0]),
        (5, [], []),
        (2, [1, 1, 2], [1, 0, 1]),
    ],
)
def test_shares_add_up_to_the_amount(amount, weights, expected):
    assert shares(amount, weights) == expected
    assert sum(shares(amount, weights)) == (amount if any(weights) else 0)


def test_weight_is_counted_for_shipping_brackets():
    totals = compute(lines=[PricedLine(1, 100, 3, weight_grams=250)], currency="EUR", prices_include_tax=True)
    assert totals.weight_grams == 750
