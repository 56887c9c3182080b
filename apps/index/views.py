"""The storefront's search page, `/search/?q=`: the index read through the same selector as the
search API (apps.index.selectors.search), in the active language.

It works without JavaScript: the filters are a form of checkboxes built from the facets, every
chosen filter is a link that removes it, and pages are links that keep the query and the filters.
Bad input (a query that is too long, a NUL character, an unknown kind) is a 400 page that says
what is wrong; a page number that is not one shows the first page, one past the end is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from apps.index import selectors
from rustok.errors import InvalidInput
from rustok.storefront import address_with

PAGE_SIZE = 10
MAX_FILTER_VALUES = 20  # values of one filter, as the selector allows
# Facets offered as filters, with the query parameter each one is read from.
FILTERS = (("type", "type", _("Kind")), ("category", "category", _("Category")), ("tag", "tag", _("Tag")))
# The deepest page the selector can serve (its offset is bounded).
MAX_PAGE = selectors.MAX_OFFSET // PAGE_SIZE + 1


class TextListField(forms.Field):
    """A repeatable query parameter (`?tag=a&tag=b`): a list of texts."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "too_many": _("Choose at most %(limit)s values."),
        "null": _("Null characters are not allowed."),
    }

    def to_python(self, value) -> list[str]:
        values = [str(v).strip() for v in (value or []) if str(v).strip()]
        if any("\x00" in v for v in values):
            raise forms.ValidationError(self.error_messages["null"], code="null")
        if len(values) > MAX_FILTER_VALUES:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"limit": MAX_FILTER_VALUES}
            )
        return values


class SearchForm(forms.Form):
    """What a reader asks the search page: words, and filters by kind, category and tag."""

    q = forms.CharField(label=_("Search"), required=False, max_length=selectors.MAX_QUERY_LENGTH)
    type = TextListField(label=_("Kind"), required=False)
    category = TextListField(label=_("Category"), required=False)
    tag = TextListField(label=_("Tag"), required=False)

    def __init__(self, *args, kinds: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds

    def clean_type(self) -> list[str]:
        types = self.cleaned_data["type"]
        unknown = [t for t in types if t not in self.kinds]
        if unknown:
            raise forms.ValidationError(
                _("No such kind of result: %(kinds)s."), code="unknown", params={"kinds": ", ".join(unknown)}
            )
        return types


@dataclass(frozen=True)
class Result:
    """One search result as the page shows it."""

    title: str
    url: str
    snippet: SafeString
    kind: str
    published_at: object
    language: str  # the result's own language when it is not the page's (a fallback), else ""


@dataclass(frozen=True)
class Option:
    """One value of a facet: a checkbox of the filter form."""

    value: str
    label: str
    count: int
    checked: bool


@dataclass(frozen=True)
class Filter:
    """A facet offered as a filter: its parameter, its legend and its values."""

    param: str
    legend: str
    options: list[Option]


@dataclass(frozen=True)
class Chosen:
    """A filter in force, with the address of the same search without it."""

    legend: str
    label: str
    remove_url: str


@dataclass(frozen=True)
class PageLink:
    """An entry of the pagination: a page number with its address, or an ellipsis (no number)."""

    number: int | None
    url: str
    current: bool


def _kinds(tenant) -> dict[str, str]:
    """The document types search may show on this site, with what readers call them."""
    enabled = selectors.enabled_types(tenant)
    return {name: capfirst(str(projection.label or name)) for name, projection in enabled.items()}


def _page_number(request: HttpRequest) -> int:
    """The page asked for; anything that is not a page number (letters, 0, -3) is the first."""
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        return 1
    return number if number >= 1 else 1


def _filters(request, found: selectors.SearchResult, chosen: dict[str, list[str]], kinds) -> list[Filter]:
    groups = []
    for facet, param, legend in FILTERS:
        values = {v.value: v.count for v in found.facets.get(facet, [])}
        for value in chosen[param]:  # a chosen value stays offered, even with nothing left
            values.setdefault(value, 0)
        options = [
            Option(
                value=value,
                label=kinds.get(value, value) if facet == "type" else value,
                count=count,
                checked=value in chosen[param],
            )
            for value, count in values.items()
        ]
        if options and (facet != "type" or len(options) > 1 or chosen[param]):
            groups.append(Filter(param=param, legend=str(legend), options=options))
    return groups


def _chosen(request, chosen: dict[str, list[str]], kinds) -> list[Chosen]:
    links = []
    for _facet, param, legend in FILTERS:
        for value in chosen[param]:
            rest = [v for v in chosen[param] if v != value]
            links.append(
                Chosen(
                    legend=str(legend),
                    label=kinds.get(value, value) if param == "type" else value,
                    remove_url=address_with(request, **{param: rest}),
                )
            )
    return links


def _pagination(request, paginator: Paginator, number: int) -> list[PageLink]:
    return [
        PageLink(None, "", False)
        if entry == paginator.ELLIPSIS
        else PageLink(entry, address_with(request, page=entry), entry == number)
        for entry in paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)
    ]


def _result(hit: selectors.Hit, kinds: dict[str, str], language: str) -> Result:
    return Result(
        title=hit.title,
        url=hit.url,
        # The selector escapes the text and adds only <mark> around the matches.
        snippet=mark_safe(hit.snippet),  # noqa: S308
        kind=kinds.get(hit.type, hit.type),
        published_at=hit.published_at,
        language=hit.language if hit.language != language else "",
    )


def search(request: HttpRequest) -> HttpResponse:
    """The search page: the form, then the results with their filters and pages."""
    kinds = _kinds(request.tenant)
    form = SearchForm(request.GET or None, kinds=kinds)
    context = {"form": form, "query": "", "searched": False}
    if not form.is_bound:
        return render(request, "storefront/index/search.html", context)
    if not form.is_valid():
        context["query"] = request.GET.get("q", "")[: selectors.MAX_QUERY_LENGTH]
        return render(request, "storefront/index/search.html", context, status=400)

    query = form.cleaned_data["q"]
    chosen = {param: form.cleaned_data[param] for _facet, param, _legend in FILTERS}
    context["query"] = query
    if not query and not any(chosen.values()):
        return render(request, "storefront/index/search.html", context)

    number = min(_page_number(request), MAX_PAGE + 1)
    try:
        found = selectors.search(
            tenant=request.tenant,
            q=query,
            types=chosen["type"],
            categories=chosen["category"],
            tags=chosen["tag"],
            facets=[facet for facet, _param, _legend in FILTERS],
            limit=PAGE_SIZE,
            offset=min((number - 1) * PAGE_SIZE, selectors.MAX_OFFSET),
        )
    except InvalidInput:  # the form checks what the selector does; kept as a guard
        form.add_error(None, _("This search cannot be carried out. Check the words and filters."))
        return render(request, "storefront/index/search.html", context, status=400)

    paginator = Paginator(range(min(found.count, MAX_PAGE * PAGE_SIZE)), PAGE_SIZE)
    if number > paginator.num_pages:
        raise Http404("No such page of results.")
    context.update(
        searched=True,
        count=found.count,
        results=[_result(hit, kinds, found.language) for hit in found.results],
        filters=_filters(request, found, chosen, kinds),
        chosen=_chosen(request, chosen, kinds),
        clear_url=address_with(request, type=None, category=None, tag=None),
        page_number=number,
        results_start=(number - 1) * PAGE_SIZE + 1,
        num_pages=paginator.num_pages,
        pages=_pagination(request, paginator, number) if paginator.num_pages > 1 else [],
        previous_url=address_with(request, page=number - 1) if number > 1 else None,
        next_url=address_with(request, page=number + 1) if number < paginator.num_pages else None,
        hidden={key: request.GET.getlist(key) for key in ("q", "lang") if key in request.GET},
    )
    return render(request, "storefront/index/search.html", context)
