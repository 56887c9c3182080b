"""The catalogue through its services (the only writers), in whatever schema is active."""

from __future__ import annotations

import itertools

from apps.catalog import services
from apps.catalog.models import Attribute, Product, ProductType, Variant
from tests.accounts.factories import UserFactory

_numbers = itertools.count(1)


def manager():
    from apps.accounts.models import Role

    return UserFactory(role=Role.MANAGER)


def make_attribute(*, actor=None, slug: str | None = None, input_type: str = "choice", **fields) -> Attribute:
    slug = slug or f"attribute-{next(_numbers)}"
    if input_type in ("choice", "multi_choice") and "choices" not in fields:
        fields["choices"] = [{"slug": s, "texts": {"en": {"name": s.upper()}}} for s in ("s", "m", "l")]
    return services.create_attribute(actor=actor or manager(), slug=slug, input_type=input_type, **fields)


def make_product_type(*, actor=None, slug: str | None = None, attributes=(), **fields) -> ProductType:
    """A product type; with no attributes given, a variant-level choice "size" (S, M, L)."""
    actor = actor or manager()
    if not attributes and fields.get("has_variants", True):
        size = Attribute.objects.filter(slug="size").first() or make_attribute(actor=actor, slug="size")
        attributes = [(size, "variant")]
    return services.create_product_type(
        actor=actor, slug=slug or f"type-{next(_numbers)}", attributes=list(attributes), **fields
    )


def make_product(
    *, actor=None, name: str = "A shirt", product_type=None, status: str = "draft", prices=None, **fields
) -> Product:
    """A product with one variant (size M, 1250 in the default currency unless `prices`),
    moved to `status`."""
    actor = actor or manager()
    product_type = product_type or make_product_type(actor=actor)
    product = services.create_product(
        actor=actor, product_type=product_type, texts={"en": {"name": name}}, **fields
    )
    make_variant(actor=actor, product=product, prices=prices)
    for step in {"draft": [], "active": ["activate"], "archived": ["archive"]}[status]:
        product = services.transition_product(actor=actor, product=product, name=step)
    return product


def make_variant(
    *, actor=None, product: Product, sku: str | None = None, size: str = "m", prices=None, **fields
) -> Variant:
    actor = actor or manager()
    options = {}
    if product.product_type.has_variants:
        options = {"size": size} if "attributes" not in fields else fields.pop("attributes")
    currency = services.shop_settings().default_currency
    return services.create_variant(
        actor=actor,
        product=product,
        sku=sku or f"SKU-{next(_numbers)}",
        attributes=options,
        prices=[{"currency": currency, "amount": 1250}] if prices is None else prices,
        **fields,
    )


def make_rich_catalogue(actor):
    """A catalogue with every kind of value: two currencies (USD, EUR), attributes of every type at
    product and variant level, categories in two languages, a tax class, products in every status,
    one with three variants chosen by options, one of a type without variants, one without a
    variant. Returns the products by key."""
    from apps.catalog.models import TaxClass

    services.update_shop_settings(actor=actor, currencies=["EUR"])
    TaxClass.objects.create(name="Standard", slug="standard")
    two = [{"slug": "zip"}, {"slug": "hood"}, {"slug": "pocket"}]
    material = make_attribute(actor=actor, slug="material", input_type="text")
    care = make_attribute(actor=actor, slug="care", input_type="rich_text")
    weight = make_attribute(actor=actor, slug="weight-kg", input_type="number", unit="kg")
    organic = make_attribute(actor=actor, slug="organic", input_type="boolean")
    released = make_attribute(actor=actor, slug="released", input_type="date")
    features = make_attribute(actor=actor, slug="features", input_type="multi_choice", choices=two)
    fit = make_attribute(
        actor=actor, slug="fit", input_type="choice", choices=[{"slug": "slim"}, {"slug": "loose"}]
    )
    size = make_attribute(actor=actor, slug="size")
    colour = make_attribute(
        actor=actor,
        slug="colour",
        input_type="swatch",
        choices=[{"slug": "red", "color": "#ff0000"}, {"slug": "blue", "color": "#0000ff"}],
    )
    length = make_attribute(actor=actor, slug="length-cm", input_type="number")
    shirt = make_product_type(
        actor=actor,
        slug="shirt",
        attributes=[
            (material, "product"),
            (care, "product"),
            (weight, "product"),
            (organic, "product"),
            (released, "product"),
            (features, "product"),
            (fit, "product"),
            (size, "variant"),
            (colour, "variant"),
            (length, "variant"),
        ],
    )
    card = make_product_type(
        actor=actor, slug="gift-card", has_variants=False, attributes=[(organic, "product")]
    )
    men = services.create_category(actor=actor, texts={"en": {"name": "Men"}, "ru": {"name": "Мужчинам"}})
    sale = services.create_category(actor=actor, texts={"en": {"name": "Sale"}})

    linen = services.create_product(
        actor=actor,
        product_type=shirt,
        texts={
            "en": {"name": "Linen shirt", "description": "**Light** linen.", "seo_title": "Linen"},
            "ru": {"name": "Льняная рубашка", "description": "Лёгкий лён.", "seo_description": "Лён"},
        },
        categories=[men, sale],
        tax_class="standard",
        weight_grams=300,
        attributes={
            "material": {"en": "Linen", "ru": "Лён"},
            "care": {"en": "<p>Wash <b>cold</b></p>"},
            "weight-kg": "0.3",
            "organic": True,
            "released": "2026-03-01",
            "features": ["zip", "pocket"],
            "fit": "slim",
        },
    )
    for position, (sku, size_slug, colour_slug) in enumerate(
        [("LIN-S-RED", "s", "red"), ("LIN-M-RED", "m", "red"), ("LIN-L-BLUE", "l", "blue")]
    ):
        services.create_variant(
            actor=actor,
            product=linen,
            sku=sku,
            texts={"en": {"name": f"{size_slug.upper()} {colour_slug}"}, "ru": {"name": f"{size_slug} ру"}},
            attributes={"size": size_slug, "colour": colour_slug, "length-cm": "71.5"},
            prices=[
                {
                    "currency": "USD",
                    "amount": 4900 + position,
                    "compare_at_amount": 5900,
                    "cost_amount": 2000,
                },
                {"currency": "EUR", "amount": 4500},
            ],
            barcode=f"400000000{position}",
            weight_grams=310 + position,
            track_inventory=position != 1,
            position=position,
        )
    services.transition_product(actor=actor, product=linen, name="activate")
    gift = services.create_product(
        actor=actor, product_type=card, texts={"en": {"name": "Gift card"}}, attributes={"organic": False}
    )
    services.create_variant(
        actor=actor, product=gift, sku="GIFT-50", prices=[{"currency": "USD", "amount": 5000}]
    )
    plain = services.create_product(
        actor=actor, product_type=shirt, texts={"ru": {"name": "Простая футболка"}}
    )
    old = services.create_product(actor=actor, product_type=shirt, texts={"en": {"name": "Old shirt"}})
    make_variant(actor=actor, product=old, sku="OLD-1", attributes={"size": "m", "colour": "blue"})
    old = services.transition_product(actor=actor, product=old, name="archive")
    return {"linen-shirt": linen, "gift-card": gift, "plain": plain, "old-shirt": old}
