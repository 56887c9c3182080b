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
