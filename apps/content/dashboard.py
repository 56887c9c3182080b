"""The content module's panels on the admin's dashboard (rustok.dashboard).

Editors (and admins) see their own drafts and what waits for review; admins also see what is
scheduled to be published and the latest changes (revisions). Each panel is two queries at most
(its items and their count), whatever the number of nodes; each item links to the node's own
admin page, found from the admins registered for its kind (pages here, posts in blog, ...).
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from apps.content import kinds, selectors
from apps.content.models import Node, Revision, Status
from rustok.dashboard import PANEL_ITEMS, Item, Panel
from rustok.permissions import can


def node_admins() -> dict[str, str]:
    """Kind → "app_label_modelname" of the admin that edits nodes of that kind."""
    from apps.content.admin import NodeAdmin

    return {
        model_admin.kind: f"{model._meta.app_label}_{model._meta.model_name}"
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, NodeAdmin)
    }


def _url(admins: dict[str, str], kind: str, view: str, *args) -> str:
    name = admins.get(kind)
    if name is None:
        return ""
    try:
        return reverse(f"admin:{name}_{view}", args=args)
    except NoReverseMatch:
        return ""


def _when(value) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else ""


def _node_panel(key, title, nodes: QuerySet[Node], admins, *, detail, link_query, empty, tone="") -> Panel:
    shown = list(nodes[:PANEL_ITEMS])
    items = [
        Item(label=str(node), url=_url(admins, node.kind, "change", node.pk), detail=detail(node))
        for node in shown
    ]
    count = len(items) if len(items) < PANEL_ITEMS else nodes.count()
    # The list the items are in: their kind's, when they are all of one kind; none when empty.
    item_kinds = {node.kind for node in shown}
    listed = _url(admins, item_kinds.pop(), "changelist") if len(item_kinds) == 1 else ""
    return Panel(
        key=key,
        title=title,
        items=items,
        count=count,
        link=f"{listed}?{urlencode(link_query)}" if listed and link_query else listed,
        link_label=_("Show them in the list"),
        empty=empty,
        tone=tone if count else "",
    )


def panels(request) -> list[Panel]:
    user = request.user
    if not can(user, "content.view_node"):
        return []
    nodes = selectors.visible_nodes(user=user, tenant=request.tenant)
    admins = node_admins()

    def kind_label(node: Node) -> str:
        found = kinds.all_kinds().get(node.kind)
        return str(found.label).capitalize() if found else node.kind

    found = [
        _node_panel(
            "my-drafts",
            _("My drafts"),
            nodes.filter(author_id=user.pk, status=Status.DRAFT).order_by("-updated_at", "-id"),
            admins,
            detail=lambda node: f"{kind_label(node)} · {_when(node.updated_at)}",
            link_query={"status__exact": Status.DRAFT, "author__id__exact": user.pk},
            empty=_("You have no drafts."),
        ),
        _node_panel(
            "in-review",
            _("Waiting for review"),
            nodes.filter(status=Status.IN_REVIEW).select_related("author").order_by("updated_at", "id"),
            admins,
            detail=lambda node: f"{kind_label(node)} · {node.author or _('the platform')}",
            link_query={"status__exact": Status.IN_REVIEW},
            empty=_("Nothing waits for review."),
            tone="warning" if can(user, "content.publish_node") else "",
        ),
    ]
    if can(user, "content.schedule_node"):
        found.append(
            _node_panel(
                "scheduled",
                _("Scheduled"),
                nodes.filter(publish_at__gt=timezone.now())
                .exclude(status=Status.PUBLISHED, draft_revision__isnull=True)  # changes of live ones stay
                .order_by("publish_at", "id"),
                admins,
                detail=lambda node: _("to be published %(at)s") % {"at": _when(node.publish_at)},
                link_query={},
                empty=_("Nothing is scheduled."),
            )
        )
    if can(user, "content.publish_node"):
        found.append(recent_changes(nodes, admins))
    return found


def recent_changes(nodes: QuerySet[Node], admins) -> Panel:
    """The latest revisions of the nodes the user may see: one query."""
    revisions = (
        Revision.objects.filter(node__in=nodes)
        .select_related("node", "author")
        .order_by("-created_at", "-id")[:PANEL_ITEMS]
    )
    items = [
        Item(
            label=str(revision.node),
            url=_url(admins, revision.node.kind, "revisions", revision.node_id),
            detail=_("%(action)s by %(by)s, %(at)s")
            % {
                "action": revision.get_action_display(),
                "by": revision.author or _("the platform"),
                "at": _when(revision.created_at),
            },
        )
        for revision in revisions
    ]
    return Panel(key="recent-changes", title=_("Recent changes"), items=items, empty=_("No changes yet."))
