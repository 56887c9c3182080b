"""Reads of the catalogue that are more than a one-line queryset, shared by its interfaces.

Readers (anyone without `catalog.view_catalog`) read active products from their documents
(apps.index, written by apps.catalog.projections): a list is one query for the page and one for
the count, whatever it shows. Managers and admins read the tables: drafts, archived products,
cost prices and stock counts; a writer's own answer after a write comes from here too. Each
`*_of_*` function reads a relation of many objects in one query (the GraphQL loaders call them
once for a whole page).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone, translation

from apps.catalog.models import (
    DEFAULT_CURRENCY,
    Attribute,
    AttributeChoice,
    AttributeValue,
    Collection,
    CollectionProduct,
    Price,
    Product,
    ProductCategory,
    ProductImage,
    ProductTypeAttribute,
    ShopSettings,
    Status,
    Variant,
)
from apps.catalog.stock import sold_out_variants
from apps.index.models import Document
from rustok import renditions
from rustok.i18n import current_language, fallback_order, language_codes
from rustok.permissions import can
from rustok.texts import column

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
    return found.order_by(F("published_at").desc(nulls_last=True), "-id")


def document_by_id(product_id: int, language: str | None = None) -> Document | None:
    return documents(language=language, detail=True).filter(object_id=str(product_id)).first()


# The documents with a slug key, picked by type and language only once they are found: given the
# type and the language with the keys, PostgreSQL also scans the list index over every document
# of the language (milliseconds) to meet the few the keys' index finds at once.
_BY_SLUG = """
WITH found AS MATERIALIZED (SELECT {columns} FROM "index_document" WHERE "keys" && %s::varchar(300)[])
SELECT * FROM found WHERE "type" = %s AND "language" = %s
"""


def document_by_slug(slug: str, language: str | None = None) -> Document | None:
    """The active product whose slug is `slug` in the reader's language, else in a fallback
    language (one query, with its page part)."""
    if "\x00" in slug:
        return None
    keys = [f"slug:{code}:{slug}" for code in fallback_order(language)]
    language = language or current_language()
    found = list(Document.objects.raw(_by_slug_sql(), [keys, DOCUMENT_TYPE, language]))
    if not found:
        return None
    rank = {key: place for place, key in enumerate(keys)}
    return min(found, key=lambda doc: min(rank.get(key, len(keys)) for key in doc.keys))


@functools.cache
def _by_slug_sql() -> str:
    shown = [f'"{f.column}"' for f in Document._meta.concrete_fields if f.name not in SEARCH_COLUMNS]
    return _BY_SLUG.format(columns=", ".join(shown))


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
    return pictures(product.images.all(), make=make)


def pictures(images, *, make: bool = False) -> list[dict]:
    """These images (in the order given) as `pictures_of` describes a product's."""
    found = []
    for image in images:
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


def _grouped(rows, key: str) -> dict:
    found: dict = defaultdict(list)
    for row in rows:
        found[getattr(row, key)].append(row)
    return found


def default_currency_sql():
    """The shop's default currency, as an expression (no query of its own)."""
    return Coalesce(
        Subquery(ShopSettings.objects.filter(pk=ShopSettings.ONLY).values("default_currency")[:1]),
        Value(DEFAULT_CURRENCY),
    )


def lowest_price_sql():
    """A product's lowest price in the shop's default currency, as an expression."""
    prices = (
        Price.objects.filter(variant__product=OuterRef("pk"), currency=default_currency_sql())
        .order_by("amount")
        .values("amount")[:1]
    )
    return Subquery(prices)


# --- managers' product lists (GraphQL), and the stock filter of REST's too -------------------------


def attribute_filter(slug: str, values: list[str]) -> Q:
    """Products with a value of attribute `slug` (theirs or a variant's) among `values` (choice
    slugs; `true` / `false` for yes-or-no attributes)."""
    booleans = [value == "true" for value in values if value in ("true", "false")]
    matches = Q(attribute__slug=slug) & (Q(choices__slug__in=values) | Q(boolean__in=booleans))
    own = AttributeValue.objects.filter(matches, product=OuterRef("pk"))
    of_variant = AttributeValue.objects.filter(matches, variant__product=OuterRef("pk"))
    return Q(Exists(own)) | Q(Exists(of_variant))


def stock_filter(in_stock: bool) -> Q:
    """Products with a variant that can be bought now (`in_stock`), or without one: a subquery of
    the variants the inventory counts as sold out, so the test stays in the database."""
    sold_out = sold_out_variants()
    buyable = Variant.objects.filter(product=OuterRef("pk"))
    if sold_out is not None:
        buyable = buyable.exclude(pk__in=sold_out)
    return Q(Exists(buyable)) if in_stock else ~Q(Exists(buyable))


def filtered_products(
    *,
    found: QuerySet[Product] | None = None,
    statuses: list[str] | None = None,
    category: int | None = None,
    collection: int | None = None,
    product_type: str | None = None,
    price_min: int | None = None,
    price_max: int | None = None,
    in_stock: bool | None = None,
    attributes: dict[str, list[str]] | None = None,
    sort: str = "newest",
) -> QuerySet[Product]:
    """Every product (drafts and archived included; of `found` if given) with the filters given,
    in `sort` order (newest, price, -price, name) with the id last, so pages neither repeat nor
    skip one. REST's and GraphQL's lists of managers both filter here."""
    found = Product.objects.select_related("product_type") if found is None else found
    if statuses:
        found = found.filter(status__in=statuses)
    if category is not None:
        found = found.filter(
            Exists(
                Product.categories.through.objects.filter(
                    product=OuterRef("pk"), productcategory__in=with_descendants(category)
                )
            )
        )
    if collection is not None:
        found = found.filter(
            Exists(CollectionProduct.objects.filter(product=OuterRef("pk"), collection=collection))
        )
    if product_type is not None:
        found = found.filter(product_type__slug=product_type)
    if price_min is not None or price_max is not None or sort in ("price", "-price"):
        found = found.annotate(lowest_price=lowest_price_sql())
        if price_min is not None:
            found = found.filter(lowest_price__gte=price_min)
        if price_max is not None:
            found = found.filter(lowest_price__lte=price_max)
    if in_stock is not None:
        found = found.filter(stock_filter(in_stock))
    for slug, values in (attributes or {}).items():
        found = found.filter(attribute_filter(slug, values))
    order = {
        "newest": ("-created_at", "-id"),
        "price": (F("lowest_price").asc(nulls_last=True), "-created_at", "-id"),
        "-price": (F("lowest_price").desc(nulls_last=True), "-created_at", "-id"),
        "name": ("name", "id"),
    }[sort]
    return found.order_by(*order)


def documents_with_attribute(slug: str, values: list[str]) -> Q:
    """Documents of products with a value of attribute `slug` among `values` (their keys)."""
    return Q(keys__overlap=[f"attribute:{slug}:{value}" for value in values])


def filtered_documents(
    found: QuerySet[Document],
    *,
    statuses: list[str] | None = None,
    category: int | None = None,
    collection: int | None = None,
    product_type: str | None = None,
    price_min: int | None = None,
    price_max: int | None = None,
    in_stock: bool | None = None,
    attributes: dict[str, list[str]] | None = None,
    sort: str = "newest",
) -> QuerySet[Document]:
    """Readers' `filtered_products`: the documents with the filters a product list takes, in its
    order with the id last. Prices are the lowest in the shop's default currency, in minor units
    (`data.price.min`). REST's and GraphQL's lists of readers both filter here."""
    if statuses and Status.ACTIVE not in statuses:
        return found.none()  # readers see active products only
    keys = []
    if category is not None:
        keys.append(f"category:{category}")  # its documents list the category's ancestors too
    if collection is not None:
        keys.append(f"collection:{collection}")
    if product_type is not None:
        keys.append(f"type:{product_type}")
    if keys:
        found = found.filter(keys__contains=keys)
    for slug, values in (attributes or {}).items():
        found = found.filter(documents_with_attribute(slug, values))
    if price_min is not None:
        found = found.filter(data__price__min__gte=price_min)
    if price_max is not None:
        found = found.filter(data__price__min__lte=price_max)
    if in_stock is not None:
        found = found.filter(availability="in_stock" if in_stock else "out_of_stock")
    newest = F("published_at").desc(nulls_last=True)
    order = {
        "newest": (newest, "-id"),
        "price": (F("price").asc(nulls_last=True), newest, "-id"),
        "-price": (F("price").desc(nulls_last=True), newest, "-id"),
        "name": ("title", "id"),
    }[sort]
    return found.order_by(*order)


def filterable_attributes(slugs: Iterable[str]) -> dict[str, Attribute]:
    """The attributes among `slugs` that products can be filtered by."""
    return {a.slug: a for a in Attribute.objects.filter(slug__in=list(slugs), filterable=True)}


# --- relations of many products at once ----------------------------------------------------------


def _with_prices(variants: QuerySet[Variant]) -> list[Variant]:
    """`variants`, each with its prices (`price_list`, by currency) gathered in the same query."""
    prices = ArraySubquery(
        Price.objects.filter(variant=OuterRef("pk"))
        .order_by("currency")
        .values(
            json=JSONObject(
                currency="currency",
                amount="amount",
                compare_at_amount="compare_at_amount",
                cost_amount="cost_amount",
            )
        )
    )
    rows = list(variants.annotate(price_rows=prices).order_by("position", "id"))
    for variant in rows:
        variant.price_list = [Price(variant_id=variant.pk, **row) for row in variant.price_rows]
    return rows


def variants_of_products(product_ids) -> dict[int, list[Variant]]:
    """Each product's variants in order, each with its prices: one query."""
    return _grouped(_with_prices(Variant.objects.filter(product_id__in=list(product_ids))), "product_id")


def variants_by_id(variant_ids) -> dict[int, Variant]:
    """Variants by id, each with its prices: one query."""
    return {v.pk: v for v in _with_prices(Variant.objects.filter(pk__in=list(variant_ids)))}


def values_of_products(product_ids) -> dict[int, list[AttributeValue]]:
    """The attribute values of each product and of its variants (`owner_product`), with their
    attributes and chosen choices (`chosen`, in order): one query."""
    chosen = AttributeValue.choices.through.objects.filter(attributevalue=OuterRef("pk"))
    fields = ("id", "slug", "color", "position", *(column("name", code) for code in language_codes()))
    choices = ArraySubquery(
        chosen.order_by("attributechoice__position", "attributechoice_id").values(
            json=JSONObject(**{field: f"attributechoice__{field}" for field in fields})
        )
    )
    ids = list(product_ids)
    rows = (
        AttributeValue.objects.filter(Q(product_id__in=ids) | Q(variant__product_id__in=ids))
        .select_related("attribute")
        .annotate(owner_product=Coalesce("product_id", "variant__product_id"), choice_rows=choices)
        .order_by("attribute__position", "attribute_id", "variant_id")
    )
    found = _grouped(rows, "owner_product")
    for values in found.values():
        for value in values:
            value.chosen = [
                AttributeChoice(attribute_id=value.attribute_id, **row) for row in value.choice_rows
            ]
    return found


def images_of_products(product_ids) -> dict[int, list[ProductImage]]:
    """Each product's images, in the gallery's order (one query)."""
    rows = ProductImage.objects.filter(product_id__in=list(product_ids)).order_by("position", "id")
    return _grouped(rows, "product_id")


def categories_of_products(product_ids) -> dict[int, list[ProductCategory]]:
    """Each product's categories, in the tree's order (one query)."""
    rows = (
        ProductCategory.objects.filter(products__in=list(product_ids))
        .annotate(of_product=F("products__id"))
        .order_by("position", "id")
    )
    return _grouped(rows, "of_product")


def collections_of_products(product_ids) -> dict[int, list[Collection]]:
    """Each product's collections, by name (one query)."""
    rows = (
        Collection.objects.filter(entries__product_id__in=list(product_ids))
        .annotate(of_product=F("entries__product_id"))
        .order_by("name", "id")
    )
    return _grouped(rows, "of_product")


def children_of_categories(parent_ids) -> dict[int, list[ProductCategory]]:
    """The subcategories of each category, in order (one query)."""
    rows = ProductCategory.objects.filter(parent_id__in=list(parent_ids)).order_by("position", "id")
    return _grouped(rows, "parent_id")


def choices_of_attributes(attribute_ids) -> dict[int, list[AttributeChoice]]:
    """The choices of each attribute, in order (one query)."""
    rows = AttributeChoice.objects.filter(attribute_id__in=list(attribute_ids)).order_by("position", "id")
    return _grouped(rows, "attribute_id")
