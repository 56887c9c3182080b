"""Access declarations of REST views, enforced by one DRF permission class.

Every view says what it needs, as `access` (see rustok.permissions):

    class UserViewSet(viewsets.ModelViewSet):
        access = {"list": "accounts.view_user", "retrieve": "accounts.view_user",
                  "default": "accounts.manage_users"}

    class SiteView(APIView):
        access = PUBLIC

A dict is looked up by viewset action, then by HTTP method (lower case), then "default". A view
that declares nothing is refused for everyone (fail closed), and the access-matrix test names it.
Object-level rules get the object from `get_object()`.
"""

from __future__ import annotations

import logging

from rest_framework.permissions import BasePermission

from rustok.errors import PermissionDenied
from rustok.permissions import access_error

log = logging.getLogger(__name__)


def declared_access(view, method: str | None = None) -> str | None:
    """The access `view` declares for the request it is handling (or for `method`)."""
    access = getattr(view, "access", None)
    if access is None or isinstance(access, str):
        return access
    action = getattr(view, "action", None)
    method = (method or getattr(getattr(view, "request", None), "method", "") or "").lower()
    for key in (action, method, "default"):
        if key and key in access:
            return access[key]
    return None


class DeclaredAccess(BasePermission):
    """DEFAULT_PERMISSION_CLASSES: enforce the view's `access`, refuse views without one."""

    def has_permission(self, request, view) -> bool:
        access = declared_access(view)
        if access is None:
            log.error("view %s declares no access; refused", type(view).__name__)
            raise PermissionDenied("This endpoint declares no access rule.", reason="undeclared")
        error = access_error(request.user, access)
        if error is not None:
            raise error
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        error = access_error(request.user, declared_access(view), obj)
        if error is not None:
            raise error
        return True
