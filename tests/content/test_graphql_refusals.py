"""GraphQL writes refuse what they cannot honour, naming the field or variable: kinds are an
enum of the registered kinds, unknown input fields and wrong types are validation errors, dates
that do not parse are errors naming the variable; nothing is written."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.content.models import Node
from apps.core.services import set_module_enabled
from tests.accounts.factories import SiteAdminFactory
from tests.conftest import signed_in
from tests.content.factories import make_node

pytestmark = pytest.mark.django_db

CREATE = "mutation($input: CreateContentNodeInput!) { createContentNode(input: $input) { node { id kind } } }"
SCHEDULE = """mutation($id: ID!, $at: DateTime) {
  scheduleContentNode(id: $id, publishAt: $at) { node { publishAt } } }"""


@pytest.fixture
def admin_a(tenant_a) -> Client:
    with schema_context("alpha"):
        user = SiteAdminFactory()
    return signed_in(tenant_a, user)


def post(client, query, **variables):
    response = client.post(
        "/api/graphql/", {"query": query, "variables": variables}, content_type="application/json"
    )
    return response.status_code, response.json()


def nodes() -> int:
    with schema_context("alpha"):
        return Node.objects.count()


def test_kind_is_an_enum_of_the_registered_kinds():
    from apps.content import kinds
    from rustok.graphql import schema

    enum = schema.graphql_schema.get_type("ContentKind")
    assert {name: value.value.value for name, value in enum.values.items()} == {
        slug.upper(): slug for slug in kinds.all_kinds()
    }
    assert {"PAGE", "POST"} <= enum.values.keys()
    create = schema.graphql_schema.get_type("CreateContentNodeInput")
    assert str(create.fields["kind"].type) == "ContentKind!"


def test_a_node_answers_its_kind_as_the_enum(admin_a):
    with schema_context("alpha"):
        node = make_node(kind="post", title="News", status="published")
    _status, body = post(admin_a, "query($id: ID!) { contentNode(id: $id) { kind } }", id=node.pk)
    assert body["data"]["contentNode"]["kind"] == "POST"


def test_an_unknown_kind_written_in_the_query_is_a_validation_error_naming_it(admin_a):
    query = """mutation { createContentNode(input: {kind: RECIPE,
      translations: [{language: "en", title: "Soup"}]}) { node { id } } }"""
    status, body = post(admin_a, query)
    [error] = body["errors"]
    assert status == 400
    assert error["message"].startswith("input.kind:") and "RECIPE" in error["message"]
    assert error["extensions"] == {"code": "INVALID", "field": "input.kind"}
    assert nodes() == 0


def test_an_unknown_kind_sent_as_a_variable_is_refused_naming_it(admin_a):
    status, body = post(
        admin_a, CREATE, input={"kind": "recipe", "translations": [{"language": "en", "title": "Soup"}]}
    )
    [error] = body["errors"]
    assert status == 400
    assert "'input.kind'" in error["message"] and "recipe" in error["message"]
    assert nodes() == 0


def test_an_unknown_kind_in_a_filter_is_refused(admin_a):
    status, body = post(admin_a, "{ contentNodes(kind: RECIPE) { edges { node { id } } } }")
    assert status == 400
    assert body["errors"][0]["extensions"]["field"] == "kind"


def test_a_kind_whose_module_is_off_is_refused_naming_kind(admin_a, tenant_a):
    set_module_enabled(tenant=tenant_a, module="blog", enabled=False)
    try:
        _status, body = post(
            admin_a, CREATE, input={"kind": "POST", "translations": [{"language": "en", "title": "News"}]}
        )
    finally:
        set_module_enabled(tenant=tenant_a, module="blog", enabled=True)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "INVALID"
    assert list(error["extensions"]["fields"]) == ["kind"]
    assert nodes() == 0


def test_an_unknown_input_field_and_a_number_for_a_string_are_refused(admin_a):
    status, body = post(
        admin_a,
        CREATE,
        input={"kind": "PAGE", "bdy": "x", "translations": [{"language": "en", "title": 123}]},
    )
    assert status == 400
    messages = " ".join(error["message"] for error in body["errors"])
    assert "'bdy'" in messages and "input.translations[0].title" in messages
    fields = {error["extensions"]["field"] for error in body["errors"]}
    assert fields == {"input.bdy", "input.translations.0.title"}
    assert nodes() == 0


@pytest.mark.parametrize("literal", [True, False])
def test_a_date_that_does_not_parse_is_refused_naming_it_and_nothing_changes(admin_a, literal):
    with schema_context("alpha"):
        node = make_node(title="Tea")
    if literal:
        query = (
            f'mutation {{ scheduleContentNode(id: {node.pk}, publishAt: "tomorrow") {{ node {{ id }} }} }}'
        )
        status, body = post(admin_a, query)
        [error] = body["errors"]
        assert error["extensions"] == {"code": "INVALID", "field": "publishAt"}
    else:
        status, body = post(admin_a, SCHEDULE, id=node.pk, at="tomorrow")
        [error] = body["errors"]
        assert "'$at'" in error["message"]
    assert status == 400 and "tomorrow" in error["message"]
    with schema_context("alpha"):
        node.refresh_from_db()
        assert node.publish_at is None


def test_an_id_that_is_not_an_id_is_refused(admin_a):
    status, body = post(admin_a, SCHEDULE, id=1.5, at="2099-01-01T00:00:00Z")
    assert status == 400 and "'$id'" in body["errors"][0]["message"]
