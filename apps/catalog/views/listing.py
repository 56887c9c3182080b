"""Storefront lists of the catalogue, read from the product documents: the shop (`/shop/`, with
its search `?q=`), a category (its products and its sub-categories'), a collection.

Each page works without JavaScript: the filters are a GET form of checkboxes (attributes,
availability) and price bounds, with links for sub-categories and price ranges; every filter in
force is listed with a link that removes it; pages are links that keep the filters. A filtered or
sorted page names the plain list as its canonical address and asks not to be indexed.

What a page costs does not grow with its length (apps.catalog.lists): the category tree and the
filterable attributes once, the page of documents, and its counts in one aggregate plus one per
filter group in force. Each product card is its document's markup (`data.card.html`, rendered
by the projection from card.html), with nothing formatted or rendered per card here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.encoding import iri_to_uri
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from apps.catalog import lists
from apps.catalog.lists import ATTRIBUTES_TAG, CATEGORIES_TAG, COLLECTIONS_TAG, Category, Facet, Tree, Value
from apps.catalog.models import Collection, ProductCategory
from apps.catalog.projections import CARD_TEMPLATE, CATEGORY_PATH, COLLECTION_PATH
from apps.catalog.services.shop import shop_settings
from apps.index import tags
from apps.site.selectors import for_request as site_settings
from rustok import page_cache, renditions
from rustok.i18n import current_language, language_codes
from rustok.storefront import address_with

SHOP_PATH = "/shop/"
EAGER_CARDS = 4  # the first cards' pictures load at once, the others when scrolled to


@dataclass(frozen=True)
class Link:
    """A link the page shows: a breadcrumb, a sub-category (with its count), a filter to remove."""

    label: str
    url: str
    current: bool = False
    count: int | None = None


@dataclass(frozen=True)
class PageLink:
    """An entry of the pagination: a page number with its address, or an ellipsis (no number)."""

    number: int | None
    url: str
    current: bool


def _tree(request: HttpRequest, language: str) -> Tree:
    """The category tree for readers of `language`, kept until a category changes."""
    return page_cache.fragment(
        request, "catalog.tree", lambda: Tree(language), vary=(language,), tags=[CATEGORIES_TAG], shared=True
    )


def _attribute_facets(request: HttpRequest, language: str) -> list[Facet]:
    """The filterable attributes as facets for readers of `language`, kept until one changes."""
    return page_cache.fragment(
        request,
        "catalog.facets",
        lambda: lists.attribute_facets(language),
        vary=(language,),
        tags=[ATTRIBUTES_TAG],
    )


def _counts_kept(request: HttpRequest):
    """How a list's counts are kept (lists.find's `keep`): until a tag the page shows changes
    (the documents of its list, the categories, the attributes)."""

    def keep(vary, count):
        shown = page_cache.tags_of(request)
        return page_cache.fragment(request, "catalog.counts", count, vary=vary, tags=shown)

    return keep


def card_markup(card: lists.Card, lazy: bool) -> SafeString:
    """A product card as its document holds it (escaped when the projection rendered it); for a
    document written before documents held it, rendered now."""
    html = card.html_lazy if lazy else card.html
    if html is None:
        return render_to_string(CARD_TEMPLATE, {"product": card.data, "lazy": lazy})
    return mark_safe(html)  # noqa: S308 (rendered by card.html, which escapes what it shows)


# --- what the reader asked -----------------------------------------------------------------------


def _page_number(request: HttpRequest) -> int:
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        raise Http404("No such page of products.") from None
    if number < 1:
        raise Http404("No such page of products.")
    return number


def _sorts(q: str, collection: bool) -> list[tuple[str, str]]:
    sorts = []
    if q:
        sorts.append(("relevance", _("Relevance")))
    if collection:
        sorts.append(("featured", _("Featured")))
    sorts += [
        ("newest", _("Newest")),
        ("price", _("Price: low to high")),
        ("-price", _("Price: high to low")),
    ]
    return sorts


def _filters(request: HttpRequest, facets: list[Facet]):
    """The filters in force (a test per facet param), the facets with their chosen values, and
    the chosen filters as links that remove them."""
    filters: dict[str, lists.Test] = {}
    removals: list[Link] = []
    for facet in facets:
        known = {value.value: value for value in facet.values}
        chosen = [v for v in dict.fromkeys(request.GET.getlist(facet.param)) if v in known][
            : lists.MAX_VALUES
        ]
        facet.chosen = chosen
        if chosen:
            filters[facet.param] = lists.has_any_key([f"attribute:{facet.param}:{v}" for v in chosen])
            for value in chosen:
                rest = [v for v in chosen if v != value]
                label = f"{facet.label}: {known[value].label}"
                removals.append(Link(label, address_with(request, **{facet.param: rest})))
    low, high = lists.price(request.GET.get("price_min")), lists.price(request.GET.get("price_max"))
    if low is not None or high is not None:
        filters["price"] = lists.priced(low, high)
        removals.append(Link("", address_with(request, price_min=None, price_max=None)))  # labelled later
    in_stock = request.GET.get("in_stock") == "1"
    if in_stock:
        filters["in_stock"] = lists.available()
        removals.append(Link(_("In stock"), address_with(request, in_stock=None)))
    return filters, removals, low, high, in_stock


# --- the page ------------------------------------------------------------------------------------


def _tree_markup(request: HttpRequest, tree: Tree, language: str, current: Category | None) -> SafeString:
    """The tree's links as a page of `current` shows them, kept as the tree is."""
    return page_cache.fragment(
        request,
        "catalog.tree_html",
        lambda: _tree_html(tree, current),
        vary=(language, current.id if current else None),
        tags=[CATEGORIES_TAG],
        shared=True,
    )


def _tree_html(tree: Tree, current: Category | None) -> SafeString:
    """The category tree as nested lists of links: the top categories, and the branch of the
    current one open down to its children; the current one marked (aria-current)."""
    open_ids = {a.id for a in current.ancestors} | {current.id} if current else set()

    def branch(nodes: list[Category]) -> SafeString:
        items = []
        for node in nodes:
            mark = mark_safe(' aria-current="page"') if current and node.id == current.id else ""
            below = branch(node.children) if node.id in open_ids and node.children else ""
            items.append(format_html('<li><a href="{}"{}>{}</a>{}</li>', node.url, mark, node.name, below))
        return format_html("<ul>{}</ul>", mark_safe("".join(items)))  # noqa: S308 (escaped above)

    return branch(tree.roots) if tree.roots else mark_safe("")


def _pagination(request: HttpRequest, number: int, pages: int) -> list[PageLink]:
    from django.core.paginator import Paginator

    paginator = Paginator(range(pages), 1)
    return [
        PageLink(None, "", False)
        if entry == paginator.ELLIPSIS
        else PageLink(entry, address_with(request, page=entry), entry == number)
        for entry in paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)
    ]


def _listing(
    request: HttpRequest,
    *,
    tree: Tree,
    heading: str,
    path: str,
    alternates: list[tuple[str, str]],
    scope: str = "",
    current: Category | None = None,
    links: list[Category] = (),
    collection: int | None = None,
    **extra,
) -> HttpResponse:
    """One page of products under `heading`; `path` is the list's own address (no language),
    `alternates` its address per language it has."""
    language = current_language()
    number = _page_number(request)
    q = lists.search_text(request.GET.get("q", ""))
    facets = _attribute_facets(request, language)
    price_facet = Facet("price", _("Price"), lists.price_buckets())
    stock_facet = Facet("in_stock", _("Availability"), [Value("1", _("In stock"), lists.available())])
    filters, removals, low, high, in_stock = _filters(request, facets)
    stock_facet.chosen = ["1"] if in_stock else []
    if q:
        removals.insert(0, Link(f"{_('Search')}: {q}", address_with(request, q=None, sort=None)))
    sorts = _sorts(q, collection is not None)
    known_sorts = [value for value, _label in sorts]
    sort = request.GET.get("sort", "")
    sort = sort if sort in known_sorts else known_sorts[0] if (q or collection) else "newest"

    per_page = site_settings(request).items_per_page or 24
    found = lists.find(
        language=language,
        scope=scope,
        q=q,
        filters=filters,
        facets=[*facets, price_facet, stock_facet],
        categories=links,
        sort=sort,
        collection=collection,
        offset=(number - 1) * per_page,
        limit=per_page,
        keep=_counts_kept(request),
    )
    # The shop's currency, as the documents name it (the settings only when there are none).
    currency = found.products[0].currency if found.products else shop_settings().default_currency
    for value in price_facet.values:
        value.label = lists.price_range(*value.bounds, currency)
    removals = [
        Link(f"{_('Price')}: {lists.price_range(low, high, currency)}", link.url) if not link.label else link
        for link in removals
    ]
    pages = max(1, math.ceil(found.count / per_page))
    if number > pages:
        raise Http404("No such page of products.")

    filtered = bool(filters or q or "sort" in request.GET)
    absolute = request.build_absolute_uri
    base = iri_to_uri(request.path)
    for value in price_facet.values:  # price ranges are links setting both bounds
        low_text, _dash, high_text = value.value.partition("-")
        value.url = address_with(request, price_min=low_text or None, price_max=high_text or None)
    kept = _kept(request)
    subcategories = [
        Link(
            node.name,
            f"{node.url}{'&' if '?' in node.url else '?'}{kept}" if kept else node.url,
            count=counted,
        )
        for node in links
        if (counted := found.categories.get(node.id))
    ]
    context = {
        "heading": heading,
        "page_title": heading
        if number == 1
        else _("%(heading)s, page %(number)s") % {"heading": heading, "number": number},
        "cards": [card_markup(card, place >= EAGER_CARDS) for place, card in enumerate(found.products)],
        "count": found.count,
        "query": q,
        "facets": [f for f in facets if f.values],
        "price_facet": price_facet if price_facet.values or low is not None or high is not None else None,
        "stock_facet": stock_facet if stock_facet.values else None,
        "price_min": request.GET.get("price_min", "") if low is not None else "",
        "price_max": request.GET.get("price_max", "") if high is not None else "",
        "currency": currency,
        "subcategories": subcategories,
        "chosen": removals,
        "clear_url": address_with(request, **{name: None for name in request.GET if name != "lang"})
        if removals
        else "",
        "sorts": sorts,
        "sort": sort,
        "hidden": [(name, request.GET[name]) for name in ("q", "lang") if request.GET.get(name)],
        "tree": _tree_markup(request, tree, language, current),
        "page_number": number,
        "num_pages": pages,
        "pages": _pagination(request, number, pages) if pages > 1 else [],
        "previous_url": address_with(request, page=number - 1) if number > 1 else "",
        "next_url": address_with(request, page=number + 1) if number < pages else "",
        "shop_url": lists.address(SHOP_PATH, language),
        "canonical": absolute(lists.address(path, language, number)),
        "alternates": [{"code": code, "url": absolute(url)} for code, url in alternates],
        "robots": "noindex,follow" if filtered else "",
        "list_path": base,
        "list_url": lists.address(path, language),  # the list's own address in this language
        **extra,
    }
    return render(request, "storefront/catalog/list.html", context)


def _kept(request: HttpRequest) -> str:
    """The filters a sub-category's link carries along (its counts were counted with them)."""
    query = request.GET.copy()
    for name in list(query):
        if name in ("page", "lang"):
            query.pop(name)
    return query.urlencode()


def _picture(model, name: str) -> dict | None:
    """A category's or collection's image with the renditions made so far (None without one)."""
    if not name:
        return None
    return renditions.picture(name, storage=model._meta.get_field("image").storage, make=False)


def _alternates(path_pattern: str | None, slugs: dict[str, str], languages: list[str], number: int):
    found = []
    for code in languages:
        path = lists.slug_path(path_pattern, slugs, code) if path_pattern else SHOP_PATH
        found.append((code, lists.address(path, code, number)))
    return found


def shop(request: HttpRequest) -> HttpResponse:
    """Every active product, newest first; with `?q=`, those that have the words, best first."""
    language = current_language()
    tree = _tree(request, language)
    page_cache.depends_on(request, tags.of_type("product"), CATEGORIES_TAG)
    number = _page_number(request)
    return _listing(
        request,
        tree=tree,
        heading=_("Shop"),
        path=SHOP_PATH,
        alternates=_alternates(None, {}, language_codes(), number),
        links=tree.roots,
        breadcrumbs=[],
    )


def category(request: HttpRequest, slug: str) -> HttpResponse:
    """The products of a category and of the categories under it."""
    language = current_language()
    tree = _tree(request, language)
    found = tree.by_slug(slug)
    if found is None:
        raise Http404("No such category.")
    page_cache.depends_on(request, tags.of_key("product", found.key), CATEGORIES_TAG)
    number = _page_number(request)
    shop_link = Link(_("Shop"), lists.address(SHOP_PATH, language))
    return _listing(
        request,
        tree=tree,
        heading=found.name,
        path=lists.slug_path(CATEGORY_PATH, found.slugs, language),
        alternates=_alternates(CATEGORY_PATH, found.slugs, found.languages or language_codes(), number),
        scope=found.key,
        current=found,
        links=found.children,
        breadcrumbs=[shop_link, *(Link(a.name, a.url) for a in found.ancestors)],
        description=found.description,
        picture=_picture(ProductCategory, found.image),
    )


def collection(request: HttpRequest, slug: str) -> HttpResponse:
    """The products of a collection shown now, in the collection's order."""
    language = current_language()
    found = lists.collection_by_slug(slug, language)
    if found is None:
        raise Http404("No such collection.")
    tree = _tree(request, language)
    page_cache.depends_on(
        request, tags.of_key("product", f"collection:{found.id}"), CATEGORIES_TAG, COLLECTIONS_TAG
    )
    number = _page_number(request)
    return _listing(
        request,
        tree=tree,
        heading=found.name,
        path=lists.slug_path(COLLECTION_PATH, found.slugs, language),
        alternates=_alternates(COLLECTION_PATH, found.slugs, found.languages or language_codes(), number),
        scope=f"collection:{found.id}",
        collection=found.id,
        breadcrumbs=[Link(_("Shop"), lists.address(SHOP_PATH, language))],
        description=found.description,
        picture=_picture(Collection, found.image),
    )
