"""The content admin of a tenant host: pages, posts, categories and tags, as editors and admins use it."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, resolve
from django_tenants.utils import schema_context
from PIL import Image

from apps.content import services
from apps.content.models import Category, Node, Page, Revision, Status
from apps.content.services import WRITABLE_TEXT
from apps.core.services import set_module_enabled
from apps.events.models import OutboxEvent
from rustok.urls_tenant import urlpatterns as tenant_urlpatterns
from tests.accounts.factories import EditorFactory, SiteAdminFactory
from tests.conftest import ALPHA_HOST, admin_session
from tests.content.factories import make_category, make_node

pytestmark = pytest.mark.django_db

PAGES = "/admin/content/page/"

# The storefront's preview page, for the test that shows the admin links to it.
urlpatterns = [
    *tenant_urlpatterns,
    path("preview/<str:token>/", lambda request, token: HttpResponse(token), name="content-preview"),
]


@pytest.fixture
def people(tenant_a):
    with schema_context("alpha"):
        return {"editor": EditorFactory(), "other_editor": EditorFactory(), "admin": SiteAdminFactory()}


@pytest.fixture
def as_(people):
    """A client of alpha's admin signed in as one of `people`."""
    return lambda who: admin_session(people[who])


def page_form(**fields) -> dict:
    """The page form as a browser posts it: every translation empty unless given."""
    data = {f"{field}_{code}": "" for field in WRITABLE_TEXT for code in ("en", "ru")}
    return {**data, "body_format": "markdown", "position": "0", "parent": "", **fields}


def change_form(node: Node, **fields) -> dict:
    """The change form of `node` as it is shown, with some fields changed."""
    data = page_form()
    for key in data:
        if key.rsplit("_", 1)[0] in WRITABLE_TEXT:
            data[key] = getattr(node, key) or ""
    return {**data, "body_format": node.body_format, "position": str(node.position), **fields}


def page_text(response) -> str:
    """The page as a reader sees its text (entities decoded)."""
    return html.unescape(response.content.decode())


def png(size=(4, 4)) -> io.BytesIO:
    """A small, genuine PNG upload."""
    image = io.BytesIO()
    Image.new("RGB", size, "red").save(image, "PNG")
    image.seek(0)
    image.name = "red.png"
    return image


def test_an_editor_creates_a_page_in_english_and_russian(as_, people):
    response = as_("editor").post(
        f"{PAGES}add/",
        page_form(
            title_en="About us", body_en="We make **tea**.", title_ru="О нас", body_ru="Мы делаем чай."
        ),
    )
    assert response.status_code == 302, page_text(response)[:3000]
    with schema_context("alpha"):
        page = Page.objects.get()
        assert (page.title_en, page.title_ru) == ("About us", "О нас")
        assert (page.slug_en, page.slug_ru) == ("about-us", "о-нас")
        assert page.body_html_en == "<p>We make <strong>tea</strong>.</p>\n"
        assert page.author == people["editor"] and page.status == Status.DRAFT
        assert list(page.revisions.values_list("number", "action")) == [(1, "created")]
        assert OutboxEvent.objects.filter(type="content.node.created", payload__node_id=page.pk).exists()


def test_the_form_shows_each_language_in_a_tab_with_the_script_and_its_css(as_):
    page = page_text(as_("editor").get(f"{PAGES}add/"))
    assert "rustok/translation_tabs.js" in page
    assert "rustok/translation_tabs.css" in page
    assert "rustok-translation rustok-lang-en" in page and "rustok-translation rustok-lang-ru" in page
    assert re.search(r">\s*English\s*</h2>", page) and re.search(r">\s*Русский\s*</h2>", page)
    assert 'name="title_en"' in page and 'name="title_ru"' in page


def test_a_bad_slug_comes_back_as_a_form_error(as_):
    response = as_("editor").post(f"{PAGES}add/", page_form(title_en="About", slug_en="not a slug!"))
    assert response.status_code == 200
    assert "errorlist" in page_text(response)
    assert "slug_en" in response.context["adminform"].form.errors
    with schema_context("alpha"):
        assert not Page.objects.exists()


def test_a_slug_the_service_refuses_comes_back_on_its_field_and_nothing_is_written(as_):
    with schema_context("alpha"):
        make_node(title="Taken", texts={"en": {"title": "Taken", "slug": "taken"}})
    response = as_("editor").post(
        f"{PAGES}add/", page_form(title_en="Another", slug_en="taken", title_ru="Ещё")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["slug_en"] == ["The slug 'taken' is already used in 'en'."]
    assert 'value="Ещё"' in page_text(response)  # the editor's input is kept
    with schema_context("alpha"):
        assert Page.objects.count() == 1
        assert OutboxEvent.objects.filter(type="content.node.created").count() == 1


def test_a_page_without_any_title_is_refused_on_the_sites_language(as_):
    response = as_("editor").post(f"{PAGES}add/", page_form(body_en="Text only"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title_en"] == [
        "Give the text in at least one language."
    ]


def test_an_editor_edits_their_draft_through_the_service(as_, people):
    with schema_context("alpha"):
        page = make_node(actor=people["editor"], title="Draft")
    response = as_("editor").post(f"{PAGES}{page.pk}/change/", change_form(page, title_en="Better draft"))
    assert response.status_code == 302, page_text(response)[:3000]
    with schema_context("alpha"):
        page.refresh_from_db()
        assert page.title_en == "Better draft"
        latest = page.revisions.order_by("-number").first()
        assert (latest.action, latest.changed) == ("updated", ["title_en"])


def test_editors_see_every_page_but_cannot_change_another_editors_draft(as_, people):
    with schema_context("alpha"):
        page = make_node(actor=people["other_editor"], title="Not mine")
    editor = as_("editor")
    assert "Not mine" in page_text(editor.get(PAGES))
    view = page_text(editor.get(f"{PAGES}{page.pk}/change/"))
    assert "Not mine" in view and 'name="title_en"' not in view  # read-only
    response = editor.post(f"{PAGES}{page.pk}/change/", change_form(page, title_en="Mine now"))
    assert response.status_code == 403
    with schema_context("alpha"):
        page.refresh_from_db()
        assert page.title_en == "Not mine"


def test_an_editor_cannot_publish(as_, people):
    with schema_context("alpha"):
        page = make_node(actor=people["editor"], title="Mine")
    editor = as_("editor")
    assert 'value="publish_selected"' not in page_text(editor.get(PAGES))
    editor.post(PAGES, {"action": "publish_selected", "_selected_action": [page.pk]})
    response = editor.post(f"{PAGES}{page.pk}/transition/publish/", follow=True)
    assert "You do not have the permission 'content.publish_node'." in page_text(response)
    with schema_context("alpha"):
        page.refresh_from_db()
        assert page.status == Status.DRAFT


def test_an_editor_submits_their_draft_with_the_button(as_, people):
    with schema_context("alpha"):
        page = make_node(actor=people["editor"], title="Mine")
    editor = as_("editor")
    form = page_text(editor.get(f"{PAGES}{page.pk}/change/"))
    assert f"{PAGES}{page.pk}/transition/submit/" in form
    assert "/transition/publish/" not in form
    editor.post(f"{PAGES}{page.pk}/transition/submit/")
    with schema_context("alpha"):
        page.refresh_from_db()
        assert page.status == Status.IN_REVIEW


def test_an_admin_publishes_with_the_button(as_):
    with schema_context("alpha"):
        page = make_node(title="Ready", status="in_review")
    admin = as_("admin")
    form = page_text(admin.get(f"{PAGES}{page.pk}/change/"))
    assert f"{PAGES}{page.pk}/transition/publish/" in form and f"{PAGES}{page.pk}/transition/reject/" in form
    assert admin.get(f"{PAGES}{page.pk}/transition/publish/").status_code == 405
    response = admin.post(f"{PAGES}{page.pk}/transition/publish/", follow=True)
    assert "“Ready” published." in page_text(response)
    with schema_context("alpha"):
        page.refresh_from_db()
        assert page.status == Status.PUBLISHED


def test_the_list_filters_by_status_and_searches_titles_in_every_language(as_):
    with schema_context("alpha"):
        make_node(title="Tea", texts={"en": {"title": "Tea"}, "ru": {"title": "Чай"}})
        make_node(title="Coffee", status="published")
    admin = as_("admin")
    found = admin.get(PAGES, {"q": "Чай"}).context["cl"].result_list
    assert [node.title_en for node in found] == ["Tea"]
    published = admin.get(PAGES, {"status__exact": "published"}).context["cl"].result_list
    assert [node.title_en for node in published] == ["Coffee"]


def test_an_admin_publishes_with_the_list_action(as_):
    with schema_context("alpha"):
        page = make_node(title="Ready", status="in_review")
    response = as_("admin").post(
        PAGES, {"action": "publish_selected", "_selected_action": [page.pk]}, follow=True
    )
    assert "1 page published." in page_text(response)
    with schema_context("alpha"):
        page.refresh_from_db()
        assert page.status == Status.PUBLISHED and page.published_at is not None
        assert OutboxEvent.objects.filter(type="content.node.published", payload__node_id=page.pk).exists()


def test_an_illegal_transition_names_the_allowed_ones(as_):
    with schema_context("alpha"):
        page = make_node(title="Live", status="published")
    response = as_("admin").post(
        PAGES, {"action": "publish_selected", "_selected_action": [page.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "Live: Cannot publish from 'Published'. Allowed: unpublish, archive." in page_text(response)


def test_the_publish_at_field_is_only_for_those_who_schedule(as_, people):
    with schema_context("alpha"):
        page = make_node(actor=people["editor"], title="Mine")
    assert 'name="publish_at_0"' not in page_text(as_("editor").get(f"{PAGES}{page.pk}/change/"))
    admin = as_("admin")
    assert 'name="publish_at_0"' in page_text(admin.get(f"{PAGES}{page.pk}/change/"))
    response = admin.post(
        f"{PAGES}{page.pk}/change/",
        change_form(page, publish_at_0="2999-01-01", publish_at_1="09:00:00"),
    )
    assert response.status_code == 302, page_text(response)[:3000]
    with schema_context("alpha"):
        page.refresh_from_db()
        assert page.publish_at.year == 2999
        assert page.revisions.order_by("-number").first().action == "scheduled"


def test_scheduling_a_published_page_without_changes_is_refused_on_the_field(as_):
    with schema_context("alpha"):
        page = make_node(title="Live", status="published")
    response = as_("admin").post(
        f"{PAGES}{page.pk}/change/",
        change_form(page, publish_at_0="2999-01-01", publish_at_1="09:00:00"),
    )
    assert response.status_code == 200
    error = response.context["adminform"].form.errors["publish_at"][0]
    assert "Only drafts, nodes in review and unpublished changes" in error
    with schema_context("alpha"):
        page.refresh_from_db()
        assert page.publish_at is None and not page.has_unpublished_changes


def test_a_featured_image_goes_through_the_service(as_, people, media):
    with schema_context("alpha"):
        page = make_node(actor=people["editor"], title="Pictured")
    editor = as_("editor")
    response = editor.post(f"{PAGES}{page.pk}/change/", change_form(page, featured_image=png()))
    assert response.status_code == 302, page_text(response)[:3000]
    with schema_context("alpha"):
        page.refresh_from_db()
        assert page.featured_image.name.endswith(".png")
        assert "red" not in page.featured_image.name  # never the uploader's name
        assert (media / "alpha" / page.featured_image.name).is_file()

    not_an_image = io.BytesIO(b"<script>alert(1)</script>")
    not_an_image.name = "evil.png"
    response = editor.post(f"{PAGES}{page.pk}/change/", change_form(page, featured_image=not_an_image))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["featured_image"] == ["The file is not an image that can be read."]


def test_revisions_are_listed_compared_and_restored(as_, people):
    with schema_context("alpha"):
        page = make_node(actor=people["editor"], title="First title")
        services.update_node(actor=people["editor"], node=page, texts={"en": {"title": "Second title"}})
    editor = as_("editor")
    assert f"{PAGES}{page.pk}/revisions/" in page_text(editor.get(f"{PAGES}{page.pk}/change/"))

    listing = editor.get(f"{PAGES}{page.pk}/revisions/")
    rows = [
        (row["revision"].number, row["revision"].action, row["changed"]) for row in listing.context["rows"]
    ]
    assert rows == [(2, "updated", ["Title (English)"]), (1, "created", [])]
    assert str(people["editor"]) in page_text(listing)

    compare = editor.get(f"{PAGES}{page.pk}/revisions/compare/", {"a": 1, "b": 2})
    changes = [(c["field"], c["old"], c["new"]) for c in compare.context["changes"]]
    assert changes == [("Title (English)", "First title", "Second title")]
    assert "Second title" in page_text(compare)

    response = editor.post(f"{PAGES}{page.pk}/revisions/1/restore/")
    assert response.status_code == 302
    with schema_context("alpha"):
        page.refresh_from_db()
        assert page.title_en == "First title"
        latest = Revision.objects.filter(node=page).order_by("-number").first()
        assert (latest.number, latest.action, latest.message) == (3, "restored", "Restored revision 1")


def test_restoring_needs_the_permission_on_the_node(as_, people):
    with schema_context("alpha"):
        page = make_node(actor=people["other_editor"], title="First title")
        services.update_node(actor=people["other_editor"], node=page, texts={"en": {"title": "Second"}})
    editor = as_("editor")
    listing = page_text(editor.get(f"{PAGES}{page.pk}/revisions/"))
    assert "/revisions/1/restore/" not in listing
    response = editor.post(f"{PAGES}{page.pk}/revisions/1/restore/", follow=True)
    assert "You do not have the permission 'content.restore_revision'." in page_text(response)
    with schema_context("alpha"):
        page.refresh_from_db()
        assert page.title_en == "Second"


@pytest.mark.urls(__name__)
def test_the_change_form_links_to_the_preview(as_, people):
    with schema_context("alpha"):
        page = make_node(actor=people["editor"], title="Soon")
    form = page_text(as_("editor").get(f"{PAGES}{page.pk}/change/"))
    link = re.search(r'<a href="([^"]+)"[^>]*target="_blank"[^>]*>\s*<span[^>]*>\s*visibility', form)
    assert link is not None
    assert resolve(link.group(1)).url_name == "content-preview"


def test_an_editor_deletes_their_draft_through_the_service(as_, people):
    with schema_context("alpha"):
        page = make_node(actor=people["editor"], title="Gone soon")
    response = as_("editor").post(f"{PAGES}{page.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    with schema_context("alpha"):
        assert not Node.objects.filter(pk=page.pk).exists()
        assert OutboxEvent.objects.filter(type="content.node.deleted", payload__node_id=page.pk).exists()


def test_a_page_with_children_is_not_deleted(as_):
    with schema_context("alpha"):
        parent = make_node(title="Parent")
        make_node(title="Child", parent=parent)
    response = as_("admin").post(f"{PAGES}{parent.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200
    assert "Cannot delete page" in page_text(response) and "Child" in page_text(response)
    with schema_context("alpha"):
        assert Node.objects.filter(pk=parent.pk).exists()


def test_an_editor_cannot_delete_another_editors_draft_with_their_own(as_, people):
    with schema_context("alpha"):
        mine = make_node(actor=people["editor"], title="Mine")
        theirs = make_node(actor=people["other_editor"], title="Theirs")
    editor = as_("editor")
    selected = {"action": "delete_selected", "_selected_action": [mine.pk, theirs.pk]}
    confirmation = page_text(editor.post(PAGES, selected))
    assert "permission to delete" in confirmation
    assert editor.post(PAGES, {**selected, "post": "yes"}).status_code == 403
    assert editor.post(f"{PAGES}{theirs.pk}/delete/", {"post": "yes"}).status_code == 403
    with schema_context("alpha"):
        assert Node.objects.filter(pk__in=[mine.pk, theirs.pk]).count() == 2


def test_an_admin_writes_a_post_in_two_languages(as_):
    admin = as_("admin")
    response = admin.post(
        "/admin/blog/post/add/", page_form(title_en="Hello", title_ru="Привет", body_en="First post.")
    )
    assert response.status_code == 302, page_text(response)[:3000]
    with schema_context("alpha"):
        post = Node.objects.get(kind="post")
        assert (post.slug_en, post.slug_ru) == ("hello", "привет")
        assert post.revisions.get().action == "created"
    assert "Hello" in page_text(admin.get("/admin/blog/post/"))
    assert "Hello" not in page_text(admin.get(PAGES))


def test_the_posts_admin_is_404_while_the_blog_is_off(as_, tenant_a):
    with schema_context("alpha"):
        post = make_node(kind="post", title="Hello")
    admin = as_("admin")
    assert "Hello" in page_text(admin.get("/admin/blog/post/"))
    assert 'href="/admin/blog/post/"' in page_text(admin.get("/admin/"))

    set_module_enabled(tenant=tenant_a, module="blog", enabled=False)
    assert admin.get("/admin/blog/post/").status_code == 404
    assert admin.get("/admin/blog/post/add/").status_code == 404
    assert admin.get(f"/admin/blog/post/{post.pk}/change/").status_code == 404
    assert admin.get(f"/admin/blog/post/{post.pk}/revisions/").status_code == 404
    assert admin.post(f"/admin/blog/post/{post.pk}/transition/publish/").status_code == 404
    assert 'href="/admin/blog/post/"' not in page_text(admin.get("/admin/"))
    with schema_context("alpha"):
        post.refresh_from_db()
        assert post.status == Status.DRAFT


def test_categories_are_listed_in_tree_order_and_written_by_the_service(as_):
    with schema_context("alpha"):
        news = make_category(name="News")
        make_category(name="Sport")
        services.create_category(actor=SiteAdminFactory(), texts={"en": {"name": "Local"}}, parent=news)
    editor = as_("editor")
    listing = page_text(editor.get("/admin/content/category/"))
    cell = r'<th class="field-tree_name[^"]*"[^>]*><a href="[^"]+"[^>]*>\s*([^<]+?)\s*</a>'
    names = re.findall(cell, listing)
    assert names == ["News", "— Local", "Sport"]

    response = editor.post(
        "/admin/content/category/add/",
        {
            "name_en": "Weather",
            "name_ru": "Погода",
            "slug_en": "",
            "slug_ru": "",
            "parent": news.pk,
            "position": 1,
        },
    )
    assert response.status_code == 302, page_text(response)[:3000]
    with schema_context("alpha"):
        weather = news.children.get(slug_en="weather")
        assert weather.slug_ru == "погода"
        assert OutboxEvent.objects.filter(type="content.category.created").exists()


def test_a_category_with_subcategories_is_not_deleted(as_):
    with schema_context("alpha"):
        news = make_category(name="News")
        services.create_category(actor=SiteAdminFactory(), texts={"en": {"name": "Local"}}, parent=news)
    response = as_("admin").post(
        "/admin/content/category/",
        {"action": "delete_selected", "_selected_action": [news.pk], "post": "yes"},
        follow=True,
    )
    assert "protected related objects" in page_text(response)
    with schema_context("alpha"):
        assert Category.objects.filter(pk=news.pk).exists()


def test_tags_are_written_by_the_service(as_):
    editor = as_("editor")
    assert "rustok/translation_tabs.js" in page_text(editor.get("/admin/content/tag/add/"))
    response = editor.post("/admin/content/tag/add/", {"name_en": "Tea", "name_ru": "Чай"})
    assert response.status_code == 302, page_text(response)[:3000]
    with schema_context("alpha"):
        assert OutboxEvent.objects.filter(type="content.tag.created").exists()


def test_the_page_list_needs_as_many_queries_for_many_pages_as_for_few(as_, people):
    admin = as_("admin")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin.get(PAGES).status_code == 200
        return len(captured)

    with schema_context("alpha"):
        make_node(title="One", actor=people["editor"])
    queries()  # the first look makes the site's settings row
    few = queries()
    with schema_context("alpha"):
        for number in range(8):
            make_node(title=f"Page {number}", actor=people["other_editor"] if number % 2 else None)
    queries()  # the connection back on the site's schema after the writes, as before `few`
    assert queries() == few


def test_workflow_and_restore_posts_need_the_csrf_token(people, tenant_a):
    with schema_context("alpha"):
        page = make_node(title="First title")
        services.update_node(actor=people["admin"], node=page, texts={"en": {"title": "Second"}})
    browser = Client(HTTP_HOST=ALPHA_HOST, enforce_csrf_checks=True)
    with schema_context("alpha"):
        browser.force_login(people["admin"])
    assert browser.post(f"{PAGES}{page.pk}/revisions/1/restore/").status_code == 403
    assert browser.post(f"{PAGES}{page.pk}/transition/publish/").status_code == 403
    with schema_context("alpha"):
        page.refresh_from_db()
        assert (page.title_en, page.status) == ("Second", Status.DRAFT)


@pytest.mark.parametrize(
    ("url", "source"),
    [
        (f"{PAGES}add/", "title"),
        ("/admin/content/category/add/", "name"),
        ("/admin/content/tag/add/", "name"),
    ],
)
def test_slugs_fill_in_from_the_title_or_name_while_typing(as_, url, source):
    page = page_text(as_("editor").get(url))
    assert "admin/js/prepopulate" in page
    for code in ("en", "ru"):
        assert f'"id": "#id_slug_{code}"' in page, code
        assert f'"dependency_ids": ["#id_{source}_{code}"]' in page, code


def test_a_nodes_author_is_named_without_a_link_to_a_user_page_an_editor_cannot_open(as_, people):
    with schema_context("alpha"):
        author = SiteAdminFactory(display_name="Anna Admin")
        node = make_node(actor=author, title="By Anna")
    editor = as_("editor")
    page = editor.get(f"{PAGES}{node.pk}/change/").content.decode()

    assert "Anna Admin" in page
    assert f"/admin/accounts/user/{author.pk}/change/" not in page
    assert editor.get(f"/admin/accounts/user/{author.pk}/change/").status_code == 403
