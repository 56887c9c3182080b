"""Search over the tenant's documents: PostgreSQL full-text search with ranking, highlighting,
prefix matching, filters and facet counts.

Language: documents are searched in the requested language (default: the request's language,
else the tenant's default), parsed with that language's text search configuration, so "running"
finds "run" in English and "кошки" finds "кошка" in Russian. An object without a document in the
requested language is found through its document in the tenant's default language.

Query text: the words of `q` must all match (AND), each stemmed; the last one also matches as a
prefix, so results follow what is being typed. Punctuation and operators are ignored, so no query
is a syntax error.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import translation

from apps.index import projections
from apps.index.models import Document
from rustok.errors import InvalidInput

FACETS = ("type", "category", "tag", "price", "availability")
# Besides those, `key:<group>` facets count the documents' keys of one group ("key:collection"
# counts `collection:<id>` keys, "key:attribute:size" the `attribute:size:<choice>` ones).
KEY_FACET = "key:"
SORTS = ("relevance", "newest", "price", "-price")
MAX_KEY_LENGTH = 300
# Price facet buckets: [low, high) in the tenant's currency; None is open-ended.
PRICE_BUCKETS: tuple[tuple[Decimal | None, Decimal | None], ...] = (
    (None, Decimal(10)),
    (Decimal(10), Decimal(50)),
    (Decimal(50), Decimal(100)),
    (Decimal(100), Decimal(500)),
    (Decimal(500), None),
)
FACET_SIZE = 50  # values listed per facet
MAX_QUERY_LENGTH = 200
MAX_LIMIT = 100
MAX_OFFSET = 10_000  # deeper pages: narrow the query instead
WORD_RE = re.compile(r"\w+", re.UNICODE)
# Marks put around matches by PostgreSQL, replaced by <mark> once the text is escaped.
OPEN, CLOSE = "\x02", "\x03"


@dataclass(frozen=True)
class Hit:
    type: str
    id: str
    language: str
    title: str
    url: str
    snippet: str  # HTML: the escaped text, matches in <mark>
    rank: float
    data: dict[str, Any]
    categories: list[str]
    tags: list[str]
    price: Decimal | None
    availability: str
    published_at: dt.datetime | None


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    label: str = ""  # what readers call the value (a collection's name); the value itself if ""


@dataclass(frozen=True)
class SearchResult:
    count: int
    language: str
    results: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)


def tsquery_text(q: str) -> str | None:
    """The raw tsquery for `q`: its words AND-ed, the last one as a prefix; None without words."""
    words = WORD_RE.findall(q.lower())
    if not words:
        return None
    return " & ".join([*words[:-1], f"{words[-1]}:*"])


def _language(tenant, requested: str | None) -> str:
    known = [code for code, _name in settings.LANGUAGES]
    if requested:
        if requested not in known:
            raise InvalidInput.for_field(
                "lang", f"Unknown language '{requested}'. Known: {', '.join(known)}."
            )
        return requested
    active = (translation.get_language() or "").split("-")[0]
    return active if active in known else tenant.default_language


def enabled_types(tenant) -> dict[str, projections.Projection]:
    """The projections by document type whose module is on for `tenant`: what search shows."""
    from apps.core.selectors import is_enabled
    from rustok.modules import registry

    found = {}
    for document_type, projection in projections.document_types().items():
        module = registry.for_app(projection.app_label)
        if module is None or is_enabled(tenant, module.slug):
            found[document_type] = projection
    return found


def _text(value: str, name: str) -> str:
    if "\x00" in value:
        raise InvalidInput.for_field(name, "Must not contain NUL characters.")
    return value


def _list(values, name: str) -> list[str]:
    values = [_text(v, name) for v in (values or []) if v]
    if len(values) > 20:
        raise InvalidInput.for_field(name, "At most 20 values.")
    return values


def _price(value: Decimal | None, name: str) -> Decimal | None:
    if value is not None and not Decimal(value).is_finite():
        raise InvalidInput.for_field(name, "Must be a finite number.")
    return value


def search(
    *,
    tenant,
    q: str = "",
    types: list[str] | None = None,
    language: str | None = None,
    facets: list[str] | None = None,
    categories: list[str] | None = None,
    tags: list[str] | None = None,
    availability: str = "",
    price_min: Decimal | None = None,
    price_max: Decimal | None = None,
    keys: list[str] | None = None,
    sort: str = "",
    limit: int = 20,
    offset: int = 0,
) -> SearchResult:
    """Search the documents of the current tenant's schema. Refuses bad input with InvalidInput.

    `keys` select by the documents' keys ("collection:3", "attribute:size:m"): keys of one group
    (all but the last `:` part) are alternatives, groups all apply. `sort`: relevance (the
    default with words to find), newest (the default without), price or -price (documents
    without a price last)."""
    q = _text((q or "").strip(), "q")
    availability = _text(availability or "", "availability")
    price_min, price_max = _price(price_min, "price_min"), _price(price_max, "price_max")
    if len(q) > MAX_QUERY_LENGTH:
        raise InvalidInput.for_field("q", f"At most {MAX_QUERY_LENGTH} characters.")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput.for_field("limit", f"Between 1 and {MAX_LIMIT}.")
    if not 0 <= offset <= MAX_OFFSET:
        raise InvalidInput.for_field("offset", f"Between 0 and {MAX_OFFSET}.")
    facets = _list(facets, "facets")
    unknown = [name for name in facets if name not in FACETS and not _key_group(name)]
    if unknown:
        raise InvalidInput.for_field(
            "facets",
            f"Unknown facet(s) {', '.join(unknown)}. Known: {', '.join(FACETS)}, and key:<group>.",
        )
    if sort and sort not in SORTS:
        raise InvalidInput.for_field("sort", f"Unknown order '{sort}'. Known: {', '.join(SORTS)}.")
    groups: dict[str, list[str]] = {}
    for key in _list(keys, "key"):
        if ":" not in key.strip(":") or len(key) > MAX_KEY_LENGTH:
            raise InvalidInput.for_field("key", f"'{key[:50]}' is not a key (group:value).")
        groups.setdefault(f"{KEY_FACET}{key.rsplit(':', 1)[0]}", []).append(key)
    enabled = enabled_types(tenant)
    types = _list(types, "type")
    unknown = [t for t in types if t not in enabled]
    if unknown:
        known = ", ".join(sorted(enabled)) or "none"
        raise InvalidInput.for_field("type", f"Unknown type(s) {', '.join(unknown)}. Known: {known}.")
    if price_min is not None and price_max is not None and price_min > price_max:
        raise InvalidInput.for_field("price_min", "Must not be above price_max.")

    lang = _language(tenant, language)
    default = tenant.default_language
    # Documents of searchable types only: the type filter says which (every enabled one when
    # none is chosen, and for the type facet); one chosen type is an equality, which lets a
    # page newest first read the documents' index in order.
    found = Document.objects.all()
    if lang == default:
        found = found.filter(language=lang)
    else:
        own = Document.objects.filter(type=OuterRef("type"), object_id=OuterRef("object_id"), language=lang)
        found = found.filter(Q(language=lang) | (Q(language=default) & ~Exists(own)))

    text = tsquery_text(q)
    if text is not None:
        queries = {
            code: SearchQuery(text, search_type="raw", config=projections.text_config(code))
            for code in {lang, default}
        }
        found = found.filter(
            Q(language=lang, search_vector=queries[lang])
            | Q(language=default, search_vector=queries[default])
        )

    # Each filter by facet name: the results take them all; each facet counts with all the
    # others but its own (disjunctive facets), so choosing a category still shows the counts
    # of the other categories.
    filters = {
        "type": Q(type__in=types or list(enabled)),
        "category": Q(categories__overlap=categories)
        if (categories := _list(categories, "category"))
        else Q(),
        "tag": Q(tags__contains=tags) if (tags := _list(tags, "tag")) else Q(),
        "availability": Q(availability=availability) if availability else Q(),
        "price": (Q() if price_min is None else Q(price__gte=price_min))
        & (Q() if price_max is None else Q(price__lte=price_max)),
        **{group: Q(keys__overlap=chosen) for group, chosen in groups.items()},
    }
    unchosen = {"type": Q(type__in=list(enabled))}  # what a facet counts over without its own filter
    documents = found.filter(*filters.values())
    searched = [enabled[t] for t in types or enabled]
    facet_counts, count = _facets(found, filters, unchosen, facets, searched)
    _label_keys(facet_counts, types or list(enabled), enabled, lang)

    if count is None:
        count = documents.count()
    if text is not None:

        def per_language(make):
            """The expression for the row's own language: its query has that language's parser."""
            return Case(
                When(language=lang, then=make(queries[lang], lang)), default=make(queries[default], default)
            )

        page = documents.annotate(
            rank=per_language(lambda query, _code: SearchRank(F("search_vector"), query)),
            snippet=per_language(_headline),
        )
    else:
        page = documents.annotate(rank=Value(0.0), snippet=F("body"))
    newest = F("published_at").desc(nulls_last=True)
    order = {
        "relevance": ("-rank", newest, "-id"),
        "newest": (newest, "-id"),
        "price": (F("price").asc(nulls_last=True), newest, "-id"),
        "-price": (F("price").desc(nulls_last=True), newest, "-id"),
    }[sort or ("relevance" if text is not None else "newest")]
    page = page.order_by(*order)
    page = page.defer("detail", "search_vector")  # a hit shows neither: not read, not decoded
    hits = [_hit(doc, highlighted=text is not None) for doc in page[offset : offset + limit]]
    return SearchResult(count=count, language=lang, results=hits, facets=facet_counts)


def _headline(query: SearchQuery, code: str) -> SearchHeadline:
    return SearchHeadline(
        "body",
        query,
        config=projections.text_config(code),
        start_sel=OPEN,
        stop_sel=CLOSE,
        max_words=35,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def _hit(doc: Document, *, highlighted: bool) -> Hit:
    snippet = doc.snippet or ""
    if not highlighted and len(snippet) > 300:
        snippet = snippet[:300].rsplit(" ", 1)[0] + " …"
    snippet = html.escape(snippet).replace(OPEN, "<mark>").replace(CLOSE, "</mark>")
    return Hit(
        type=doc.type,
        id=doc.object_id,
        language=doc.language,
        title=doc.title,
        url=doc.url,
        snippet=snippet,
        rank=round(float(doc.rank), 6),
        data=doc.data,
        categories=doc.categories,
        tags=doc.tags,
        price=doc.price,
        availability=doc.availability,
        published_at=doc.published_at,
    )


def _facets(
    found: QuerySet,
    filters: dict[str, Q],
    unchosen: dict[str, Q],
    names: list[str],
    searched: list[projections.Projection],
) -> tuple[dict[str, list[FacetValue]], int | None]:
    """Each facet's counts over the documents every filter but its own selects (disjunctive;
    `unchosen` holds what stands for a facet's filter then, if not nothing), and how many
    documents every filter selects when that came with them (else None).

    Facets whose values are known before counting (price buckets, and what the searched types'
    projections list: `Projection.facet_values`) are counted together, one aggregate per set of
    documents: every facet whose own filter is not chosen counts over the same set, the one
    the search returns, so usually one pass over the documents counts them all and the
    results. The others (types, and what projections do not list) are grouped by value, a
    query each."""

    def over(left_out: str) -> QuerySet:
        return found.filter(
            *(unchosen.get(name, Q()) if name == left_out else test for name, test in filters.items())
        )

    counted: dict[str, list[FacetValue]] = {}
    # By the filter left out ("" for none): each count's alias -> its facet, value and test.
    together: dict[str, dict[str, tuple[str, str, Q]]] = {}
    listed: set[str] = set()
    for name in names:
        values = _known_values(name, searched)
        if values is None:
            counted[name] = _facet(over(name), name)
            continue
        counted[name] = []
        listed.add(name)
        counts = together.setdefault(name if filters.get(name) else "", {})
        for value, test in values:
            counts[f"n{len(counts)}"] = (name, value, test)
    total = None
    for left_out, counts in together.items():
        aggregates = {alias: Count("id", filter=test) for alias, (_n, _v, test) in counts.items()}
        if not left_out:
            aggregates["total"] = Count("id")
        totals = over(left_out).aggregate(**aggregates)
        total = totals.get("total", total)
        for alias, (name, value, _test) in counts.items():
            if totals[alias]:
                counted[name].append(FacetValue(value, totals[alias]))
    for name in listed:
        if name != "price":  # the most frequent first, as the facets grouped by value
            counted[name] = sorted(counted[name], key=lambda v: (-v.count, v.value))[:FACET_SIZE]
    return {name: counted[name] for name in names}, total


MAX_KNOWN_VALUES = 200  # a facet counted value by value has at most this many values


def _known_values(name: str, searched: list[projections.Projection]) -> list[tuple[str, Q]] | None:
    """A facet's values and the test each counts with, when known before counting; else None."""
    if name == "price":
        return [
            (
                _bucket_label(low, high),
                Q(price__isnull=False)
                & (Q() if low is None else Q(price__gte=low))
                & (Q() if high is None else Q(price__lt=high)),
            )
            for low, high in PRICE_BUCKETS
        ]
    if name != "availability" and not _key_group(name):
        return None
    values: set[str] = set()
    for projection in searched:
        listed = projection.facet_values(name)
        if listed is None:
            return None
        values.update(listed)
    if len(values) > MAX_KNOWN_VALUES:
        return None
    if name == "availability":
        return [(value, Q(availability=value)) for value in sorted(values)]
    return [(key, Q(keys__contains=[key])) for key in sorted(values)]


def _facet(documents: QuerySet, name: str) -> list[FacetValue]:
    if name == "type":
        rows = documents.values_list("type").annotate(n=Count("id")).order_by("-n", "type")
    elif name == "availability":
        rows = (
            documents.exclude(availability="")
            .values_list("availability")
            .annotate(n=Count("id"))
            .order_by("-n", "availability")
        )
    elif group := _key_group(name):
        return _key_facet(documents, group)
    else:
        return _array_facet(documents, "categories" if name == "category" else "tags")
    return [FacetValue(value, n) for value, n in rows[:FACET_SIZE]]


def _key_group(name: str) -> str:
    """The key group a `key:<group>` facet counts ("" for another name)."""
    return name[len(KEY_FACET) :] if name.startswith(KEY_FACET) and len(name) > len(KEY_FACET) else ""


def _key_facet(documents: QuerySet, group: str) -> list[FacetValue]:
    """Counts per key of one group over the matching documents."""
    try:
        ids_sql, params = documents.values("id").query.sql_with_params()
    except EmptyResultSet:
        return []
    sql = (
        f"SELECT t.value, count(*) FROM {connection.ops.quote_name(Document._meta.db_table)} d "  # noqa: S608
        "CROSS JOIN LATERAL unnest(d.keys) AS t(value) "
        f"WHERE d.id IN ({ids_sql}) AND starts_with(t.value, %s) "
        "GROUP BY t.value ORDER BY count(*) DESC, t.value LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, f"{group}:", FACET_SIZE])
        return [FacetValue(value, n) for value, n in cursor.fetchall()]


def _label_keys(facet_counts: dict, types: list[str], enabled: dict, language: str) -> None:
    """Give key facets' values the labels the projections of the searched types know."""
    keys = [v.value for name, values in facet_counts.items() if _key_group(name) for v in values]
    if not keys:
        return
    labels: dict[str, str] = {}
    for document_type in types:
        if document_type in enabled:
            labels.update(enabled[document_type].key_labels(keys, language))
    for name, values in facet_counts.items():
        if _key_group(name):
            facet_counts[name] = [FacetValue(v.value, v.count, labels.get(v.value, "")) for v in values]


def _bucket_label(low, high) -> str:
    return f"{low if low is not None else ''}-{high if high is not None else ''}"


def _array_facet(documents: QuerySet, column: str) -> list[FacetValue]:
    """Counts per value of an array column over the matching documents."""
    try:
        ids_sql, params = documents.values("id").query.sql_with_params()
    except EmptyResultSet:  # the filters exclude everything (no searchable type is on)
        return []
    quote = connection.ops.quote_name
    sql = (
        f"SELECT t.value, count(*) FROM {quote(Document._meta.db_table)} d "  # noqa: S608 (names, not input)
        f"CROSS JOIN LATERAL unnest(d.{quote(column)}) AS t(value) "
        f"WHERE d.id IN ({ids_sql}) GROUP BY t.value ORDER BY count(*) DESC, t.value LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, FACET_SIZE])
        return [FacetValue(value, n) for value, n in cursor.fetchall()]
