"""Products: writing them and moving them through their workflow (draft → active → archived)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from apps.catalog.events import (
    TRANSITION_EVENTS,
    ProductCreated,
    ProductDeleted,
    ProductUpdated,
)
from apps.catalog.models import Level, Price, Product, ProductCategory, ProductType, TaxClass
from apps.catalog.services.images import delete_after_commit
from apps.catalog.services.shop import shop_settings
from apps.catalog.services.values import write_values
from apps.catalog.translation import PRODUCT_FIELDS
from rustok import markup, workflow
from rustok.errors import Conflict, InvalidInput
from rustok.events import publish
from rustok.i18n import language_codes
from rustok.permissions import require
from rustok.rows import lock, save_with_slugs
from rustok.texts import Texts, assign, check_lengths, check_texts, column, fill_slugs
from rustok.tree import UNSET

PERM = "catalog.manage_catalog"
TRANSITIONS = tuple(TRANSITION_EVENTS)
MAX_WEIGHT = 2**31 - 1


def _actor_id(actor) -> int | None:
    return getattr(actor, "pk", None)


def check_weight(value, field: str = "weight_grams") -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_WEIGHT:
        raise InvalidInput.for_field(field, "Give a weight as a whole number of grams, 0 or more.")
    return value


def render_description(product: Product) -> None:
    """Every language's description as sanitised HTML (Markdown, raw HTML allowed) and its text."""
    for language in language_codes():
        source = getattr(product, column("description", language)) or ""
        html = markup.render(source, "markdown") if source else ""
        setattr(product, column("description_html", language), html)
        setattr(product, column("description_text", language), markup.plain_text(html) if html else "")


def _categories(given) -> list[ProductCategory]:
    if not isinstance(given, list | tuple | set):
        raise InvalidInput.for_field("categories", "Give a list of categories.")
    ids = [c.pk if isinstance(c, ProductCategory) else c for c in given]
    if any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
        raise InvalidInput.for_field("categories", "Give categories by id.")
    found = {c.pk: c for c in ProductCategory.objects.filter(pk__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise InvalidInput.for_field("categories", f"No category {', '.join(missing)}.")
    return list(found.values())


def _tax_class(given) -> TaxClass | None:
    if given is None or isinstance(given, TaxClass):
        return given
    found = TaxClass.objects.filter(slug=str(given)).first()
    if found is None:
        raise InvalidInput.for_field("tax_class", f"No tax class '{given}'.")
    return found


def _write(product: Product, texts, *, tax_class, weight_grams) -> list[str]:
    changed = assign(product, check_texts(texts, PRODUCT_FIELDS))
    check_lengths(product, ("name", "slug", "seo_title", "seo_description"))
    slugs = {code: getattr(product, column("slug", code)) for code in language_codes()}
    fill_slugs(product, source="name", scope=Product.objects.all(), required="name")
    changed += [
        column("slug", code)
        for code, slug in slugs.items()
        if getattr(product, column("slug", code)) != slug and column("slug", code) not in changed
    ]
    if any(name.startswith("description_") for name in changed):
        render_description(product)
    if tax_class is not UNSET:
        tax_class = _tax_class(tax_class)
        if tax_class != product.tax_class:
            product.tax_class = tax_class
            changed.append("tax_class")
    if weight_grams is not UNSET:
        weight_grams = check_weight(weight_grams)
        if weight_grams != product.weight_grams:
            product.weight_grams = weight_grams
            changed.append("weight_grams")
    return changed


@transaction.atomic
def create_product(
    *,
    actor,
    product_type: ProductType,
    texts: Texts | None = None,
    categories: Iterable = (),
    tax_class=None,
    weight_grams: int | None = None,
    attributes=None,
) -> Product:
    """A new draft product of `product_type`: a name in at least one language (slugs are made
    from it when not given), its categories, tax class, weight and product-level attribute values."""
    require(actor, PERM)
    if not isinstance(product_type, ProductType):
        raise InvalidInput.for_field("product_type", "This field is required.")
    product = Product(product_type=product_type)
    _write(product, texts, tax_class=tax_class, weight_grams=weight_grams)
    chosen = _categories(list(categories))
    save_with_slugs(product, "product")
    product.categories.set(chosen)
    write_values(product, attributes, level=Level.PRODUCT)
    publish(ProductCreated(product_id=product.pk, actor_id=_actor_id(actor), status=product.status))
    return product


@transaction.atomic
def update_product(
    *,
    actor,
    product: Product,
    texts: Texts | None = None,
    categories=UNSET,
    tax_class=UNSET,
    weight_grams=UNSET,
    attributes=None,
) -> Product:
    """Change what is given; one `catalog.product.updated` naming what changed (none: no event)."""
    require(actor, PERM)
    product = lock(Product, product, "product")
    changed = _write(product, texts, tax_class=tax_class, weight_grams=weight_grams)
    if categories is not UNSET:
        chosen = _categories(list(categories))
        if {c.pk for c in chosen} != set(product.categories.values_list("pk", flat=True)):
            product.categories.set(chosen)
            changed.append("categories")
    changed += [f"attributes.{slug}" for slug in write_values(product, attributes, level=Level.PRODUCT)]
    if changed:
        save_with_slugs(product, "product")  # and its updated_at, whatever changed
        publish(ProductUpdated(product_id=product.pk, actor_id=_actor_id(actor), changed=changed))
    return product


def sellable_conflict(currency: str, variants: list[tuple[str, bool]]) -> Conflict | None:
    """Why a product cannot be active, or None: it has no variant, or variants without a price in
    the shop's default `currency`. `variants`: (SKU, priced in `currency`) of each."""
    if not variants:
        return Conflict("A product needs a variant before it can be active.", reason="price_required")
    unpriced = [sku for sku, priced in variants if not priced]
    if unpriced:
        return Conflict(
            f"Every variant needs a price in {currency} before the product can be active; "
            f"these have none: {', '.join(unpriced)}.",
            reason="price_required",
            currency=currency,
            variants=unpriced,
        )
    return None


def check_sellable(product: Product) -> None:
    """An active product has variants, each priced in the shop's default currency (409 otherwise)."""
    currency = shop_settings().default_currency
    variants = list(product.variants.values_list("pk", "sku"))
    priced = set(
        Price.objects.filter(variant__product=product, currency=currency).values_list("variant_id", flat=True)
    )
    conflict = sellable_conflict(currency, [(sku, pk in priced) for pk, sku in variants])
    if conflict is not None:
        raise conflict


@transaction.atomic
def transition_product(*, actor, product: Product, name: str) -> Product:
    """activate, deactivate, archive, unarchive: 409 naming the allowed ones when the status does
    not allow it, and `price_required` when activating a product not priced in the default currency."""
    if name not in TRANSITIONS:
        raise InvalidInput.for_field(
            "transition", f"Unknown transition '{name}'. Known: {', '.join(TRANSITIONS)}."
        )
    require(actor, PERM)
    product = lock(Product, product, "product")
    if name == "activate" and product.status == "draft":
        check_sellable(product)
    workflow.apply(product, name)
    product.save(update_fields=["status", "activated_at", "updated_at"])
    publish(TRANSITION_EVENTS[name](product_id=product.pk, actor_id=_actor_id(actor)))
    return product


@transaction.atomic
def delete_product(*, actor, product: Product) -> None:
    """Delete a product with its variants, prices, values and images (their files and renditions
    go after commit)."""
    require(actor, PERM)
    product = lock(Product, product, "product")
    variant_ids = list(product.variants.values_list("pk", flat=True))
    files = [image.image for image in product.images.all()]
    product_id = product.pk
    product.delete()
    for file in files:
        delete_after_commit(file.storage, file.name)
    publish(ProductDeleted(product_id=product_id, actor_id=_actor_id(actor), variant_ids=variant_ids))
