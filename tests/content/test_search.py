"""The content projection: search finds published nodes (never drafts) and follows every change."""

import pytest
from django_tenants.utils import schema_context

from apps.content import services
from apps.core.models import Tenant
from apps.core.services import set_module_enabled
from apps.index.models import Document
from tests.accounts.factories import SiteAdminFactory
from tests.conftest import deliver
from tests.content.factories import make_category, make_node, make_tag

pytestmark = pytest.mark.django_db


def found(client, q, **params):
    return [
        (hit["type"], hit["title"])
        for hit in client.get("/api/v1/search/", {"q": q, **params}).json()["results"]
    ]


def test_a_published_page_is_found_and_a_draft_never(client_a):
    with schema_context("alpha"):
        make_node(title="Garden party", body="Roses and tulips", status="published")
        for state in ("draft", "in_review", "archived"):
            make_node(title=f"Garden {state}", body="Roses", status=state)
    deliver("alpha")
    assert found(client_a, "garden") == [("page", "Garden party")]
    assert found(client_a, "tulips") == [("page", "Garden party")]


def test_unpublishing_archiving_and_deleting_remove_the_document(client_a):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        node = make_node(actor=admin, title="Ephemeral", status="published")
    deliver("alpha")
    assert found(client_a, "ephemeral")
    with schema_context("alpha"):
        services.transition_node(actor=admin, node=node, name="unpublish")
    deliver("alpha")
    assert found(client_a, "ephemeral") == []
    with schema_context("alpha"):
        services.transition_node(actor=admin, node=node, name="publish")
    deliver("alpha")
    assert found(client_a, "ephemeral")
    with schema_context("alpha"):
        services.transition_node(actor=admin, node=node, name="archive")
        services.transition_node(actor=admin, node=node, name="unarchive")
        services.delete_node(actor=admin, node=node)
    deliver("alpha")
    with schema_context("alpha"):
        assert not Document.objects.filter(object_id=str(node.pk)).exists()


def test_edits_and_taxonomy_renames_reach_the_documents(client_a):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        news, tea = make_category(actor=admin, name="News"), make_tag(actor=admin, name="tea")
        node = make_node(actor=admin, title="Morning", status="published", categories=[news], tags=[tea])
    deliver("alpha")
    with schema_context("alpha"):
        services.update_node(actor=admin, node=node, texts={"en": {"title": "Evening"}})
        services.transition_node(actor=admin, node=node, name="publish")  # the changes go live
        services.update_category(actor=admin, category=news, texts={"en": {"name": "Headlines"}})
        services.delete_tag(actor=admin, tag=tea)
    deliver("alpha")
    with schema_context("alpha"):
        document = Document.objects.get(type="page", object_id=str(node.pk), language="en")
    assert (document.title, document.categories, document.tags) == ("Evening", ["Headlines"], [])
    hits = client_a.get("/api/v1/search/", {"q": "evening", "category": "Headlines"}).json()["results"]
    assert [h["url"] for h in hits] == ["/pages/morning/"]


def test_each_translation_is_a_document_found_in_its_language(client_a):
    with schema_context("alpha"):
        make_node(
            status="published",
            texts={
                "en": {"title": "Cats on roofs", "body": "Cats like warm roofs"},
                "ru": {"title": "Кошки на крышах", "body": "Кошки любят тёплые крыши"},
            },
        )
    deliver("alpha")
    assert found(client_a, "кошка", lang="ru") == [("page", "Кошки на крышах")]
    assert found(client_a, "roof", lang="en") == [("page", "Cats on roofs")]
    hit = client_a.get("/api/v1/search/", {"q": "крыша", "lang": "ru"}).json()["results"][0]
    assert hit["url"].endswith("?lang=ru")


def test_posts_are_their_own_type_and_leave_search_with_the_blog(client_a, tenant_a):
    with schema_context("alpha"):
        make_node(kind="post", title="Harvest notes", status="published")
        make_node(kind="page", title="Harvest page", status="published")
    deliver("alpha")
    assert sorted(found(client_a, "harvest")) == [("page", "Harvest page"), ("post", "Harvest notes")]
    set_module_enabled(tenant=Tenant.objects.get(schema_name="alpha"), module="blog", enabled=False)
    deliver("alpha")
    assert found(client_a, "harvest") == [("page", "Harvest page")]
    assert client_a.get("/api/v1/content/nodes/", {"kind": "post"}).json()["count"] == 0


def test_a_rebuild_gives_the_same_documents_as_the_live_updates(tenant_a):
    from apps.index.projections import all_projections, rebuild

    with schema_context("alpha"):
        make_node(title="One", status="published", texts={"en": {"title": "One"}, "ru": {"title": "Один"}})
        make_node(kind="post", title="Two", status="published")
    deliver("alpha")
    with schema_context("alpha"):
        fields = (
            "type",
            "object_id",
            "language",
            "title",
            "body",
            "url",
            "categories",
            "tags",
            "published_at",
        )
        live = sorted(Document.objects.values_list(*fields))
        Document.objects.all().delete()
        for name in ("content.page", "content.post"):
            rebuild(all_projections()[name])
        assert sorted(Document.objects.values_list(*fields)) == live


def test_snippets_keep_the_texts_own_spacing_where_markup_was(client_a):
    with schema_context("alpha"):
        make_node(
            title="Brewing",
            body="Heat to **75–80 °C**: boiling water burns the leaves.\n\nThen *wait*.\n\n- one\n- two",
            status="published",
        )
    deliver("alpha")
    [hit] = client_a.get("/api/v1/search/", {"q": "boiling"}).json()["results"]
    assert "75–80 °C: <mark>boiling</mark> water" in hit["snippet"]
    with schema_context("alpha"):
        assert Document.objects.get(language="en").body.endswith(
            "75–80 °C: boiling water burns the leaves. Then wait. one two"
        )
