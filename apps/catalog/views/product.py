"""Storefront pages of the catalogue: a product's page, read from its document.

One query (the product's document in the reader's language, found by its slug in that language
or a fallback one); nothing is computed per request beyond formatting. Drafts and archived
products have no document, so their pages are 404 like any unknown address. The shop's other
pages (categories, collections, search with facets, cart) come with the shop on the storefront.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from apps.catalog import selectors
from rustok import money


def _absolute(request: HttpRequest, url: str) -> str:
    return request.build_absolute_uri(url) if url else ""


def _shown(attribute: dict) -> list:
    """An attribute's values as the page shows them: choices by name, yes or no, rich text as the
    HTML it was sanitised to when written, the rest as text."""
    shown = []
    for value in attribute["values"]:
        if isinstance(value, dict):
            shown.append(value["name"])
        elif isinstance(value, bool):
            shown.append(gettext("Yes") if value else gettext("No"))
        elif attribute["type"] == "rich_text":
            shown.append(mark_safe(value))  # noqa: S308 (sanitised by rustok.markup when written)
        else:
            shown.append(value)
    return shown


def product(request: HttpRequest, slug: str) -> HttpResponse:
    """An active product: its gallery, price, availability, description, variants and attributes."""
    document = selectors.document_by_slug(slug)
    if document is None:
        raise Http404("No such product.")
    data, detail = document.data, document.detail
    price = data.get("price") or {}
    currency = data.get("currency", "")
    compare_at = price.get("compare_at")
    pictures = detail.get("pictures") or []
    context = {
        "product": data,
        "detail": detail,
        # description_html was sanitised (rustok.markup) when the product was written.
        "description_html": mark_safe(detail.get("description_html") or ""),  # noqa: S308
        "price": price.get("formatted", ""),
        "price_varies": price.get("min") != price.get("max"),
        "compare_at": money.format_minor(compare_at, currency) if compare_at else "",
        "pictures": pictures,
        "attributes": [{"name": a["name"], "values": _shown(a)} for a in detail.get("attributes", [])],
        "variants": [
            {
                **variant,
                "price": (variant.get("prices") or {}).get(currency, {}).get("formatted", ""),
                "options": [
                    value["name"]
                    for option in data.get("options", [])
                    for value in option["values"]
                    if variant["options"].get(option["slug"]) == value["slug"]
                ],
            }
            for variant in detail.get("variants", [])
        ],
        "page_title": detail.get("seo_title") or data.get("name"),
        "description": detail.get("description", ""),
        "canonical": _absolute(request, document.url),
        "alternates": [
            {"code": alternate["code"], "url": _absolute(request, alternate["url"])}
            for alternate in detail.get("alternates", [])
        ],
        "og_type": "product",
        "og_image": _absolute(request, pictures[0]["url"]) if pictures else "",
    }
    return render(request, "storefront/catalog/product.html", context)
