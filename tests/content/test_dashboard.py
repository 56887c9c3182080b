"""The admin's dashboard: what each person finds on the first page of the tenant admin."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.content import services
from apps.core import services as core_services
from apps.events import services as event_services
from apps.events.models import Delivery
from tests.accounts.factories import EditorFactory, SiteAdminFactory
from tests.conftest import ALPHA_HOST
from tests.content.factories import make_node
from tests.testapps.notes.models import HandlerFault
from tests.testapps.notes.services import create_note


@pytest.fixture
def people(tenant_a):
    with schema_context("alpha"):
        return {
            "editor": EditorFactory(email="editor@alpha.test"),
            "other": EditorFactory(email="other@alpha.test"),
            "admin": SiteAdminFactory(email="admin@alpha.test"),
        }


def dashboard(user) -> str:
    client = Client(HTTP_HOST=ALPHA_HOST)
    with schema_context("alpha"):
        client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def panel(page: str, key: str) -> str | None:
    """The HTML of the dashboard's panel `key`, or None when the page has none."""
    found = re.search(rf'<article id="panel-{key}"[^>]*>(.*?)</article>', page, re.S)
    return found.group(1) if found else None


def test_an_editor_sees_their_own_drafts_but_not_another_editors(people):
    with schema_context("alpha"):
        mine = make_node(actor=people["editor"], title="My own draft")
        make_node(actor=people["other"], title="Somebody else's draft")
    drafts = panel(dashboard(people["editor"]), "my-drafts")
    assert drafts is not None
    assert "My own draft" in drafts and "Somebody else" not in drafts
    assert f'href="/admin/content/page/{mine.pk}/change/"' in drafts


def test_an_editor_sees_what_waits_for_review(people):
    with schema_context("alpha"):
        make_node(actor=people["other"], title="Please review me", status="in_review")
        make_node(actor=people["other"], title="Already out", status="published")
    review = panel(dashboard(people["editor"]), "in-review")
    assert "Please review me" in review and "Already out" not in review
    assert 'rustok-panel-count">1<' in review


def test_an_editor_does_not_see_the_admins_panels(people):
    page = dashboard(people["editor"])
    for key in ("scheduled", "recent-changes", "event-backlog", "dead-letters"):
        assert panel(page, key) is None, key


def test_an_admin_sees_scheduled_items_and_recent_changes(people):
    with schema_context("alpha"):
        later = make_node(actor=people["editor"], title="Coming soon")
        services.schedule_node(
            actor=people["admin"], node=later, publish_at=timezone.now() + dt.timedelta(days=2)
        )
        make_node(actor=people["editor"], title="Freshly edited")
    page = dashboard(people["admin"])
    scheduled = panel(page, "scheduled")
    assert "Coming soon" in scheduled and "Freshly edited" not in scheduled
    changes = panel(page, "recent-changes")
    assert "Freshly edited" in changes and "Coming soon" in changes
    assert f"/admin/content/page/{later.pk}/revisions/" in changes


def test_scheduled_changes_of_a_published_page_are_among_the_scheduled_items(people):
    with schema_context("alpha"):
        live = make_node(actor=people["admin"], title="Live page", status="published")
        services.update_node(actor=people["admin"], node=live, texts={"en": {"excerpt": "New."}})
        services.schedule_node(
            actor=people["admin"], node=live, publish_at=timezone.now() + dt.timedelta(days=2)
        )
        make_node(actor=people["admin"], title="Just live", status="published")
    scheduled = panel(dashboard(people["admin"]), "scheduled")
    assert "Live page" in scheduled and "Just live" not in scheduled


@pytest.fixture
def dead_letter(tenant_a, settings):
    settings.EVENTS_MAX_ATTEMPTS = 1
    with schema_context("alpha"):
        HandlerFault.objects.create(handler="notes.tally", fail_times=1)
        create_note(text="hello")
        event_services.relay()
        return Delivery.objects.get(handler="notes.tally", status="dead")


def test_an_admin_sees_the_event_backlog_and_the_dead_letters_with_links(people, dead_letter):
    with schema_context("alpha"):
        create_note(text="not relayed yet")
    page = dashboard(people["admin"])
    backlog = panel(page, "event-backlog")
    assert re.search(r'rustok-panel-count">[1-9]', backlog)
    assert 'href="/admin/events/outboxevent/?dispatched_at__isempty=1"' in backlog
    letters = panel(page, "dead-letters")
    assert "notes.tally" in letters
    assert 'href="/admin/events/deadletter/"' in letters
    assert f'href="/admin/events/deadletter/{dead_letter.pk}/change/"' in letters


def test_a_disabled_modules_panels_are_not_shown(people, tenant_a):
    with schema_context("alpha"):
        make_node(actor=people["editor"], title="My own draft")
    assert panel(dashboard(people["editor"]), "my-drafts") is not None
    core_services.set_module_enabled(tenant=tenant_a, module="blog", enabled=False)
    core_services.set_module_enabled(tenant=tenant_a, module="content", enabled=False)
    page = dashboard(people["admin"])
    assert panel(page, "my-drafts") is None and panel(page, "recent-changes") is None
    assert panel(page, "event-backlog") is not None  # a core module's panel stays


def test_the_dashboard_speaks_russian(people):
    client = Client(HTTP_HOST=ALPHA_HOST)
    with schema_context("alpha"):
        client.force_login(people["admin"])
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Мои черновики" in page and "Недоставленные события" in page


def test_the_dashboard_needs_as_many_queries_for_many_items_as_for_few(
    people, dead_letter, django_assert_max_num_queries
):
    client = Client(HTTP_HOST=ALPHA_HOST)
    with schema_context("alpha"):
        client.force_login(people["admin"])

    def add(count):
        with schema_context("alpha"):
            for number in range(count):
                node = make_node(actor=people["admin"], title=f"Page {number}")
                services.schedule_node(
                    actor=people["admin"], node=node, publish_at=timezone.now() + dt.timedelta(days=1)
                )
                make_node(actor=people["admin"], title=f"Review {number}", status="in_review")

    add(6)  # more than a panel lists: each panel counts what it does not show
    client.get("/admin/")  # caches of the first request (module states, content types)
    with django_assert_max_num_queries(30) as few:
        client.get("/admin/")
    few = len(few.captured_queries)  # counted now: the writes below run past the queries' log
    add(20)
    client.get("/admin/")  # the connection back on the site's schema after the writes, as before `few`
    with django_assert_max_num_queries(few):
        client.get("/admin/")


def test_every_link_of_the_dashboard_opens_its_admin_page(people, dead_letter):
    with schema_context("alpha"):
        later = make_node(actor=people["editor"], title="Coming soon", status="in_review")
        services.schedule_node(
            actor=people["admin"], node=later, publish_at=timezone.now() + dt.timedelta(days=2)
        )
        make_node(actor=people["admin"], title="Mine")
    client = Client(HTTP_HOST=ALPHA_HOST)
    with schema_context("alpha"):
        client.force_login(people["admin"])
    page = client.get("/admin/").content.decode()
    section = re.search(r'<section class="rustok-dashboard".*?</section>', page, re.S).group(0)
    links = set(re.findall(r'href="([^"]+)"', section))
    assert len(links) >= 8
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_a_panel_links_to_the_list_its_items_are_in_and_an_empty_one_to_none(people):
    with schema_context("alpha"):
        make_node(actor=people["other"], kind="post", title="A post to review", status="in_review")
    page = dashboard(people["editor"])
    review = panel(page, "in-review")
    assert 'href="/admin/blog/post/?status__exact=in_review"' in review
    assert "Show them in the list" in review
    assert "Show them in the list" not in panel(page, "my-drafts")
