"""The rules of writing nodes and taxonomy hold alike on every interface (REST, GraphQL, admin):
they live in the services, and each interface only shows the refusal its own way."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.content import services
from apps.content.models import Category, Node, Tag
from apps.content.services import WRITABLE_TEXT
from rustok.errors import InvalidInput
from tests.accounts.factories import SiteAdminFactory
from tests.conftest import ALPHA_HOST, problem_of, signed_in
from tests.content.factories import make_node

pytestmark = pytest.mark.django_db

NODES = "/api/v1/content/nodes/"
TEXTS = {"en": {"title": "About us", "body": "We make **tea**."}, "ru": {"title": "О нас", "excerpt": "Чай."}}


@pytest.fixture
def site_admin(tenant_a):
    with schema_context("alpha"):
        return SiteAdminFactory()


@pytest.fixture
def rest(tenant_a, site_admin) -> Client:
    return signed_in(tenant_a, site_admin)


@pytest.fixture
def admin_site(site_admin) -> Client:
    client = Client(HTTP_HOST=ALPHA_HOST)
    with schema_context("alpha"):
        client.force_login(site_admin)
    return client


def graphql(client, query, **variables) -> dict:
    response = client.post(
        "/api/graphql/", {"query": query, "variables": variables}, content_type="application/json"
    )
    return response.json()


def stored_texts(pk) -> dict:
    with schema_context("alpha"):
        node = Node.objects.get(pk=pk)
        return {
            f"{field}_{code}": getattr(node, f"{field}_{code}")
            for field in WRITABLE_TEXT
            for code in ["en", "ru"]
        }


CREATE = "mutation($input: CreateContentNodeInput!) { createContentNode(input: $input) { node { id } } }"
UPDATE = """mutation($id: ID!, $input: UpdateContentNodeInput!) {
  updateContentNode(id: $id, input: $input) { node { id kind } } }"""


def test_rest_graphql_and_the_admin_store_the_same_text(rest, admin_site):
    over_rest = rest.post(
        NODES,
        {"kind": "page", "language": "en", **TEXTS["en"], "translations": {"ru": TEXTS["ru"]}},
        content_type="application/json",
    ).json()["id"]
    body = graphql(
        rest,
        CREATE,
        input={
            "kind": "PAGE",
            "translations": [{"language": code, **values} for code, values in TEXTS.items()],
        },
    )
    over_graphql = body["data"]["createContentNode"]["node"]["id"]
    form = {f"{field}_{code}": "" for field in WRITABLE_TEXT for code in ("en", "ru")}
    form.update(
        {f"{field}_{code}": value for code, values in TEXTS.items() for field, value in values.items()}
    )
    response = admin_site.post(
        "/admin/content/page/add/", {**form, "body_format": "markdown", "position": "0"}
    )
    assert response.status_code == 302
    with schema_context("alpha"):
        over_admin = Node.objects.latest("id").pk
    first = stored_texts(over_rest)
    slugs = {key for key in first if key.startswith("slug_")}
    strip = lambda texts: {k: v for k, v in texts.items() if k not in slugs}  # noqa: E731 (each slug is unique)
    assert strip(stored_texts(over_graphql)) == strip(first) == strip(stored_texts(over_admin))
    assert first["body_en"] == "We make **tea**." and first["excerpt_ru"] == "Чай."


def test_graphql_refuses_a_language_given_twice_naming_translations(rest):
    body = graphql(
        rest,
        CREATE,
        input={
            "kind": "PAGE",
            "translations": [{"language": "en", "title": "A"}, {"language": "en", "title": "B"}],
        },
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "INVALID"
    assert list(error["extensions"]["fields"]) == ["translations"]
    with schema_context("alpha"):
        assert not Node.objects.exists()


# --- the kind of a node cannot change -------------------------------------------------------------


def test_rest_refuses_to_change_the_kind_of_a_node_naming_kind(rest):
    with schema_context("alpha"):
        page = make_node(title="About")
    problem = problem_of(rest.patch(f"{NODES}{page.pk}/", {"kind": "post"}, content_type="application/json"))
    assert [(e["field"], e["message"]) for e in problem["errors"]] == [
        ("kind", "The kind of a node cannot change.")
    ]
    with schema_context("alpha"):
        assert Node.objects.get(pk=page.pk).kind == "page"


def test_rest_takes_the_kind_sent_back_unchanged(rest):
    with schema_context("alpha"):
        page = make_node(title="About")
    response = rest.patch(
        f"{NODES}{page.pk}/", {"kind": "page", "title": "Us"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["title"] == "Us"


def test_graphql_refuses_to_change_the_kind_of_a_node_naming_kind(rest):
    with schema_context("alpha"):
        page = make_node(title="About")
    [error] = graphql(rest, UPDATE, id=page.pk, input={"kind": "POST"})["errors"]
    assert error["extensions"]["code"] == "INVALID"
    assert error["extensions"]["fields"] == {"kind": ["The kind of a node cannot change."]}
    with schema_context("alpha"):
        assert Node.objects.get(pk=page.pk).kind == "page"


def test_the_service_refuses_to_change_the_kind_of_a_node(tenant_a, site_admin):
    with schema_context("alpha"):
        page = make_node(title="About")
        with pytest.raises(InvalidInput) as refused:
            services.update_node(actor=site_admin, node=page, kind="post")
    assert refused.value.errors == {"kind": ["The kind of a node cannot change."]}


# --- a new node needs a kind ----------------------------------------------------------------------


def test_rest_refuses_a_node_without_a_kind_naming_kind(rest):
    problem = problem_of(rest.post(NODES, {"title": "About"}, content_type="application/json"))
    assert [error["field"] for error in problem["errors"]] == ["kind"]
    with schema_context("alpha"):
        assert not Node.objects.exists()


def test_graphql_refuses_a_node_without_a_kind_naming_kind(rest):
    """The input type declares the kind required (ContentKind!): the schema refuses before the
    service, as for any missing required input field, naming it."""
    query = (
        'mutation { createContentNode(input: {translations: [{language: "en", title: "A"}]}) '
        "{ node { id } } }"
    )
    [error] = graphql(rest, query)["errors"]
    assert error["extensions"] == {"code": "INVALID", "field": "input.kind"}
    assert "'CreateContentNodeInput.kind'" in error["message"]
    with schema_context("alpha"):
        assert not Node.objects.exists()


@pytest.mark.parametrize("kind", [None, ""])
def test_the_service_refuses_a_node_without_a_kind(tenant_a, site_admin, kind):
    with schema_context("alpha"), pytest.raises(InvalidInput) as refused:
        services.create_node(actor=site_admin, kind=kind, texts={"en": {"title": "About"}})
    assert refused.value.errors == {"kind": ["This field is required."]}


# --- tags have no parent nor position ---------------------------------------------------------------


@pytest.mark.parametrize("field", ["parent", "position"])
def test_rest_refuses_a_parent_or_position_for_a_tag_naming_it(rest, field):
    problem = problem_of(
        rest.post("/api/v1/content/tags/", {"name": "green", field: 1}, content_type="application/json")
    )
    assert [error["field"] for error in problem["errors"]] == [field]
    with schema_context("alpha"):
        assert not Tag.objects.exists()


def test_graphql_refuses_a_parent_for_a_tag_naming_it(rest):
    body = graphql(
        rest,
        'mutation { createContentTag(parentId: 1, translations: [{language: "en", name: "green"}]) '
        "{ tag { id } } }",
    )
    [error] = body["errors"]
    assert error["message"] == "Unknown argument 'parentId' on field 'Mutation.createContentTag'."
    assert error["extensions"] == {"code": "INVALID", "field": "parentId"}
    with schema_context("alpha"):
        assert not Tag.objects.exists()


def test_the_tag_services_take_no_parent(tenant_a, site_admin):
    with schema_context("alpha"), pytest.raises(TypeError):
        services.create_tag(actor=site_admin, texts={"en": {"name": "green"}}, parent=None)


# --- a new category is at position 0 unless given one ---------------------------------------------


def test_rest_puts_a_category_without_a_position_at_position_0(rest):
    response = rest.post("/api/v1/content/categories/", {"name": "News"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["position"] == 0


def test_graphql_puts_a_category_without_a_position_at_position_0(rest):
    body = graphql(
        rest,
        'mutation { createContentCategory(input: {translations: [{language: "en", name: "News"}]}) '
        "{ category { position } } }",
    )
    assert body["data"]["createContentCategory"]["category"]["position"] == 0


def test_graphql_refuses_a_category_without_translations_naming_name(rest):
    body = graphql(rest, "mutation { createContentCategory(input: {}) { category { id } } }")
    [error] = body["errors"]
    assert error["extensions"]["code"] == "INVALID" and list(error["extensions"]["fields"]) == ["name"]
    with schema_context("alpha"):
        assert not Category.objects.exists()
