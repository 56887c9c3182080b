"""Every GraphQL error carries an `extensions.code`: what the operation is given (arguments,
input fields, variables) is INVALID naming the field, what it asks (fields, fragments) is
GRAPHQL_VALIDATION_FAILED, a query that does not parse is PARSE_ERROR, and a request refused
before its query is read has a code too."""

import pytest

pytestmark = pytest.mark.django_db

CREATE_NODE = "mutation($input: CreateContentNodeInput!) { createContentNode(input: $input) { node { id } } }"
NODE = "query($id: ID!) { contentNode(id: $id) { id } }"


def post(client, query, variables=None, **body):
    data = {"query": query, **({"variables": variables} if variables is not None else {}), **body}
    return client.post("/api/graphql/", data, content_type="application/json")


def refusal(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content
    [error] = response.json()["errors"]
    return error


def test_a_missing_required_argument_of_a_mutation_is_invalid_naming_it(client_a):
    error = refusal(post(client_a, "mutation { createContentTag { tag { id } } }"))
    assert error["extensions"] == {"code": "INVALID", "field": "translations"}
    assert "'translations'" in error["message"]


@pytest.mark.parametrize("literal", [True, False])
def test_a_missing_required_input_field_is_invalid_naming_its_path(client_a, literal):
    if literal:
        query = (
            'mutation { createContentNode(input: {translations: [{language: "en", title: "A"}]}) '
            "{ node { id } } }"
        )
        response = post(client_a, query)
    else:
        response = post(
            client_a, CREATE_NODE, {"input": {"translations": [{"language": "en", "title": "A"}]}}
        )
    error = refusal(response)
    assert error["extensions"] == {"code": "INVALID", "field": "input.kind"}


def test_an_unknown_argument_is_invalid_naming_it(client_a):
    query = (
        'mutation { createContentTag(parentId: 1, translations: [{language: "en", name: "x"}]) '
        "{ tag { id } } }"
    )
    error = refusal(post(client_a, query))
    assert error["extensions"] == {"code": "INVALID", "field": "parentId"}
    assert error["message"] == "Unknown argument 'parentId' on field 'Mutation.createContentTag'."


@pytest.mark.parametrize("literal", [True, False])
def test_an_unknown_input_field_is_invalid_naming_its_path(client_a, literal):
    if literal:
        query = (
            'mutation { createContentNode(input: {kind: PAGE, bdy: "x", translations: []}) { node { id } } }'
        )
        response = post(client_a, query)
    else:
        response = post(client_a, CREATE_NODE, {"input": {"kind": "PAGE", "bdy": "x", "translations": []}})
    error = refusal(response)
    assert error["extensions"] == {"code": "INVALID", "field": "input.bdy"}


def test_an_unknown_field_in_a_selection_is_a_validation_failure(client_a):
    error = refusal(post(client_a, "{ site { slug nope } }"))
    assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}
    assert error["message"].startswith("Cannot query field 'nope' on type 'SiteType'.")


@pytest.mark.parametrize(
    "query",
    [
        "{ site { ...Missing } }",  # an unknown fragment
        "{ site { slug } } fragment Unused on SiteType { slug }",
        "{ site { slug { length } } }",  # a selection on a leaf
        "{ site }",  # none on an object
        "{ site { ... on Nope { slug } } }",  # an unknown type in a fragment
        "{ site { slug @nope } }",  # an unknown directive
        "subscription { site { slug } }",  # the schema has no subscriptions
    ],
)
def test_what_a_query_asks_that_the_schema_does_not_answer_is_a_validation_failure(client_a, query):
    error = refusal(post(client_a, query))
    assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}


def test_a_variable_of_the_wrong_type_is_invalid_naming_the_argument_it_is_given_to(client_a):
    error = refusal(post(client_a, "query($id: String) { contentNode(id: $id) { id } }", {"id": "1"}))
    assert error["extensions"] == {"code": "INVALID", "field": "id"}
    assert "'$id'" in error["message"]


def test_a_variable_value_of_the_wrong_type_is_invalid_naming_its_path(client_a):
    variables = {"input": {"kind": "PAGE", "translations": [{"language": "en", "title": 123}]}}
    error = refusal(post(client_a, CREATE_NODE, variables))
    assert error["extensions"] == {"code": "INVALID", "field": "input.translations.0.title"}
    assert "'$input'" in error["message"]


@pytest.mark.parametrize("variables", [{}, {"id": None}, {"id": 1.5}])
def test_a_missing_or_unfit_variable_value_is_invalid_naming_the_variable(client_a, variables):
    error = refusal(post(client_a, NODE, variables))
    assert error["extensions"] == {"code": "INVALID", "field": "id"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("query { contentNode(id: $id) { id } }", "id"),  # undefined
        ("query($id: ID!) { site { slug } }", None),  # unused
        ("query($id: ID!, $id: ID!) { contentNode(id: $id) { id } }", None),  # declared twice
        ("query($x: Nope) { contentNode(id: $x) { id } }", None),  # of an unknown type
        ("{ contentNode(id: 1, id: 2) { id } }", "id"),  # an argument given twice
        ("{ site { slug @include } }", "if"),  # a directive's required argument
    ],
)
def test_misused_variables_and_arguments_are_invalid(client_a, query, field):
    errors = post(client_a, query).json()["errors"]
    assert {error["extensions"]["code"] for error in errors} == {"INVALID"}
    assert errors[0]["extensions"].get("field") == field


def test_a_syntax_error_is_a_parse_error(client_a):
    error = refusal(post(client_a, "{ site { slug "))
    assert error["extensions"] == {"code": "PARSE_ERROR"}
    assert error["message"].startswith("Syntax Error:")
    assert error["locations"] == [{"line": 1, "column": 15}]


@pytest.mark.parametrize("operation_name", ["Other", None])
def test_an_operation_name_that_chooses_no_operation_is_invalid_naming_it(client_a, operation_name):
    query = "query One { site { slug } } query Two { site { name } }"
    error = refusal(post(client_a, query, operationName=operation_name))
    assert error["extensions"] == {"code": "INVALID", "field": "operationName"}


def test_a_null_given_to_a_non_null_argument_through_a_variable_default_is_invalid(client_a):
    query = "query($id: ID = 1) { contentNode(id: $id) { id } }"
    body = post(client_a, query, {"id": None}).json()
    [error] = body["errors"]
    assert error["extensions"] == {"code": "INVALID"}
    assert body["data"] == {"contentNode": None}


@pytest.mark.parametrize(
    ("send", "status", "extensions"),
    [
        (
            lambda c: c.post("/api/graphql/", "{not json", content_type="application/json"),
            400,
            {"code": "PARSE_ERROR"},
        ),
        (
            lambda c: c.post("/api/graphql/", "[1]", content_type="application/json"),
            400,
            {"code": "PARSE_ERROR"},
        ),
        (lambda c: post(c, "{ site { slug } }", "{x"), 400, {"code": "PARSE_ERROR"}),
        (lambda c: post(c, ""), 400, {"code": "INVALID", "field": "query"}),
        (
            lambda c: c.put("/api/graphql/", "{}", content_type="application/json"),
            405,
            {"code": "METHOD_NOT_ALLOWED"},
        ),
        (
            lambda c: c.get(
                "/api/graphql/", {"query": "mutation { logout { ok } }"}, HTTP_ACCEPT="application/json"
            ),
            405,
            {"code": "METHOD_NOT_ALLOWED"},
        ),
    ],
    ids=["body-not-json", "body-not-an-object", "variables-not-json", "no-query", "put", "get-mutation"],
)
def test_a_request_refused_before_its_query_is_read_has_a_code(client_a, send, status, extensions):
    assert refusal(send(client_a), status)["extensions"] == extensions


def test_a_json_body_nested_too_deep_is_a_parse_error(client_a, settings):
    settings.JSON_MAX_DEPTH = 4
    body = '{"query": "{ site { slug } }", "variables": {"a": {"b": {"c": {"d": {}}}}}}'
    response = client_a.post("/api/graphql/", body, content_type="application/json")
    assert refusal(response)["extensions"] == {"code": "PARSE_ERROR"}


def test_the_errors_kept_for_a_query_are_answered_alike_each_time(client_a):
    query = "query($x: Nope) { site { slug nope } contentNode { id } }"
    first = post(client_a, query).json()
    assert post(client_a, query).json() == first
    assert [error["extensions"] for error in first["errors"]] == [
        {"code": "INVALID"},  # the unknown type of $x
        {"code": "GRAPHQL_VALIDATION_FAILED"},  # nope
        {"code": "INVALID", "field": "id"},  # contentNode's id
        {"code": "INVALID"},  # $x is never used
    ]
