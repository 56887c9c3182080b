"""Storefront pages of the catalogue: a product's page, read from its document.

One query (the product's document in the reader's language, found by its slug in that language
or a fallback one); what the page shows is picked from the document here, so the template only
prints it. Drafts and archived products have no document, so their pages are 404 like any unknown
address.

The variant picker is a GET form to the page itself: `?colour=black&size=m` (the options' slugs
as parameters) shows that variant's price, stock and SKU, without JavaScript; product.js does the
same in place from the variants the page embeds (`json_script`). The canonical address stays the
product's own, so the combinations are not pages of their own to search engines.

"Add to cart" and the page cache (docs/catalog.md, "Storefront"): anonymous readers share one
cached copy of the page, so it holds no CSRF token (a token is the reader's own, and rendering
one sets the csrftoken cookie, which keeps the answer out of the cache). product.js puts the
reader's token into the form when it is sent: the csrftoken cookie's value (Django accepts the
cookie's secret as the form's token), fetched first from `/api/auth/csrf/` when the browser has
none. Without JavaScript the button asks for the page again with `?buy=1`, which is never cached
and renders the form with the token (`{% csrf_token %}`): the reader confirms there. Signed-in
readers never get a cached page, so theirs has the token from the start.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_noop

from apps.catalog import lists, selectors
from apps.catalog.stock import IN_STOCK, LOW_STOCK, OUT_OF_STOCK
from apps.catalog.views import listing
from apps.index import tags
from rustok import money, page_cache
from rustok import storefront as hooks
from rustok.i18n import current_language, for_language, site_language

SHOP_PATH = "/shop/"
OUT_OF_STOCK_REASON = gettext_noop("This option is out of stock.")
NO_VARIANT_REASON = gettext_noop("Choose an available combination of options.")
SCHEMA_AVAILABILITY = {
    IN_STOCK: "https://schema.org/InStock",
    LOW_STOCK: "https://schema.org/LimitedAvailability",
    OUT_OF_STOCK: "https://schema.org/OutOfStock",
}
# What json_script escapes, so that no text of the document can close the <script> element.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


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


def _stock_labels() -> dict[str, str]:
    return {
        IN_STOCK: gettext("In stock"),
        LOW_STOCK: gettext("Only a few left"),
        OUT_OF_STOCK: gettext("Out of stock"),
    }


def _variant(variant: dict, options: list[dict], currency: str, labels: dict) -> dict:
    """A variant as the page and product.js show it: its price and compare-at price formatted in
    the reader's language, its stock state and what it is called."""
    price = (variant.get("prices") or {}).get(currency) or {}
    compare_at = price.get("compare_at")
    if compare_at and compare_at > price.get("amount", 0):
        compare_at_shown = price.get("compare_at_formatted") or money.format_minor(compare_at, currency)
    else:
        compare_at_shown = ""
    # Documents written before the low-stock state have only `in_stock`.
    stock = variant.get("stock") or (IN_STOCK if variant.get("in_stock", True) else OUT_OF_STOCK)
    names = [
        value["name"]
        for option in options
        for value in option["values"]
        if variant["options"].get(option["slug"]) == value["slug"]
    ]
    return {
        "id": variant["id"],
        "sku": variant["sku"],
        "name": ", ".join(names) or variant.get("name") or variant["sku"],
        "options": variant["options"],
        "amount": price.get("amount"),
        "price": price.get("formatted", ""),
        "compare_at": compare_at_shown,
        "stock": stock,
        "stock_label": labels[stock],
        "buyable": stock != OUT_OF_STOCK and price.get("amount") is not None,
    }


def _chosen(request: HttpRequest, options: list[dict]) -> dict[str, str]:
    """The option values the reader chose (`?colour=black`), those the product has only."""
    chosen = {}
    for option in options:
        value = request.GET.get(option["slug"])
        if value in {v["slug"] for v in option["values"]}:
            chosen[option["slug"]] = value
    return chosen


def _select(request: HttpRequest, variants: list[dict], options: list[dict]) -> tuple[dict | None, dict]:
    """The variant the page shows (None: no variant has the options chosen) and the choice the
    picker shows checked.

    A variant asked by id (`?variant=`, the confirmation without JavaScript) comes first; then the
    options chosen: the first buyable variant that has them, else the first that has them, else
    none (no variant has that combination). Without a choice, the first buyable variant."""
    asked = request.GET.get("variant")
    for variant in variants:
        if asked and str(variant["id"]) == asked:
            return variant, dict(variant["options"])
    chosen = _chosen(request, options)
    matching = [v for v in variants if all(v["options"].get(k) == value for k, value in chosen.items())]
    if chosen and not matching:
        return None, chosen
    found = next((v for v in matching if v["buyable"]), matching[0] if matching else None)
    return found, {**(found["options"] if found else {}), **chosen}


def _options(options: list[dict], variants: list[dict], chosen: dict) -> list[dict]:
    """The picker's fieldsets: each option's values, the chosen one checked, and unavailable
    those no buyable variant has together with the other options chosen."""
    fieldsets = []
    for option in options:
        slug = option["slug"]
        others = {k: v for k, v in chosen.items() if k != slug}
        values = []
        for value in option["values"]:
            wanted = {**others, slug: value["slug"]}
            available = any(
                v["buyable"] and all(v["options"].get(k) == x for k, x in wanted.items()) for v in variants
            )
            values.append({**value, "checked": chosen.get(slug) == value["slug"], "available": available})
        fieldsets.append({**option, "values": values, "swatch": option.get("type") == "swatch"})
    return fieldsets


def _json_ld(data: dict) -> str:
    """`data` as JSON that is safe inside a <script> element (as json_script escapes it)."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES))  # noqa: S308


def _offer(variant: dict, currency: str, url: str) -> dict:
    return {
        "@type": "Offer",
        "sku": variant["sku"],
        "price": str(money.to_money(variant["amount"], currency).amount),
        "priceCurrency": currency,
        "availability": SCHEMA_AVAILABILITY[variant["stock"]],
        "url": url,
    }


def _structured(request, data, detail, variants, currency, canonical, pictures) -> dict:
    """The product as schema.org `Product` (JSON-LD): an Offer per variant with a price, grouped
    in an AggregateOffer when there are several."""
    found = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": data.get("name", ""),
        "description": detail.get("description", ""),
        "url": canonical,
    }
    if pictures:
        found["image"] = [_absolute(request, p["url"]) for p in pictures]
    if len(variants) == 1:
        found["sku"] = variants[0]["sku"]
    brand = next((a for a in detail.get("attributes", []) if a.get("slug") == "brand"), None)
    if brand and brand["values"]:
        first = brand["values"][0]
        found["brand"] = {"@type": "Brand", "name": first["name"] if isinstance(first, dict) else str(first)}
    priced = [v for v in variants if v["amount"] is not None]
    offers = []
    for variant in priced:
        query = urlencode(sorted((k, v) for k, v in variant["options"].items() if v))
        url = f"{canonical}{'&' if '?' in canonical else '?'}{query}" if query else canonical
        offers.append(_offer(variant, currency, url))
    if len(offers) == 1:
        found["offers"] = offers[0]
    elif offers:
        amounts = [v["amount"] for v in priced]
        found["offers"] = {
            "@type": "AggregateOffer",
            "priceCurrency": currency,
            "lowPrice": str(money.to_money(min(amounts), currency).amount),
            "highPrice": str(money.to_money(max(amounts), currency).amount),
            "offerCount": len(offers),
            "offers": offers,
        }
    return found


def _breadcrumbs(data: dict, detail: dict, language: str) -> list[dict]:
    """The shop, then the way down to the product's first category."""
    crumbs = [{"name": gettext("Shop"), "url": for_language(SHOP_PATH, language)}]
    categories = data.get("categories") or []
    path = detail.get("breadcrumbs") or categories[:1]  # documents written before it had a path
    return crumbs + [{"name": category["name"], "url": category["url"]} for category in path]


def _related(request: HttpRequest, document) -> list[lists.Card]:
    """The newest other products of its first category: the section changes with any product
    that enters, leaves or changes in that category (one shown or one that would be)."""
    categories = document.data.get("categories") or []
    if categories:
        page_cache.depends_on(request, tags.of_key("product", f"category:{categories[0]['id']}"))
    return lists.related(document)


def product(request: HttpRequest, slug: str) -> HttpResponse:
    """An active product: its gallery, the variant picker with the chosen variant's price and
    stock, "Add to cart", description, attributes and structured data."""
    document = selectors.document_by_slug(slug)
    if document is None:
        raise Http404("No such product.")
    page_cache.depends_on(request, tags.of_object("product", document.object_id))
    data, detail = document.data, document.detail
    related = page_cache.fragment(
        request, "catalog.related", lambda: _related(request, document), vary=(document.pk,)
    )
    language = current_language()
    price = data.get("price") or {}
    currency = data.get("currency", "")
    pictures = detail.get("pictures") or []
    options = data.get("options") or []
    labels = _stock_labels()
    reasons = {"out_of_stock": gettext(OUT_OF_STOCK_REASON), "no_variant": gettext(NO_VARIANT_REASON)}
    variants = [_variant(v, options, currency, labels) for v in detail.get("variants", [])]
    selected, chosen = _select(request, variants, options)
    canonical = _absolute(request, document.url)
    buy = hooks.buy_action(request)
    confirming = buy is not None and selected is not None and request.GET.get("buy") == "1"
    context = {
        "product": data,
        "detail": detail,
        # description_html was sanitised (rustok.markup) when the product was written.
        "description_html": mark_safe(detail.get("description_html") or ""),  # noqa: S308
        "price": price.get("formatted", ""),
        "price_varies": price.get("min") != price.get("max"),
        "pictures": pictures,
        "thumbnails": [_thumbnail(p) for p in pictures] if len(pictures) > 1 else [],
        "attributes": [{"name": a["name"], "values": _shown(a)} for a in detail.get("attributes", [])],
        "variants": variants,
        "related": [listing.card_markup(card, lazy=True) for card in related],
        "options": _options(options, variants, chosen),
        "selected": selected,
        "shown_compare_at": selected["compare_at"] if selected else "",
        "quantity": _quantity(request) if confirming else 1,
        "picker_data": {"variants": variants, "reasons": reasons},  # for product.js
        "reasons": reasons,
        "page_path": document.url.split("?", 1)[0],
        "language_field": language if language != site_language() else "",
        "breadcrumbs": _breadcrumbs(data, detail, language),
        "buy": buy,
        # The token in the HTML only where the answer is never shared (docstring above).
        "csrf_in_page": confirming or request.user.is_authenticated,
        "confirming": confirming,
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        "csrf_url": reverse("auth-csrf"),
        "json_ld": _json_ld(_structured(request, data, detail, variants, currency, canonical, pictures)),
        "page_title": detail.get("seo_title") or data.get("name"),
        "description": detail.get("description", ""),
        "canonical": canonical,
        "alternates": [
            {"code": alternate["code"], "url": _absolute(request, alternate["url"])}
            for alternate in detail.get("alternates", [])
        ],
        "og_type": "product",
        "og_image": _absolute(request, pictures[0]["url"]) if pictures else "",
        "og_price": _og_price(selected, price, currency),
        "currency": currency,
    }
    response = render(request, "storefront/catalog/product.html", context)
    if confirming:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _quantity(request: HttpRequest) -> int:
    """The quantity a reader without JavaScript asked for (the confirmation), 1 if unreadable."""
    value = request.GET.get("quantity", "")
    return min(int(value), 9999) if value.isdigit() and int(value) > 0 else 1


def _thumbnail(picture: dict) -> dict:
    """A gallery picture's smallest rendition, for its thumbnail button."""
    renditions = picture.get("renditions") or []
    smallest = min(renditions, key=lambda r: r["width"]) if renditions else picture
    return {"url": smallest["url"], "alt": picture.get("alt", "")}


def _og_price(selected: dict | None, price: dict, currency: str) -> str:
    """The price OpenGraph announces (major units): the variant shown, else the lowest."""
    amount = selected["amount"] if selected and selected["amount"] is not None else price.get("min")
    return str(money.to_money(amount, currency).amount) if amount is not None and currency else ""
