"""Writing the site's settings: the only code that writes the site module's tables.

Every change is checked here (whoever sends it: the admin, a command, a test), written in one
transaction with the `site.settings.changed` event, which page caches of the site listen to.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from PIL import Image

from apps.site.events import SiteSettingsChanged
from apps.site.models import (
    ACCENT_PATTERN,
    ITEMS_PER_PAGE_MAX,
    ITEMS_PER_PAGE_MIN,
    SiteSettings,
    SocialLink,
    logo_path,
)
from apps.site.selectors import site_settings
from apps.site.translation import SETTINGS_TEXT
from rustok.errors import InvalidInput
from rustok.events import publish
from rustok.i18n import language_codes
from rustok.images import check_image
from rustok.permissions import require

UNSET = object()
ICON_SIZE = 64  # pixels of the favicon made from the logo
PLAIN_FIELDS = {
    "name": 200,
    "contact_email": 254,
    "contact_address": None,
    "accent_color": 7,
}
TEXT_LIMITS = {"tagline": 200, "footer_text": None, "meta_description": 320}


def _column(field: str, language: str) -> str:
    return f"{field}_{language}"


def check_accent(value: str) -> str:
    """A colour as #rrggbb (lower case); InvalidInput naming `accent_color` otherwise."""
    if not isinstance(value, str) or not re.match(ACCENT_PATTERN, value):
        raise InvalidInput.for_field("accent_color", "Give a colour as #rrggbb, for example #0b5cad.")
    return value.lower()


def check_items_per_page(value) -> int:
    """A whole number within the bounds; InvalidInput naming `items_per_page` otherwise."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput.for_field("items_per_page", "Must be a whole number.")
    if not ITEMS_PER_PAGE_MIN <= value <= ITEMS_PER_PAGE_MAX:
        raise InvalidInput.for_field(
            "items_per_page", f"Between {ITEMS_PER_PAGE_MIN} and {ITEMS_PER_PAGE_MAX}."
        )
    return value


def _check_text(field: str, value, limit: int | None) -> str:
    if not isinstance(value, str):
        raise InvalidInput.for_field(field, "Must be text.")
    if limit is not None and len(value) > limit:
        raise InvalidInput.for_field(field, f"At most {limit} characters.")
    return value.strip()


def _check_links(links: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    checked = []
    for index, (network, url) in enumerate(links):
        if network not in SocialLink.Network.values:
            raise InvalidInput.for_field("social_links", f"Link {index + 1}: unknown network '{network}'.")
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise InvalidInput.for_field("social_links", f"Link {index + 1}: not a web address.") from None
        checked.append((network, url))
    return checked


def make_icon(upload) -> bytes:
    """The favicon made from a logo: a square PNG of ICON_SIZE pixels, the logo centred in it."""
    upload.seek(0)
    with Image.open(upload) as image:
        image = image.convert("RGBA")
        image.thumbnail((ICON_SIZE, ICON_SIZE))
        icon = Image.new("RGBA", (ICON_SIZE, ICON_SIZE), (0, 0, 0, 0))
        icon.paste(image, ((ICON_SIZE - image.width) // 2, (ICON_SIZE - image.height) // 2))
    upload.seek(0)
    out = io.BytesIO()
    icon.save(out, format="PNG")
    return out.getvalue()


@transaction.atomic
def update_settings(
    *,
    actor,
    values: dict | None = None,
    texts: dict[str, dict[str, str]] | None = None,
    social_links: Iterable[tuple[str, str]] = UNSET,
    logo=UNSET,
) -> SiteSettings:
    """Change what is given: plain `values` (name, accent_color, contact_email, contact_address,
    allow_indexing, items_per_page, home_page), translated `texts` ({language: {tagline, footer_text,
    meta_description}}), the ordered `social_links` [(network, url)], the `logo` (an upload, None
    removes it). Publishes `site.settings.changed` naming what changed; nothing when nothing did."""
    require(actor, "site.change_settings")
    settings = SiteSettings.objects.select_for_update().get(pk=site_settings().pk)
    changed: list[str] = []

    for field, value in (values or {}).items():
        if field in PLAIN_FIELDS:
            value = "" if value is None else value
            value = (
                check_accent(value)
                if field == "accent_color"
                else _check_text(field, value, PLAIN_FIELDS[field])
            )
            if field == "contact_email" and value:
                try:
                    EmailValidator()(value)
                except ValidationError:
                    raise InvalidInput.for_field(field, "Not an e-mail address.") from None
        elif field == "allow_indexing":
            if not isinstance(value, bool):
                raise InvalidInput.for_field(field, "Must be true or false.")
        elif field == "items_per_page":
            value = check_items_per_page(value)
        elif field == "home_page":
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
                raise InvalidInput.for_field(field, "Must be the id of a page, or empty.")
        else:
            raise InvalidInput.for_field(field, "Unknown setting.")
        if getattr(settings, field) != value:
            setattr(settings, field, value)
            changed.append(field)

    for language, fields in (texts or {}).items():
        if language not in language_codes():
            raise InvalidInput.for_field("texts", f"Unknown language '{language}'.")
        for field, value in fields.items():
            if field not in SETTINGS_TEXT:
                raise InvalidInput.for_field(field, "Not a translated setting.")
            name = _column(field, language)
            value = _check_text(name, "" if value is None else value, TEXT_LIMITS[field])
            if (getattr(settings, name) or "") != value:
                setattr(settings, name, value)
                changed.append(name)

    old_files: list[str] = []
    if logo is not UNSET:
        if logo is None:
            if settings.logo:
                old_files = [settings.logo.name, settings.icon.name]
                settings.logo = settings.icon = ""
                changed.append("logo")
        else:
            extension = check_image(logo, field="logo")
            icon = make_icon(logo)
            old_files = [name for name in (settings.logo.name, settings.icon.name) if name]
            # Stored last, once everything is checked: only a failing commit can orphan the files.
            settings.logo.save(logo_path(settings, f"logo.{extension}"), logo, save=False)
            settings.icon.save(logo_path(settings, "icon.png"), ContentFile(icon), save=False)
            changed.append("logo")

    if changed:
        settings.save()

    if social_links is not UNSET:
        wanted = _check_links(social_links)
        current = [(link.network, link.url) for link in settings.social_links.all()]
        if wanted != current:
            settings.social_links.all().delete()
            SocialLink.objects.bulk_create(
                SocialLink(settings=settings, network=network, url=url, position=position)
                for position, (network, url) in enumerate(wanted)
            )
            changed.append("social_links")

    if not changed:
        return settings
    if old_files:
        storage = settings.logo.storage
        for name in old_files:
            if name:
                transaction.on_commit(lambda name=name: storage.delete(name), robust=True)
    publish(SiteSettingsChanged(actor_id=getattr(actor, "pk", None), changed=changed))
    return settings
