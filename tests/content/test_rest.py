"""REST: /api/v1/content/nodes/ and the taxonomy, as readers, editors and admins use them."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.content.models import Node, Revision, Status
from apps.events.models import OutboxEvent
from tests.accounts.factories import EditorFactory, SiteAdminFactory, UserFactory
from tests.conftest import ALPHA_HOST, BETA_HOST, bearer
from tests.content.factories import make_category, make_node, make_tag

pytestmark = pytest.mark.django_db

NODES = "/api/v1/content/nodes/"


def client_for(tenant, user, host=ALPHA_HOST) -> Client:
    return Client(HTTP_HOST=host, HTTP_AUTHORIZATION=bearer(tenant, user))


@pytest.fixture
def people(tenant_a):
    with schema_context("alpha"):
        return {
            "editor": EditorFactory(),
            "other_editor": EditorFactory(),
            "admin": SiteAdminFactory(),
            "customer": UserFactory(),
        }


@pytest.fixture
def as_(tenant_a, people):
    return lambda who: client_for(tenant_a, people[who])


def test_anonymous_readers_see_only_published_nodes(reader_a, people):
    with schema_context("alpha"):
        for state in ("draft", "in_review", "published", "archived"):
            make_node(title=f"A {state} page", status=state)
    titles = [n["title"] for n in reader_a.get(NODES).json()["results"]]
    assert titles == ["A published page"]


def test_customers_see_only_published_nodes_and_drafts_are_404_by_id(as_, people):
    with schema_context("alpha"):
        draft = make_node(title="Secret plan")
    customer = as_("customer")
    assert customer.get(NODES).json()["count"] == 0
    response = customer.get(f"{NODES}{draft.pk}/")
    assert response.status_code == 404
    assert "Secret plan" not in response.content.decode()


def test_editors_see_every_status_and_the_allowed_transitions(as_, people):
    with schema_context("alpha"):
        make_node(title="Draft", actor=people["editor"])
        make_node(title="Live", status="published")
    body = as_("editor").get(NODES, {"ordering": "id"}).json()
    assert [(n["title"], n["status"]) for n in body["results"]] == [("Draft", "draft"), ("Live", "published")]
    assert body["results"][0]["allowed_transitions"] == ["submit"]  # publishing is for admins
    assert body["results"][0]["translations"]["en"]["title"] == "Draft"


def test_an_editor_creates_a_draft_in_two_languages(as_, people):
    with schema_context("alpha"):
        news = make_category(name="News")
    response = as_("editor").post(
        NODES,
        {
            "kind": "page",
            "title": "About us",
            "body": "We make **tea**.",
            "translations": {"ru": {"title": "О нас", "body": "Мы делаем чай."}},
            "categories": [news.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    node = response.json()
    assert node["status"] == "draft"
    assert node["slug"] == "about-us"
    assert node["body_html"] == "<p>We make <strong>tea</strong>.</p>\n"
    assert node["translations"]["ru"]["slug"] == "о-нас"
    assert node["author"]["id"] == people["editor"].pk
    assert [c["name"] for c in node["categories"]] == ["News"]
    with schema_context("alpha"):
        assert OutboxEvent.objects.filter(type="content.node.created").count() == 1
        assert Revision.objects.get(node_id=node["id"]).action == "created"


def test_bad_input_names_the_field_and_writes_nothing(as_, people):
    with schema_context("alpha"):
        make_node(title="Taken", texts={"en": {"title": "Taken", "slug": "taken"}})
        before = Node.objects.count(), OutboxEvent.objects.count()
    editor = as_("editor")
    cases = [
        ({"kind": "page", "body": "no title"}, "title"),
        ({"kind": "page", "title": "New", "slug": "taken"}, "slug"),
        ({"kind": "page", "title": "New", "slug": "not a slug!"}, "slug"),
        (
            {"kind": "page", "title": "New", "translations": {"ru": {"title": "Новая", "slug": "bad slug"}}},
            "translations.ru.slug",
        ),
        ({"kind": "page", "title": "New", "translations": {"de": {"title": "Neu"}}}, "translations"),
        ({"kind": "spaceship", "title": "New"}, "kind"),
        ({"kind": "page", "title": "New", "categories": [999999]}, "categories"),
        ({"kind": "page", "title": "x" * 300}, "title"),
        ({"kind": "page", "title": "Nul\x00"}, "title"),
    ]
    for payload, field in cases:
        response = editor.post(NODES, payload, content_type="application/json")
        assert response.status_code == 400, (payload, response.content)
        assert response["Content-Type"] == "application/problem+json"
        fields = [e["field"] for e in response.json()["errors"]]
        assert any(f == field or f.startswith(field + ".") for f in fields), (payload, fields)
    with schema_context("alpha"):
        assert (Node.objects.count(), OutboxEvent.objects.count()) == before


def test_an_editor_edits_own_drafts_but_not_others_or_published_ones(as_, people):
    with schema_context("alpha"):
        own = make_node(title="Mine", actor=people["editor"])
        theirs = make_node(title="Theirs", actor=people["other_editor"])
        live = make_node(title="Live", actor=people["editor"], status="published")
    editor = as_("editor")
    ok = editor.patch(f"{NODES}{own.pk}/", {"title": "Mine, better"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["title"] == "Mine, better"
    for node in (theirs, live):
        refused = editor.patch(f"{NODES}{node.pk}/", {"title": "Hacked"}, content_type="application/json")
        assert refused.status_code == 403, refused.content
        assert refused.json()["code"] == "permission_denied"
    with schema_context("alpha"):
        assert Node.objects.get(pk=theirs.pk).title == "Theirs"


def test_editors_submit_and_admins_publish(as_, people):
    with schema_context("alpha"):
        node = make_node(title="Story", actor=people["editor"])
    editor, admin = as_("editor"), as_("admin")
    assert editor.post(f"{NODES}{node.pk}/submit/").json()["status"] == "in_review"
    refused = editor.post(f"{NODES}{node.pk}/publish/")
    assert refused.status_code == 403
    published = admin.post(f"{NODES}{node.pk}/publish/")
    assert published.status_code == 200
    assert published.json()["status"] == "published" and published.json()["published_at"]
    with schema_context("alpha"):
        types = list(OutboxEvent.objects.order_by("id").values_list("type", flat=True))
    assert types[-2:] == ["content.node.submitted", "content.node.published"]


def test_an_illegal_transition_is_409_naming_the_allowed_ones(as_, people):
    with schema_context("alpha"):
        node = make_node(title="Old news", status="archived")
    response = as_("admin").post(f"{NODES}{node.pk}/publish/")
    assert response.status_code == 409
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert body["code"] == "transition_not_allowed"
    assert body["allowed"] == ["unarchive"]
    assert "unarchive" in body["detail"]
    with schema_context("alpha"):
        assert Node.objects.get(pk=node.pk).status == Status.ARCHIVED


def test_the_whole_workflow_over_rest(as_, people):
    with schema_context("alpha"):
        node = make_node(title="Cycle", status="published")
    admin = as_("admin")
    for name, status in [
        ("unpublish", "draft"),
        ("publish", "published"),
        ("archive", "archived"),
        ("unarchive", "draft"),
        ("submit", "in_review"),
        ("reject", "draft"),
    ]:
        response = admin.post(f"{NODES}{node.pk}/{name}/")
        assert response.status_code == 200, (name, response.content)
        assert response.json()["status"] == status


def test_revisions_compare_and_restore(as_, people):
    with schema_context("alpha"):
        node = make_node(title="First title", actor=people["editor"])
    editor = as_("editor")
    editor.patch(f"{NODES}{node.pk}/", {"title": "Second title"}, content_type="application/json")
    revisions = editor.get(f"{NODES}{node.pk}/revisions/").json()["results"]
    assert [(r["number"], r["action"]) for r in revisions] == [(2, "updated"), (1, "created")]
    assert revisions[0]["changed"] == ["title_en"]
    assert revisions[0]["author"]["id"] == people["editor"].pk
    compare = editor.get(f"{NODES}{node.pk}/revisions/compare/", {"old": 1, "new": 2}).json()
    assert {"field": "title_en", "old": "First title", "new": "Second title"} in compare["changes"]
    restored = editor.post(f"{NODES}{node.pk}/revisions/1/restore/")
    assert restored.status_code == 200 and restored.json()["title"] == "First title"
    latest = editor.get(f"{NODES}{node.pk}/revisions/").json()["results"][0]
    assert (latest["number"], latest["action"]) == (3, "restored")
    assert editor.get(f"{NODES}{node.pk}/revisions/compare/", {"old": 9}).status_code == 400


def test_readers_cannot_see_revisions(reader_a, as_, people):
    with schema_context("alpha"):
        node = make_node(title="Public", status="published")
    assert reader_a.get(f"{NODES}{node.pk}/revisions/").status_code == 401
    assert as_("customer").get(f"{NODES}{node.pk}/revisions/").status_code == 403


@pytest.fixture
def filtered(people):
    """What the filter tests filter: Alpha (published, by the editor, in News), Beta (published,
    tagged tea, also in Russian) and Gamma (a draft)."""
    with schema_context("alpha"):
        news, tea = make_category(name="News"), make_tag(name="tea")
        alpha = make_node(title="Alpha", status="published", categories=[news], actor=people["editor"])
        beta = make_node(
            title="Beta",
            status="published",
            tags=[tea],
            texts={"en": {"title": "Beta"}, "ru": {"title": "Бета"}},
        )
        make_node(title="Gamma")
    return {"news": news, "alpha": alpha, "beta": beta}


def test_filters_and_ordering(as_, people, filtered):
    news, a, b = filtered["news"], filtered["alpha"], filtered["beta"]
    editor = as_("editor")

    def titles(**params):
        return [n["title"] for n in editor.get(NODES, {"ordering": "id", **params}).json()["results"]]

    assert titles(status="published") == ["Alpha", "Beta"]
    assert titles(status=["draft", "published"]) == ["Alpha", "Beta", "Gamma"]
    assert titles(category=news.pk) == ["Alpha"]
    assert titles(category="news") == ["Alpha"]
    assert titles(tag="tea") == ["Beta"]
    assert titles(author=people["editor"].pk) == ["Alpha"]
    assert titles(language="ru") == ["Beta"]
    assert titles(kind="post") == []
    assert titles(q="amm") == ["Gamma"]
    assert titles(ordering="-id") == ["Gamma", "Beta", "Alpha"]
    assert titles(published_after=b.published_at.isoformat()) == ["Beta"]
    assert a.pk  # created first
    bad = editor.get(NODES, {"status": "lost"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "status"
    for wrong in ("someone", "1.5", "0", str(2**63)):
        bad = editor.get(NODES, {"author": wrong})
        assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "author", wrong


def test_text_follows_the_language_and_falls_back_to_the_site_default(reader_a, reader_b, tenant_b):
    with schema_context("alpha"):
        make_node(
            title="Hello", status="published", texts={"en": {"title": "Hello"}, "ru": {"title": "Привет"}}
        )
        make_node(title="Only English", status="published")
    ru = reader_a.get(NODES, {"lang": "ru", "ordering": "id"}).json()["results"]
    assert [(n["title"], n["language"]) for n in ru] == [("Привет", "ru"), ("Only English", "en")]
    accept = reader_a.get(NODES, {"ordering": "id"}, HTTP_ACCEPT_LANGUAGE="ru").json()["results"]
    assert accept[0]["title"] == "Привет"
    with schema_context("beta"):  # a Russian site: English readers fall back to Russian
        make_node(title="", status="published", texts={"ru": {"title": "Только по-русски"}})
    en = reader_b.get(NODES, {"lang": "en"}).json()["results"]
    assert [(n["title"], n["language"]) for n in en] == [("Только по-русски", "ru")]
    assert reader_b.get(NODES).json()["results"][0]["url"].startswith("/pages/")


def test_another_tenants_nodes_never_show(reader_b, tenant_b, people):
    with schema_context("alpha"):
        node = make_node(title="Alpha only", status="published")
    assert reader_b.get(NODES).json()["count"] == 0
    assert reader_b.get(f"{NODES}{node.pk}/").status_code == 404
    with schema_context("beta"):
        beta_admin = SiteAdminFactory()
    foreign = client_for(tenant_b, beta_admin, host=BETA_HOST)
    assert foreign.post(f"{NODES}{node.pk}/publish/").status_code == 404
    # Alpha's admin token on beta's host is worthless.
    with schema_context("alpha"):
        alpha_admin = people["admin"]
    assert (
        Client(HTTP_HOST=BETA_HOST, HTTP_AUTHORIZATION=bearer(tenant_b, beta_admin)).get(NODES).status_code
        == 200
    )
    stolen = Client(
        HTTP_HOST=BETA_HOST,
        HTTP_AUTHORIZATION=bearer(type(tenant_b).objects.get(schema_name="alpha"), alpha_admin),
    )
    assert stolen.get(NODES).status_code == 401


def test_list_queries_do_not_grow_with_the_page(as_, people, django_assert_max_num_queries):
    with schema_context("alpha"):
        categories = [make_category(name=f"C{i}") for i in range(3)]
        tags = [make_tag(name=f"t{i}") for i in range(3)]
        for i in range(20):
            make_node(title=f"Page {i}", status="published", categories=categories, tags=tags)
    editor = as_("editor")
    editor.get(NODES)  # warm the site and module caches, and the host's route
    with django_assert_max_num_queries(6):
        small = editor.get(NODES, {"limit": 2})
    with django_assert_max_num_queries(6):
        full = editor.get(NODES, {"limit": 20})
    assert len(small.json()["results"]) == 2 and len(full.json()["results"]) == 20
    assert len(full.json()["results"][0]["tags"]) == 3


def test_delete_refuses_a_page_with_children_and_removes_a_leaf(as_, people):
    with schema_context("alpha"):
        parent = make_node(title="Parent")
        child = make_node(title="Child", parent=parent)
    admin = as_("admin")
    refused = admin.delete(f"{NODES}{parent.pk}/")
    assert refused.status_code == 409 and refused.json()["children"] == 1
    assert admin.delete(f"{NODES}{child.pk}/").status_code == 204
    with schema_context("alpha"):
        assert not Node.objects.filter(pk=child.pk).exists()
        assert OutboxEvent.objects.filter(type="content.node.deleted").count() == 1


def test_a_page_cannot_be_placed_under_itself(as_, people):
    with schema_context("alpha"):
        top = make_node(title="Top")
        below = make_node(title="Below", parent=top)
    response = as_("admin").patch(f"{NODES}{top.pk}/", {"parent": below.pk}, content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "parent"


def test_categories_and_tags_are_read_by_anyone_and_written_by_editors(reader_a, as_, people):
    editor = as_("editor")
    created = editor.post(
        "/api/v1/content/categories/",
        {"name": "Recipes", "translations": {"ru": {"name": "Рецепты"}}},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["translations"]["ru"]["slug"] == "рецепты"
    child = editor.post(
        "/api/v1/content/categories/",
        {"name": "Soups", "parent": created.json()["id"]},
        content_type="application/json",
    )
    assert child.json()["parent"] == created.json()["id"]
    assert (
        reader_a.get("/api/v1/content/categories/", {"lang": "ru"}).json()["results"][0]["name"] == "Рецепты"
    )
    assert (
        reader_a.post("/api/v1/content/tags/", {"name": "x"}, content_type="application/json").status_code
        == 401
    )
    assert (
        as_("customer")
        .post("/api/v1/content/tags/", {"name": "x"}, content_type="application/json")
        .status_code
        == 403
    )
    refused = editor.delete(f"/api/v1/content/categories/{created.json()['id']}/")
    assert refused.status_code == 409


def test_readers_filter_and_order_the_published_nodes_as_editors_do(reader_a, people, filtered):
    news, b = filtered["news"], filtered["beta"]

    def titles(**params):
        answer = reader_a.get(NODES, {"ordering": "id", **params})
        assert answer.status_code == 200, answer.content
        return [n["title"] for n in answer.json()["results"]]

    assert titles() == ["Alpha", "Beta"]
    assert titles(category=news.pk) == titles(category="news") == ["Alpha"]
    assert titles(tag="tea") == ["Beta"]
    assert titles(author=people["editor"].pk) == ["Alpha"]
    assert titles(language="ru") == ["Beta"]
    assert titles(q="lph") == ["Alpha"]
    assert titles(ordering="-id") == ["Beta", "Alpha"]
    assert titles(published_after=b.published_at.isoformat()) == ["Beta"]
    for wrong in ("someone", str(2**63)):
        bad = reader_a.get(NODES, {"author": wrong})
        assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "author", wrong
