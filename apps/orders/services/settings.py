"""The site's order settings (one row), and the checks the services of the shop's configuration
share (shipping, taxes, vouchers, settings): each refuses a value with InvalidInput naming its
field, and `checked` gathers the refusals of every field given so one answer names them all."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.orders.addresses import country_code
from apps.orders.carts import order_settings
from apps.orders.events import OrderSettingsChanged
from apps.orders.models import OrderSettings
from rustok.errors import InvalidInput
from rustok.events import publish
from rustok.permissions import require
from rustok.tree import UNSET

PERM = "orders.manage_order_settings"
# Bounds of the settings: a checkout holds stock at most a day, a line at most this many units.
MOST_MINUTES = 24 * 60
MOST_OF_ONE_ITEM = 10_000


# --- checks the configuration's services share ----------------------------------------------------


def flag(value, field: str) -> bool:
    """`value` as a boolean: true or false only (not 1, not "yes")."""
    if not isinstance(value, bool):
        raise InvalidInput.for_field(field, "Must be true or false.")
    return value


def whole(value, field: str, *, minimum: int = 0, maximum: int | None = None, allow_none: bool = False):
    """`value` as an int from `minimum` to `maximum` (a bool, a float or a string is refused);
    None when `allow_none` and none is given. The one check of whole numbers of the orders
    module's services (quantities, ids, positions, minutes)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput.for_field(field, _("Give a whole number."))
    if value < minimum:
        raise InvalidInput.for_field(field, _("Must be %(minimum)s or more.") % {"minimum": minimum})
    if maximum is not None and value > maximum:
        raise InvalidInput.for_field(field, _("At most %(maximum)s.") % {"maximum": maximum})
    return value


def text(value, field: str, *, limit: int, required: bool = False) -> str:
    """`value` as stripped text of at most `limit` characters (None: "")."""
    if value is None:
        value = ""
    if not isinstance(value, str) or "\x00" in value:
        raise InvalidInput.for_field(field, "Must be text.")
    value = value.strip()
    if required and not value:
        raise InvalidInput.for_field(field, "This field is required.")
    if len(value) > limit:
        raise InvalidInput.for_field(field, f"At most {limit} characters.")
    return value


def optional_country(value, field: str) -> str:
    """An ISO 3166 alpha-2 code, or "" for none."""
    if value in (None, ""):
        return ""
    return country_code(value, field)


def checked(given: Mapping[str, Any], checks: Mapping[str, Callable[[Any, str], Any]]) -> dict[str, Any]:
    """The values of `given` that are not UNSET, each through its check (called with the value
    and the field's name); the refusals of all of them in one InvalidInput."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in given.items():
        if value is UNSET:
            continue
        try:
            values[name] = checks[name](value, name)
        except InvalidInput as exc:
            for key, messages in (exc.errors or {name: [exc.detail]}).items():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise InvalidInput("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()), errors=errors)
    return values


def put(obj, values: Mapping[str, Any]) -> list[str]:
    """Set `values` on `obj`; the names of those that changed."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


# --- the order settings ---------------------------------------------------------------------------


SETTINGS_CHECKS = {
    "prices_include_tax": flag,
    "default_country": optional_country,
    "reservation_minutes": lambda value, field: whole(value, field, minimum=1, maximum=MOST_MINUTES),
    "max_line_quantity": lambda value, field: whole(value, field, minimum=1, maximum=MOST_OF_ONE_ITEM),
}


@transaction.atomic
def update_order_settings(
    *,
    actor,
    prices_include_tax=UNSET,
    default_country=UNSET,
    reservation_minutes=UNSET,
    max_line_quantity=UNSET,
) -> OrderSettings:
    """Change what is given of the order settings; `orders.settings.changed` names what changed
    (nothing changed: no event). Carts already priced keep their totals until they are priced
    again; orders placed keep theirs for ever."""
    require(actor, PERM)
    values = checked(
        {
            "prices_include_tax": prices_include_tax,
            "default_country": default_country,
            "reservation_minutes": reservation_minutes,
            "max_line_quantity": max_line_quantity,
        },
        SETTINGS_CHECKS,
    )
    found = OrderSettings.objects.select_for_update().get(pk=order_settings().pk)
    changed = put(found, values)
    if changed:
        found.save()
        publish(OrderSettingsChanged(actor_id=actor.pk, changed=changed))
    return found
