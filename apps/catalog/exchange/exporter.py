"""Export of the catalogue to the import's format: every product and variant, every column.

Products in id order, their variants by position, then id; a product without a variant is one
row with an empty `sku`. Reading the file back with the importer changes nothing, and into an
empty site (with the same types, attributes, categories, tax classes and currencies) it makes
the same catalogue.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch

from apps.catalog.exchange.columns import PRICE_KINDS, TEXT_TYPES, Layout, layout
from apps.catalog.exchange.files import write_rows
from apps.catalog.models import InputType, Product, Variant
from apps.catalog.translation import PRODUCT_FIELDS
from rustok import money
from rustok.permissions import require
from rustok.texts import column

PERM = "catalog.view_catalog"
CHUNK = 500


def export_file(file, *, actor, name: str = "export.csv", progress=None) -> int:
    """Write the catalogue to `file` (CSV, or XLSX by `name`); how many rows.
    `progress(done, total)` is called as products pass."""
    require(actor, PERM)
    return write_rows(file, name, export_rows(actor=actor, progress=progress))


def export_rows(*, actor, progress=None) -> Iterator[list[str]]:
    """The header, then one row per variant (or per product without one)."""
    require(actor, PERM)
    site = layout()
    header = site.columns()
    yield header
    ids = list(Product.objects.order_by("id").values_list("id", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        products = (
            Product.objects.filter(pk__in=chunk)
            .order_by("id")
            .select_related("product_type", "tax_class")
            .prefetch_related(
                "categories",
                "attribute_values__choices",
                Prefetch(
                    "variants",
                    queryset=Variant.objects.order_by("position", "id").prefetch_related(
                        "attribute_values__choices", "prices"
                    ),
                ),
            )
        )
        products = list(products)
        provided = {}
        variants = [v for p in products for v in p.variants.all()]
        for provider in {id(p): p for p in site.provided.values()}.values():
            for variant_id, cells in provider.export(variants).items():
                provided.setdefault(variant_id, {}).update(cells)
        for product in products:
            yield from _rows(site, header, product, provided)
        if progress is not None:
            progress(min(start + CHUNK, len(ids)), len(ids))


def _rows(site: Layout, header: list[str], product: Product, provided: dict) -> Iterator[list[str]]:
    by_id = site.by_id
    cells = {
        "product": _key(site, product),
        "product_type": product.product_type.slug,
        "status": product.status,
        "categories": "|".join(_category_slug(site, c) for c in sorted(product.categories.all(), key=_pk)),
        "tax_class": product.tax_class.slug if product.tax_class else "",
        "weight_grams": _number(product.weight_grams),
    }
    for field in PRODUCT_FIELDS:
        for code in site.languages:
            cells[f"{field}:{code}"] = getattr(product, column(field, code)) or ""
    cells.update(_values(site, "attribute", product.attribute_values.all(), by_id))
    variants = list(product.variants.all()) or [None]
    for variant in variants:
        row = dict(cells)
        if variant is not None:
            row.update(
                {
                    "sku": variant.sku,
                    "barcode": variant.barcode,
                    "variant_weight_grams": _number(variant.weight_grams),
                    "track_inventory": "true" if variant.track_inventory else "false",
                    "position": str(variant.position),
                }
            )
            for code in site.languages:
                row[f"variant_name:{code}"] = getattr(variant, column("name", code)) or ""
            row.update(_values(site, "variant_attribute", variant.attribute_values.all(), by_id))
            for price in variant.prices.all():
                for kind, field in PRICE_KINDS.items():
                    amount = getattr(price, field)
                    if amount is not None:
                        row[f"{kind}:{price.currency}"] = money.format_major(amount, price.currency)
            row.update(provided.get(variant.pk, {}))
        yield [row.get(name, "") for name in header]


def _values(site: Layout, prefix: str, values, by_id) -> dict[str, str]:
    cells = {}
    for value in values:
        attribute = by_id[value.attribute_id]
        kind, slug = attribute.input_type, attribute.slug
        if kind in TEXT_TYPES:
            for code in site.languages:
                cells[f"{prefix}:{slug}:{code}"] = getattr(value, column("text", code)) or ""
        elif kind == InputType.NUMBER:
            cells[f"{prefix}:{slug}"] = "" if value.number is None else _decimal(value.number)
        elif kind == InputType.BOOLEAN:
            cells[f"{prefix}:{slug}"] = (
                "" if value.boolean is None else ("true" if value.boolean else "false")
            )
        elif kind == InputType.DATE:
            cells[f"{prefix}:{slug}"] = value.date.isoformat() if value.date else ""
        else:
            cells[f"{prefix}:{slug}"] = "|".join(choice.slug for choice in value.choices.all())
    return cells


def _key(site: Layout, product: Product) -> str:
    """The product's key: its slug in the site's language, else its first slug."""
    own = getattr(product, column("slug", site.site_language))
    return own or next(
        (getattr(product, column("slug", c)) for c in site.languages if getattr(product, column("slug", c))),
        "",
    )


def _category_slug(site: Layout, category) -> str:
    own = getattr(category, column("slug", site.site_language))
    return own or next(
        (
            getattr(category, column("slug", c))
            for c in site.languages
            if getattr(category, column("slug", c))
        ),
        "",
    )


def _pk(obj) -> int:
    return obj.pk


def _number(value) -> str:
    return "" if value is None else str(value)


def _decimal(value) -> str:
    """A stored number without the zeros its column pads it with: 1.2500 → 1.25, 100.0000 → 100."""
    text = format(value.normalize(), "f")
    return text
