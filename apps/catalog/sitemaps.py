"""Sitemap sections of the catalogue: the shop's first page, the categories, the collections shown
now and the active products, each in every language it has a name in. Products are read from
their documents (one query: their slugs per language are among the documents' keys)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from apps.catalog import lists, selectors
from apps.catalog.projections import CATEGORY_PATH, COLLECTION_PATH, product_url
from apps.index.models import Document
from rustok.i18n import current_language, site_language
from rustok.sitemaps import AddressSection, Section


class ShopSitemap(AddressSection):
    """`/shop/` in every language while it lists products; lastmod the newest change of one."""

    @property
    def path(self) -> str:
        return reverse("shop-index")

    def items(self) -> list[str]:
        return super().items() if listed(self.request) else []

    def changed(self) -> dt.datetime | None:
        return max((product.changed for product in listed(self.request)), default=None)


class CategorySitemap(Section):
    """Every category, in the languages it has a name in (its slug there, or a fallback's)."""

    def items(self) -> list[lists.Category]:
        return list(lists.Tree(site_language()).walk())

    def location(self, category: lists.Category) -> str:
        language = current_language()  # the sitemap activates each language in turn
        return lists.address(lists.slug_path(CATEGORY_PATH, category.slugs, language), language)

    def lastmod(self, category: lists.Category) -> dt.datetime:
        return category.updated_at

    def get_languages_for_item(self, category: lists.Category) -> list[str]:
        return category.languages


class CollectionSitemap(CategorySitemap):
    """The collections shown now, in the languages they have a name in."""

    def items(self) -> list[lists.Shelf]:
        return lists.shown_collections(site_language())

    def location(self, collection: lists.Shelf) -> str:
        language = current_language()
        return lists.address(lists.slug_path(COLLECTION_PATH, collection.slugs, language), language)


@dataclass(frozen=True)
class Listed:
    slugs: dict[str, str]
    changed: dt.datetime


_LISTED = "_catalog_listed_products"


def listed(request) -> list[Listed]:
    """The active products with their slugs per language and when their documents last changed,
    read once per request (the shop's address and the products' section both ask)."""
    found = getattr(request, _LISTED, None)
    if found is None:
        found = []
        documents = Document.objects.filter(type=selectors.DOCUMENT_TYPE, language=site_language())
        for keys, changed in documents.order_by("id").values_list("keys", "indexed_at"):
            slugs = {}
            for key in keys:
                if key.startswith("slug:"):
                    _prefix, code, slug = key.split(":", 2)
                    slugs[code] = slug
            found.append(Listed(slugs, changed))
        if request is not None:
            setattr(request, _LISTED, found)
    return found


class ProductSitemap(Section):
    """The active products, in each language they are written in (a slug of their own there)."""

    def items(self) -> list[Listed]:
        return listed(self.request)

    def location(self, product: Listed) -> str:
        language = current_language()
        return product_url(product.slugs[language], language)

    def lastmod(self, product: Listed) -> dt.datetime:
        return product.changed

    def get_languages_for_item(self, product: Listed) -> list[str]:
        return list(product.slugs)


sitemaps = {
    "shop": ShopSitemap,
    "shop-categories": CategorySitemap,
    "shop-collections": CollectionSitemap,
    "products": ProductSitemap,
}
