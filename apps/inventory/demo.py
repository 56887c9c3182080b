"""The demo shop's stock: a warehouse and the shop floor, every variant stocked, a low-stock alert
that has gone off and a variant sold out (idempotent). Written through the services, as the site's
owner. Seeded by `rustok demo`, after the catalogue.
"""

from __future__ import annotations

from apps.accounts.models import Role, User
from apps.catalog.models import Variant
from apps.inventory import services
from apps.inventory.models import StockLocation

LOCATIONS = [
    # name (en, ru), city, postal code, country, priority
    (("Warehouse", "Склад"), "Hamburg", "20457", "DE", 0),
    (("Shop floor", "Торговый зал"), "Berlin", "10115", "DE", 1),
]
LOW = ("TEA-", "-250G")  # the 250 g packs of the first tea: low, with an alert
SOLD_OUT = "-100G"  # ... and its 100 g pack: sold out


def seed(tenant) -> None:
    actor = User.objects.filter(role=Role.OWNER, is_active=True).order_by("pk").first()
    if actor is None or StockLocation.objects.exists():
        return
    locations = [
        services.create_location(
            actor=actor,
            texts={"en": {"name": en}, "ru": {"name": ru}},
            city=city,
            postal_code=postal_code,
            country=country,
            priority=priority,
        )
        for (en, ru), city, postal_code, country, priority in LOCATIONS
    ]
    variants = list(Variant.objects.filter(track_inventory=True).order_by("pk"))
    first_tea = next((v for v in variants if v.sku.startswith(LOW[0])), None)
    for variant in variants:
        special = first_tea is not None and variant.product_id == first_tea.product_id
        if special and variant.sku.endswith(SOLD_OUT):
            continue
        if special and variant.sku.endswith(LOW[1]):
            services.adjust(actor=actor, variant=variant, location=locations[1], delta=2, reason="received")
            services.set_threshold(actor=actor, variant=variant, threshold=5)
            continue
        services.adjust(
            actor=actor,
            variant=variant,
            location=locations[0],
            delta=20 + variant.pk % 7 * 5,
            reason="received",
        )
        services.adjust(actor=actor, variant=variant, location=locations[1], delta=3, reason="received")
