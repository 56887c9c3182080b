"""Readers' product lists on the storefront: the shop, a category, a collection. What they read:
the category tree and the filterable attributes (one query each, small tables), a page of product
documents and the facet counts with the total (apps.catalog.views.listing renders them).

A list costs a fixed number of queries whatever its length and whatever filters are chosen: the
page of documents, and every count in one aggregate over the documents of the list (facets are
disjunctive: a value counts with every filter but its own facet's, so choosing red still shows how
many blue ones there are). Counting is SQL (`COUNT(*) FILTER (WHERE ...)` per value), never Python
over rows.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BigIntegerField, F, JSONField, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils.encoding import iri_to_uri
from django.utils.translation import get_language, gettext, pgettext

from apps.catalog import selectors
from apps.catalog.models import Attribute, CollectionProduct, InputType, ProductCategory
from apps.catalog.projections import Texts, category_url, collection_url
from apps.index.models import Document
from apps.index.projections import text_config
from apps.index.selectors import MAX_QUERY_LENGTH, PRICE_BUCKETS, tsquery_text
from rustok import money
from rustok.i18n import fallback_order, for_language, language_codes
from rustok.texts import column

# The page cache tags of what these pages show besides products (apps.catalog.handlers drops them).
CATEGORIES_TAG = "catalog:categories"
COLLECTIONS_TAG = "catalog:collections"
ATTRIBUTES_TAG = "catalog:attributes"  # the filterable attributes, their names and choices

# Query parameters of a list that are not attribute filters.
RESERVED = frozenset({"q", "sort", "page", "price_min", "price_max", "in_stock", "lang"})
SORTS = ("relevance", "featured", "newest", "price", "-price")
MAX_VALUES = 20  # chosen values of one attribute taken into account
CHOICE_TYPES = (InputType.CHOICE, InputType.MULTI_CHOICE, InputType.SWATCH)


def _rows(queryset: QuerySet, *fields, **expressions) -> list[dict]:
    """Rows of a translated model with every language's column, no fallbacks added per row."""
    if hasattr(queryset, "rewrite"):
        queryset = queryset.rewrite(False)
    return list(queryset.values(*fields, **expressions))


def _columns(*fields) -> list[str]:
    return [column(name, code) for name in fields for code in language_codes()]


def _given(row: dict, name: str) -> dict[str, str]:
    """A translated field's non-empty values of a row, by language."""
    return {code: row[column(name, code)] for code in language_codes() if row[column(name, code)]}


class _Row:
    """A dict's keys as attributes, which `Texts` and the projections' URL helpers read."""

    def __init__(self, row: dict):
        self.__dict__.update(row)


# --- the category tree ---------------------------------------------------------------------------


@dataclass
class Category:
    """A category as readers of one language see it."""

    id: int
    parent_id: int | None
    name: str
    url: str
    description: str
    image: str  # the file's name in storage, "" without one
    updated_at: object
    slugs: dict[str, str]  # its own slug per language it has one in
    languages: list[str]  # the languages it has a name in
    children: list[Category] = field(default_factory=list)
    ancestors: list[Category] = field(default_factory=list)  # from the top down
    depth: int = 0

    @property
    def key(self) -> str:
        return f"category:{self.id}"


class Tree:
    """Every category of the shop in the tree's order, for readers of `language` (one query).
    Never changed once made: the pages of a process share one (views.listing._tree)."""

    def __init__(self, language: str):
        self.language = language
        t = Texts(language)
        rows = _rows(
            ProductCategory.objects.order_by("position", "id"),
            "pk",
            "parent_id",
            "image",
            "updated_at",
            *_columns("name", "slug", "description"),
        )
        self.nodes: dict[int, Category] = {}
        for row in rows:
            obj = _Row(row)
            self.nodes[row["pk"]] = Category(
                id=row["pk"],
                parent_id=row["parent_id"],
                name=t(obj, "name"),
                url=category_url(obj, language, t),
                description=t(obj, "description"),
                image=row["image"] or "",
                updated_at=row["updated_at"],
                slugs={
                    code: row[column("slug", code)] for code in language_codes() if row[column("slug", code)]
                },
                languages=[code for code in language_codes() if row[column("name", code)]],
            )
        self.roots: list[Category] = []
        for node in self.nodes.values():
            parent = self.nodes.get(node.parent_id) if node.parent_id else None
            (parent.children if parent else self.roots).append(node)
        for node in self.walk():
            parent = self.nodes.get(node.parent_id) if node.parent_id else None
            node.ancestors = [*parent.ancestors, parent] if parent else []
            node.depth = len(node.ancestors)

    def walk(self, nodes: list[Category] | None = None):
        """Every category, parents before their children, in the tree's order."""
        for node in self.roots if nodes is None else nodes:
            yield node
            yield from self.walk(node.children)

    def by_slug(self, slug: str) -> Category | None:
        """The category whose slug is `slug` in the reader's language, else in a fallback one (as
        products' slugs are found)."""
        for code in fallback_order(self.language):
            for node in self.nodes.values():
                if node.slugs.get(code) == slug:
                    return node
        return None


def slug_path(pattern: str, slugs: dict[str, str], language: str) -> str:
    """A category's or collection's path (CATEGORY_PATH, COLLECTION_PATH) with its slug in
    `language` or a fallback's, as its documents link to it."""
    slug = next((slugs[code] for code in fallback_order(language) if slugs.get(code)), "")
    return pattern.format(slug=slug)


def address(path: str, language: str, number: int = 1) -> str:
    """`path` for readers of `language` (`?lang=` but for the site's language), on page `number`."""
    if number > 1:
        path = f"{path}?page={number}"
    return iri_to_uri(for_language(path, language))


# --- collections ---------------------------------------------------------------------------------


@dataclass
class Shelf:
    """A collection shown now, as readers of one language see it."""

    id: int
    name: str
    url: str
    description: str
    image: str
    updated_at: object
    slugs: dict[str, str]
    languages: list[str]


def shown_collections(language: str) -> list[Shelf]:
    """The collections readers see now (their window is open), by name (one query)."""
    t = Texts(language)
    found = selectors.collections(readers=True).prefetch_related(None)
    shelves = []
    for row in _rows(found, "pk", "image", "updated_at", *_columns("name", "slug", "description")):
        obj = _Row(row)
        shelves.append(
            Shelf(
                id=row["pk"],
                name=t(obj, "name"),
                url=collection_url(obj, language, t),
                description=t(obj, "description"),
                image=row["image"] or "",
                updated_at=row["updated_at"],
                slugs=_given(row, "slug"),
                languages=list(_given(row, "name")),
            )
        )
    return shelves


def collection_by_slug(slug: str, language: str) -> Shelf | None:
    """The collection shown now whose slug is `slug` in the reader's language or a fallback one."""
    if "\x00" in slug:
        return None
    shelves = [s for s in shown_collections(language) if slug in s.slugs.values()]
    for code in fallback_order(language):
        for shelf in shelves:
            if shelf.slugs.get(code) == slug:
                return shelf
    return None


# --- facets and filters --------------------------------------------------------------------------


@dataclass(frozen=True)
class Test:
    """A condition on a product document: for the ORM (`q`, the page's query) and as SQL on the
    row `d` (`sql` with its `params`, the counts' query)."""

    q: Q
    sql: str
    params: tuple = ()


def has_key(key: str) -> Test:
    return Test(Q(keys__contains=[key]), "d.keys @> %s::varchar(300)[]", ([key],))


def has_any_key(keys: list[str]) -> Test:
    return Test(Q(keys__overlap=keys), "d.keys && %s::varchar(300)[]", (keys,))


def available() -> Test:
    return Test(Q(availability="in_stock"), "d.availability = %s", ("in_stock",))


@functools.lru_cache(maxsize=256)
def priced(low: Decimal | None, high: Decimal | None) -> Test:
    """Products whose lowest price (major units of the shop's currency) is within both bounds
    (the same few ranges on every list page: made once per process)."""
    q, sql, params = Q(price__isnull=False), ["d.price IS NOT NULL"], []
    if low is not None:
        q, params = q & Q(price__gte=low), [*params, low]
        sql.append("d.price >= %s")
    if high is not None:
        q, params = q & Q(price__lte=high), [*params, high]
        sql.append("d.price <= %s")
    return Test(q, " AND ".join(sql), tuple(params))


@dataclass
class Value:
    """A value of a facet: what the parameter takes, what readers call it, and the test counting it."""

    value: str
    label: str
    test: Test
    count: int = 0
    color: str = ""
    url: str = ""  # for values offered as links (price ranges)
    bounds: tuple = ()  # a price range's (low, high)


@dataclass
class Facet:
    """A group of values readers filter by: an attribute, the price, the availability, the
    sub-categories (links to their pages, not a filter of this page)."""

    param: str
    label: str
    values: list[Value]
    chosen: list[str] = field(default_factory=list)


def attribute_facets(language: str) -> list[Facet]:
    """The filterable attributes with choices or yes/no values, with what readers of `language`
    call them: one query, a row per choice (an attribute without choices on a row of its own)."""
    t = Texts(language)
    names = _columns("name")
    choice_names = {f"choice_{name}": F(f"choices__{name}") for name in names}
    rows = _rows(
        Attribute.objects.filter(filterable=True, input_type__in=[*CHOICE_TYPES, InputType.BOOLEAN]).order_by(
            "position", "id", "choices__position", "choices__id"
        ),
        "slug",
        "input_type",
        *names,
        choice_slug=F("choices__slug"),
        choice_color=F("choices__color"),
        **choice_names,
    )
    facets: dict[str, Facet] = {}
    for row in rows:
        slug = row["slug"]
        if slug in RESERVED:
            continue
        facet = facets.get(slug)
        if facet is None:
            facet = facets[slug] = Facet(param=slug, label=t(_Row(row), "name") or slug, values=[])
            if row["input_type"] == InputType.BOOLEAN:
                facet.values = [
                    Value(value, label, has_key(f"attribute:{slug}:{value}"))
                    for value, label in (("true", gettext("Yes")), ("false", gettext("No")))
                ]
        if row["input_type"] != InputType.BOOLEAN and row["choice_slug"]:
            choice = {name: row[f"choice_{name}"] for name in names}
            value = row["choice_slug"]
            label = t(_Row(choice), "name") or value
            facet.values.append(
                Value(value, label, has_key(f"attribute:{slug}:{value}"), color=row["choice_color"] or "")
            )
    return list(facets.values())


def major_price(value: Decimal, currency: str) -> str:
    return money.format_minor(int(value.scaleb(money.exponent(currency))), currency)


def price_buckets() -> list[Value]:
    """The price ranges offered as links (major units of the shop's currency; both ends
    included, as the minimum and maximum a reader types are), labelled once the currency is
    known (`price_range`)."""
    return [
        Value(
            f"{'' if low is None else low}-{'' if high is None else high}",
            "",
            priced(low, high),
            bounds=(low, high),
        )
        for low, high in PRICE_BUCKETS
    ]


def price_range(low: Decimal | None, high: Decimal | None, currency: str) -> str:
    """A price range as readers of the active language read it: "$10.00 – $50.00", "Up to $10.00"."""
    return _price_range(low, high, currency, get_language())


@functools.lru_cache(maxsize=512)
def _price_range(low: Decimal | None, high: Decimal | None, currency: str, language: str) -> str:
    """`price_range` in `language` (the active one): the same few ranges on every list page."""
    if low is None:
        return gettext("Up to %(price)s") % {"price": major_price(high, currency)}
    if high is None:
        return gettext("%(price)s and more") % {"price": major_price(low, currency)}
    return pgettext("price range", "%(low)s – %(high)s") % {
        "low": major_price(low, currency),
        "high": major_price(high, currency),
    }


def price(value: str | None) -> Decimal | None:
    """A price bound as a reader typed it (major units), None when it is not one."""
    try:
        found = Decimal((value or "").strip().replace(",", "."))
    except InvalidOperation:
        return None
    return found if found.is_finite() and found >= 0 else None


# --- the page ------------------------------------------------------------------------------------


Keep = Callable[[tuple, Callable[[], list[int]]], list[int]]


@dataclass(frozen=True)
class Card:
    """A product of a list as the page shows it: its card's markup as the projection rendered it
    (`html`, and `html_lazy` with pictures loaded when scrolled to) and its currency. `data`, the
    document's whole data, is read only for a document written before documents held the markup
    (None otherwise): the card is then rendered from it."""

    html: str | None
    html_lazy: str | None
    currency: str
    data: dict | None


# The card's columns as SQL: expressions of the ORM (KT, Case) cost as much to compile as the
# rest of the list's query.
_CARD_COLUMNS = (
    RawSQL(""""index_document"."data" #>> '{card,html}'""", ()),
    RawSQL(""""index_document"."data" #>> '{card,html_lazy}'""", ()),
    RawSQL(""""index_document"."data" ->> 'currency'""", ()),
    RawSQL(
        """CASE WHEN "index_document"."data" #> '{card,html}' IS NULL THEN "index_document"."data" END""",
        (),
        output_field=JSONField(),
    ),
)


_COMPILED: dict[str, tuple[str, tuple]] = {}  # a list's shape -> its compiled query
MAX_COMPILED = 1000  # shapes kept per process; beyond, the memory starts afresh


def _cards(documents: Callable[[], QuerySet], shape: str | None = None) -> list[Card]:
    """The cards of the documents `documents()` selects (sliced, in order), in one query. Only the
    card's text is read: decoding each document's whole data would cost more than the rest of the
    row. With a `shape`, a string that determines the query entirely, its compiled SQL is kept."""
    compiled = _COMPILED.get(shape) if shape is not None else None
    if compiled is None:
        try:
            compiled = documents().values_list(*_CARD_COLUMNS).query.sql_with_params()
        except EmptyResultSet:
            return []
        if shape is not None:
            if len(_COMPILED) >= MAX_COMPILED:
                _COMPILED.clear()
            _COMPILED[shape] = compiled
    sql, params = compiled
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        Card(html, lazy, currency or "", json.loads(data) if isinstance(data, str) else data)
        for html, lazy, currency, data in rows
    ]


@dataclass
class Found:
    """A page of product documents with its counts."""

    count: int
    products: list[Card]
    facets: list[Facet]
    categories: dict[int, int]  # products per category key counted (sub-categories' links)


def search_text(q: str) -> str:
    return (q or "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]


def find(
    *,
    language: str,
    scope: str = "",
    q: str = "",
    filters: dict[str, Test],
    facets: list[Facet],
    categories: list[Category] = (),
    sort: str = "newest",
    collection: int | None = None,
    offset: int = 0,
    limit: int = 24,
    keep: Keep | None = None,
) -> Found:
    """The documents of active products in `language` with the key `scope` ("category:3"), the
    words of `q` and every filter (by facet param), in `sort` order; each facet's values counted
    over what every other filter selects, `categories` over all of them. The counts are asked of
    `keep(vary, count)` when given (rustok.page_cache.fragment: kept until the list changes),
    `vary` being what they depend on (the language, scope, words and each count's tests)."""
    text = tsquery_text(q) if q else None
    query = SearchQuery(text, search_type="raw", config=text_config(language)) if text is not None else None

    def scope_documents() -> QuerySet[Document]:
        """The documents of the scope and the words: built only when a query is compiled."""
        found = selectors.documents(language=language).order_by()
        if scope:
            found = found.filter(keys__contains=[scope])
        return found.filter(search_vector=query) if query is not None else found

    # Every count in one query over the documents of the scope: each value with every filter but
    # its facet's own, the categories and the total with all of them. Written as SQL around the
    # ORM's query of the scope (conditions from code, every value a parameter): compiling a
    # Count(filter=Q) per value costs more than the counting.
    def but(left_out: str) -> list[Test]:
        return [test for param, test in filters.items() if param != left_out]

    conditions: list[list[Test]] = []
    for facet in facets:
        others = but(facet.param)
        conditions += [[*others, value.test] for value in facet.values]
    every = but("")
    conditions += [[*every, has_key(category.key)] for category in categories]
    conditions.append(every)
    counted = _counts(scope_documents, conditions, keep, (language, scope, q))
    values = [value for facet in facets for value in facet.values]
    for value, number in zip(values, counted, strict=False):
        value.count = number
    for facet in facets:
        facet.values = [v for v in facet.values if v.count or v.value in facet.chosen]
    category_counts = {c.id: n for c, n in zip(categories, counted[len(values) :], strict=False)}
    total = counted[-1]

    def page_documents() -> QuerySet[Document]:
        page = scope_documents().filter(*(test.q for test in filters.values()))
        newest = F("published_at").desc(nulls_last=True)
        if sort == "relevance" and query is not None:
            page = page.annotate(rank=SearchRank(F("search_vector"), query))
            order = ("-rank", newest, "-id")
        elif sort == "featured" and collection is not None:
            place = CollectionProduct.objects.filter(
                collection_id=collection, product_id=Cast(OuterRef("object_id"), BigIntegerField())
            ).values("position")[:1]
            page = page.annotate(place=Subquery(place))
            order = (F("place").asc(nulls_last=True), newest, "-id")
        else:
            order = {
                "price": (F("price").asc(nulls_last=True), newest, "-id"),
                "-price": (F("price").desc(nulls_last=True), newest, "-id"),
            }.get(sort, (newest, "-id"))
        return page.order_by(*order)[offset : offset + limit]

    # The page's query is compiled once per process for each list asked (its SQL depends on
    # nothing else): the ORM's compiling costs more than PostgreSQL's answering.
    tests = [(test.sql, test.params) for test in filters.values()]
    shape = repr((language, scope, q, tests, sort, collection, offset, limit))
    products = _cards(page_documents, shape) if total else []
    return Found(count=total, products=products, facets=facets, categories=category_counts)


def _counts(
    found: Callable[[], QuerySet], conditions: list[list[Test]], keep: Keep | None = None, of=()
) -> list[int]:
    """How many of the documents `found()` selects meet each list of tests (all of them), in one
    query; or from `keep` (see `find`), asked with what the counts depend on: `of` (what selects
    the documents: their language, scope and words) and the tests."""

    def count() -> list[int]:
        try:
            base, params = found().values("keys", "price", "availability").query.sql_with_params()
        except EmptyResultSet:
            return [0] * len(conditions)
        columns, values = [], []
        for tests in conditions:
            columns.append(f"count(*) FILTER (WHERE {' AND '.join(t.sql for t in tests) or 'TRUE'})")
            values += [value for t in tests for value in t.params]
        sql = f"SELECT {', '.join(columns)} FROM ({base}) d"  # noqa: S608 (conditions from code, values as parameters)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*values, *params])
            return list(cursor.fetchone())

    if keep is None:
        return count()
    return keep((of, [[(t.sql, t.params) for t in tests] for tests in conditions]), count)


def related(document: Document, limit: int = 4) -> list[Card]:
    """The cards of other active products of the product's first category, newest first,
    `document` itself left out (one query; none when it has no category)."""
    categories = (document.data or {}).get("categories") or []
    if not categories:
        return []
    found = selectors.documents(language=document.language).filter(
        keys__contains=[f"category:{categories[0]['id']}"]
    )
    return _cards(lambda: found.exclude(object_id=document.object_id)[:limit])
