"""The catalogue's part of the storefront frame (rustok.storefront): the Shop in the menu and the
newest products on the default home page. A site with the catalogue off shows neither."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from apps.catalog import selectors
from rustok.storefront import HomeItem, HomeSection, MenuItem, page_url

HOME_PRODUCTS = 4


def _shop_url() -> str:
    return page_url("shop-index")


def menu(request: HttpRequest) -> list[MenuItem]:
    return [MenuItem(label=_("Shop"), url=_shop_url())]


def _price(data: dict) -> str:
    price = data.get("price") or {}
    if not price:
        return ""
    if price.get("min") != price.get("max"):
        return _("from %(price)s") % {"price": price["formatted"]}
    return price["formatted"]


def home_sections(request: HttpRequest) -> list[HomeSection]:
    """The newest products (one query on their documents), each with its price as its summary."""
    found = selectors.documents()[:HOME_PRODUCTS].values_list("url", "data")
    items = [
        HomeItem(
            title=data.get("name", ""),
            url=url,
            summary=_price(data),
            updated=parse_datetime(data["updated_at"]) if data.get("updated_at") else None,
            picture=data.get("picture"),
        )
        for url, data in found
    ]
    if not items:
        return []
    return [
        HomeSection(
            heading=_("New in the shop"), items=items, more_url=_shop_url(), more_label=_("All products")
        )
    ]
