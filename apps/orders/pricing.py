"""Totals of a cart or an order: the one place they are computed, so every interface shows the same.

Pure functions over plain values (no queries): apps.orders.selectors gathers the lines, rates,
shipping method and voucher, and this module does the arithmetic in integer minor units.

The rules (docs/orders.md, "Totals"):

- A line's subtotal is its unit price times its quantity.
- **Discount.** A percentage voucher takes its percent off each line it applies to, rounded per
  line; a fixed amount (at most the lines' subtotal) is shared among the lines it applies to in
  proportion to their subtotals, the minor units left by rounding down going to the lines with
  the largest remainders (then the first), so the shares add up to the amount exactly.
- **Shipping** is the method's price for the cart (flat, or the weight bracket), or nothing once
  the subtotal after discounts reaches the method's `free_above`.
- **Tax** is computed per line on its subtotal after discount, and on shipping, at the rate of
  the line's tax class in the taxed country (the class's own rate there, else the country's
  standard rate; no rate, no tax). With prices that include tax, the tax is the part of the
  amount: `amount × rate / (100 + rate)`; without, it is added: `amount × rate / 100`.
- **Rounding**: every computed amount is rounded to the minor unit per line (and once for
  shipping), halves away from zero (rustok.money.ROUNDING); totals are sums of rounded amounts.
- **Total**: subtotal − discount + shipping, plus the tax when prices do not include it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from rustok.money import ROUNDING

ZERO = Decimal(0)


def rounded(value: Decimal) -> int:
    """A Decimal amount of minor units rounded to a whole one, halves away from zero."""
    return int(value.quantize(Decimal(1), rounding=ROUNDING))


@dataclass(frozen=True)
class Rate:
    """A tax rate: its name as invoices show it, and its percent."""

    name: str
    percent: Decimal


NO_TAX = Rate("", ZERO)


@dataclass(frozen=True)
class PricedLine:
    """What pricing needs of a line: its key (the cart line's or order line's id), the unit price
    in the cart's currency, the quantity, and what a voucher or a tax rate looks at."""

    key: int
    unit_price: int
    quantity: int
    product_id: int | None = None
    category_ids: frozenset[int] = frozenset()
    tax_class_id: int | None = None
    weight_grams: int = 0


@dataclass(frozen=True)
class Discount:
    """A voucher's terms as pricing applies them: `percent` off, or `amount` off, on the lines
    `applies_to` accepts (every line when None)."""

    percent: Decimal | None = None
    amount: int | None = None
    applies_to: Callable[[PricedLine], bool] | None = None

    def eligible(self, line: PricedLine) -> bool:
        return self.applies_to is None or self.applies_to(line)


@dataclass(frozen=True)
class ShippingQuote:
    """The shipping method's price for this cart before any free-above threshold."""

    price: int
    free_above: int | None = None
    tax_class_id: int | None = None
    name: str = ""


@dataclass
class LineTotal:
    key: int
    unit_price: int
    quantity: int
    subtotal: int
    discount: int
    tax: int
    tax_name: str
    tax_rate: Decimal
    total: int


@dataclass
class TaxTotal:
    """Tax at one rate: the amounts it was computed on (`base`) and the tax."""

    name: str
    rate: Decimal
    base: int
    tax: int


@dataclass
class Totals:
    currency: str
    prices_include_tax: bool
    lines: list[LineTotal] = field(default_factory=list)
    subtotal: int = 0
    discount: int = 0
    shipping: int = 0
    shipping_tax: int = 0
    tax: int = 0
    total: int = 0
    taxes: list[TaxTotal] = field(default_factory=list)
    weight_grams: int = 0

    def line(self, key: int) -> LineTotal:
        return next(line for line in self.lines if line.key == key)


def tax_of(amount: int, rate: Rate, *, included: bool) -> int:
    """The tax on `amount` at `rate`: the part of it (prices including tax) or on top of it."""
    if not rate.percent or not amount:
        return 0
    if included:
        return rounded(Decimal(amount) * rate.percent / (100 + rate.percent))
    return rounded(Decimal(amount) * rate.percent / 100)


def shares(amount: int, weights: list[int]) -> list[int]:
    """`amount` split in proportion to `weights` in whole units adding up to it exactly: each
    share rounded down, the units left going to the largest remainders, then the first."""
    whole = sum(weights)
    if not whole or not amount:
        return [0] * len(weights)
    exact = [(amount * weight, whole) for weight in weights]
    parts = [numerator // denominator for numerator, denominator in exact]
    left = amount - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i][0] % whole), i))
    for i in by_remainder[:left]:
        parts[i] += 1
    return parts


def line_discounts(lines: list[PricedLine], discount: Discount | None) -> list[int]:
    """Each line's share of the discount, in the order of `lines`."""
    if discount is None:
        return [0] * len(lines)
    eligible = [discount.eligible(line) for line in lines]
    subtotals = [
        line.unit_price * line.quantity if ok else 0 for line, ok in zip(lines, eligible, strict=True)
    ]
    if discount.percent is not None:
        return [rounded(Decimal(subtotal) * discount.percent / 100) for subtotal in subtotals]
    return shares(min(discount.amount or 0, sum(subtotals)), subtotals)


def shipping_price(quote: ShippingQuote | None, after_discount: int) -> int:
    if quote is None:
        return 0
    if quote.free_above is not None and after_discount >= quote.free_above:
        return 0
    return quote.price


def compute(
    *,
    lines: Iterable[PricedLine],
    currency: str,
    prices_include_tax: bool,
    rates: Callable[[int | None], Rate] = lambda _tax_class: NO_TAX,
    shipping: ShippingQuote | None = None,
    discount: Discount | None = None,
) -> Totals:
    """The totals of `lines` in `currency` with this shipping and discount; `rates(tax_class_id)`
    answers the rate of a class in the taxed country (None: the standard rate)."""
    lines = list(lines)
    totals = Totals(currency=currency, prices_include_tax=prices_include_tax)
    by_rate: dict[tuple[str, Decimal], TaxTotal] = {}

    def taxed(amount: int, rate: Rate) -> int:
        tax = tax_of(amount, rate, included=prices_include_tax)
        if rate.percent:
            entry = by_rate.setdefault((rate.name, rate.percent), TaxTotal(rate.name, rate.percent, 0, 0))
            entry.base += amount
            entry.tax += tax
        return tax

    for line, discounted in zip(lines, line_discounts(lines, discount), strict=True):
        subtotal = line.unit_price * line.quantity
        rate = rates(line.tax_class_id)
        tax = taxed(subtotal - discounted, rate)
        total = subtotal - discounted + (0 if prices_include_tax else tax)
        totals.lines.append(
            LineTotal(
                line.key,
                line.unit_price,
                line.quantity,
                subtotal,
                discounted,
                tax,
                rate.name,
                rate.percent,
                total,
            )
        )
        totals.subtotal += subtotal
        totals.discount += discounted
        totals.tax += tax
        totals.weight_grams += line.weight_grams * line.quantity

    totals.shipping = shipping_price(shipping, totals.subtotal - totals.discount)
    if shipping is not None and totals.shipping:
        totals.shipping_tax = taxed(totals.shipping, rates(shipping.tax_class_id))
    totals.tax += totals.shipping_tax
    totals.total = totals.subtotal - totals.discount + totals.shipping
    if not prices_include_tax:
        totals.total += totals.tax
    totals.taxes = sorted(by_rate.values(), key=lambda entry: (-entry.rate, entry.name))
    return totals
