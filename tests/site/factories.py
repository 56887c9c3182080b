"""The site's settings and pages of the menu, written through the services, in the active schema."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.site import services
from tests.accounts.factories import SiteAdminFactory
from tests.content.factories import make_node


def set_site(*, texts=None, social_links=None, logo=None, **values):
    """Change the site's settings as an admin would."""
    arguments = {"values": values, "texts": texts or {}}
    if social_links is not None:
        arguments["social_links"] = social_links
    if logo is not None:
        arguments["logo"] = logo
    return services.update_settings(actor=SiteAdminFactory(), **arguments)


def image_upload(fmt: str = "PNG", size=(120, 80), name: str = "logo.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def page(
    title: str, *, status: str = "published", menu: bool = False, parent=None, position: int = 0, **texts
):
    """A page of the tree; `menu` flags it "show in menus"."""
    return make_node(
        kind="page",
        status=status,
        texts={"en": {"title": title, "body": f"The page {title}."}, **texts},
        show_in_menus=menu,
        parent=parent,
        position=position,
    )
