"""The node workflow in services: transitions, scheduled publishing, revisions and their events."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.content import services
from apps.content.models import Node, Revision, Status
from apps.content.tasks import publish_due
from apps.events.models import OutboxEvent
from rustok.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from tests.accounts.factories import EditorFactory, SiteAdminFactory
from tests.content.factories import make_node

pytestmark = pytest.mark.django_db

SOON = dt.timedelta(hours=1)


def events(*types):
    return list(OutboxEvent.objects.filter(type__in=types).order_by("id").values_list("type", flat=True))


def test_every_transition_of_the_table(tenant_a):
    table = {
        Status.DRAFT: ["submit", "publish"],
        Status.IN_REVIEW: ["reject", "publish"],
        Status.PUBLISHED: ["unpublish", "archive"],
        Status.ARCHIVED: ["unarchive"],
    }
    from rustok.workflow import allowed_transitions

    with schema_context("alpha"):
        for state, allowed in table.items():
            assert allowed_transitions(make_node(status=state)) == allowed


def test_refused_transitions_change_nothing_and_publish_no_event(tenant_a):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        node = make_node(actor=admin)
        before = OutboxEvent.objects.count()
        with pytest.raises(TransitionNotAllowed) as refused:
            services.transition_node(actor=admin, node=node, name="archive")
        assert refused.value.allowed == ["submit", "publish"]
        node.refresh_from_db()
        assert node.status == Status.DRAFT and OutboxEvent.objects.count() == before
        assert node.revisions.count() == 1


def test_publishing_keeps_the_first_publication_date(tenant_a):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        node = make_node(actor=admin, status="published")
        first = node.published_at
        node = services.transition_node(actor=admin, node=node, name="unpublish")
        node = services.transition_node(actor=admin, node=node, name="publish")
        assert node.published_at == first


def test_editors_may_not_publish_or_schedule(tenant_a):
    with schema_context("alpha"):
        editor = EditorFactory()
        node = make_node(actor=editor)
        with pytest.raises(PermissionDenied):
            services.transition_node(actor=editor, node=node, name="publish")
        with pytest.raises(PermissionDenied):
            services.schedule_node(actor=editor, node=node, publish_at=timezone.now() + SOON)


def test_a_scheduled_node_is_published_when_its_time_comes(tenant_a):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        node = make_node(actor=admin, status="in_review")
        at = timezone.now() + SOON
        services.schedule_node(actor=admin, node=node, publish_at=at)
        assert services.publish_due(now=at - dt.timedelta(seconds=1)) == 0
        assert services.publish_due(now=at) == 1
        node.refresh_from_db()
        assert node.status == Status.PUBLISHED and node.published_at == at and node.publish_at is None
        latest = node.revisions.first()
        assert (latest.action, latest.author, latest.message) == ("published", None, "Scheduled")
        published = OutboxEvent.objects.filter(type="content.node.published").get()
        assert published.payload["scheduled"] is True and published.payload["actor_id"] is None
        assert services.publish_due(now=at + SOON) == 0  # once only


def test_the_beat_task_publishes_due_nodes_on_every_site(tenant_a, tenant_b):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        node = make_node(actor=admin)
        services.schedule_node(actor=admin, node=node, publish_at=timezone.now() + dt.timedelta(seconds=1))
        Node.objects.filter(pk=node.pk).update(publish_at=timezone.now() - SOON)
    assert publish_due() == {"alpha": 1}
    with schema_context("alpha"):
        assert Node.objects.get(pk=node.pk).status == Status.PUBLISHED


def test_scheduling_checks_the_time_and_the_status(tenant_a):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        with pytest.raises(InvalidInput) as past:
            services.schedule_node(actor=admin, node=make_node(actor=admin), publish_at=timezone.now() - SOON)
        assert "publish_at" in past.value.errors
        with pytest.raises(TransitionNotAllowed):
            services.schedule_node(
                actor=admin, node=make_node(actor=admin, status="published"), publish_at=timezone.now() + SOON
            )


def test_an_editors_change_cancels_the_schedule_an_admin_set(tenant_a):
    with schema_context("alpha"):
        editor, admin = EditorFactory(), SiteAdminFactory()
        node = make_node(actor=editor)
        services.schedule_node(actor=admin, node=node, publish_at=timezone.now() + SOON)
        node = services.update_node(actor=editor, node=node, texts={"en": {"body": "Changed after approval"}})
        assert node.publish_at is None
        assert events("content.node.scheduled") == ["content.node.scheduled", "content.node.scheduled"]
        assert (
            OutboxEvent.objects.filter(type="content.node.scheduled")
            .order_by("id")
            .last()
            .payload["publish_at"]
            is None
        )


def test_every_saved_change_keeps_a_revision_with_who_when_and_what(tenant_a):
    with schema_context("alpha"):
        editor = EditorFactory()
        node = make_node(actor=editor, title="One")
        services.update_node(actor=editor, node=node, texts={"en": {"title": "Two"}, "ru": {"title": "Два"}})
        services.update_node(actor=editor, node=node, texts={"en": {"title": "Two"}})  # nothing changed
        services.transition_node(actor=editor, node=node, name="submit")
        rows = list(Revision.objects.filter(node=node).order_by("number"))
        assert [(r.number, r.action, r.author_id) for r in rows] == [
            (1, "created", editor.pk),
            (2, "updated", editor.pk),
            (3, "submitted", editor.pk),
        ]
        assert rows[1].changed == ["title_en", "title_ru", "slug_ru"]
        assert rows[1].data["title_ru"] == "Два" and rows[0].data["title_en"] == "One"
        updated = OutboxEvent.objects.get(type="content.node.updated")
        assert updated.payload["revision"] == 2


def test_restoring_a_revision_brings_back_text_and_taxonomy_but_not_the_status(tenant_a):
    from tests.content.factories import make_category

    with schema_context("alpha"):
        admin = SiteAdminFactory()
        news = make_category(actor=admin)
        node = make_node(actor=admin, title="Original", categories=[news])
        services.update_node(actor=admin, node=node, texts={"en": {"title": "Edited"}}, categories=[])
        node = services.transition_node(actor=admin, node=node, name="submit")
        node = services.restore_revision(actor=admin, node=node, revision=node.revisions.get(number=1))
        assert node.title == "Original" and list(node.categories.all()) == [news]
        assert node.status == Status.IN_REVIEW
        latest = node.revisions.first()
        assert latest.action == "restored" and latest.message == "Restored revision 1"
        assert set(latest.changed) >= {"title_en", "categories"}


def test_a_write_that_fails_leaves_no_row_and_no_event(tenant_a):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        before = (Node.objects.count(), Revision.objects.count(), OutboxEvent.objects.count())
        with pytest.raises(InvalidInput):
            services.create_node(
                actor=admin, kind="page", texts={"en": {"title": "Ok"}, "ru": {"slug": "только"}}
            )
        assert (Node.objects.count(), Revision.objects.count(), OutboxEvent.objects.count()) == before
