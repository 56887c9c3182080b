"""Reads of the catalogue's write side: managers' lists and the batch reads of their relations.

Each `*_of_*` function reads the relation of many objects in one query (the GraphQL loaders call
them once for a whole page). Readers do not read these: they read the product documents
(apps/catalog/projections.py) that hold what they are shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, JSONObject

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
    Variant,
)
from apps.catalog.stock import sold_out_variants
from rustok.i18n import language_codes
from rustok.texts import column


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


# --- managers' product list ----------------------------------------------------------------------


def subtree_ids(category_id: int) -> list[int]:
    """The category and every category under it (one query: the tree is small)."""
    parents = dict(ProductCategory.objects.values_list("pk", "parent_id"))
    found, frontier = {category_id}, {category_id}
    while frontier:
        frontier = {pk for pk, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return sorted(found)


def attribute_filter(slug: str, values: list[str]) -> Q:
    """Products with a value of attribute `slug` (theirs or a variant's) among `values` (choice
    slugs; `true` / `false` for yes-or-no attributes)."""
    booleans = [value == "true" for value in values if value in ("true", "false")]
    matches = Q(attribute__slug=slug) & (Q(choices__slug__in=values) | Q(boolean__in=booleans))
    own = AttributeValue.objects.filter(matches, product=OuterRef("pk"))
    of_variant = AttributeValue.objects.filter(matches, variant__product=OuterRef("pk"))
    return Q(Exists(own)) | Q(Exists(of_variant))


def products(
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
) -> QuerySet[Product]:
    """Every product (drafts and archived included) with the filters given, in `sort` order
    (newest, price, -price, name) with the id last, so pages neither repeat nor skip one."""
    found = Product.objects.select_related("product_type")
    if statuses:
        found = found.filter(status__in=statuses)
    if category is not None:
        found = found.filter(
            Exists(
                Product.categories.through.objects.filter(
                    product=OuterRef("pk"), productcategory__in=subtree_ids(category)
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
        sold_out = sold_out_variants()
        buyable = Variant.objects.filter(product=OuterRef("pk"))
        if sold_out is not None:
            buyable = buyable.exclude(pk__in=sold_out)
        found = found.filter(Exists(buyable) if in_stock else ~Exists(buyable))
    for slug, values in (attributes or {}).items():
        found = found.filter(attribute_filter(slug, values))
    order = {
        "newest": ("-created_at", "-id"),
        "price": (F("lowest_price").asc(nulls_last=True), "-created_at", "-id"),
        "-price": (F("lowest_price").desc(nulls_last=True), "-created_at", "-id"),
        "name": ("name", "id"),
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


def attributes_of_types(type_ids) -> dict[int, list[ProductTypeAttribute]]:
    """The attributes of each product type, with their level, in order (one query)."""
    rows = (
        ProductTypeAttribute.objects.filter(product_type_id__in=list(type_ids))
        .select_related("attribute")
        .order_by("position", "id")
    )
    return _grouped(rows, "product_type_id")
