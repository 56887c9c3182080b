"""What readers get from GraphQL: active products read from their documents (type `product`,
apps/catalog/projections.py).

Readers (anyone without `catalog.view_catalog`: anonymous callers, customers, editors, API tokens
without it) get `products`, `product` and `productBySlug` as ReadProducts: a product's document in
the shown language. A list reads the documents' `data` (what a list item shows) in one query, with
its total; what only a product page shows (`detail`: variants, the attributes table, every
picture, the description's HTML) is read by a loader keyed by (language, id), one query for the
whole page and none if no such field is asked. Documents hold no cost price and no stock count.
Managers read the write side (apps.catalog.schema.types).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from apps.catalog.models import Collection, ProductCategory, ProductType
from apps.index.models import Document
from rustok.dataloaders import Later, Loader
from rustok.i18n import fallback_order

PRODUCT = "product"
LIST_DEFERRED = ("body", "search_vector", "detail", "categories", "tags", "keys")


class ReadProduct:
    """An active product as readers see it: its document in one language."""

    def __init__(self, document: Document, detail: dict | None = None):
        self.document = document
        self.data = document.data
        self.language = document.language
        self.detail = detail

    @property
    def pk(self) -> int:
        return self.data["id"]

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def slug(self) -> str:
        return self.data["slug"]

    def variants(self, detail: dict) -> list[ReadVariant]:
        options = {option["slug"]: option for option in self.data.get("options", [])}
        return [ReadVariant(self.pk, variant, options) for variant in detail["variants"]]


class ReadVariant:
    """A variant of an active product as its document shows it."""

    def __init__(self, product_id: int, variant: dict, options: dict[str, dict]):
        self.product_id = product_id
        self.pk = variant["id"]
        self.sku = variant["sku"]
        self.name = variant["name"]
        self.weight_grams = variant.get("weight_grams")
        self.in_stock = variant["in_stock"]
        self.prices = [
            {
                "currency": code,
                "amount": price["amount"],
                "compare_at_amount": price["compare_at"],
                "cost_amount": None,
                "formatted": price["formatted"],
            }
            for code, price in variant["prices"].items()
        ]
        self.options = []
        for slug, choice in variant["options"].items():
            option = options.get(slug)
            if option is None or choice is None:
                continue
            found = next((c for c in option["values"] if c["slug"] == choice), None)
            if found is not None:
                attribute = {"slug": slug, "name": option["name"], "type": option["type"], "unit": ""}
                self.options.append({"attribute": attribute, "choice": found})


def documents(language: str) -> QuerySet[Document]:
    """The documents of the active products for readers of `language`, without the page texts."""
    return Document.objects.filter(type=PRODUCT, language=language).defer(*LIST_DEFERRED)


def by_id(pk: int, language: str) -> ReadProduct | None:
    """The active product `pk` for readers of `language`, with its page texts (one query)."""
    document = Document.objects.filter(type=PRODUCT, language=language, object_id=str(pk)).first()
    return ReadProduct(document, document.detail) if document else None


def by_slug(slug: str, language: str) -> ReadProduct | None:
    """The active product whose slug is `slug` in `language`, else in a fallback language, as
    readers of `language` see it (one query)."""
    if "\x00" in slug:
        return None
    order = fallback_order(language)
    keys = [f"slug:{code}:{slug}" for code in order]
    found = list(Document.objects.filter(type=PRODUCT, language=language, keys__overlap=keys))
    if not found:
        return None
    rank = {key: place for place, key in enumerate(keys)}
    best = min(found, key=lambda doc: min(rank.get(key, len(keys)) for key in doc.keys))
    return ReadProduct(best, best.detail)


def _details(request, keys) -> dict:
    """(language, id) -> the `detail` of that product's document."""
    condition = Q()
    for language, pk in keys:
        condition |= Q(language=language, object_id=str(pk))
    rows = Document.objects.filter(condition, type=PRODUCT).values_list("language", "object_id", "detail")
    return {(language, int(pk)): detail for language, pk, detail in rows}


product_detail = Loader("catalog.read_detail", _details)
type_by_slug = Loader(
    "catalog.type_by_slug", lambda request, slugs: ProductType.objects.in_bulk(list(slugs), field_name="slug")
)
category_by_id = Loader("catalog.category", lambda request, ids: ProductCategory.objects.in_bulk(list(ids)))
collection_by_id = Loader("catalog.collection", lambda request, ids: Collection.objects.in_bulk(list(ids)))


def detail_of(info, product: ReadProduct) -> Later:
    """What the product's page shows (`detail` of its document): read with the page's others."""
    if product.detail is not None:
        return Later.of(product.detail)
    return product_detail.load(info, (product.language, product.pk)).then(
        lambda detail: detail if detail is not None else _EMPTY
    )


_EMPTY = {
    "description_html": "",
    "seo_title": "",
    "seo_description": "",
    "pictures": [],
    "attributes": [],
    "variants": [],
}
