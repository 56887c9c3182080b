"""Bulk work on many products at once: move them through the workflow, change their prices by a
percentage, put them in or take them out of a category or a collection.

Each call is one transaction: all of it is written, or nothing. The products (given by id or as
objects, each once, at most MAX_PRODUCTS) are locked first, all in one query and in one order, by
id (`SELECT ... FOR UPDATE ... ORDER BY id`), then what the call writes besides (the category or
collection row; the prices). Two bulk calls over overlapping products, or a bulk call and a single
product's write, then wait for each other instead of deadlocking: everyone takes product rows in
ascending id order before any other row of the catalogue. Reads and writes are a constant number
of queries whatever the number of products; only the events (one outbox row each) grow with it.
Products that a call leaves as they were get no event.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django_fsm import can_proceed

from apps.catalog.events import TRANSITION_EVENTS, PriceChanged, ProductUpdated
from apps.catalog.models import (
    Collection,
    CollectionProduct,
    Price,
    Product,
    ProductCategory,
    Status,
    Variant,
)
from apps.catalog.services.shop import check_priced_in, shop_settings
from rustok import money, workflow
from rustok.errors import Conflict, InvalidInput, NotFound
from rustok.events import publish
from rustok.permissions import require

PERM = "catalog.manage_catalog"
TRANSITIONS = tuple(TRANSITION_EVENTS)
# The most products one call takes: its transaction holds their rows locked while it runs.
MAX_PRODUCTS = 1000
PRICE_FIELDS = ("amount", "compare_at_amount", "cost_amount")
# A percentage change: above -100 (-100 would make every price zero), at most +1000 (eleven times
# the price; a larger figure is most likely a slip), not zero, at most two decimal places.
MIN_PERCENT, MAX_PERCENT = Decimal(-100), Decimal(1000)


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What a bulk call did: the products (locked, as written, in the order given) and the ids of
    those it changed (each got its events; the others were already as asked)."""

    products: list[Product]
    changed: list[int]


def _actor_id(actor) -> int | None:
    return getattr(actor, "pk", None)


def _ids(given) -> list[int]:
    """Product ids from ids or products (a list, or a queryset as the admin's actions have), each
    once, in the order given; 400 naming `products`."""
    if isinstance(given, QuerySet) and given.model is Product:
        given = list(given.values_list("pk", flat=True)[: MAX_PRODUCTS + 1])
    if isinstance(given, str | bytes | Mapping) or not isinstance(given, Iterable):
        raise InvalidInput.for_field("products", "Give a list of products.")
    ids = list(dict.fromkeys(p.pk if isinstance(p, Product) else p for p in given))
    if any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
        raise InvalidInput.for_field("products", "Give products by id.")
    if not ids:
        raise InvalidInput.for_field("products", "Give at least one product.")
    if len(ids) > MAX_PRODUCTS:
        raise InvalidInput.for_field(
            "products", f"At most {MAX_PRODUCTS} products at once; {len(ids)} given."
        )
    return ids


def _locked(given) -> list[Product]:
    """The products, their rows locked in ascending id order (one query), in the order given;
    400 naming `products` for ids with no product."""
    ids = _ids(given)
    # The lock order of the catalogue's bulk work: product rows by ascending id, before any other.
    found = {p.pk: p for p in Product.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise InvalidInput.for_field("products", f"No product {', '.join(missing)}.")
    return [found[i] for i in ids]


def _one(model, given, field: str, noun: str):
    """The category or collection given (by id or as an object), locked after the products so
    that it cannot be deleted meanwhile (FOR NO KEY UPDATE: others may still add products to it);
    400 naming `field` for an id with none, 404 if the object given is gone."""
    rows = model.objects.select_for_update(no_key=True)
    if isinstance(given, model):
        found = rows.filter(pk=given.pk).first()
        if found is None:
            raise NotFound(f"This {noun} no longer exists.")
        return found
    if isinstance(given, bool) or not isinstance(given, int):
        raise InvalidInput.for_field(field, f"Give a {noun} by id.")
    found = rows.filter(pk=given).first()
    if found is None:
        raise InvalidInput.for_field(field, f"No {noun} {given}.")
    return found


# --- the workflow ---------------------------------------------------------------------------------


def _targets() -> dict[str, str]:
    """Transition name -> the status it leads to."""
    return {t.name: t.target for t in Product().get_all_status_transitions()}


def _unpriced(products: list[Product], currency: str) -> dict[int, list[str]]:
    """The products that have a variant without a price in `currency`, or no variant (an empty
    list), with those variants' SKUs; two queries for all of them."""
    ids = [p.pk for p in products]
    if not ids:
        return {}
    prices = Price.objects.filter(variant__product_id__in=ids, currency=currency)
    priced = set(prices.values_list("variant_id", flat=True))
    variants: dict[int, list[tuple[int, str]]] = {pk: [] for pk in ids}
    rows = Variant.objects.filter(product_id__in=ids).values_list("pk", "product_id", "sku")
    for pk, product_id, sku in rows:
        variants[product_id].append((pk, sku))
    return {
        product_id: [sku for pk, sku in found if pk not in priced]
        for product_id, found in variants.items()
        if not found or any(pk not in priced for pk, _ in found)
    }


@transaction.atomic
def bulk_transition(*, actor, products, name: str) -> Outcome:
    """Move every product through transition `name` (activate, deactivate, archive, unarchive).

    All or nothing: if any product cannot move, 409 (`reason: products_refused`) with `refused`,
    each `{"product", "reason", ...}`: `transition_not_allowed` with its `state` and the
    `allowed` transitions, or `price_required` with the `currency` and the `variants` (SKUs)
    without a price in it (none: the product has no variant); nothing is written. A product
    already in the status the transition leads to is left as it is, without an event.
    """
    if name not in TRANSITIONS:
        raise InvalidInput.for_field(
            "transition", f"Unknown transition '{name}'. Known: {', '.join(TRANSITIONS)}."
        )
    require(actor, PERM)
    locked = _locked(products)
    target = _targets()[name]
    moving = [p for p in locked if p.status != target]
    refused = []
    for product in moving:
        if not can_proceed(getattr(product, name)):
            refused.append(
                {
                    "product": product.pk,
                    "reason": "transition_not_allowed",
                    "state": product.status,
                    "allowed": workflow.allowed_transitions(product),
                }
            )
    if name == "activate":
        currency = shop_settings().default_currency
        unpriced = _unpriced([p for p in moving if p.status == Status.DRAFT], currency)
        refused += [
            {"product": pk, "reason": "price_required", "currency": currency, "variants": skus}
            for pk, skus in unpriced.items()
        ]
    if refused:
        refused.sort(key=lambda entry: entry["product"])
        raise Conflict(
            f"{len({entry['product'] for entry in refused})} of the {len(locked)} products cannot be "
            f"{name}d; nothing was changed.",
            reason="products_refused",
            transition=name,
            refused=refused,
        )
    now = timezone.now()
    for product in moving:
        workflow.apply(product, name)
        product.updated_at = now
    if moving:
        Product.objects.bulk_update(moving, ["status", "activated_at", "updated_at"])
    event = TRANSITION_EVENTS[name]
    for product in moving:
        publish(event(product_id=product.pk, actor_id=_actor_id(actor)))
    return Outcome(products=locked, changed=[p.pk for p in moving])


# --- prices ---------------------------------------------------------------------------------------


def check_percent(value) -> Decimal:
    """A percentage change as a Decimal: a number (not a boolean) above -100 and at most 1000,
    not zero, with at most two decimal places; 400 naming `percent` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise InvalidInput.for_field("percent", "Must be a number.")
    try:
        percent = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput.for_field("percent", "Must be a number.") from None
    if not percent.is_finite():
        raise InvalidInput.for_field("percent", "Must be a number.")
    if not MIN_PERCENT < percent <= MAX_PERCENT or percent == 0:
        raise InvalidInput.for_field(
            "percent", f"Must be above {MIN_PERCENT} and at most {MAX_PERCENT}, and not zero."
        )
    if percent != percent.quantize(Decimal("0.01")):
        raise InvalidInput.for_field("percent", "At most two decimal places.")
    return percent


@transaction.atomic
def bulk_change_prices(
    *, actor, products, percent, currency: str | None = None, field: str = "amount"
) -> Outcome:
    """Change the prices of every variant of the products by `percent` (10 adds a tenth, -25
    takes a quarter off): `field` (amount, compare_at_amount or cost_amount) of the prices in
    `currency` (default: every currency), rounded to the minor unit, halves away from zero
    (rustok.money.scaled), never below zero. Prices without that amount (no compare-at price) and
    those the rounding leaves as they were stay. One `catalog.price.changed` per price changed.
    """
    require(actor, PERM)
    if field not in PRICE_FIELDS:
        raise InvalidInput.for_field("field", f"Must be one of {', '.join(PRICE_FIELDS)}.")
    percent = check_percent(percent)
    code = None if currency is None else check_priced_in(currency, "currency")
    locked = _locked(products)
    prices = Price.objects.select_for_update(of=("self",)).filter(
        variant__product__in=[p.pk for p in locked], **({"currency": code} if code else {})
    )
    changed: list[tuple[Price, int]] = []
    now = timezone.now()
    for price in prices.exclude(**{f"{field}__isnull": True}).select_related("variant").order_by("pk"):
        before = getattr(price, field)
        after = money.scaled(before, percent, price.currency)
        if after > money.MAX_MINOR:
            raise InvalidInput.for_field(
                "percent", f"A price of variant {price.variant.sku} would be too large ({after})."
            )
        if after != before:
            setattr(price, field, after)
            price.updated_at = now
            changed.append((price, before))
    if changed:
        Price.objects.bulk_update([price for price, _ in changed], [field, "updated_at"])
    for price, before in changed:
        publish(
            PriceChanged(
                variant_id=price.variant_id,
                product_id=price.variant.product_id,
                actor_id=_actor_id(actor),
                currency=price.currency,
                amount=price.amount,
                previous=before if field == "amount" else price.amount,
            )
        )
    return Outcome(products=locked, changed=sorted({price.variant.product_id for price, _ in changed}))


# --- categories -----------------------------------------------------------------------------------


def _touched(products: list[Product], changed: set[int], actor, what: str) -> Outcome:
    """Publish `catalog.product.updated` (changed: [what]) for each product changed, in the given
    order."""
    ordered = [p for p in products if p.pk in changed]
    if ordered:
        now = timezone.now()
        Product.objects.filter(pk__in=changed).update(updated_at=now)
        for product in ordered:
            product.updated_at = now
    for product in ordered:
        publish(ProductUpdated(product_id=product.pk, actor_id=_actor_id(actor), changed=[what]))
    return Outcome(products=products, changed=[p.pk for p in ordered])


@transaction.atomic
def bulk_assign_category(*, actor, products, category) -> Outcome:
    """Put every product in `category` (by id or as an object; its other categories stay)."""
    require(actor, PERM)
    locked = _locked(products)
    category = _one(ProductCategory, category, "category", "category")
    through = Product.categories.through
    ids = [p.pk for p in locked]
    already = set(
        through.objects.filter(productcategory=category, product_id__in=ids).values_list(
            "product_id", flat=True
        )
    )
    new = [pk for pk in ids if pk not in already]
    through.objects.bulk_create(through(product_id=pk, productcategory=category) for pk in new)
    return _touched(locked, set(new), actor, "categories")


@transaction.atomic
def bulk_remove_category(*, actor, products, category) -> Outcome:
    """Take every product out of `category` (those not in it stay as they are)."""
    require(actor, PERM)
    locked = _locked(products)
    category = _one(ProductCategory, category, "category", "category")
    rows = Product.categories.through.objects.filter(
        productcategory=category, product_id__in=[p.pk for p in locked]
    )
    removed = set(rows.values_list("product_id", flat=True))
    if removed:
        rows.delete()
    return _touched(locked, removed, actor, "categories")


# --- collections ----------------------------------------------------------------------------------


@transaction.atomic
def bulk_add_to_collection(*, actor, products, collection) -> Outcome:
    """Append the products to `collection` in the order given, after its last product; those
    already in it keep their place."""
    require(actor, PERM)
    locked = _locked(products)
    collection = _one(Collection, collection, "collection", "collection")
    entries = CollectionProduct.objects.filter(collection=collection)
    summary = entries.aggregate(last=Max("position"))
    already = set(entries.filter(product_id__in=[p.pk for p in locked]).values_list("product_id", flat=True))
    new = [p for p in locked if p.pk not in already]
    start = 0 if summary["last"] is None else summary["last"] + 1
    CollectionProduct.objects.bulk_create(
        CollectionProduct(collection=collection, product=product, position=start + n)
        for n, product in enumerate(new)
    )
    return _touched(locked, {p.pk for p in new}, actor, "collections")


@transaction.atomic
def bulk_remove_from_collection(*, actor, products, collection) -> Outcome:
    """Take the products out of `collection` (the others keep their order)."""
    require(actor, PERM)
    locked = _locked(products)
    collection = _one(Collection, collection, "collection", "collection")
    rows = CollectionProduct.objects.filter(collection=collection, product_id__in=[p.pk for p in locked])
    removed = set(rows.values_list("product_id", flat=True))
    if removed:
        rows.delete()
    return _touched(locked, removed, actor, "collections")


# --- one entry for the APIs -----------------------------------------------------------------------

# Action name -> the options it takes (besides `products`), required ones first.
ACTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    **{name: ((), ()) for name in TRANSITIONS},
    "change_prices": (("percent",), ("currency", "field")),
    "assign_category": (("category",), ()),
    "remove_category": (("category",), ()),
    "add_to_collection": (("collection",), ()),
    "remove_from_collection": (("collection",), ()),
}
OPTIONS = ("percent", "currency", "field", "category", "collection")


def check_options(action: str, given) -> None:
    """400 naming `action` for an unknown one, naming each option the action requires and was
    not given, or was given and the action does not take."""
    if action not in ACTIONS:
        raise InvalidInput.for_field("action", f"Unknown action '{action}'. Known: {', '.join(ACTIONS)}.")
    required, optional = ACTIONS[action]
    errors = {name: [f"Required by {action}."] for name in required if name not in given}
    errors |= {
        name: [f"Not taken by {action}."]
        for name in OPTIONS
        if name in given and name not in required + optional
    }
    if errors:
        detail = "; ".join(f"{key}: {' '.join(messages)}" for key, messages in errors.items())
        raise InvalidInput(detail, errors=errors)


def bulk_action(*, actor, action: str, products, **options) -> Outcome:
    """Run the bulk call `action` (a transition, change_prices, assign_category, remove_category,
    add_to_collection, remove_from_collection) with its options, as the REST and GraphQL APIs
    take it; 400 naming `action` or the option that is missing or not taken."""
    require(actor, PERM)
    check_options(action, options)
    if action in TRANSITIONS:
        return bulk_transition(actor=actor, products=products, name=action)
    if action == "change_prices":
        return bulk_change_prices(actor=actor, products=products, **options)
    calls = {
        "assign_category": bulk_assign_category,
        "remove_category": bulk_remove_category,
        "add_to_collection": bulk_add_to_collection,
        "remove_from_collection": bulk_remove_from_collection,
    }
    return calls[action](actor=actor, products=products, **options)
