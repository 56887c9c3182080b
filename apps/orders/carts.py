"""A cart as the shopper sees it: its lines read from the catalogue now, what changed since each
was added, and its totals (apps.orders.pricing). REST, GraphQL, the storefront and the checkout
all read a cart through `priced`, so they show the same numbers and the same notices.

A priced cart is read in a fixed number of queries whatever its length (a test counts them): the
lines with their variants and products, their prices in the cart's currency, their categories,
their options, their stock, the tax rates of the country, the shipping method with its brackets,
and the voucher with what it applies to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.catalog.models import AttributeChoice, Price, Product, Status
from apps.inventory.selectors import available_quantities
from apps.inventory.services import OutOfStock
from apps.orders import pricing
from apps.orders.models import Cart, CartLine, OrderSettings, ShippingMethod, Voucher, VoucherScope
from apps.orders.selectors_config import methods_for, rates_for
from rustok.errors import Conflict, InvalidInput
from rustok.money import format_minor


class VoucherNotApplicable(InvalidInput):
    """A voucher that does not apply to this cart; `reason` says why (docs/orders.md, "Vouchers")."""

    code = "voucher_not_applicable"
    title = "Voucher does not apply"

    def __init__(self, reason: str, message: str, field: str = "voucher"):
        super().__init__(f"{field}: {message}", errors={field: [message]}, reason=reason)
        self.reason = reason


@dataclass
class PricedLine:
    """A cart line as shown: names in the reader's language, the unit price now, and `problems`
    (codes: `unavailable`, `no_price`, `out_of_stock`, `insufficient_stock`, `price_changed`)."""

    line: CartLine
    product_name: str
    variant_name: str
    sku: str
    options: list[dict]
    quantity: int
    unit_price: int | None
    price_when_added: int | None
    available: int | None
    problems: list[str] = field(default_factory=list)
    totals: pricing.LineTotal | None = None

    @property
    def id(self) -> int:
        return self.line.pk

    @property
    def variant_id(self) -> int:
        return self.line.variant_id

    @property
    def buyable(self) -> bool:
        return not {"unavailable", "no_price", "out_of_stock", "insufficient_stock"} & set(self.problems)


@dataclass
class PricedCart:
    cart: Cart
    lines: list[PricedLine]
    totals: pricing.Totals
    tax_country: str
    shipping_method: ShippingMethod | None
    # Why the chosen shipping method or voucher does not count now (None: it does, or none chosen).
    shipping_problem: str | None = None
    voucher_problem: VoucherNotApplicable | None = None
    # What the totals were computed from, to price the same lines with another shipping method.
    inputs: list[pricing.PricedLine] = field(default_factory=list, repr=False)
    rates: Callable[[int | None], pricing.Rate] = field(default=lambda _tax_class: pricing.NO_TAX, repr=False)
    discount: pricing.Discount | None = field(default=None, repr=False)

    def totals_with(self, shipping: pricing.ShippingQuote | None) -> pricing.Totals:
        """The totals of these lines shipped at `shipping`'s price (no query): what the cart's
        totals would be with that method chosen."""
        return pricing.compute(
            lines=self.inputs,
            currency=self.totals.currency,
            prices_include_tax=self.totals.prices_include_tax,
            rates=self.rates,
            shipping=shipping,
            discount=self.discount,
        )

    @property
    def quantity(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def changed(self) -> bool:
        """Something the shopper should be told: a price or availability changed since added."""
        return any(line.problems for line in self.lines)


def order_settings() -> OrderSettings:
    """The site's order settings (made on first read)."""
    found, _created = OrderSettings.objects.get_or_create(pk=OrderSettings.ONLY)
    return found


def tax_country(cart: Cart, settings: OrderSettings) -> str:
    """The country whose taxes apply: where it ships, else where it is billed, else the site's."""
    for address in (cart.shipping_address, cart.billing_address):
        if address and address.get("country"):
            return address["country"]
    return str(settings.default_country or "")


def rates_of(country: str) -> dict[int | None, pricing.Rate]:
    """The tax rates of `country` by tax class id (None: the standard rate), as pricing takes them."""
    return {tax_class: pricing.Rate(rate.name, rate.rate) for tax_class, rate in rates_for(country).items()}


def rate_lookup(rates: dict[int | None, pricing.Rate]):
    """A class's own rate in the country, else the country's standard rate, else no tax."""
    standard = rates.get(None, pricing.NO_TAX)
    return lambda tax_class_id: rates.get(tax_class_id, standard)


def quote(
    method: ShippingMethod, *, country: str, currency: str, weight_grams: int
) -> tuple[pricing.ShippingQuote | None, str | None]:
    """The method's price for a cart, or why it cannot ship it (a reason code)."""
    if not method.is_active:
        return None, "inactive"
    if method.currency != currency:
        return None, "currency"
    if country and country not in [str(c) for c in method.zone.countries]:
        return None, "country"
    price = method.price
    if method.kind == "weight":
        bracket = next((rate for rate in method.weight_rates.all() if weight_grams <= rate.up_to_grams), None)
        if bracket is None:
            return None, "too_heavy"
        price = bracket.price
    return pricing.ShippingQuote(price, method.free_above, method.tax_class_id, method.name), None


def voucher_discount(
    voucher: Voucher, *, cart: Cart, lines: list[pricing.PricedLine], now=None
) -> pricing.Discount:
    """The voucher's discount on these lines, or VoucherNotApplicable saying why not."""
    now = now or timezone.now()
    currency = cart.currency
    if not voucher.is_active:
        raise VoucherNotApplicable("inactive", _("This voucher is no longer valid."))
    if voucher.starts_at and now < voucher.starts_at:
        raise VoucherNotApplicable("not_started", _("This voucher is not valid yet."))
    if voucher.ends_at and now >= voucher.ends_at:
        raise VoucherNotApplicable("expired", _("This voucher has expired."))
    if voucher.usage_limit is not None and voucher.used >= voucher.usage_limit:
        raise VoucherNotApplicable("used_up", _("This voucher has been used up."))
    if (voucher.amount is not None or voucher.min_subtotal is not None) and voucher.currency != currency:
        raise VoucherNotApplicable(
            "currency", _("This voucher is for orders in %(currency)s.") % {"currency": voucher.currency}
        )
    if voucher.per_customer_limit is not None and used_by(voucher, cart) >= voucher.per_customer_limit:
        raise VoucherNotApplicable("limit_per_customer", _("You have already used this voucher."))
    subtotal = sum(line.unit_price * line.quantity for line in lines)
    if voucher.min_subtotal is not None and subtotal < voucher.min_subtotal:
        raise VoucherNotApplicable(
            "min_subtotal",
            _("This voucher needs a subtotal of at least %(amount)s.")
            % {"amount": format_minor(voucher.min_subtotal, currency)},
        )
    applies_to = None
    if voucher.scope == VoucherScope.PRODUCTS:
        products = {p.pk for p in voucher.products.all()}
        categories = {c.pk for c in voucher.categories.all()}

        def applies_to(line: pricing.PricedLine) -> bool:
            return line.product_id in products or bool(line.category_ids & categories)

        if not any(applies_to(line) for line in lines):
            raise VoucherNotApplicable(
                "no_eligible_lines", _("This voucher applies to none of the items in your cart.")
            )
    if voucher.kind == "percentage":
        return pricing.Discount(percent=Decimal(voucher.percent), applies_to=applies_to)
    return pricing.Discount(amount=voucher.amount, applies_to=applies_to)


def used_by(voucher: Voucher, cart: Cart) -> int:
    """How many orders of this cart's customer (or e-mail) used the voucher."""
    who = Q(customer_id=cart.customer_id) if cart.customer_id else Q()
    if cart.email:
        who |= Q(email__iexact=cart.email)
    if not who:
        return 0
    return voucher.uses.filter(who).count()


def priced(cart: Cart, *, settings: OrderSettings | None = None) -> PricedCart:
    """The cart with its lines and totals as of now."""
    settings = settings or order_settings()
    rows = list(cart.lines.select_related("variant", "variant__product").order_by("created_at", "id"))
    variant_ids = [row.variant_id for row in rows]
    product_ids = {row.variant.product_id for row in rows}
    prices = dict(
        Price.objects.filter(variant_id__in=variant_ids, currency=cart.currency).values_list(
            "variant_id", "amount"
        )
    )
    categories: dict[int, set[int]] = {}
    for product_id, category_id in Product.categories.through.objects.filter(
        product_id__in=product_ids
    ).values_list("product_id", "productcategory_id"):
        categories.setdefault(product_id, set()).add(category_id)
    options = _options(variant_ids)
    holder = cart.owner if cart.reserved_until is not None else None
    available = available_quantities(variant_ids, holder=holder) if variant_ids else {}

    lines: list[PricedLine] = []
    inputs: list[pricing.PricedLine] = []
    for row in rows:
        variant, product = row.variant, row.variant.product
        unit = prices.get(variant.pk)
        stock = available.get(variant.pk) if variant.track_inventory else None
        shown = PricedLine(
            line=row,
            product_name=product.name,
            variant_name=variant.name,
            sku=variant.sku,
            options=options.get(variant.pk, []),
            quantity=row.quantity,
            unit_price=unit,
            price_when_added=row.price_when_added,
            available=stock,
        )
        if product.status != Status.ACTIVE:
            shown.problems.append("unavailable")
        if unit is None:
            shown.problems.append("no_price")
        elif row.price_when_added is not None and unit != row.price_when_added:
            shown.problems.append("price_changed")
        if stock is not None and stock < row.quantity:
            shown.problems.append("out_of_stock" if stock <= 0 else "insufficient_stock")
        lines.append(shown)
        if shown.buyable:
            inputs.append(
                pricing.PricedLine(
                    key=row.pk,
                    unit_price=unit,
                    quantity=row.quantity,
                    product_id=product.pk,
                    category_ids=frozenset(categories.get(product.pk, ())),
                    tax_class_id=product.tax_class_id,
                    weight_grams=variant.weight_grams or product.weight_grams or 0,
                )
            )

    country = tax_country(cart, settings)
    rates = rate_lookup(rates_of(country))
    discount, voucher_problem = None, None
    if cart.voucher_id:
        voucher = (
            Voucher.objects.filter(pk=cart.voucher_id)
            .prefetch_related(Prefetch("products", Product.objects.only("pk")), "categories")
            .first()
        )
        if voucher is not None:
            try:
                discount = voucher_discount(voucher, cart=cart, lines=inputs)
            except VoucherNotApplicable as exc:
                voucher_problem = exc
    method, shipping, shipping_problem = None, None, None
    if cart.shipping_method_id:
        method = (
            ShippingMethod.objects.select_related("zone")
            .prefetch_related("weight_rates")
            .filter(pk=cart.shipping_method_id)
            .first()
        )
        if method is not None:
            weight = sum(line.weight_grams * line.quantity for line in inputs)
            shipping, shipping_problem = quote(
                method, country=country, currency=cart.currency, weight_grams=weight
            )
    totals = pricing.compute(
        lines=inputs,
        currency=cart.currency,
        prices_include_tax=settings.prices_include_tax,
        rates=rates,
        shipping=shipping,
        discount=discount,
    )
    for shown in lines:
        if shown.buyable:
            shown.totals = totals.line(shown.id)
    return PricedCart(
        cart=cart,
        lines=lines,
        totals=totals,
        tax_country=country,
        shipping_method=method,
        shipping_problem=shipping_problem,
        voucher_problem=voucher_problem,
        inputs=inputs,
        rates=rates,
        discount=discount,
    )


def _options(variant_ids: list[int]) -> dict[int, list[dict]]:
    """Each variant's chosen options as [{"attribute", "value"}], in the attributes' order."""
    if not variant_ids:
        return {}
    found: dict[int, list[dict]] = {}
    choices = (
        AttributeChoice.objects.filter(values__variant_id__in=variant_ids)
        .select_related("attribute")
        .annotate(variant_id=F("values__variant_id"))
        .order_by("attribute__position", "attribute_id", "position", "id")
    )
    for choice in choices:
        found.setdefault(choice.variant_id, []).append(
            {"attribute": choice.attribute.name, "value": choice.name}
        )
    return found


class CartNotOrderable(Conflict):
    """Some lines cannot be bought now (no longer for sale, no price, not enough stock)."""

    code = "cart_not_orderable"
    title = "The cart cannot be ordered as it is"

    def __init__(self, lines: list[dict]):
        super().__init__(
            _("Some items cannot be ordered as they are: %(skus)s.")
            % {"skus": ", ".join(x["sku"] for x in lines)},
            reason="cart_not_orderable",
            lines=lines,
        )


SHIPPING_PROBLEMS = {
    "inactive": "This shipping method is not offered any more.",
    "currency": "This shipping method is not priced in the cart's currency.",
    "country": "This shipping method does not ship to that country.",
    "too_heavy": "The order is too heavy for this shipping method.",
}


def ready(shown: PricedCart) -> None:
    """Refuse a cart that cannot be ordered as it is: every missing detail named at once (400),
    then lines no longer for sale or without a price (409 `cart_not_orderable`), then lines
    short of stock (409 `out_of_stock`, as inventory's reservations say it), then a voucher that
    does not apply (400 `voucher_not_applicable`)."""
    cart = shown.cart
    errors: dict[str, list[str]] = {}
    if not shown.lines:
        errors["lines"] = [_("The cart is empty.")]
    if not cart.email:
        errors["email"] = [_("An e-mail address is required.")]
    if not cart.shipping_address:
        errors["shipping_address"] = [_("A shipping address is required.")]
    if shown.shipping_method is None:
        errors["shipping_method"] = [_("Choose a shipping method.")]
    elif shown.shipping_problem:
        errors["shipping_method"] = [_(SHIPPING_PROBLEMS[shown.shipping_problem])]
    if not cart.payment_provider:
        errors["payment_provider"] = [_("Choose a payment method.")]
    if errors:
        raise InvalidInput("; ".join(f"{f}: {m[0]}" for f, m in errors.items()), errors=errors)
    blocked = [
        {
            "line": line.id,
            "variant_id": line.variant_id,
            "sku": line.sku,
            "problems": line.problems,
            "available": line.available,
        }
        for line in shown.lines
        if {"unavailable", "no_price"} & set(line.problems)
    ]
    if blocked:
        raise CartNotOrderable(blocked)
    short = [
        {
            "variant_id": line.variant_id,
            "sku": line.sku,
            "asked": line.quantity,
            "available": max(line.available, 0),
        }
        for line in shown.lines
        if not line.buyable
    ]
    if short:
        raise OutOfStock(short)
    if shown.voucher_problem is not None:
        raise shown.voucher_problem


def shipping_choices(cart: Cart) -> list[dict]:
    """The methods this cart can use, each priced for it (nothing above its free threshold):
    those of the shipping country's zone (else the site's default country's) in its currency."""
    return offered_methods(priced(cart))


def offered_methods(shown: PricedCart, *, with_totals: bool = False) -> list[dict]:
    """The methods a priced cart can use, as `shipping_choices` answers them; `with_totals` adds
    each one's `totals` (pricing.Totals: the cart's totals with that method chosen), computed
    from the same lines, with no query per method."""
    cart = shown.cart
    after = shown.totals.subtotal - shown.totals.discount
    choices = []
    for method in methods_for(shown.tax_country, cart.currency):
        found, problem = quote(
            method, country=shown.tax_country, currency=cart.currency, weight_grams=shown.totals.weight_grams
        )
        if problem:
            continue
        price = pricing.shipping_price(found, after)
        choice = {
            "id": method.pk,
            "name": method.name,
            "description": method.description,
            "price": price,
            "formatted": format_minor(price, cart.currency),
        }
        if with_totals:
            choice["totals"] = shown.totals_with(found)
        choices.append(choice)
    return choices
