"""Unpublished changes of published nodes, in the services: kept apart from the live version until
published (now or scheduled), discarded, or taken along when the node leaves published."""

import datetime as dt
import logging

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.content import selectors, services
from apps.content.models import Node, Status
from apps.events.models import OutboxEvent
from rustok.errors import Conflict, InvalidInput, TransitionNotAllowed
from rustok.workflow import allowed_transitions
from tests.content.factories import make_category, make_node, make_tag
from tests.content.test_translations_and_images import image_bytes

pytestmark = pytest.mark.django_db

SOON = dt.timedelta(hours=1)


@pytest.fixture
def live(admin):
    """A published page in English and Russian."""
    with schema_context("alpha"):
        return make_node(
            actor=admin,
            status="published",
            texts={"en": {"title": "Live", "body": "Live text."}, "ru": {"title": "Живая", "body": "Текст."}},
        )


def events(node, *types) -> list[tuple[str, dict]]:
    rows = OutboxEvent.objects.filter(payload__node_id=node.pk).order_by("id")
    if types:
        rows = rows.filter(type__in=types)
    return [(row.type, row.payload) for row in rows]


def stored(node) -> Node:
    return Node.objects.get(pk=node.pk)


def edit(admin, node, **texts):
    return services.update_node(actor=admin, node=node, texts=texts)


def test_editing_a_published_node_keeps_the_live_version_and_saves_the_changes(admin, live):
    with schema_context("alpha"):
        before = stored(live)
        node = edit(admin, live, en={"title": "Edited", "body": "New **text**."})
        row = stored(live)
        assert (row.title_en, row.body_en, row.body_html_en) == ("Live", "Live text.", before.body_html_en)
        assert row.updated_at == before.updated_at and row.status == Status.PUBLISHED
        assert node.has_unpublished_changes and row.draft_revision_id == node.draft_revision_id
        draft = selectors.draft_of(row)
        assert (draft.node.title_en, draft.node.body_en, draft.node.title_ru) == (
            "Edited",
            "New **text**.",
            "Живая",
        )
        revision = row.draft_revision
        assert (revision.action, revision.status, revision.changed) == (
            "draft_saved",
            "published",
            ["title_en", "body_en"],
        )
        saved = events(live, "content.node.draft_saved", "content.node.updated")
        assert saved == [
            (
                "content.node.draft_saved",
                {
                    "node_id": live.pk,
                    "kind": "page",
                    "actor_id": admin.pk,
                    "changed": ["title_en", "body_en"],
                    "revision": revision.number,
                },
            )
        ]


def test_further_edits_build_on_the_unpublished_changes_in_every_language(admin, live):
    with schema_context("alpha"):
        edit(admin, live, en={"title": "First"})
        node = edit(admin, live, ru={"title": "Вторая", "excerpt": "Кратко."})
        draft = selectors.draft_of(stored(node))
        assert (draft.node.title_en, draft.node.title_ru, draft.node.excerpt_ru) == (
            "First",
            "Вторая",
            "Кратко.",
        )
        assert draft.node.slug_ru == "живая"  # a slug once chosen stays, as for a draft
        assert draft.revision.changed == ["title_ru", "excerpt_ru"]
        assert stored(node).title_ru == "Живая"
        assert list(node.revisions.values_list("action", flat=True)[:2]) == ["draft_saved", "draft_saved"]


def test_an_edit_that_changes_nothing_keeps_no_revision(admin, live):
    with schema_context("alpha"):
        edit(admin, live, en={"title": "Edited"})
        count = live.revisions.count()
        edit(admin, live, en={"title": "Edited"})
        assert live.revisions.count() == count


def test_publishing_brings_the_changes_live_and_keeps_the_first_publication_date(admin, live):
    with schema_context("alpha"):
        first = stored(live).published_at
        edit(admin, live, en={"title": "Edited", "body": "New **text**."})
        assert allowed_transitions(stored(live)) == ["publish", "unpublish", "archive"]
        node = services.transition_node(actor=admin, node=live, name="publish")
        row = stored(node)
        assert (row.title_en, row.body_html_en) == ("Edited", "<p>New <strong>text</strong>.</p>\n")
        assert row.published_at == first and row.status == Status.PUBLISHED
        assert not row.has_unpublished_changes and selectors.draft_of(row) is None
        latest = row.revisions.first()
        assert (latest.action, latest.changed) == ("published", ["title_en", "body_en"])
        assert latest.message.startswith("Published the changes of revision ")
        assert events(live, "content.node.published")[-1][1]["changes"] is True


def test_the_body_of_unpublished_changes_is_rendered_once_when_they_are_published(admin, live):
    from unittest import mock

    from apps.content import markup

    with (
        schema_context("alpha"),
        mock.patch.object(markup, "render_node", wraps=markup.render_node) as render,
    ):
        edit(admin, live, en={"body": "New **text**."})
        services.restore_revision(actor=admin, node=live, revision=stored(live).revisions.last())
        edit(admin, live, en={"body": "Newer **text**."})
        assert render.call_count == 0  # saving and restoring changes render nothing readers see
        services.transition_node(actor=admin, node=live, name="publish")
        assert render.call_count == 1
        assert stored(live).body_html_en == "<p>Newer <strong>text</strong>.</p>\n"


def test_a_published_node_without_changes_cannot_be_published_again(admin, live):
    with schema_context("alpha"):
        assert allowed_transitions(stored(live)) == ["unpublish", "archive"]
        with pytest.raises(TransitionNotAllowed) as refused:
            services.transition_node(actor=admin, node=live, name="publish")
        assert refused.value.allowed == ["unpublish", "archive"]


def test_discarding_drops_the_changes_and_the_live_version_is_edited_again(admin, live):
    with schema_context("alpha"):
        edit(admin, live, en={"title": "Edited"})
        pending = stored(live).draft_revision
        node = services.discard_changes(actor=admin, node=live)
        row = stored(node)
        assert row.title_en == "Live" and not row.has_unpublished_changes
        latest = row.revisions.first()
        assert (latest.action, latest.changed, latest.data["title_en"]) == ("discarded", ["title_en"], "Live")
        assert latest.message == f"Discarded the changes of revision {pending.number}"
        assert events(live)[-1] == (
            "content.node.draft_discarded",
            {
                "node_id": live.pk,
                "kind": "page",
                "actor_id": admin.pk,
                "revision": latest.number,
                "discarded": pending.number,
            },
        )
        edit(admin, node, en={"excerpt": "Short."})
        draft = selectors.draft_of(stored(node))
        assert (draft.node.title_en, draft.node.excerpt_en) == ("Live", "Short.")


def test_discarding_without_changes_is_a_conflict_and_writes_nothing(admin, live):
    with schema_context("alpha"):
        count = (live.revisions.count(), OutboxEvent.objects.count())
        with pytest.raises(Conflict) as refused:
            services.discard_changes(actor=admin, node=live)
        assert refused.value.extra["reason"] == "no_unpublished_changes"
        assert (live.revisions.count(), OutboxEvent.objects.count()) == count


@pytest.mark.parametrize(("step", "status"), [("unpublish", Status.DRAFT), ("archive", Status.ARCHIVED)])
def test_leaving_published_takes_the_changes_along(admin, live, step, status):
    with schema_context("alpha"):
        edit(admin, live, en={"title": "Edited"})
        node = services.transition_node(actor=admin, node=live, name=step)
        row = stored(node)
        assert (row.status, row.title_en, row.has_unpublished_changes) == (status, "Edited", False)
        assert row.revisions.first().changed == ["status", "title_en"]
        edit(admin, row, en={"title": "Edited again"})  # no longer live: written in its row again
        assert stored(row).title_en == "Edited again" and not stored(row).has_unpublished_changes


def test_scheduled_publishing_publishes_the_changes_at_their_time(admin, live):
    with schema_context("alpha"):
        edit(admin, live, en={"title": "Tomorrow's title"})
        at = timezone.now() + SOON
        services.schedule_node(actor=admin, node=live, publish_at=at)
        assert services.publish_due(now=at - dt.timedelta(seconds=1)) == 0
        assert stored(live).title_en == "Live"
        assert services.publish_due(now=at) == 1
        row = stored(live)
        assert (row.title_en, row.publish_at, row.has_unpublished_changes) == (
            "Tomorrow's title",
            None,
            False,
        )
        assert row.revisions.first().message.startswith("Scheduled. Published the changes of revision ")
        published = events(live, "content.node.published")[-1][1]
        assert (published["scheduled"], published["changes"], published["actor_id"]) == (True, True, None)


def test_a_published_node_without_changes_cannot_be_scheduled(admin, live):
    with schema_context("alpha"), pytest.raises(TransitionNotAllowed):
        services.schedule_node(actor=admin, node=live, publish_at=timezone.now() + SOON)


def test_discarding_cancels_the_schedule_of_the_changes(admin, live):
    with schema_context("alpha"):
        edit(admin, live, en={"title": "Edited"})
        at = timezone.now() + SOON
        services.schedule_node(actor=admin, node=live, publish_at=at)
        services.discard_changes(actor=admin, node=live)
        assert stored(live).publish_at is None
        assert events(live, "content.node.scheduled")[-1][1]["publish_at"] is None
        assert services.publish_due(now=at) == 0


def test_changes_whose_slug_was_taken_meanwhile_stay_pending_when_their_time_comes(admin, live, caplog):
    with schema_context("alpha"):
        edit(admin, live, en={"slug": "wanted"})
        at = timezone.now() + SOON
        services.schedule_node(actor=admin, node=live, publish_at=at)
        make_node(actor=admin, texts={"en": {"title": "Other", "slug": "wanted"}})
        with caplog.at_level(logging.WARNING, logger="apps.content.services.nodes"):
            assert services.publish_due(now=at) == 0
        row = stored(live)
        assert (row.slug_en, row.has_unpublished_changes, row.publish_at) == ("live", True, at)
        assert "slug_en" in caplog.text
        with pytest.raises(InvalidInput) as refused:
            services.transition_node(actor=admin, node=live, name="publish")
        assert "slug_en" in refused.value.errors


def test_categories_tags_and_the_tree_place_are_unpublished_changes_too(admin):
    with schema_context("alpha"):
        news, tea = make_category(actor=admin, name="News"), make_tag(actor=admin, name="tea")
        parent = make_node(actor=admin, title="Parent", status="published")
        node = make_node(actor=admin, title="Child", status="published", categories=[news])
        node = services.update_node(
            actor=admin, node=node, categories=[], tags=[tea], parent=parent, position=3, show_in_menus=True
        )
        row = stored(node)
        assert list(row.categories.all()) == [news] and not row.tags.exists() and row.parent_id is None
        draft = selectors.draft_of(row)
        assert (draft.categories, draft.tags, draft.node.parent_id, draft.node.position) == (
            [],
            [tea.pk],
            parent.pk,
            3,
        )
        services.transition_node(actor=admin, node=row, name="publish")
        row = stored(node)
        assert list(row.tags.all()) == [tea] and not row.categories.exists()
        assert (row.parent_id, row.position, row.show_in_menus) == (parent.pk, 3, True)


def test_an_image_is_an_unpublished_change_and_the_replaced_files_go(
    admin, live, media, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(name):
        return SimpleUploadedFile(name, image_bytes())

    with schema_context("alpha"):
        services.set_featured_image(actor=admin, node=live, upload=upload("first.png"))
        first = selectors.draft_of(stored(live)).node.featured_image.name
        assert not stored(live).featured_image and (media / "alpha" / first).is_file()
        with django_capture_on_commit_callbacks(execute=True):
            services.transition_node(actor=admin, node=live, name="publish")
        assert stored(live).featured_image.name == first and (media / "alpha" / first).is_file()
        with django_capture_on_commit_callbacks(execute=True):
            services.set_featured_image(actor=admin, node=live, upload=upload("second.png"))
        second = selectors.draft_of(stored(live)).node.featured_image.name
        assert stored(live).featured_image.name == first  # readers keep the live image
        with django_capture_on_commit_callbacks(execute=True):
            services.set_featured_image(actor=admin, node=live, upload=upload("third.png"))
        third = selectors.draft_of(stored(live)).node.featured_image.name
        assert not (media / "alpha" / second).exists()  # replaced in the changes
        assert (media / "alpha" / first).is_file()  # the live one stays
        with django_capture_on_commit_callbacks(execute=True):
            services.discard_changes(actor=admin, node=live)
        assert not (media / "alpha" / third).exists() and (media / "alpha" / first).is_file()


def test_restoring_a_revision_whose_image_was_deleted_keeps_the_current_image(
    admin, media, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(name):
        return SimpleUploadedFile(name, image_bytes())

    with schema_context("alpha"):
        node = make_node(actor=admin, title="Draft")
        with django_capture_on_commit_callbacks(execute=True):
            services.set_featured_image(actor=admin, node=node, upload=upload("a.png"))
        first = stored(node).revisions.first()  # the revision that names the first image
        gone = stored(node).featured_image.name
        with django_capture_on_commit_callbacks(execute=True):  # the replaced file goes
            services.set_featured_image(actor=admin, node=node, upload=upload("b.png"))
        second = stored(node).featured_image.name
        assert not (media / "alpha" / gone).exists()
        services.update_node(actor=admin, node=stored(node), texts={"en": {"title": "Draft, again"}})
        node = services.restore_revision(actor=admin, node=stored(node), revision=first)
        row = stored(node)
    assert row.title_en == "Draft"  # the text comes back
    assert row.featured_image.name == second and (media / "alpha" / second).is_file()


def test_restoring_a_revision_of_a_published_node_makes_it_the_unpublished_changes(admin):
    with schema_context("alpha"):
        news = make_category(actor=admin)
        node = make_node(actor=admin, title="Original", categories=[news])
        services.update_node(actor=admin, node=node, texts={"en": {"title": "Edited"}}, categories=[])
        node = services.transition_node(actor=admin, node=node, name="publish")
        node = services.restore_revision(actor=admin, node=node, revision=node.revisions.get(number=1))
        row = stored(node)
        assert row.title_en == "Edited" and not row.categories.exists()
        latest = row.revisions.first()
        assert (latest.action, latest.message) == ("draft_saved", "Restored revision 1")
        assert set(latest.changed) >= {"title_en", "categories"}
        services.transition_node(actor=admin, node=row, name="publish")
        row = stored(node)
        assert row.title_en == "Original" and list(row.categories.all()) == [news]


def test_the_history_shows_the_saves_of_changes_and_compares_them_with_the_live_version(admin, live):
    with schema_context("alpha"):
        edit(admin, live, en={"title": "Edited"}, ru={"body": "Новый текст."})
        row = stored(live)
        actions = list(row.revisions.order_by("number").values_list("number", "action"))
        assert [action for _, action in actions] == ["created", "published", "draft_saved"]
        live_revision = selectors.live_revision(row)
        assert live_revision.action == "published"
        compared = selectors.compare_revisions(row, live_revision.number, row.draft_revision.number)
        assert compared.changes == [
            {"field": "title_en", "old": "Live", "new": "Edited"},
            {"field": "body_ru", "old": "Текст.", "new": "Новый текст."},
        ]


def test_deleting_a_node_with_changes_deletes_them(admin, live):
    with schema_context("alpha"):
        edit(admin, live, en={"title": "Edited"})
        services.delete_node(actor=admin, node=live)
        assert not Node.objects.filter(pk=live.pk).exists()


def test_a_refused_edit_of_a_published_node_writes_nothing(admin, live):
    with schema_context("alpha"):
        make_node(actor=admin, texts={"en": {"title": "Other", "slug": "taken"}})
        count = (live.revisions.count(), OutboxEvent.objects.count())
        with pytest.raises(InvalidInput):
            edit(admin, live, en={"title": "Edited", "slug": "taken"})
        assert not stored(live).has_unpublished_changes
        assert (live.revisions.count(), OutboxEvent.objects.count()) == count


def test_seeding_the_demo_again_puts_a_live_pages_menu_flag_live(tenant_a):
    from apps.content import demo
    from tests.accounts.factories import OwnerFactory

    with schema_context("alpha"):
        owner = OwnerFactory()
        demo.seed(tenant_a)
        about = Node.objects.get(kind="page", title_en="About us")
        services.update_node(actor=owner, node=about, show_in_menus=False)
        services.transition_node(actor=owner, node=about, name="publish")
        assert not stored(about).show_in_menus
        demo.seed(tenant_a)  # a demo seeded before pages had menus
        assert stored(about).show_in_menus and not stored(about).has_unpublished_changes
