"""Search: relevance, stemming per language, prefixes, highlighting, facets, filters, isolation."""

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from apps.events import services as bus
from tests.testapps.notes.services import create_note


def index(schema: str, *notes: dict) -> list:
    """Create notes through the service and relay their events, as a worker would."""
    with schema_context(schema):
        made = [create_note(**fields) for fields in notes]
        bus.relay()
    return made


def search(client, **params):
    response = client.get("/api/v1/search/", params)
    assert response.status_code == 200, response.content
    return response.json()


def ids(body) -> list[str]:
    return [hit["id"] for hit in body["results"]]


def test_results_come_in_order_of_relevance(client_a):
    body_only, in_title, twice = index(
        "alpha",
        {"text": "Something about a garden and more", "title": "Notes"},
        {"text": "Unrelated words here", "title": "Garden"},
        {"text": "Garden tips: a garden in spring", "title": "Garden"},
    )
    found = search(client_a, q="garden")
    assert found["count"] == 3
    assert ids(found) == [str(twice.pk), str(in_title.pk), str(body_only.pk)]
    assert found["results"][0]["rank"] > found["results"][2]["rank"]


def test_english_words_are_found_by_their_stem(client_a):
    (note,) = index("alpha", {"text": "The dogs were running in the parks"})
    for query in ["run", "dog park", "RUNS"]:
        assert ids(search(client_a, q=query)) == [str(note.pk)], query


def test_russian_words_are_found_by_their_stem_on_a_russian_site(client_b):
    (note,) = index("beta", {"text": "Красивые кошки гуляли по крышам"})
    for query in ["кошка", "крыша", "гулять красивый"]:
        assert ids(search(client_b, q=query)) == [str(note.pk)], query
    assert search(client_b, q="собака")["count"] == 0


def test_the_last_word_matches_as_a_prefix(client_a):
    (note,) = index("alpha", {"text": "Programming in Python"})
    assert ids(search(client_a, q="pyth")) == [str(note.pk)]
    assert ids(search(client_a, q="programming pyt")) == [str(note.pk)]
    assert search(client_a, q="pyth programming")["count"] == 0  # only the last word is a prefix


def test_matches_are_highlighted_and_the_text_is_escaped(client_a):
    index("alpha", {"text": "Use <script>alert(1)</script> for gardens & lawns"})
    snippet = search(client_a, q="garden")["results"][0]["snippet"]
    assert "<mark>gardens</mark> &amp; lawns" in snippet
    assert "<script" not in snippet


def test_operators_and_punctuation_never_break_a_query(client_a):
    index("alpha", {"text": "C++ & Rust: fast!"})
    for query in ["rust & | ! ( ' :*", "'", "&&&", "   "]:
        response = client_a.get("/api/v1/search/", {"q": query})
        assert response.status_code == 200, (query, response.content)
    assert search(client_a, q="rust & | !")["count"] == 1


def test_facets_count_categories_tags_prices_availability_and_types(client_a):
    index(
        "alpha",
        {
            "text": "red shoe",
            "category": "shoes",
            "tags": "red,sale",
            "price": Decimal("5"),
            "availability": "in_stock",
        },
        {
            "text": "blue shoe",
            "category": "shoes",
            "tags": "blue",
            "price": Decimal("60"),
            "availability": "in_stock",
        },
        {
            "text": "red hat",
            "category": "hats",
            "tags": "red",
            "price": Decimal("15"),
            "availability": "out_of_stock",
        },
        {"text": "no price", "category": "misc"},
    )
    facets = search(client_a, facets="category,tag,price,availability,type")["facets"]
    assert facets["category"] == [
        {"value": "shoes", "count": 2, "label": ""},
        {"value": "hats", "count": 1, "label": ""},
        {"value": "misc", "count": 1, "label": ""},
    ]
    assert facets["tag"] == [
        {"value": "red", "count": 2, "label": ""},
        {"value": "blue", "count": 1, "label": ""},
        {"value": "sale", "count": 1, "label": ""},
    ]
    assert facets["price"] == [
        {"value": "-10", "count": 1, "label": ""},
        {"value": "10-50", "count": 1, "label": ""},
        {"value": "50-100", "count": 1, "label": ""},
    ]
    assert facets["availability"] == [
        {"value": "in_stock", "count": 2, "label": ""},
        {"value": "out_of_stock", "count": 1, "label": ""},
    ]
    assert facets["type"] == [{"value": "note", "count": 4, "label": ""}]

    red = search(client_a, q="red", facets="category")
    assert red["count"] == 2
    assert red["facets"]["category"] == [
        {"value": "hats", "count": 1, "label": ""},
        {"value": "shoes", "count": 1, "label": ""},
    ]


def test_filters_narrow_the_results(client_a):
    shoe, _hat, sale_shoe = index(
        "alpha",
        {"text": "shoe one", "category": "shoes", "tags": "red", "price": Decimal("40")},
        {"text": "hat", "category": "hats", "tags": "red", "price": Decimal("10")},
        {"text": "shoe two", "category": "shoes", "tags": "red,sale", "price": Decimal("90")},
    )
    assert sorted(ids(search(client_a, category="shoes"))) == sorted([str(shoe.pk), str(sale_shoe.pk)])
    assert ids(search(client_a, tag=["red", "sale"])) == [str(sale_shoe.pk)]
    assert ids(search(client_a, category="shoes", price_max="50")) == [str(shoe.pk)]


def test_drafts_are_never_found(client_a):
    index("alpha", {"text": "secret draft plans", "published": False})
    assert search(client_a, q="draft")["count"] == 0


def test_a_tenant_never_finds_another_tenants_documents(client_a, client_b):
    index("alpha", {"text": "alphaonly treasure"})
    index("beta", {"text": "betaonly treasure"})
    assert [hit["title"] for hit in search(client_a, q="treasure")["results"]] == ["alphaonly treasure"]
    assert [hit["title"] for hit in search(client_b, q="treasure")["results"]] == ["betaonly treasure"]
    assert search(client_b, q="alphaonly")["count"] == 0


def test_an_object_without_a_document_in_the_asked_language_is_found_in_the_default_one(client_a):
    english, russian = index(
        "alpha",
        {"text": "Gardens of the city"},
        {"text": "Сады города", "language": "ru"},
    )
    assert ids(search(client_a, q="сад", lang="ru")) == [str(russian.pk)]
    assert ids(search(client_a, q="garden", lang="ru")) == [str(english.pk)]  # falls back to en
    assert search(client_a, q="сад", lang="ru")["language"] == "ru"
    assert search(client_a, q="garden")["language"] == "en"


def test_results_are_paginated(client_a):
    index("alpha", *({"text": f"page item {n}"} for n in range(5)))
    first = search(client_a, q="item", limit=2)
    rest = search(client_a, q="item", limit=2, offset=2)
    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert not set(ids(first)) & set(ids(rest))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"facets": "colour"}, "facets"),
        ({"type": "widget"}, "type"),
        ({"sort": "cheapest"}, "sort"),
        ({"key": "nocolon"}, "key"),
        ({"q": "x" * 201}, "q"),
        ({"limit": "0"}, "limit"),
        ({"lang": "de"}, "lang"),
        ({"price_min": "50", "price_max": "10"}, "price_min"),
    ],
)
def test_bad_parameters_are_refused_naming_the_field(client_a, params, field):
    response = client_a.get("/api/v1/search/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert field in {error["field"] for error in response.json()["errors"]}


def test_search_with_facets_takes_a_fixed_number_of_queries(client_a, django_assert_max_num_queries):
    index("alpha", *({"text": f"shoe {n}", "category": f"c{n}", "tags": "a,b"} for n in range(20)))
    search(client_a, q="shoe")  # the site and module toggles are cached now
    # Routing (the search path), the count, one per facet (5) and the page: none grows with the
    # documents.
    with django_assert_max_num_queries(8):
        body = search(client_a, q="shoe", facets="category,tag,price,availability,type")
    assert body["count"] == 20


SEARCH = """
query($q: String!) {
  search(q: $q, facets: ["category"]) {
    count language
    results { type id title snippet }
    facets { name values { value count } }
  }
}
"""


def test_graphql_search_answers_like_rest(client_a):
    (note,) = index("alpha", {"text": "GraphQL gardens", "category": "docs"})
    response = client_a.post(
        "/api/graphql/", {"query": SEARCH, "variables": {"q": "garden"}}, content_type="application/json"
    )
    data = response.json()["data"]["search"]
    assert data["count"] == 1
    assert data["results"][0]["id"] == str(note.pk)
    assert "<mark>gardens</mark>" in data["results"][0]["snippet"]
    assert data["facets"] == [{"name": "category", "values": [{"value": "docs", "count": 1}]}]


def test_graphql_search_refuses_an_unknown_facet_with_its_code(client_a):
    response = client_a.post(
        "/api/graphql/",
        {"query": '{ search(facets: ["colour"]) { count } }'},
        content_type="application/json",
    )
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "INVALID"
    assert "facets" in error["message"]


def test_a_site_without_searchable_modules_answers_an_empty_search_with_empty_facets(client_a, tenant_a):
    from apps.core import services as core

    core.set_module_enabled(tenant=tenant_a, module="notes", enabled=False)
    body = search(client_a, q="anything", facets="category,tag,price,type,availability")
    assert body["count"] == 0
    assert body["facets"] == {"category": [], "tag": [], "price": [], "type": [], "availability": []}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"offset": "10000000000000000000"}, "offset"),
        ({"price_min": "NaN"}, "price_min"),
        ({"availability": "in\x00stock"}, "availability"),
        ({"category": "a\x00b"}, "category"),
        ({"q": "gar\x00den"}, "q"),
    ],
)
def test_hostile_parameters_are_refused_naming_the_field(client_a, params, field):
    response = client_a.get("/api/v1/search/", params)
    assert response.status_code == 400, response.content
    assert field in {error["field"].split(".")[0] for error in response.json()["errors"]}


@pytest.mark.parametrize(
    "arguments",
    [
        'priceMin: "NaN"',
        'priceMin: "Infinity"',
        'priceMin: "NaN", priceMax: "5"',
        'tag: ["a\\u0000"]',
        "offset: 2000000000",
    ],
)
def test_graphql_search_refuses_hostile_arguments_as_invalid(client_a, arguments):
    response = client_a.post(
        "/api/graphql/", {"query": f"{{ search({arguments}) {{ count }} }}"}, content_type="application/json"
    )
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] in {"INVALID", "GRAPHQL_VALIDATION_FAILED"}, error


def test_a_facet_counts_as_if_its_own_filter_were_not_chosen(client_a):
    index(
        "alpha",
        {"text": "red shoe", "category": "shoes", "tags": "red", "price": Decimal("20")},
        {"text": "blue shoe", "category": "shoes", "tags": "blue", "price": Decimal("80")},
        {"text": "red hat", "category": "hats", "tags": "red", "price": Decimal("20")},
    )
    body = search(client_a, category="shoes", facets="category,tag,price")
    assert body["count"] == 2
    # The other categories keep their counts, so a shopper can switch or add one...
    assert body["facets"]["category"] == [
        {"value": "shoes", "count": 2, "label": ""},
        {"value": "hats", "count": 1, "label": ""},
    ]
    # ...while the other facets count within the chosen category.
    assert body["facets"]["tag"] == [
        {"value": "blue", "count": 1, "label": ""},
        {"value": "red", "count": 1, "label": ""},
    ]
    assert body["facets"]["price"] == [
        {"value": "10-50", "count": 1, "label": ""},
        {"value": "50-100", "count": 1, "label": ""},
    ]

    both = search(client_a, category="shoes", tag="red", facets="category,tag")
    assert both["count"] == 1
    assert both["facets"]["category"] == [
        {"value": "hats", "count": 1, "label": ""},
        {"value": "shoes", "count": 1, "label": ""},
    ]
    assert both["facets"]["tag"] == [
        {"value": "blue", "count": 1, "label": ""},
        {"value": "red", "count": 1, "label": ""},
    ]
