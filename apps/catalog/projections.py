"""Product documents: one per active product and language, what readers' lists, product pages and
search read (apps.index). Drafts and archived products have none.

A document holds what a product list item shows (`data`: name, summary, first picture, price
range per currency, in stock or not, categories and collections) and what the product page adds
(`detail`: the description's HTML, SEO fields, every picture, the variants with their options,
prices and availability, the attributes table). `keys` select and facet products:
`slug:<lang>:<slug>`, `type:<slug>`, `category:<id>` (the category and its ancestors),
`collection:<id>`, and `attribute:<slug>:<value>` for filterable attributes (a choice's slug,
`true`/`false`). `price` is the lowest price in the site's default currency (major units: the
price facet and sorting), `availability` `in_stock` or `out_of_stock`, `published_at` when the
product was first activated (newest first).
"""

from __future__ import annotations

import functools
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import F
from django.db.models.expressions import RawSQL
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.text import Truncator
from django.utils.translation import gettext
from modeltranslation.manager import MultilingualQuerySet

from apps.catalog.models import (
    Attribute,
    AttributeChoice,
    AttributeValue,
    Collection,
    CollectionProduct,
    InputType,
    Level,
    Price,
    Product,
    ProductCategory,
    ProductImage,
    ProductType,
    Status,
    Variant,
)
from apps.catalog.selectors import pictures
from apps.catalog.services.shop import shop_settings
from apps.catalog.stock import available_and_thresholds, in_stock, stock_state
from apps.index.projections import Doc, Projection
from rustok import money
from rustok.events import Envelope
from rustok.i18n import fallback_order, for_language, language_codes
from rustok.texts import column

SUMMARY_WORDS = 30
DESCRIPTION_CHARS = 200
PRODUCT_PATH = "/shop/products/{slug}/"
CATEGORY_PATH = "/shop/categories/{slug}/"
COLLECTION_PATH = "/shop/collections/{slug}/"

PRODUCT_EVENTS = (
    "catalog.product.created",
    "catalog.product.updated",
    "catalog.product.activated",
    "catalog.product.deactivated",
    "catalog.product.archived",
    "catalog.product.deleted",
    "catalog.variant.created",
    "catalog.variant.updated",
    "catalog.variant.deleted",
    "catalog.price.changed",
)
GROUP_EVENTS = (
    "catalog.category.updated",
    "catalog.category.deleted",
    "catalog.collection.created",
    "catalog.collection.updated",
    "catalog.collection.deleted",
    "catalog.product_type.changed",
    "catalog.attribute.changed",
    "catalog.settings.changed",
)


class Texts:
    """Translated text as readers of `language` get it: the column of that language, else of the
    site's fallbacks, read from the columns directly (documents are made by the thousand)."""

    def __init__(self, language: str):
        self.language = language
        self.order = fallback_order(language)

    def __call__(self, obj, field: str) -> str:
        for code in self.order:
            value = getattr(obj, f"{field}_{code}")
            if value:
                return value
        return ""

    def language_of(self, obj, field: str) -> str:
        """The language `obj`'s `field` is shown in."""
        return next((code for code in self.order if getattr(obj, f"{field}_{code}")), self.language)


def product_url(slug: str, language: str) -> str:
    return iri_to_uri(for_language(PRODUCT_PATH.format(slug=slug), language))


def category_url(category: ProductCategory, language: str, t: Texts | None = None) -> str:
    """Where readers of `language` find the category (its slug in that language or a fallback)."""
    slug = (t or Texts(language))(category, "slug")
    return iri_to_uri(for_language(CATEGORY_PATH.format(slug=slug), language))


def collection_url(collection: Collection, language: str, t: Texts | None = None) -> str:
    """Where readers of `language` find the collection."""
    slug = (t or Texts(language))(collection, "slug")
    return iri_to_uri(for_language(COLLECTION_PATH.format(slug=slug), language))


def _link(group, t: Texts, url) -> dict:
    """A category's or collection's id, name and address for readers of `t.language`, as a
    product's document lists it (made once per group and language: products share them)."""
    links = group.__dict__.setdefault("links", {})
    if t.language not in links:
        links[t.language] = {"id": group.pk, "name": t(group, "name"), "url": url(group, t.language, t)}
    return links[t.language]


# A text with no translation is its fallback's in every language: cut once.
@functools.lru_cache(maxsize=64)
def _summary(text: str) -> str:
    return Truncator(text).words(SUMMARY_WORDS)


@functools.lru_cache(maxsize=64)
def _description(text: str) -> str:
    return Truncator(text).chars(DESCRIPTION_CHARS)


@functools.lru_cache(maxsize=16)
def _price_from(language: str) -> str:
    """ "from %(price)s" in `language` (a card's price when the variants' prices differ)."""
    with translation.override(language):
        return gettext("from %(price)s")


def _stamp(value) -> str | None:
    return value.isoformat() if value else None


def _major(amount: int, code: str) -> Decimal:
    return money.to_money(amount, code).amount


class ProductProjection(Projection):
    """Active products as documents of type `product`.

    Events about products and their variants and prices reach it; a product's creation only when
    it is created active (never, today), group events (categories, collections, types,
    attributes) for the products they name, the shop's currencies for every product. Stock is the
    inventory module's: it brings a product's documents up to date when one of its variants goes
    in or out of stock, or crosses its low-stock threshold (apps.catalog.stock).
    """

    name = "catalog.products"
    document_type = "product"
    events = PRODUCT_EVENTS + GROUP_EVENTS

    @property
    def label(self) -> str:
        return gettext("Product")

    def interested(self, envelope: Envelope) -> bool:
        event = envelope.event
        if envelope.type == "catalog.product.created":
            return event.status == Status.ACTIVE
        return True

    def affected(self, envelope: Envelope):
        event = envelope.event
        if envelope.type == "catalog.settings.changed":
            return self.all_ids()
        if hasattr(event, "product_ids") and not hasattr(event, "product_id"):
            return event.product_ids
        return [event.product_id]

    def all_ids(self):
        return Product.objects.filter(status=Status.ACTIVE).values_list("pk", flat=True)

    # --- the documents ---------------------------------------------------------------------

    def documents(self, ids):
        products = _read_products(ids)
        if not products:
            return
        settings = shop_settings()
        uses = _type_attributes({p.product_type_id for p in products})
        stock, limits = available_and_thresholds(v.pk for p in products for v in p.variants)
        codes = language_codes()
        texts = [Texts(code) for code in codes]
        for product in products:
            written_in = [code for code in codes if getattr(product, column("name", code))]
            slugs = {code: getattr(product, column("slug", code)) for code in written_in}
            alternates = [{"code": c, "url": product_url(s, c)} for c, s in slugs.items()]
            for t in texts:
                yield self._document(
                    product, t, settings, uses, (stock, limits), written_in, slugs, alternates
                )

    def _document(self, product, t, settings, uses, counted, written_in, slugs, alternates) -> Doc:
        """The product as readers of `t.language` see it (`t` reads text with the fallbacks)."""
        code = t.language
        stock = counted[0]
        variants = product.variants
        default = settings.default_currency
        prices: dict[str, dict] = {}
        for variant in variants:
            for price in variant.prices:
                found = prices.setdefault(price.currency, {"min": price.amount, "max": price.amount})
                found["min"], found["max"] = min(found["min"], price.amount), max(found["max"], price.amount)
                if price.compare_at_amount and price.compare_at_amount > price.amount:
                    found["compare_at"] = max(found.get("compare_at", 0), price.compare_at_amount)
        for currency, found in prices.items():
            found["formatted"] = money.format_minor(found["min"], currency, code)
        buyable = any(in_stock(stock.get(v.pk)) for v in variants)
        categories, collections = product.categories, product.collections
        category_ids = {c.pk for c in categories}
        for category in categories:
            category_ids |= category.ancestors
        attributes, keys = self._attributes(product, uses, t)
        keys += [f"slug:{c}:{s}" for c, s in slugs.items() if s]
        keys += [f"type:{product.type_slug}", *(f"category:{i}" for i in sorted(category_ids))]
        keys += [f"collection:{c.pk}" for c in collections]
        text = t(product, "description_text")
        shown = t.language_of(product, "name")
        name, slug = t(product, "name"), t(product, "slug")
        pictures = product.pictures
        picture = pictures[0] if pictures else None
        data = {
            "id": product.pk,
            "language": shown,
            "languages": written_in,
            "slug": slug,
            "url": product_url(slug, code),
            "name": name,
            "summary": _summary(text),
            "product_type": product.type_slug,
            "picture": _alt(picture, code),
            "card": _card(prices.get(default), picture, code, default),
            "price": prices.get(default),
            "prices": prices,
            "currency": default,
            "in_stock": buyable,
            "categories": [_link(c, t, category_url) for c in categories],
            "collections": [_link(c, t, collection_url) for c in collections],
            "options": self._options(variants, uses.get(product.product_type_id, []), t),
            "rating": None,
            "created_at": _stamp(product.created_at),
            "updated_at": _stamp(product.updated_at),
        }
        data["card"].update(_card_markup(data, code))
        detail = {
            "description_html": t(product, "description_html"),
            "seo_title": t(product, "seo_title"),
            "seo_description": t(product, "seo_description"),
            "description": t(product, "seo_description") or _description(text),
            "pictures": [_alt(p, code) for p in pictures],
            "attributes": attributes,
            # The way down to the product's first category, for its page's breadcrumbs.
            "breadcrumbs": [_link(c, t, category_url) for c in categories[0].path] if categories else [],
            "variants": [
                self._variant(v, counted, uses.get(product.product_type_id, []), t) for v in variants
            ],
            "alternates": alternates,
            "weight_grams": product.weight_grams,
        }
        low = prices.get(default, {}).get("min")
        return Doc(
            object_id=product.pk,
            language=code,
            title=name,
            body="\n".join(part for part in (text, *_searchable(attributes)) if part),
            url=data["url"],
            text_language=shown,
            data=data,
            detail=detail,
            categories=[t(c, "name") for c in categories],
            tags=[t(c, "name") for c in collections],
            keys=keys,
            price=_major(low, default) if low is not None else None,
            availability="in_stock" if buyable else "out_of_stock",
            published_at=product.activated_at,
        )

    def _attributes(self, product, uses, t) -> tuple[list[dict], list[str]]:
        """The product's attributes table (product- and variant-level values) and facet keys."""
        table, keys = [], []
        values_by_attribute: dict[int, list[AttributeValue]] = {}
        for value in product.values:
            values_by_attribute.setdefault(value.attribute_id, []).append(value)
        for variant in product.variants:
            for value in variant.values:
                values_by_attribute.setdefault(value.attribute_id, []).append(value)
        for use in uses.get(product.product_type_id, []):
            attribute, found = use.attribute, values_by_attribute.get(use.attribute_id, [])
            shown = []
            for value in found:
                for item in _display(attribute, value, t):
                    if item not in shown:
                        shown.append(item)
                if attribute.filterable:
                    keys += [f"attribute:{attribute.slug}:{k}" for k in _facet_values(attribute, value)]
            if shown:
                table.append(
                    {
                        "slug": attribute.slug,
                        "name": t(attribute, "name"),
                        "type": attribute.input_type,
                        "unit": attribute.unit,
                        "level": use.level,
                        "values": shown,
                    }
                )
        return table, sorted(set(keys))

    def _options(self, variants, uses, t) -> list[dict]:
        """The options shoppers pick among (variant-level choices used by the variants)."""
        options = []
        for use in uses:
            if use.level != Level.VARIANT or use.attribute.input_type not in (
                InputType.CHOICE,
                InputType.SWATCH,
            ):
                continue
            chosen = {}
            for variant in variants:
                for value in variant.values:
                    if value.attribute_id == use.attribute_id:
                        for choice in value.choices:
                            chosen[choice.pk] = choice
            if chosen:
                options.append(
                    {
                        "slug": use.attribute.slug,
                        "name": t(use.attribute, "name"),
                        "type": use.attribute.input_type,
                        "values": [
                            {"slug": c.slug, "name": t(c, "name"), "color": c.color}
                            for c in sorted(chosen.values(), key=lambda c: (c.position, c.pk))
                        ],
                    }
                )
        return options

    def _variant(self, variant, counted, uses, t) -> dict:
        """A variant as its product's page shows it; `stock` is `in_stock`, `low_stock` or
        `out_of_stock` (apps.catalog.stock.stock_state), `in_stock` whether it can be bought."""
        stock, limits = counted
        options = {}
        option_ids = {
            u.attribute_id: u.attribute.slug
            for u in uses
            if u.level == Level.VARIANT and u.attribute.input_type in (InputType.CHOICE, InputType.SWATCH)
        }
        for value in variant.values:
            if value.attribute_id in option_ids:
                options[option_ids[value.attribute_id]] = next((c.slug for c in value.choices), None)
        return {
            "id": variant.pk,
            "sku": variant.sku,
            "name": t(variant, "name"),
            "options": options,
            "prices": {
                p.currency: {
                    "amount": p.amount,
                    "compare_at": p.compare_at_amount,
                    "formatted": money.format_minor(p.amount, p.currency, t.language),
                    "compare_at_formatted": (
                        money.format_minor(p.compare_at_amount, p.currency, t.language)
                        if p.compare_at_amount and p.compare_at_amount > p.amount
                        else ""
                    ),
                }
                for p in variant.prices
            },
            "in_stock": in_stock(stock.get(variant.pk)),
            "stock": stock_state(stock.get(variant.pk), limits.get(variant.pk)),
            "weight_grams": variant.weight_grams,
        }

    def facet_values(self, facet: str) -> list[str] | None:
        """What products' documents can have: both availabilities, and the keys of every
        collection, category and product type and of a filterable attribute's choices (or yes
        and no). Not the names of categories and collections: counting each name costs more
        than grouping them."""
        if facet == "availability":
            return ["in_stock", "out_of_stock"]
        if not facet.startswith("key:"):
            return None
        group = facet.removeprefix("key:")
        if group == "collection":
            return [f"collection:{pk}" for pk in Collection.objects.values_list("pk", flat=True)]
        if group == "category":
            return [f"category:{pk}" for pk in ProductCategory.objects.values_list("pk", flat=True)]
        if group == "type":
            return [f"type:{slug}" for slug in ProductType.objects.values_list("slug", flat=True)]
        if group.startswith("attribute:") and group.count(":") == 1:
            attribute = Attribute.objects.filter(slug=group.split(":", 1)[1]).first()
            if attribute is None or not attribute.filterable:
                return []
            if attribute.input_type == InputType.BOOLEAN:
                return [f"{group}:true", f"{group}:false"]
            return [f"{group}:{slug}" for slug in attribute.choices.values_list("slug", flat=True)]
        return None

    def key_labels(self, keys: list[str], language: str) -> dict[str, str]:
        """What readers call facet values: collection and attribute choice names."""
        labels: dict[str, str] = {}
        collections = [k.split(":", 1)[1] for k in keys if k.startswith("collection:")]
        categories = [k.split(":", 1)[1] for k in keys if k.startswith("category:")]
        choices = [k.split(":")[1:] for k in keys if k.startswith("attribute:") and k.count(":") == 2]
        with translation.override(language):
            for found in Collection.objects.filter(pk__in=[c for c in collections if c.isdigit()]):
                labels[f"collection:{found.pk}"] = found.name
            for found in ProductCategory.objects.filter(pk__in=[c for c in categories if c.isdigit()]):
                labels[f"category:{found.pk}"] = found.name
            if choices:
                slugs = {slug for slug, _value in choices}
                for choice in AttributeChoice.objects.filter(attribute__slug__in=slugs).select_related(
                    "attribute"
                ):
                    labels[f"attribute:{choice.attribute.slug}:{choice.slug}"] = choice.name
                for attribute in Attribute.objects.filter(slug__in=slugs, input_type=InputType.BOOLEAN):
                    labels[f"attribute:{attribute.slug}:true"] = gettext("Yes")
                    labels[f"attribute:{attribute.slug}:false"] = gettext("No")
        return labels


def _type_attributes(type_ids: set[int]) -> dict[int, list]:
    from apps.catalog.models import ProductTypeAttribute

    uses: dict[int, list] = {}
    for use in ProductTypeAttribute.objects.filter(product_type_id__in=type_ids).select_related("attribute"):
        uses.setdefault(use.product_type_id, []).append(use)
    return uses


def _read_products(ids) -> list[SimpleNamespace]:
    """The active products among `ids`, each with what its documents show: `variants` (each with
    `prices` and `values`), `values`, `categories` (each with `ancestors`, the ids above it),
    `collections` and `pictures`; every value with its `choices`.

    Read as rows in a dozen queries whatever their number, not as model instances: documents
    are made by the thousand (a rebuild), and instances and prefetches cost more than the rest.
    Orders are the models' (categories, choices and variants by position).
    """
    products = _rows(
        Product.objects.filter(pk__in=_among(ids), status=Status.ACTIVE),
        "pk",
        "product_type_id",
        "weight_grams",
        "activated_at",
        "created_at",
        "updated_at",
        *_columns("name", "slug", "description_text", "description_html", "seo_title", "seo_description"),
        type_slug=F("product_type__slug"),
    )
    by_id = {p.pk: p for p in products}
    if not by_id:
        return []
    among = _among(by_id)
    categories = _categories()
    for product in products:
        product.categories, product.collections, product.pictures, product.values = [], [], [], []
        product.variants = []
    for product_id, category_id in (
        Product.categories.through.objects.filter(product_id__in=among)
        .values_list("product_id", "productcategory_id")
        .order_by()
    ):
        by_id[product_id].categories.append(categories[category_id])
    for product in products:
        product.categories.sort(key=lambda c: c.rank)
    entries = list(
        CollectionProduct.objects.filter(product_id__in=among).values_list("product_id", "collection_id")
    )
    collections = {
        c.pk: c
        for c in _rows(
            Collection.objects.filter(pk__in={c for _p, c in entries}), "pk", *_columns("name", "slug")
        )
    }
    for product_id, collection_id in entries:
        by_id[product_id].collections.append(collections[collection_id])
    images: dict[int, list[ProductImage]] = {}
    for image in ProductImage.objects.filter(product_id__in=among).order_by("position", "id"):
        images.setdefault(image.product_id, []).append(image)
    for product_id, found in images.items():
        by_id[product_id].pictures = pictures(found, make=True)  # the renditions made once, here
    variants = {}
    for variant in _rows(
        Variant.objects.filter(product_id__in=among),
        "pk",
        "product_id",
        "sku",
        "weight_grams",
        *_columns("name"),
    ):
        variant.prices, variant.values = [], []
        by_id[variant.product_id].variants.append(variant)
        variants[variant.pk] = variant
    for price in _rows(
        Price.objects.filter(variant__product_id__in=among),
        "variant_id",
        "currency",
        "amount",
        "compare_at_amount",
    ):
        variants[price.variant_id].prices.append(price)
    fields = ("pk", "attribute_id", "number", "boolean", "date", *_columns("text"))
    values = {}
    for value in _rows(AttributeValue.objects.filter(product_id__in=among).order_by(), "product_id", *fields):
        by_id[value.product_id].values.append(value)
        values[value.pk] = value
    for value in _rows(
        AttributeValue.objects.filter(variant__product_id__in=among).order_by(), "variant_id", *fields
    ):
        variants[value.variant_id].values.append(value)
        values[value.pk] = value
    for value in values.values():
        value.choices = []
    chosen = list(
        AttributeValue.choices.through.objects.filter(attributevalue_id__in=_among(values))
        .values_list("attributevalue_id", "attributechoice_id")
        .order_by()
    )
    choices = {
        c.pk: c
        for c in _rows(
            AttributeChoice.objects.filter(pk__in={c for _v, c in chosen}),
            "pk",
            "slug",
            "color",
            "position",
            *_columns("name"),
        )
    }
    for value_id, choice_id in chosen:
        values[value_id].choices.append(choices[choice_id])
    for value in values.values():
        value.choices.sort(key=lambda c: (c.position, c.pk))
    return products


def _among(ids) -> RawSQL:
    """`ids` for an `__in` filter as one array parameter (a batch passes thousands of ids)."""
    return RawSQL("SELECT unnest(%s::bigint[])", (list(map(int, ids)),))


def _rows(queryset, *fields, **expressions) -> list[SimpleNamespace]:
    if isinstance(queryset, MultilingualQuerySet):
        queryset = queryset.rewrite(False)  # the columns are named: no fallbacks to add per row
    return [SimpleNamespace(**row) for row in queryset.values(*fields, **expressions)]


def _columns(*fields) -> list[str]:
    """The columns of these translated fields, in every language."""
    return [column(field, code) for field in fields for code in language_codes()]


def _categories() -> dict[int, SimpleNamespace]:
    """Every category (the tree is small: one query) with its `ancestors`' ids, its `path` (the
    categories from the top down to itself) and its `rank` in the categories' order."""
    found = {
        c.pk: c for c in _rows(ProductCategory.objects.all(), "pk", "parent_id", *_columns("name", "slug"))
    }
    for rank, category in enumerate(found.values()):
        seen, above, parent = set(), [], category.parent_id
        while parent is not None and parent not in seen and parent in found:
            seen.add(parent)
            above.append(found[parent])
            parent = found[parent].parent_id
        category.ancestors, category.rank = seen, rank
        category.path = [*reversed(above), category]
    return found


def _display(attribute: Attribute, value: AttributeValue, t: Texts) -> list:
    kind = attribute.input_type
    if kind in (InputType.TEXT, InputType.RICH_TEXT):
        text = t(value, "text")
        return [text] if text else []
    if kind == InputType.NUMBER:
        if value.number is None:
            return []
        number = value.number.normalize()
        shown = f"{number:f}"
        return [f"{shown} {attribute.unit}".strip()]
    if kind == InputType.BOOLEAN:
        return [] if value.boolean is None else [value.boolean]
    if kind == InputType.DATE:
        return [value.date.isoformat()] if value.date else []
    return [{"slug": c.slug, "name": t(c, "name"), "color": c.color} for c in value.choices]


def _facet_values(attribute: Attribute, value: AttributeValue) -> list[str]:
    if attribute.has_choices:
        return [c.slug for c in value.choices]
    if attribute.input_type == InputType.BOOLEAN and value.boolean is not None:
        return ["true" if value.boolean else "false"]
    return []


def _searchable(attributes: list[dict]) -> list[str]:
    words = []
    for row in attributes:
        for value in row["values"]:
            if isinstance(value, dict):
                words.append(value["name"])
            elif isinstance(value, str) and row["type"] == InputType.TEXT:
                words.append(value)
    return words


def _alt(picture: dict | None, code: str) -> dict | None:
    if not picture:
        return None
    alt = picture.get("alt") or {}
    return {**{k: v for k, v in picture.items() if k != "alt"}, "alt": alt.get(code) or ""}


def _card(price: dict | None, picture: dict | None, code: str, currency: str) -> dict:
    """What a product card shows, written once here rather than on every list page: the price in
    the default currency ("from $20.00" when the variants' prices differ), the compare-at price
    struck out beside it, and the picture's renditions as an `<img srcset>` lists them. Not part
    of the APIs' answers (they read `price` and `picture`)."""
    shown = compare_at = ""
    if price:
        varies = price["min"] != price["max"]
        shown = _price_from(code) % {"price": price["formatted"]} if varies else price["formatted"]
        if price.get("compare_at"):
            compare_at = money.format_minor(price["compare_at"], currency, code)
    renditions = (picture or {}).get("renditions") or ()
    return {
        "price": shown,
        "compare_at": compare_at,
        "srcset": ", ".join(f"{r['url']} {r['width']}w" for r in renditions),
    }


CARD_TEMPLATE = "storefront/catalog/card.html"


def _card_markup(data: dict, code: str) -> dict:
    """The card's markup in `code`, as list pages show it: `html` for the first cards of a page
    (their picture loads at once), `html_lazy` for the others. Rendered here, once per write,
    rather than for every card of every list page (templates/storefront/catalog/card.html)."""
    with translation.override(code):
        return {
            "html": render_to_string(CARD_TEMPLATE, {"product": data, "lazy": False}),
            "html_lazy": render_to_string(CARD_TEMPLATE, {"product": data, "lazy": True}),
        }


projections = [ProductProjection()]
