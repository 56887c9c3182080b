"""A guest's cart joins the customer's when they sign in (any interface: the API's login and the
admin's send Django's `user_logged_in`). The guest's cart is the one whose token the request
carries: the `X-Cart-Token` header, or the `rustok_cart` cookie the storefront keeps."""

from __future__ import annotations

import logging

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from apps.core.selectors import current_tenant, is_enabled
from apps.orders.models import Cart, CartStatus
from rustok.errors import DomainError

log = logging.getLogger(__name__)

HEADER = "HTTP_X_CART_TOKEN"
COOKIE = "rustok_cart"


def token_of(request) -> str:
    if request is None:
        return ""
    return (request.META.get(HEADER) or request.COOKIES.get(COOKIE) or "").strip()


@receiver(user_logged_in, dispatch_uid="orders.merge_cart_on_sign_in")
def merge_cart_on_sign_in(sender, request, user, **kwargs):
    """Merge the request's guest cart into the user's; a sign-in never fails because of a cart."""
    from apps.orders import services

    token = token_of(getattr(request, "_request", request))
    tenant = current_tenant()
    if not token or tenant is None or tenant.is_public or not is_enabled(tenant, "orders"):
        return
    try:
        guest = Cart.objects.filter(token=token, customer__isnull=True, status=CartStatus.OPEN).first()
    except Exception:  # not a UUID: no cart
        return
    if guest is None:
        return
    try:
        services.merge(guest_cart=guest, customer=user)
    except DomainError as exc:
        log.warning("orders: the guest cart %s was not merged on sign-in: %s", token, exc)
