"""The demo shop's orders side: shipping zones and methods, tax rates, a voucher, and a few orders
in various states (idempotent: nothing is seeded when the shop has a shipping zone). Written
through the services, as the site's owner and its demo customer. Seeded by `rustok demo`, after
the catalogue and the stock.

Orders are paid by hand (the manual provider, marked paid by the owner), so seeding calls no
payment provider.
"""

from __future__ import annotations

import contextlib
from decimal import Decimal

from apps.accounts.models import Role, User
from apps.catalog.models import Status, TaxClass, Variant
from apps.catalog.services import create_tax_class, shop_settings
from apps.inventory.selectors import available_quantities
from apps.inventory.services import OutOfStock
from apps.orders import services
from apps.orders.models import ShippingZone

ADDRESS = {
    "first_name": "Anna",
    "last_name": "Schmidt",
    "line1": "Unter den Linden 1",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
}
EU = ["AT", "BE", "DK", "ES", "FI", "FR", "IE", "IT", "NL", "PL", "PT", "SE"]
# code, percent off, minimum subtotal (minor units of the default currency)
VOUCHER = ("WELCOME10", Decimal(10), 2000)


def _zones(actor, currency: str, reduced: TaxClass) -> dict[str, int]:
    home = services.create_shipping_zone(
        actor=actor, texts={"en": {"name": "Germany"}, "ru": {"name": "Германия"}}, countries=["DE"]
    )
    europe = services.create_shipping_zone(
        actor=actor,
        texts={"en": {"name": "European Union"}, "ru": {"name": "Евросоюз"}},
        countries=EU,
        position=1,
    )
    parcel = services.create_shipping_method(
        actor=actor,
        zone=home,
        texts={
            "en": {"name": "DHL Parcel", "description": "2–3 days"},
            "ru": {"name": "DHL Посылка", "description": "2–3 дня"},
        },
        currency=currency,
        price=490,
        free_above=5000,
    )
    services.create_shipping_method(
        actor=actor,
        zone=home,
        texts={
            "en": {"name": "Express", "description": "Next day"},
            "ru": {"name": "Экспресс", "description": "На следующий день"},
        },
        currency=currency,
        price=1290,
        position=1,
    )
    by_weight = services.create_shipping_method(
        actor=actor,
        zone=europe,
        texts={"en": {"name": "International parcel"}, "ru": {"name": "Международная посылка"}},
        currency=currency,
        kind="weight",
    )
    services.set_weight_rates(
        actor=actor,
        method=by_weight,
        weight_rates=[{"up_to_grams": 1000, "price": 890}, {"up_to_grams": 5000, "price": 1490}],
    )
    for country, rate, name in (("DE", "19", "MwSt 19%"), ("FR", "20", "TVA 20%"), ("AT", "20", "USt 20%")):
        services.create_tax_rate(actor=actor, country=country, rate=Decimal(rate), name=name)
    services.create_tax_rate(actor=actor, tax_class=reduced, country="DE", rate=Decimal(7), name="MwSt 7%")
    return {"parcel": parcel.pk}


def seed(tenant) -> None:
    owner = User.objects.filter(role=Role.OWNER, is_active=True).order_by("pk").first()
    customer = User.objects.filter(role=Role.CUSTOMER, is_active=True).order_by("pk").first()
    if owner is None or ShippingZone.objects.exists():
        return
    currency = shop_settings().default_currency
    services.update_order_settings(actor=owner, prices_include_tax=True, default_country="DE")
    reduced = TaxClass.objects.filter(slug="reduced").first() or create_tax_class(
        actor=owner,
        slug="reduced",
        texts={"en": {"name": "Reduced rate"}, "ru": {"name": "Пониженная ставка"}},
    )
    methods = _zones(owner, currency, reduced)
    code, percent, minimum = VOUCHER
    services.create_voucher(
        actor=owner,
        code=code,
        texts={"en": {"name": "10% off your first order"}, "ru": {"name": "Скидка 10% на первый заказ"}},
        percent=percent,
        currency=currency,
        min_subtotal=minimum,
        per_customer_limit=1,
    )
    _orders(owner, customer, methods["parcel"])


def _orders(owner, customer, method_id: int) -> None:
    """Five orders: waiting for payment, paid, shipped, completed and cancelled."""
    # Variants with plenty in stock: the demo's low and sold-out packs stay as the stock left them.
    candidates = list(
        Variant.objects.filter(product__status=Status.ACTIVE, prices__amount__gt=0)
        .distinct()
        .order_by("pk")[:60]
    )
    stock = available_quantities([v.pk for v in candidates])
    variants = [v for v in candidates if stock.get(v.pk) is None or stock[v.pk] >= 10][:10]
    if len(variants) < 5:
        return
    placed = []
    for n in range(5):
        who = customer if customer is not None and n % 2 == 0 else None
        cart = services.create_cart(customer=who)
        for variant in variants[n : n + 2]:
            with contextlib.suppress(OutOfStock):  # sold out in the demo: the order goes without it
                services.add_line(cart=cart, variant_id=variant.pk, quantity=1 + n % 2)
        if not cart.lines.exists():
            continue
        services.update_checkout(
            cart=cart,
            email=who.email if who else f"guest{n}@example.com",
            shipping_address=ADDRESS,
            shipping_method=method_id,
            payment_provider="manual",
        )
        placed.append(services.checkout(cart=cart))
    steps = [[], ["pay"], ["pay", "ship"], ["pay", "ship", "complete"], ["cancel"]]
    for order, todo in zip(placed, steps, strict=False):
        if "pay" in todo:
            order = services.mark_paid(order=order, actor=owner)
        if "ship" in todo:
            services.fulfil(
                order=order, actor=owner, carrier="DHL", tracking_number=f"JJD0001{order.number:05d}"
            )
        if "complete" in todo:
            services.complete(order=order, actor=owner)
        if "cancel" in todo:
            services.cancel(order=order, actor=owner, reason="Asked by the customer")
