"""The content module's part of the storefront frame (rustok.storefront): the pages of the menu,
the pages an admin may choose as the home page, that page at `/` (and when it last changed, for
the sitemap), and the top pages on the default home page.

The menu is the published pages flagged "show in menus", in tree order (position among
siblings), each with its flagged published children as a sub-menu, as Wagtail builds it; it
costs one query on the pages' documents whatever its size.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.content import readings
from apps.content.models import Node, Status
from apps.content.views import PAGE, reading_context, with_language
from apps.index import tags
from rustok import page_cache
from rustok.i18n import language_codes
from rustok.storefront import HomeChoice, HomeItem, HomeSection, MenuItem

TOP_PAGES = 6


def _tree_order(nodes):
    return nodes.order_by("position", "id")


def menu(request: HttpRequest) -> list[MenuItem]:
    """The flagged published pages at the top of the tree, with their flagged children (shown
    until a page flagged before or after a write changes: its documents' key `menu`)."""
    page_cache.depends_on(request, tags.of_key(PAGE, "menu"))
    pages = readings.readings(readings.in_tree_order(readings.with_key(readings.documents(PAGE), "menu")))
    flagged = {page.pk for page in pages}
    items = {page.pk: MenuItem(label=page.title, url=page.url) for page in pages}
    top = []
    for page in pages:
        if page.parent_id is None:
            top.append(items[page.pk])
        elif page.parent_id in flagged:
            items[page.parent_id].children.append(items[page.pk])
    return top


def home_choices() -> list[HomeChoice]:
    """Every published page of the site, in tree order, as a choice of home page."""
    pages = Node.objects.filter(kind=PAGE, status=Status.PUBLISHED)
    return [HomeChoice(id=page.pk, label=page.title) for page in _tree_order(pages)]


def home(request: HttpRequest, page_id: int) -> HttpResponse | None:
    """The page `page_id` shown as the home page; None unless it is a published page."""
    reading = readings.by_id(PAGE, page_id)
    if reading is None:
        return None
    context = {
        **reading_context(request, reading),
        "is_home": True,
        "canonical": request.build_absolute_uri(with_language("/")),
        "alternates": [
            {"code": code, "url": request.build_absolute_uri(with_language("/", code))}
            for code in language_codes()
        ],
    }
    return render(request, "storefront/content/page.html", context)


def home_changed(request: HttpRequest, page_id: int) -> dt.datetime | None:
    """When the page `page_id` shown as the home page last changed; None unless it is a
    published page (one query on its document, without its page texts)."""
    found = readings.documents(PAGE).filter(object_id=str(page_id)).first()
    return readings.Reading(found).updated_at if found else None


def home_sections(request: HttpRequest) -> list[HomeSection]:
    """The top-level published pages, for the default home page."""
    top = readings.in_tree_order(readings.with_key(readings.documents(PAGE), "top"))[:TOP_PAGES]
    items = [
        HomeItem(
            title=page.title,
            url=page.url,
            summary=page.excerpt,
            updated=page.updated_at,
            picture=page.picture,
        )
        for page in readings.readings(top)
    ]
    if not items:
        return []
    return [HomeSection(heading=_("Pages"), items=items)]
