"""Reads of the catalogue that are more than a one-line queryset, shared by its interfaces.

Readers (anyone without `catalog.view_catalog`) read active products from their documents
(apps.index, written by apps.catalog.projections): a list is one query for the page and one for
the count, whatever it shows. Managers and admins read the tables: drafts, archived products,
cost prices and stock counts; a writer's own answer after a write comes from here too.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone, translation

from apps.catalog.models import (
    AttributeChoice,
    AttributeValue,
    Collection,
    CollectionProduct,
    Product,
    ProductCategory,
    ProductImage,
    ProductTypeAttribute,
    Status,
    Variant,
)
from apps.index.models import Document
from rustok import renditions
from rustok.i18n import current_language, fallback_order, language_codes
from rustok.permissions import can

DOCUMENT_TYPE = "product"
# Columns readers never read (search reads them), and those lists do not read either.
SEARCH_COLUMNS = ("body", "search_vector")
LIST_DEFERRED = ("detail", *SEARCH_COLUMNS)


def readers_see_drafts(user) -> bool:
    """Whether `user` reads the write side: drafts, archived products, cost prices, stock counts."""
    return user is not None and can(user, "catalog.view_catalog")


# --- readers: documents ----------------------------------------------------------------------------


def documents(*, language: str | None = None, detail: bool = False) -> QuerySet[Document]:
    """The documents of active products for readers of `language` (default: the active one),
    newest first; without the product page's part unless `detail`."""
    found = Document.objects.filter(type=DOCUMENT_TYPE, language=language or current_language())
    found = found.defer(*SEARCH_COLUMNS) if detail else found.defer(*LIST_DEFERRED)
    return found.order_by(F("published_at").desc(nulls_last=True), F("data__id").desc())


def document_by_id(product_id: int, language: str | None = None) -> Document | None:
    return documents(language=language, detail=True).filter(object_id=str(product_id)).first()


def document_by_slug(slug: str, language: str | None = None) -> Document | None:
    """The active product whose slug is `slug` in the reader's language, else in a fallback
    language (one query, with its page part)."""
    if "\x00" in slug:
        return None
    keys = [f"slug:{code}:{slug}" for code in fallback_order(language)]
    found = list(documents(language=language, detail=True).filter(keys__overlap=keys))
    if not found:
        return None
    rank = {key: place for place, key in enumerate(keys)}
    return min(found, key=lambda doc: min(rank.get(key, len(keys)) for key in doc.keys))


# --- managers: the tables --------------------------------------------------------------------------


def attribute_values() -> QuerySet[AttributeValue]:
    return AttributeValue.objects.select_related("attribute").prefetch_related(
        Prefetch("choices", queryset=AttributeChoice.objects.order_by("position", "id"))
    )


def variants() -> QuerySet[Variant]:
    """Variants with their prices and attribute values (a fixed number of queries for any number)."""
    return Variant.objects.select_related("product").prefetch_related(
        "prices", Prefetch("attribute_values", queryset=attribute_values())
    )


def products() -> QuerySet[Product]:
    """Every product with what its answer shows, newest first (a fixed number of queries)."""
    return (
        Product.objects.select_related("product_type", "tax_class")
        .prefetch_related(
            Prefetch("categories", queryset=ProductCategory.objects.order_by("position", "id")),
            Prefetch("collection_entries", queryset=CollectionProduct.objects.select_related("collection")),
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")),
            Prefetch("attribute_values", queryset=attribute_values()),
            Prefetch("variants", queryset=variants()),
        )
        .order_by("-created_at", "-id")
    )


def type_attributes(type_ids: Iterable[int]) -> dict[int, list[ProductTypeAttribute]]:
    """The attributes of each product type, in order (one query)."""
    uses: dict[int, list[ProductTypeAttribute]] = {}
    found = ProductTypeAttribute.objects.filter(product_type_id__in=set(type_ids)).select_related("attribute")
    for use in found.order_by("position", "id"):
        uses.setdefault(use.product_type_id, []).append(use)
    return uses


def category_tree() -> dict[int | None, list[int]]:
    """Each category's children's ids, by parent id (None: the top), in order (one query)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in ProductCategory.objects.order_by("position", "id").values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    return children


def with_descendants(category_id: int) -> list[int]:
    """`category_id` and the ids of every category under it."""
    children, found, queue = category_tree(), [], [category_id]
    while queue:
        pk = queue.pop()
        if pk not in found:
            found.append(pk)
            queue.extend(children.get(pk, []))
    return found


def collections(*, readers: bool) -> QuerySet[Collection]:
    """Collections with their products in order; for readers only those shown now (their window
    is open), with their active products only."""
    entries = CollectionProduct.objects.order_by("position", "id")
    found = Collection.objects.all()
    if readers:
        now = timezone.now()
        entries = entries.filter(product__status=Status.ACTIVE)
        found = found.filter(
            Q(published_from__isnull=True) | Q(published_from__lte=now),
            Q(published_until__isnull=True) | Q(published_until__gt=now),
        )
    return found.prefetch_related(Prefetch("entries", queryset=entries)).order_by("name", "id")


def pictures_of(product: Product, *, make: bool = False) -> list[dict]:
    """The product's images in gallery order, each as the kernel describes a picture
    (rustok.renditions: `{"url", "width", "height", "renditions"}`) with its `id` and its `alt`
    text per language (`{"en": ..., "ru": ...}`, each with the site's fallbacks).

    With `make=True` the WebP renditions an image lacks are made first: the product documents'
    projection asks so, in the worker, once per new image; editors' reads leave it False and get
    the renditions made so far. An image whose file is missing or unreadable is left out (the
    kernel logs it). Reads the images once, or not at all when they were prefetched.
    """
    found = []
    for image in product.images.all():
        described = renditions.picture(image.image, make=make)
        if described is not None:
            found.append({"id": image.pk, **described, "alt": _alt(image)})
    return found


def picture_of(group: ProductCategory | Collection, *, make: bool = False) -> dict | None:
    """A category's or collection's image as the kernel describes a picture, None without one
    (or when its file is missing); `make` as for `pictures_of`."""
    return renditions.picture(group.image, make=make) if group.image else None


def _alt(image) -> dict[str, str]:
    alt = {}
    for code in language_codes():
        with translation.override(code):
            alt[code] = image.alt or ""
    return alt
