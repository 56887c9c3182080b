"""The content module's part of the storefront frame (rustok.storefront): the pages of the menu,
the pages an admin may choose as the home page, that page at `/`, and the top pages on the
default home page.

The menu is the published pages flagged "show in menus", in tree order (position among
siblings), each with its flagged published children as a sub-menu, as Wagtail builds it; it
costs one query whatever its size.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.content.models import Node, Status
from apps.content.views import PAGE, node_context, node_url, published_pages, with_language
from rustok.i18n import language_codes
from rustok.storefront import HomeChoice, HomeItem, HomeSection, MenuItem

TOP_PAGES = 6


def _tree_order(nodes):
    return nodes.order_by("position", "id")


def menu(request: HttpRequest) -> list[MenuItem]:
    """The flagged published pages at the top of the tree, with their flagged children."""
    pages = list(_tree_order(published_pages(request).filter(show_in_menus=True)))
    flagged = {page.pk for page in pages}
    items = {page.pk: MenuItem(label=page.title, url=node_url(page)) for page in pages}
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
    node = published_pages(request).select_related("author").filter(pk=page_id).first()
    if node is None:
        return None
    context = {
        **node_context(request, node),
        "is_home": True,
        "canonical": request.build_absolute_uri(with_language("/")),
        "alternates": [
            {"code": code, "url": request.build_absolute_uri(with_language("/", code))}
            for code in language_codes()
        ],
    }
    return render(request, "storefront/content/page.html", context)


def home_sections(request: HttpRequest) -> list[HomeSection]:
    """The top-level published pages, for the default home page."""
    pages = _tree_order(published_pages(request).filter(parent__isnull=True))[:TOP_PAGES]
    items = [HomeItem(title=page.title, url=node_url(page), summary=page.excerpt) for page in pages]
    if not items:
        return []
    return [HomeSection(heading=_("Pages"), items=items)]
