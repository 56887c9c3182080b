"""Writing stock locations: a translated name, an address, a priority and whether it sells."""

from __future__ import annotations

from babel import Locale
from django.db import transaction

from apps.inventory.events import LocationCreated, LocationDeleted, LocationUpdated
from apps.inventory.models import StockLocation
from apps.inventory.services.stock import PERM, whole_number
from apps.inventory.translation import LOCATION_FIELDS
from rustok.errors import Conflict, InvalidInput
from rustok.events import publish
from rustok.i18n import language_codes
from rustok.permissions import require
from rustok.rows import lock
from rustok.texts import Texts, assign, check_lengths, check_texts, column
from rustok.tree import UNSET

ADDRESS_FIELDS = ("address_line1", "address_line2", "city", "postal_code", "country")
# Babel's territories with two letters, less the groupings that are not countries.
NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "ZZ"})
COUNTRIES = frozenset(c for c in Locale("en").territories if len(c) == 2 and c.isalpha()) - NOT_COUNTRIES


def _write(location: StockLocation, texts, fields: dict) -> list[str]:
    """Set what was given on `location`; the names of the fields that changed."""
    changed = assign(location, check_texts(texts, LOCATION_FIELDS))
    errors: dict[str, list[str]] = {}
    for name, value in fields.items():
        if value is UNSET:
            continue
        try:
            if name in ADDRESS_FIELDS:
                value = _text(name, value)
            elif name == "priority":
                value = whole_number(value, "priority", minimum=0)
            elif name == "is_active" and not isinstance(value, bool):
                raise InvalidInput.for_field("is_active", "Must be true or false.")
        except InvalidInput as exc:
            errors.update(exc.errors)
            continue
        if getattr(location, name) != value:
            setattr(location, name, value)
            changed.append(name)
    if errors:
        raise InvalidInput("; ".join(f"{k}: {v[0]}" for k, v in errors.items()), errors=errors)
    check_lengths(location, LOCATION_FIELDS)
    if not any(getattr(location, column("name", code)) for code in language_codes()):
        raise InvalidInput.for_field("name", "Give the name in at least one language.")
    return changed


def _text(name: str, value) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str) or "\x00" in value:
        raise InvalidInput.for_field(name, "Must be text.")
    value = value.strip()
    limit = StockLocation._meta.get_field(name).max_length
    if name != "country" and len(value) > limit:
        raise InvalidInput.for_field(name, f"At most {limit} characters.")
    if name == "country":
        value = value.upper()
        if value and value not in COUNTRIES:
            raise InvalidInput.for_field("country", "Must be an ISO 3166 alpha-2 country code, such as DE.")
    return value


@transaction.atomic
def create_location(
    *,
    actor,
    texts: Texts,
    address_line1: str = "",
    address_line2: str = "",
    city: str = "",
    postal_code: str = "",
    country: str = "",
    priority: int = 0,
    is_active: bool = True,
) -> StockLocation:
    """A new stock location: a name in at least one language (InvalidInput naming `name`)."""
    require(actor, PERM)
    location = StockLocation()
    _write(
        location,
        texts,
        {
            "address_line1": address_line1,
            "address_line2": address_line2,
            "city": city,
            "postal_code": postal_code,
            "country": country,
            "priority": priority,
            "is_active": is_active,
        },
    )
    location.save()
    publish(LocationCreated(location_id=location.pk, actor_id=actor.pk))
    return location


@transaction.atomic
def update_location(
    *,
    actor,
    location: StockLocation,
    texts: Texts | None = None,
    address_line1=UNSET,
    address_line2=UNSET,
    city=UNSET,
    postal_code=UNSET,
    country=UNSET,
    priority=UNSET,
    is_active=UNSET,
) -> StockLocation:
    """Change what is given of `location`; `inventory.location.updated` names what changed.

    Deactivating a location keeps its stock and reservations; reservations are not taken from
    it any more, and its stock no longer counts as available.
    """
    require(actor, PERM)
    location = lock(StockLocation, location, "stock location")
    changed = _write(
        location,
        texts,
        {
            "address_line1": address_line1,
            "address_line2": address_line2,
            "city": city,
            "postal_code": postal_code,
            "country": country,
            "priority": priority,
            "is_active": is_active,
        },
    )
    if changed:
        location.save()
        publish(LocationUpdated(location_id=location.pk, actor_id=actor.pk, changed=changed))
    return location


@transaction.atomic
def delete_location(*, actor, location: StockLocation) -> None:
    """Delete a location that never held stock. One with stock, reservations or a history is
    refused (409 `conflict`, `reason: in_use`): its movements must keep saying where stock was,
    so deactivate it instead (`is_active`)."""
    require(actor, PERM)
    location = lock(StockLocation, location, "stock location")
    used = location.movements.exists() or location.reservations.exists() or location.stock_levels.exists()
    if used:
        raise Conflict(
            "This location has held stock and keeps its history; deactivate it instead.",
            reason="in_use",
        )
    location_id = location.pk
    location.delete()
    publish(LocationDeleted(location_id=location_id, actor_id=actor.pk))
