"""Preview links: a signed, expiring address that shows a node as readers would see it once
published, to whoever has the link (editors share it for review)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "content.preview"


def preview_token(node) -> str:
    """A token naming the node and the schema it lives in; valid CONTENT_PREVIEW_HOURS."""
    from django.db import connection

    return signing.dumps({"node": node.pk, "schema": connection.schema_name}, salt=SALT, compress=True)


def preview_url(node) -> str:
    """The path of the node's preview page on its site's host."""
    return reverse("content-preview", args=[preview_token(node)])


def node_id_from(token: str) -> int | None:
    """The node a token names, if it is genuine, unexpired and made for this site's schema."""
    from django.db import connection

    try:
        data = signing.loads(token, salt=SALT, max_age=settings.CONTENT_PREVIEW_HOURS * 3600)
    except signing.BadSignature:
        return None
    if data.get("schema") != connection.schema_name:
        return None
    return data.get("node")
