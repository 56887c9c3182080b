"""Product categories (a tree of the shop's own) and collections (ordered, with a publication
window). Managers and admins write them (catalog.manage_catalog)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from apps.catalog.events import (
    CategoryCreated,
    CategoryDeleted,
    CategoryUpdated,
    CollectionCreated,
    CollectionDeleted,
    CollectionUpdated,
)
from apps.catalog.models import Collection, CollectionProduct, Product, ProductCategory
from apps.catalog.services.images import delete_after_commit
from apps.catalog.translation import CATEGORY_FIELDS, COLLECTION_FIELDS
from rustok.errors import Conflict, InvalidInput
from rustok.events import publish
from rustok.permissions import require
from rustok.rows import lock, save_with_slugs
from rustok.texts import Texts, write_named
from rustok.tree import UNSET, place

PERM = "catalog.manage_catalog"


def _product_ids(queryset) -> list[int]:
    return list(queryset.values_list("pk", flat=True))


def _products_under(category: ProductCategory) -> list[int]:
    """The products of the category and of every category under it: a rename or a move changes
    their documents (their keys name every category above theirs, their breadcrumbs its path)."""
    from apps.catalog.selectors import with_descendants

    found = Product.objects.filter(categories__in=with_descendants(category.pk)).distinct()
    return _product_ids(found.order_by("pk"))


# --- categories ----------------------------------------------------------------------------------


def _write_category(category: ProductCategory, texts, parent, position) -> list[str]:
    changed = write_named(category, texts, CATEGORY_FIELDS)
    return changed + place(category, parent=parent, position=position, noun="A category")


@transaction.atomic
def create_category(
    *, actor, texts: Texts | None = None, parent: ProductCategory | None = None, position: int = 0
) -> ProductCategory:
    require(actor, PERM)
    category = ProductCategory()
    _write_category(category, texts, parent, position)
    save_with_slugs(category, "category")
    publish(CategoryCreated(category_id=category.pk, actor_id=actor.pk))
    return category


@transaction.atomic
def update_category(
    *, actor, category: ProductCategory, texts: Texts | None = None, parent=UNSET, position=UNSET
) -> ProductCategory:
    require(actor, PERM)
    category = lock(ProductCategory, category, "category")
    if _write_category(category, texts, parent, position):
        save_with_slugs(category, "category")
        publish(
            CategoryUpdated(category_id=category.pk, actor_id=actor.pk, product_ids=_products_under(category))
        )
    return category


@transaction.atomic
def delete_category(*, actor, category: ProductCategory) -> None:
    """Delete a category without subcategories (409 `has_children`); its products lose it, its
    image file goes after commit."""
    require(actor, PERM)
    category = lock(ProductCategory, category, "category")
    children = category.children.count()
    if children:
        raise Conflict(
            f"This category has {children} subcategories; move or delete them first.",
            reason="has_children",
            children=children,
        )
    product_ids, category_id = _product_ids(category.products), category.pk
    image = category.image
    category.delete()
    delete_after_commit(image.storage, image.name or "")
    publish(CategoryDeleted(category_id=category_id, actor_id=actor.pk, product_ids=product_ids))


# --- collections ---------------------------------------------------------------------------------


def _moment(value, field: str) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        raise InvalidInput.for_field(field, "Give a date and time.")
    if timezone.is_naive(value):
        raise InvalidInput.for_field(field, "Give a time zone (e.g. 2026-12-01T09:00:00Z).")
    return value


def _write_collection(collection: Collection, texts, published_from, published_until) -> list[str]:
    changed = write_named(collection, texts, COLLECTION_FIELDS)
    for name, value in (("published_from", published_from), ("published_until", published_until)):
        if value is not UNSET:
            value = _moment(value, name)
            if value != getattr(collection, name):
                setattr(collection, name, value)
                changed.append(name)
    start, end = collection.published_from, collection.published_until
    if start and end and start >= end:
        raise InvalidInput.for_field("published_until", "Must be after the start of the window.")
    return changed


def _products(given) -> list[Product]:
    """Products by id (or as objects), in the order given, each once."""
    if not isinstance(given, list | tuple):
        raise InvalidInput.for_field("products", "Give a list of products.")
    ids = list(dict.fromkeys(p.pk if isinstance(p, Product) else p for p in given))
    if any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
        raise InvalidInput.for_field("products", "Give products by id.")
    found = Product.objects.in_bulk(ids)
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise InvalidInput.for_field("products", f"No product {', '.join(missing)}.")
    return [found[i] for i in ids]


def _write_entries(collection: Collection, products: list[Product]) -> set[int]:
    """Make the collection these products in this order; the ids of products that came or went."""
    before = set(collection.entries.values_list("product_id", flat=True))
    collection.entries.all().delete()
    CollectionProduct.objects.bulk_create(
        CollectionProduct(collection=collection, product=product, position=position)
        for position, product in enumerate(products)
    )
    return before ^ {p.pk for p in products}


@transaction.atomic
def create_collection(
    *, actor, texts: Texts | None = None, published_from=None, published_until=None, products: Iterable = ()
) -> Collection:
    require(actor, PERM)
    collection = Collection()
    _write_collection(collection, texts, published_from, published_until)
    chosen = _products(list(products))
    save_with_slugs(collection, "collection")
    _write_entries(collection, chosen)
    publish(
        CollectionCreated(collection_id=collection.pk, actor_id=actor.pk, product_ids=[p.pk for p in chosen])
    )
    return collection


@transaction.atomic
def update_collection(
    *,
    actor,
    collection: Collection,
    texts: Texts | None = None,
    published_from=UNSET,
    published_until=UNSET,
    products=UNSET,
) -> Collection:
    """Change what is given; `products` replaces the collection's products and their order."""
    require(actor, PERM)
    collection = lock(Collection, collection, "collection")
    changed = _write_collection(collection, texts, published_from, published_until)
    touched: set[int] = set()
    if products is not UNSET:
        chosen = _products(list(products))
        order = [p.pk for p in chosen]
        if order != list(collection.entries.values_list("product_id", flat=True)):
            touched = _write_entries(collection, chosen) | set(order)
            changed.append("products")
    if changed:
        save_with_slugs(collection, "collection")
        shown = set(_product_ids(collection.products)) | touched
        publish(CollectionUpdated(collection_id=collection.pk, actor_id=actor.pk, product_ids=sorted(shown)))
    return collection


@transaction.atomic
def delete_collection(*, actor, collection: Collection) -> None:
    require(actor, PERM)
    collection = lock(Collection, collection, "collection")
    product_ids, collection_id = _product_ids(collection.products), collection.pk
    image = collection.image
    collection.delete()
    delete_after_commit(image.storage, image.name or "")
    publish(CollectionDeleted(collection_id=collection_id, actor_id=actor.pk, product_ids=product_ids))
