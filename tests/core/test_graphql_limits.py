"""GraphQL query limits: size, tokens, depth, aliases, fields and cost are refused before any
resolver runs, each with its own code; introspection is off unless DEBUG or a setting allows it."""

import pytest
from django.test import override_settings
from django_tenants.utils import schema_context
from graphql import get_introspection_query

from tests.testapps.notes.models import Note

PAGE = "contentNodes(first: %d) { edges { node { id title bodyHtml categories { name } tags { name } } } }"


def post(client, query, variables=None):
    body = {"query": query, **({"variables": variables} if variables is not None else {})}
    return client.post("/api/graphql/", body, content_type="application/json")


def refusal(response) -> dict:
    assert response.status_code == 400, response.content
    [error] = response.json()["errors"]
    return error


def test_an_ordinary_page_query_is_answered(client_a):
    response = post(client_a, "{ %s }" % (PAGE % 20))
    assert response.status_code == 200
    assert "errors" not in response.json()


def test_a_query_over_the_size_limit_is_refused_before_it_is_parsed(editor_a, tenant_a):
    query = 'mutation { addNote(text: "padded") { note { id } } }' + " " * 40_000
    error = refusal(post(editor_a, query))
    assert error["extensions"] == {"code": "QUERY_TOO_LARGE", "limit": 32768, "size": len(query)}
    with schema_context("alpha"):
        assert not Note.objects.exists()


def test_the_size_counts_bytes_not_characters(client_a):
    with override_settings(GRAPHQL_MAX_QUERY_BYTES=100):
        query = "{ site { slug } }  # " + "я" * 45  # 66 characters, 111 bytes
        assert refusal(post(client_a, query))["extensions"]["code"] == "QUERY_TOO_LARGE"


def test_a_query_of_too_many_tokens_is_refused(client_a):
    query = "{ " + "a " * 2100 + "}"
    error = refusal(post(client_a, query))
    assert error["extensions"]["code"] == "QUERY_TOO_MANY_TOKENS"
    assert error["extensions"]["limit"] == 2000


def test_a_too_deep_query_is_refused_with_fragments_counted(client_a):
    with override_settings(GRAPHQL_MAX_DEPTH=4):
        ok = post(client_a, "{ contentNodes { edges { node { title } } } }")
        assert ok.status_code == 200, ok.content
        deep = (
            "{ contentNodes { ...E } }"
            " fragment E on ContentNodeConnection { edges { node { author { __typename } } } }"
        )
        error = refusal(post(client_a, deep))
    assert error["extensions"] == {"code": "QUERY_TOO_DEEP", "limit": 4, "value": 5}


def test_too_many_aliases_are_refused(client_a):
    query = "{ " + " ".join(f"a{i}: site {{ slug }}" for i in range(31)) + " }"
    error = refusal(post(client_a, query))
    assert error["extensions"] == {"code": "QUERY_TOO_MANY_ALIASES", "limit": 30, "value": 31}


def test_fragments_that_multiply_fields_are_refused(client_a):
    # Each fragment spreads the one below twice: 2**10 copies of `slug` from a few hundred bytes.
    fragments = "".join(f"fragment F{i} on Site {{ ...F{i + 1} ...F{i + 1} }} " for i in range(10))
    query = "{ site { ...F0 } } " + fragments + "fragment F10 on Site { slug }"
    error = refusal(post(client_a, query))
    assert error["extensions"]["code"] == "QUERY_TOO_MANY_FIELDS"
    assert error["extensions"]["limit"] == 500


def test_list_arguments_multiply_the_cost_of_what_they_select(client_a):
    # 8 fields below each node, times 100 nodes, in 7 pages: over the default 5000.
    query = "{ " + " ".join(f"p{i}: {PAGE % 100}" for i in range(7)) + " }"
    error = refusal(post(client_a, query))
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert error["extensions"]["limit"] == 5000
    assert error["extensions"]["value"] == 7 * (1 + 100 * 9)


def test_the_cost_reads_sizes_from_variables(client_a):
    pages = " ".join(f"p{i}: {PAGE.replace('first: %d', 'first: $n')}" for i in range(7))
    query = f"query Q($n: Int) {{ {pages} }}"
    assert post(client_a, query, {"n": 5}).status_code == 200
    error = refusal(post(client_a, query, {"n": 100}))
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"


def test_a_size_counts_no_more_than_the_longest_page_a_list_answers(client_a):
    # `first: 100000` is answered with 100 nodes at most, and costs as much.
    response = post(client_a, "{ %s }" % (PAGE % 100_000))
    assert response.status_code == 200, response.content
    error = refusal(post(client_a, "{ " + " ".join(f"p{i}: {PAGE % 100_000}" for i in range(7)) + " }"))
    assert error["extensions"]["value"] == 7 * (1 + 100 * 9)


@pytest.mark.parametrize("field", ["__schema { types { name } }", '__type(name: "Site") { name }'])
def test_introspection_is_refused_without_debug(client_a, field):
    error = refusal(post(client_a, f"{{ {field} }}"))
    assert error["extensions"]["code"] == "INTROSPECTION_DISABLED"


def test_typename_is_not_introspection(client_a):
    assert post(client_a, "{ __typename site { __typename } }").json()["data"]["site"] == {
        "__typename": "SiteType"
    }


def test_a_setting_allows_introspection_and_the_full_introspection_query_fits_the_limits(client_a):
    with override_settings(GRAPHQL_INTROSPECTION=True):
        response = post(client_a, get_introspection_query(descriptions=True))
    assert response.status_code == 200, response.content
    assert response.json()["data"]["__schema"]["queryType"]["name"] == "Query"


def test_only_the_operation_that_runs_is_measured(client_a):
    costly = "query Costly { " + " ".join(f"p{i}: {PAGE % 100}" for i in range(7)) + " }"
    response = client_a.post(
        "/api/graphql/",
        {"query": costly + " query Cheap { site { slug } }", "operationName": "Cheap"},
        content_type="application/json",
    )
    assert response.json() == {"data": {"site": {"slug": "alpha"}}}
