"""Unpublished changes in the admin: a published page's form edits them, and its page offers to
publish, discard or compare them, while readers keep the live version."""

import html
import re

import pytest
from django_tenants.utils import schema_context

from apps.content import selectors, services
from apps.content.models import Node
from tests.accounts.factories import EditorFactory, SiteAdminFactory
from tests.conftest import admin_session
from tests.content.factories import make_category, make_node
from tests.content.test_admin import PAGES, change_form, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tenant_a):
    with schema_context("alpha"):
        return {"editor": EditorFactory(), "admin": SiteAdminFactory()}


@pytest.fixture
def as_(people):
    """A client of alpha's admin signed in as one of `people`."""
    return lambda who: admin_session(people[who])


@pytest.fixture
def live(people):
    with schema_context("alpha"):
        return make_node(actor=people["admin"], title="Live", body="Live text.", status="published")


def stored(node) -> Node:
    with schema_context("alpha"):
        return Node.objects.get(pk=node.pk)


def field_value(page: str, name: str) -> str:
    """The value the form shows in its input `name`."""
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'<input[^>]*value="([^"]*)"[^>]*name="{name}"', page
    )
    assert found is not None, name
    return html.unescape(found.group(1))


def test_saving_a_published_page_keeps_the_changes_for_later(as_, live):
    admin = as_("admin")
    response = admin.post(f"{PAGES}{live.pk}/change/", change_form(live, title_en="Edited"), follow=True)
    assert response.status_code == 200
    assert "Readers keep seeing the live version until the changes are published." in page_text(response)
    row = stored(live)
    assert row.title_en == "Live" and row.has_unpublished_changes
    with schema_context("alpha"):
        assert selectors.draft_of(row).node.title_en == "Edited"


def test_the_form_of_a_page_with_changes_shows_them_and_offers_publish_discard_and_compare(as_, people, live):
    with schema_context("alpha"):
        news = make_category(actor=people["admin"], name="News")
        services.update_node(
            actor=people["admin"], node=live, texts={"en": {"title": "Edited"}}, categories=[news]
        )
    page = page_text(as_("admin").get(f"{PAGES}{live.pk}/change/"))
    assert field_value(page, "title_en") == "Edited" and field_value(page, "slug_en") == "live"
    assert re.search(rf'<option value="{news.pk}"[^>]*selected', page)
    assert "Live, with unpublished changes" in page
    assert f"{PAGES}{live.pk}/transition/publish/" in page and "Publish changes" in page
    assert f"{PAGES}{live.pk}/discard/" in page and "Discard changes" in page
    compare = re.search(r'href="([^"]*/revisions/compare/\?a=\d+&b=\d+)"', page)  # entities decoded
    assert compare is not None
    compared = page_text(as_("admin").get(compare.group(1)))
    assert "Title (English)" in compared and "Edited" in compared


def test_the_list_shows_which_pages_are_live_with_changes(as_, people, live):
    with schema_context("alpha"):
        make_node(actor=people["admin"], title="Untouched", status="published")
        services.update_node(actor=people["admin"], node=live, texts={"en": {"title": "Edited"}})
    listing = page_text(as_("admin").get(PAGES))
    assert listing.count("Live, with unpublished changes") == 1 and "Published" in listing


def test_saving_again_builds_on_the_changes(as_, live):
    admin = as_("admin")
    admin.post(f"{PAGES}{live.pk}/change/", change_form(live, title_en="Edited"))
    with schema_context("alpha"):
        draft = selectors.draft_of(stored(live)).node
    admin.post(f"{PAGES}{live.pk}/change/", change_form(draft, excerpt_en="Short."))
    with schema_context("alpha"):
        draft = selectors.draft_of(stored(live)).node
    assert (draft.title_en, draft.excerpt_en, stored(live).title_en) == ("Edited", "Short.", "Live")


def test_publish_changes_brings_them_live(as_, people, live):
    with schema_context("alpha"):
        services.update_node(actor=people["admin"], node=live, texts={"en": {"title": "Edited"}})
    response = as_("admin").post(f"{PAGES}{live.pk}/transition/publish/", follow=True)
    assert "“Edited” published with its changes." in page_text(response)
    row = stored(live)
    assert row.title_en == "Edited" and not row.has_unpublished_changes


def test_discard_changes_restores_the_live_version_in_the_form(as_, people, live):
    with schema_context("alpha"):
        services.update_node(actor=people["admin"], node=live, texts={"en": {"title": "Edited"}})
    admin = as_("admin")
    assert admin.get(f"{PAGES}{live.pk}/discard/").status_code == 405
    response = admin.post(f"{PAGES}{live.pk}/discard/", follow=True)
    page = page_text(response)
    assert "The unpublished changes of “Live” were discarded." in page
    assert field_value(page, "title_en") == "Live" and "Discard changes" not in page
    assert not stored(live).has_unpublished_changes
    again = page_text(admin.post(f"{PAGES}{live.pk}/discard/", follow=True))
    assert "This node has no unpublished changes." in again


def test_an_edit_with_a_time_schedules_the_changes(as_, live):
    response = as_("admin").post(
        f"{PAGES}{live.pk}/change/",
        change_form(live, title_en="Tomorrow", publish_at_0="2999-01-01", publish_at_1="09:00:00"),
    )
    assert response.status_code == 302
    row = stored(live)
    assert row.title_en == "Live" and row.has_unpublished_changes and row.publish_at.year == 2999


def test_editors_get_no_buttons_for_a_published_page(as_, people):
    with schema_context("alpha"):
        page = make_node(actor=people["editor"], title="Theirs", status="published")
        services.update_node(actor=people["admin"], node=page, texts={"en": {"title": "Edited"}})
    shown = page_text(as_("editor").get(f"{PAGES}{page.pk}/change/"))
    assert "Live, with unpublished changes" in shown
    assert "Discard changes" not in shown and "Publish changes" not in shown
    response = as_("editor").post(f"{PAGES}{page.pk}/discard/", follow=True)
    assert "You do not have the permission 'content.change_node'." in page_text(response)
    assert stored(page).has_unpublished_changes
