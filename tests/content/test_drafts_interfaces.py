"""Unpublished changes through every interface: readers (storefront, feeds, search, REST and
GraphQL without an account) keep the live version; editors see the changes, publish, preview or
discard them."""

import pytest
from django.test import Client
from django.urls import reverse
from django_tenants.utils import schema_context

from apps.content import services
from apps.content.preview import preview_token
from tests.conftest import ALPHA_HOST, bearer, deliver, problem_of
from tests.content.factories import make_category, make_node, make_tag

pytestmark = pytest.mark.django_db

HTML = {"HTTP_ACCEPT": "text/html"}
NODES = "/api/v1/content/nodes/"
JSON = "application/json"
NODE = """query($id: ID!) { contentNode(id: $id) {
  title hasUnpublishedChanges allowedTransitions
  draft { revision savedBy { displayName } title language bodyFormat categoryIds tagIds
          translations { language title body } }
} }"""


@pytest.fixture
def live(admin):
    """A published page and a published post, both read by readers already (documents made)."""
    with schema_context("alpha"):
        page = make_node(
            actor=admin, status="published", texts={"en": {"title": "Live page", "body": "Old."}}
        )
        post = make_node(
            actor=admin, kind="post", status="published", texts={"en": {"title": "Live post", "body": "Old."}}
        )
    deliver("alpha")
    return page, post


def graphql(client, query, **variables) -> dict:
    response = client.post("/api/graphql/", {"query": query, "variables": variables}, content_type=JSON)
    assert response.status_code == 200, response.content
    return response.json()


def edited(as_admin, node, **fields) -> dict:
    response = as_admin.patch(f"{NODES}{node.pk}/", fields, content_type=JSON)
    assert response.status_code == 200, response.content
    return response.json()


def searched(client, words: str) -> list[str]:
    return [hit["title"] for hit in client.get("/api/v1/search/", {"q": words}).json()["results"]]


def test_readers_keep_the_live_version_until_the_changes_are_published(client_a, as_admin, admin, live):
    page, post = live
    for node in (page, post):
        edited(as_admin, node, title=f"Edited {node.kind}", body="Brand **new** words.")
    deliver("alpha")

    def reader_sees(title: str):
        assert f"<h1>{title} page</h1>" in client_a.get("/pages/live-page/", **HTML).content.decode()
        assert f"<h1>{title} post</h1>" in client_a.get("/blog/live-post/", **HTML).content.decode()
        assert client_a.get(f"{NODES}{page.pk}/").json()["title"] == f"{title} page"
        assert f"{title} post" in client_a.get("/blog/feed/rss/").content.decode()
        answer = graphql(client_a, NODE, id=page.pk)["data"]["contentNode"]
        assert (answer["title"], answer["draft"], answer["hasUnpublishedChanges"]) == (
            f"{title} page",
            None,
            None,
        )

    reader_sees("Live")
    assert searched(client_a, "brand") == [] and set(searched(client_a, "live")) == {"Live page", "Live post"}
    with schema_context("alpha"):
        for node in (page, post):
            services.transition_node(actor=admin, node=node, name="publish")
    deliver("alpha")
    reader_sees("Edited")
    assert set(searched(client_a, "brand")) == {"Edited page", "Edited post"}


def test_an_editor_gets_the_live_fields_and_the_changes_in_the_answer_to_the_edit(as_admin, live):
    page, _post = live
    answer = edited(as_admin, page, title="Edited", translations={"ru": {"title": "Правка"}})
    assert (answer["title"], answer["status"], answer["has_unpublished_changes"]) == (
        "Live page",
        "published",
        True,
    )
    draft = answer["draft"]
    assert (draft["title"], draft["language"], draft["slug"], draft["body"]) == (
        "Edited",
        "en",
        "live-page",
        "Old.",
    )
    assert draft["translations"]["ru"]["title"] == "Правка"
    assert draft["saved_by"]["display_name"] and draft["revision"] == 3
    assert answer["allowed_transitions"] == ["publish", "unpublish", "archive"]
    again = as_admin.get(f"{NODES}{page.pk}/").json()
    assert again["draft"] == draft
    listed = as_admin.get(NODES, {"kind": "page"}).json()["results"]
    assert [(n["title"], n["has_unpublished_changes"], n["draft"]["title"]) for n in listed] == [
        ("Live page", True, "Edited")
    ]


def test_readers_get_no_changes_over_rest(client_a, as_admin, live):
    page, _post = live
    edited(as_admin, page, title="Secret plans")
    answer = client_a.get(f"{NODES}{page.pk}/").json()
    assert (answer["draft"], answer["has_unpublished_changes"]) == (None, None)
    assert "Secret plans" not in client_a.get(NODES).content.decode()


def test_taxonomy_changes_show_as_ids_in_the_draft(as_admin, admin, live):
    page, _post = live
    with schema_context("alpha"):
        news, tea = make_category(actor=admin, name="News"), make_tag(actor=admin, name="tea")
    answer = edited(as_admin, page, categories=[news.pk], tags=[tea.pk])
    assert (answer["categories"], answer["draft"]["categories"], answer["draft"]["tags"]) == (
        [],
        [news.pk],
        [tea.pk],
    )


def test_publishing_the_changes_over_rest_answers_the_new_live_version(as_admin, live):
    page, _post = live
    edited(as_admin, page, title="Edited")
    answer = as_admin.post(f"{NODES}{page.pk}/publish/").json()
    assert (answer["title"], answer["has_unpublished_changes"], answer["draft"]) == ("Edited", False, None)
    refused = problem_of(as_admin.post(f"{NODES}{page.pk}/publish/"), 409)
    assert refused["code"] == "transition_not_allowed" and refused["allowed"] == ["unpublish", "archive"]


def test_discarding_over_rest_restores_the_live_version_for_the_editor(as_admin, editor_a, live):
    page, _post = live
    edited(as_admin, page, title="Edited")
    assert problem_of(editor_a.post(f"{NODES}{page.pk}/discard/"), 403)["code"] == "permission_denied"
    answer = as_admin.post(f"{NODES}{page.pk}/discard/").json()
    assert (answer["title"], answer["has_unpublished_changes"], answer["draft"]) == ("Live page", False, None)
    refused = problem_of(as_admin.post(f"{NODES}{page.pk}/discard/"), 409)
    assert refused["reason"] == "no_unpublished_changes"


def test_scheduling_the_changes_over_rest(as_admin, live):
    page, _post = live
    edited(as_admin, page, title="Edited")
    answer = as_admin.post(
        f"{NODES}{page.pk}/schedule/", {"publish_at": "2099-11-30T09:00:00Z"}, content_type=JSON
    ).json()
    assert answer["publish_at"] == "2099-11-30T09:00:00Z" and answer["draft"]["title"] == "Edited"


def test_graphql_shows_editors_the_changes_and_publishes_or_discards_them(as_admin, live):
    page, _post = live
    update = """mutation($id: ID!) { updateContentNode(id: $id, input: {
      translations: [{language: "en", title: "Edited"}, {language: "ru", title: "Правка", body: "Текст"}]})
      { node { title hasUnpublishedChanges draft { title } } } }"""
    answer = graphql(as_admin, update, id=page.pk)["data"]["updateContentNode"]["node"]
    assert answer == {"title": "Live page", "hasUnpublishedChanges": True, "draft": {"title": "Edited"}}
    node = graphql(as_admin, NODE, id=page.pk)["data"]["contentNode"]
    assert node["allowedTransitions"] == ["PUBLISH", "UNPUBLISH", "ARCHIVE"]
    draft = node["draft"]
    assert (draft["title"], draft["language"], draft["bodyFormat"], draft["categoryIds"]) == (
        "Edited",
        "en",
        "MARKDOWN",
        [],
    )
    assert {"language": "ru", "title": "Правка", "body": "Текст"} in draft["translations"]
    discard = """mutation($id: ID!) { discardContentNodeChanges(id: $id)
      { node { title hasUnpublishedChanges draft { title } } } }"""
    answer = graphql(as_admin, discard, id=page.pk)["data"]["discardContentNodeChanges"]["node"]
    assert answer == {"title": "Live page", "hasUnpublishedChanges": False, "draft": None}
    [error] = graphql(as_admin, discard, id=page.pk)["errors"]
    assert error["extensions"]["code"] == "CONFLICT"
    graphql(as_admin, update, id=page.pk)
    publish = """mutation($id: ID!) { transitionContentNode(id: $id, transition: PUBLISH)
      { node { title draft { title } } } }"""
    answer = graphql(as_admin, publish, id=page.pk)["data"]["transitionContentNode"]["node"]
    assert answer == {"title": "Edited", "draft": None}


def test_readers_and_customers_never_get_the_changes_over_graphql(client_a, tenant_a, as_admin, live):
    from tests.accounts.factories import UserFactory

    page, _post = live
    edited(as_admin, page, title="Secret plans")
    with schema_context("alpha"):
        customer = UserFactory()
    as_customer = Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, customer))
    for client in (client_a, as_customer):
        node = graphql(client, NODE, id=page.pk)["data"]["contentNode"]
        assert (node["title"], node["draft"], node["hasUnpublishedChanges"]) == ("Live page", None, None)
    discard = "mutation($id: ID!) { discardContentNodeChanges(id: $id) { node { title } } }"
    [error] = graphql(as_customer, discard, id=page.pk)["errors"]
    assert error["extensions"]["code"] == "PERMISSION_DENIED"


def test_the_preview_shows_the_changes(client_a, as_admin, admin, live):
    page, post = live
    with schema_context("alpha"):
        tea = make_tag(actor=admin, name="Assam")
    edited(as_admin, page, title="Edited page", body="Brand **new** words.")
    edited(as_admin, post, title="Edited post", tags=[tea.pk])
    with schema_context("alpha"):
        page_url = reverse("content-preview", args=[preview_token(page)])
        post_url = reverse("content-preview", args=[preview_token(post)])
    html = client_a.get(page_url, **HTML).content.decode()
    assert "<h1>Edited page</h1>" in html and "Brand <strong>new</strong> words." in html
    post_html = client_a.get(post_url, **HTML).content.decode()
    assert "<h1>Edited post</h1>" in post_html and "Assam" in post_html
    assert "<h1>Live page</h1>" in client_a.get("/pages/live-page/", **HTML).content.decode()
