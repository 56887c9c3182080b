"""Variants (what a shopper buys: a SKU in one set of options) and their prices per currency."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction

from apps.catalog.events import PriceChanged, VariantCreated, VariantDeleted, VariantUpdated
from apps.catalog.models import Level, Price, Product, Status, Variant
from apps.catalog.services.products import check_weight
from apps.catalog.services.shop import check_priced_in, currencies, shop_settings
from apps.catalog.services.values import option_attributes, options_key, write_values
from rustok import money
from rustok.errors import Conflict, InvalidInput, NotFound
from rustok.events import publish
from rustok.permissions import require
from rustok.rows import lock
from rustok.texts import Texts, assign, check_lengths, check_texts
from rustok.tree import UNSET

PERM = "catalog.manage_catalog"
SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")


def _actor_id(actor) -> int | None:
    return getattr(actor, "pk", None)


def check_sku_format(value) -> str:
    """A SKU's form: 1 to 64 letters, digits, `.`, `_`, `/`, `-`, starting with a letter or digit
    (stripped); InvalidInput naming `sku` otherwise."""
    if not isinstance(value, str) or not SKU.match(value.strip()):
        raise InvalidInput.for_field(
            "sku", "Give 1 to 64 letters, digits, '.', '_', '/' or '-', starting with a letter or digit."
        )
    return value.strip()


def sku_taken(value: str) -> InvalidInput:
    return InvalidInput.for_field("sku", f"The SKU '{value}' is already used.")


def check_sku(value, *, variant: Variant | None = None) -> str:
    """A SKU of the right form (check_sku_format), unique in the site; InvalidInput naming `sku`
    otherwise."""
    value = check_sku_format(value)
    others = Variant.objects.exclude(pk=variant.pk) if variant and variant.pk else Variant.objects.all()
    if others.filter(sku=value).exists():
        raise sku_taken(value)
    return value


def _short(value, field: str, limit: int = 64) -> str:
    if not isinstance(value, str) or len(value.strip()) > limit or "\x00" in value:
        raise InvalidInput.for_field(field, f"Give text of at most {limit} characters.")
    return value.strip()


def _lock(variant: Variant) -> Variant:
    """The variant as stored now, its product's row and then its own locked (LOCK ORDER: a
    product before its variants, as every write of the catalogue takes them, so activating a
    product and removing a variant's price or the variant itself wait for each other)."""
    product_id = Variant.objects.filter(pk=variant.pk).values_list("product_id", flat=True).first()
    if product_id is None:
        raise NotFound("This variant no longer exists.")
    product = lock(Product, Product(pk=product_id), "product")
    found = lock(Variant, variant, "variant")
    found.product = product
    return found


def _save(variant: Variant) -> None:
    """Save; a SKU or an option set taken meanwhile by a concurrent writer is a 400 naming it."""
    try:
        with transaction.atomic():
            variant.save()
    except IntegrityError as exc:
        if "options_uniq" in str(exc):
            raise InvalidInput.for_field(
                "attributes", "Another variant of this product has these options."
            ) from None
        if "sku" in str(exc):
            raise InvalidInput.for_field("sku", f"The SKU '{variant.sku}' is already used.") from None
        raise


def _check_options(variant: Variant) -> None:
    """Every option of the type is chosen, and no other variant of the product has the same set."""
    options = option_attributes(variant.product.product_type_id)
    given = set(
        variant.attribute_values.filter(attribute__slug__in=options).values_list("attribute__slug", flat=True)
    )
    missing = [slug for slug in options if slug not in given]
    if missing:
        raise InvalidInput(
            f"Choose the variant's {', '.join(missing)}.",
            errors={f"attributes.{slug}": ["Every variant has this option."] for slug in missing},
        )
    key = options_key(variant)
    if (
        key
        and Variant.objects.filter(product_id=variant.product_id, options_key=key)
        .exclude(pk=variant.pk)
        .exists()
    ):
        raise InvalidInput.for_field("attributes", "Another variant of this product has these options.")
    if key != variant.options_key:
        variant.options_key = key
        _save(variant)


def check_flags(variant: Variant, *, barcode, weight_grams, track_inventory, position) -> list[str]:
    """Check and set what is given (not UNSET) of the barcode, weight, inventory flag and position;
    the names of those that changed."""
    changed = []
    for name, value in (
        ("barcode", UNSET if barcode is UNSET else _short(barcode or "", "barcode")),
        ("weight_grams", UNSET if weight_grams is UNSET else check_weight(weight_grams)),
        ("track_inventory", track_inventory),
        ("position", position),
    ):
        if value is UNSET:
            continue
        if name == "track_inventory" and not isinstance(value, bool):
            raise InvalidInput.for_field(name, "Must be true or false.")
        if name == "position" and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31
        ):
            raise InvalidInput.for_field(name, "Must be a whole number from 0.")
        if getattr(variant, name) != value:
            setattr(variant, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def create_variant(
    *,
    actor,
    product: Product,
    sku: str,
    texts: Texts | None = None,
    attributes: Mapping | None = None,
    prices: Iterable = (),
    barcode: str = "",
    weight_grams: int | None = None,
    track_inventory: bool = True,
    position: int = 0,
) -> Variant:
    """A new variant of `product`: its SKU, options and other variant attributes, prices. A type
    without variants has one variant only (409 `has_no_variants` for a second)."""
    require(actor, PERM)
    product = lock(Product, product, "product")
    if not product.product_type.has_variants and product.variants.exists():
        raise Conflict(
            "Products of this type have one variant only.",
            reason="has_no_variants",
            product_type=product.product_type.slug,
        )
    variant = Variant(product=product, sku=check_sku(sku))
    assign(variant, check_texts(texts, ("name",)))
    check_lengths(variant, ("name",))
    check_flags(
        variant,
        barcode=barcode,
        weight_grams=weight_grams,
        track_inventory=track_inventory,
        position=position,
    )
    clean_prices = check_prices(prices)
    _save(variant)
    write_values(variant, attributes or {}, level=Level.VARIANT)
    _check_options(variant)
    publish(
        VariantCreated(
            variant_id=variant.pk, product_id=product.pk, actor_id=_actor_id(actor), sku=variant.sku
        )
    )
    _write_prices(variant, clean_prices, actor)
    return variant


@transaction.atomic
def update_variant(
    *,
    actor,
    variant: Variant,
    sku=UNSET,
    texts: Texts | None = None,
    attributes: Mapping | None = None,
    prices=UNSET,
    barcode=UNSET,
    weight_grams=UNSET,
    track_inventory=UNSET,
    position=UNSET,
) -> Variant:
    """Change what is given. `prices` sets the prices of the currencies given (a `null` amount
    removes one); the others stay."""
    require(actor, PERM)
    variant = _lock(variant)
    changed = assign(variant, check_texts(texts, ("name",)))
    check_lengths(variant, ("name",))
    if sku is not UNSET:
        sku = check_sku(sku, variant=variant)
        if sku != variant.sku:
            variant.sku = sku
            changed.append("sku")
    changed += check_flags(
        variant,
        barcode=barcode,
        weight_grams=weight_grams,
        track_inventory=track_inventory,
        position=position,
    )
    clean_prices = check_prices(prices, removable=True) if prices is not UNSET else []
    if changed:
        _save(variant)
    values = write_values(variant, attributes, level=Level.VARIANT)
    if values:
        _check_options(variant)
        changed += [f"attributes.{slug}" for slug in values]
    if changed:
        publish(
            VariantUpdated(
                variant_id=variant.pk,
                product_id=variant.product_id,
                actor_id=_actor_id(actor),
                changed=changed,
            )
        )
    _write_prices(variant, clean_prices, actor)
    return variant


@transaction.atomic
def delete_variant(*, actor, variant: Variant) -> None:
    """Delete a variant; an active product keeps at least one (409 `last_variant`)."""
    require(actor, PERM)
    variant = _lock(variant)
    product = variant.product
    if product.status == Status.ACTIVE and product.variants.count() == 1:
        raise Conflict(
            "An active product keeps at least one variant; deactivate it first.", reason="last_variant"
        )
    variant_id, sku = variant.pk, variant.sku
    variant.delete()
    publish(VariantDeleted(variant_id=variant_id, product_id=product.pk, actor_id=_actor_id(actor), sku=sku))


# --- prices --------------------------------------------------------------------------------------


def check_prices(prices, *, removable: bool = False, sold: list[str] | None = None) -> list[dict]:
    """[{"currency", "amount", "compare_at_amount"?, "cost_amount"?}] checked: currencies the shop
    sells in, each once; whole minor units from 0. With `removable`, an amount of None removes.
    `sold`: the shop's currencies, when the caller read them already (a batch of many)."""
    if not isinstance(prices, list | tuple):
        raise InvalidInput.for_field("prices", "Give a list of prices.")
    if sold is None and prices:
        sold = currencies()
    clean, seen = [], set()
    for number, price in enumerate(prices):
        field = f"prices.{number}"
        if not isinstance(price, Mapping):
            raise InvalidInput.for_field(field, "Give each price as an object with a currency and an amount.")
        code = check_priced_in(price.get("currency"), f"{field}.currency", sold=sold)
        if code in seen:
            raise InvalidInput.for_field(f"{field}.currency", f"{code} is given twice.")
        seen.add(code)
        if price.get("amount") is None and removable:
            clean.append({"currency": code, "amount": None})
            continue
        clean.append(
            {
                "currency": code,
                "amount": money.minor_amount(price.get("amount"), f"{field}.amount"),
                "compare_at_amount": money.minor_amount(
                    price.get("compare_at_amount"), f"{field}.compare_at_amount", allow_none=True
                ),
                "cost_amount": money.minor_amount(
                    price.get("cost_amount"), f"{field}.cost_amount", allow_none=True
                ),
            }
        )
    return clean


def _write_prices(variant: Variant, prices: list[dict], actor) -> None:
    """Write checked prices; one `catalog.price.changed` per currency whose amount or other
    prices changed. The default currency's price of an active product stays (409 `price_required`)."""
    if not prices:
        return
    existing = {price.currency: price for price in variant.prices.all()}
    default = shop_settings().default_currency
    for given in prices:
        code, stored = given["currency"], existing.get(given["currency"])
        previous = stored.amount if stored else None
        if given["amount"] is None:
            if stored is None:
                continue
            if code == default and variant.product.status == Status.ACTIVE:
                raise Conflict(
                    f"An active product's variants keep their price in {code}.",
                    reason="price_required",
                    currency=code,
                )
            stored.delete()
        else:
            stored = stored or Price(variant=variant, currency=code)
            values = (given["amount"], given["compare_at_amount"], given["cost_amount"])
            if stored.pk and (stored.amount, stored.compare_at_amount, stored.cost_amount) == values:
                continue
            stored.amount, stored.compare_at_amount, stored.cost_amount = values
            stored.save()
        publish(
            PriceChanged(
                variant_id=variant.pk,
                product_id=variant.product_id,
                actor_id=_actor_id(actor),
                currency=code,
                amount=given["amount"],
                previous=previous,
            )
        )


@transaction.atomic
def set_prices(*, actor, variant: Variant, prices: Iterable) -> Variant:
    """Set the variant's prices in the currencies given (an amount of None removes one)."""
    require(actor, PERM)
    variant = _lock(variant)
    _write_prices(variant, check_prices(list(prices), removable=True), actor)
    return variant
