"""The rules of writing nodes and taxonomy hold alike on every interface (REST, GraphQL, admin):
they live in the services, and each interface only shows the refusal its own way."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.content.models import Node
from apps.content.services import WRITABLE_TEXT
from tests.accounts.factories import SiteAdminFactory
from tests.conftest import ALPHA_HOST, signed_in

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
