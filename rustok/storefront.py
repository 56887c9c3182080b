"""The storefront's hooks: what each module adds to the frame every storefront page shares.

A module may have a `storefront.py` with any of these functions; the kernel calls the ones of the
modules enabled for the request's tenant, in the registry's (dependency) order, so a module that
is off adds nothing (no menu section, no home section):

    def menu(request) -> list[MenuItem]            # sections of the site's menu
    def feeds(request) -> list[FeedLink]           # feeds the layout links to
    def home_choices() -> list[HomeChoice]         # pages an admin may choose as the home page
    def home(request, page_id) -> HttpResponse | None   # the chosen home page, None if gone
    def home_changed(request, page_id) -> datetime | None   # when that page last changed, None if gone
    def home_sections(request) -> list[HomeSection]     # what the default home page shows
    def brand(request) -> Brand | None             # the site's name and logo (the admin shows them)
    def header_links(request) -> list[HeaderLink]  # links beside the search (account, cart)
    def account_links(request) -> list[MenuItem]   # sections of a signed-in customer's account
    def buy_action(request) -> BuyAction | None    # where a product page's "Add to cart" posts

Hooks return plain dataclasses; templates render them, so a module never writes layout HTML.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.encoding import iri_to_uri

from rustok.i18n import for_language
from rustok.modules import registry
from rustok.modules.gate import module_enabled_for

log = logging.getLogger(__name__)


@dataclass
class MenuItem:
    """One entry of the site's menu; `children` are its sub-menu, `current` marks the page shown."""

    label: str
    url: str
    children: list[MenuItem] = field(default_factory=list)
    current: bool = False


@dataclass(frozen=True)
class FeedLink:
    """A feed of the site: its title, address and media type (application/rss+xml, ...)."""

    title: str
    url: str
    type: str


@dataclass(frozen=True)
class HomeChoice:
    """A page that can be the site's home: its id (kept in the site's settings) and its label."""

    id: int
    label: str


@dataclass(frozen=True)
class HomeItem:
    """One entry of a home section: a post's or a page's teaser."""

    title: str
    url: str
    summary: str = ""
    date: Any = None
    updated: dt.datetime | None = None  # when the item last changed (dates `/` in the sitemap)
    picture: dict | None = None  # its image with renditions (rustok.renditions.picture), if any


@dataclass(frozen=True)
class HomeSection:
    """A section of the default home page: a heading, its items and a link to see more."""

    heading: str
    items: list[HomeItem]
    more_url: str = ""
    more_label: str = ""


@dataclass(frozen=True)
class HeaderLink:
    """A link of the header beside the search: the account, the cart.

    `count` is a number shown with it (the cart's lines) when the page is personal; a page the
    page cache may share with every reader leaves it None and names the cookie that holds it
    (`count_cookie`, not HttpOnly): storefront.js shows the reader's own from there.
    """

    label: str
    url: str
    count: int | None = None
    count_cookie: str = ""
    count_label: str = ""  # what the number counts, for screen readers ("items in the cart")


@dataclass(frozen=True)
class BuyAction:
    """Where a product page sends "Add to cart" (a POST of `variant` and `quantity`, with the
    CSRF token), and what its button says. A site without a module that sells shows no button."""

    url: str
    label: str


@dataclass(frozen=True)
class Brand:
    """How the site names and shows itself: in its storefront's header and in its admin."""

    name: str
    logo_url: str = ""


def page_url(name: str, *args, query: str = "", language: str | None = None) -> str:
    """The address of the page named `name` (with `query`) for readers of `language` (default:
    the active one), with `lang=` unless it is the site's language. Every storefront page names a
    few (the header's links): the URL conf's answer is kept per process."""
    path = _reversed(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), name, args)
    return iri_to_uri(for_language(f"{path}?{query}" if query else path, language))


@functools.lru_cache(maxsize=4096)
def _reversed(urlconf: str, prefix: str, name: str, args: tuple) -> str:
    """`reverse(name, args)`: the same for the same URL conf and script prefix (both in the key)."""
    return reverse(name, urlconf=urlconf, args=args)


def address_with(request, **changes) -> str:
    """This page's address with some query parameters changed (a list replaces the parameter,
    None drops it); any change but the page number's goes back to the first page: what a list's
    filters, sorting and page links point to."""
    if "page" not in changes:
        changes["page"] = None
    given = {
        name: [value] if value is not None and not isinstance(value, list) else value
        for name, value in changes.items()
    }
    pairs = []
    for name, values in request.GET.lists():  # the parameters in their order, changed in place
        for value in given.pop(name, values) or ():
            pairs.append((name, str(value)))
    pairs += [(name, str(value)) for name, values in given.items() for value in values or ()]
    path = iri_to_uri(request.path)
    return f"{path}?{urlencode(pairs)}" if pairs else path


def _hooks(name: str, request=None) -> Iterator[Any]:
    """The function `name` of every module's storefront.py (enabled for the request's tenant)."""
    for module in registry:
        if request is not None and not module_enabled_for(request, module.slug):
            continue
        hooks = module.submodule("storefront")
        hook = getattr(hooks, name, None) if hooks is not None else None
        if hook is not None:
            yield hook


def collect(name: str, request, *args) -> list:
    """Every item the enabled modules' hook `name(request, *args)` returns, in module order."""
    items: list = []
    for hook in _hooks(name, request):
        items.extend(hook(request, *args) or ())
    return items


def home_choices(request=None) -> list[HomeChoice]:
    """The pages an admin may choose as the home page, from the modules enabled for the request's
    tenant (all modules without a request)."""
    choices: list[HomeChoice] = []
    for hook in _hooks("home_choices", request):
        choices.extend(hook() or ())
    return choices


def home_page(request, page_id: int):
    """The response of the module that renders page `page_id` as the home page; None when no
    enabled module has it (unpublished, deleted), so the default home is shown."""
    for hook in _hooks("home", request):
        response = hook(request, page_id)
        if response is not None:
            return response
    return None


def home_changed(request, page_id: int | None) -> dt.datetime | None:
    """When the home page readers get at `/` last changed: the chosen page `page_id`'s last change
    if an enabled module still has it published, else the newest change of the items the default
    home lists; None when it lists nothing."""
    if page_id:
        for hook in _hooks("home_changed", request):
            changed = hook(request, page_id)
            if changed is not None:
                return changed
    sections = collect("home_sections", request)
    return max((item.updated for section in sections for item in section.items if item.updated), default=None)


def _first(name: str, request):
    """What the first enabled module whose hook `name(request)` answers something answers."""
    for hook in _hooks(name, request):
        found = hook(request)
        if found is not None:
            return found
    return None


def buy_action(request) -> BuyAction | None:
    """Where "Add to cart" posts, from the first enabled module that sells; None when none does."""
    return _first("buy_action", request)


def brand(request) -> Brand | None:
    """The site's name and logo, from the first module that gives them; None when none does."""
    return _first("brand", request)
