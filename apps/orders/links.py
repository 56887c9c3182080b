"""Signed links to an order, for guests: whoever holds the link mailed to them sees the order,
without an account. The link names the order's random token (never its number), signed with the
site's secret; it lasts ORDERS_GUEST_LINK_DAYS."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from apps.core.selectors import current_tenant
from apps.orders.models import Order

SALT = "rustok.orders.guest-link"


def guest_key(order: Order) -> str:
    return signing.dumps(str(order.token), salt=SALT, compress=False)


def order_of_key(key) -> Order | None:
    """The order a guest link's key names, or None when it is forged, expired or unknown."""
    if not isinstance(key, str) or len(key) > 200:
        return None
    try:
        token = signing.loads(key, salt=SALT, max_age=settings.ORDERS_GUEST_LINK_DAYS * 86400)
    except signing.BadSignature:
        return None
    return Order.objects.filter(token=token).first()


def site_url(order: Order) -> str:
    """Where the order was placed ("https://shop.example/"): as recorded, else the site's
    primary domain."""
    if order.site_url:
        return order.site_url.rstrip("/") + "/"
    tenant = current_tenant()
    domain = next((d.domain for d in tenant.domains.all() if d.is_primary), "") if tenant else ""
    return f"https://{domain}/" if domain else "/"


def guest_url(order: Order) -> str:
    """The page a guest opens to see the order."""
    return f"{site_url(order)}orders/view/?key={guest_key(order)}"
