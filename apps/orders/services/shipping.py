"""Writing shipping: zones of countries, the methods each zone offers, and the weight brackets of
a method priced by weight. Managers and admins write them (`orders.manage_shipping`); every
write publishes `orders.shipping.changed` naming the zone (and the method).

A country belongs to at most one zone. Writers of zones' countries take one advisory lock (the
site's, `_lock_zones`) before they check, so two writers cannot both put a country in a zone.
Rows are locked a zone before its methods (deleting a zone deletes its methods), and the advisory
lock last.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from django.db import connection, transaction

from apps.catalog.models import TaxClass
from apps.catalog.services import shop_settings
from apps.catalog.services.shop import check_priced_in
from apps.orders.addresses import country_code
from apps.orders.events import ShippingChanged
from apps.orders.models import RateKind, ShippingMethod, ShippingZone, WeightRate
from apps.orders.services.settings import checked, flag, put, whole
from rustok import money
from rustok.errors import InvalidInput
from rustok.events import publish
from rustok.i18n import language_codes
from rustok.permissions import require
from rustok.rows import lock
from rustok.texts import Texts, assign, check_lengths, check_texts, column
from rustok.tree import UNSET

PERM = "orders.manage_shipping"
ZONE_TEXTS = ("name",)
METHOD_TEXTS = ("name", "description")
MOST_POSITION = 2**31 - 1
MOST_BRACKETS = 50
MOST_GRAMS = 2**31 - 1


def _named(obj, texts: Texts | None, fields: tuple[str, ...]) -> list[str]:
    """Write the translated `fields`; a name is needed in at least one language (`name`)."""
    changed = assign(obj, check_texts(texts, fields))
    check_lengths(obj, fields)
    if not any(getattr(obj, column("name", code)) for code in language_codes()):
        raise InvalidInput.for_field("name", "Give the name in at least one language.")
    return changed


def _position(value, field: str) -> int:
    return whole(value, field, maximum=MOST_POSITION)


# --- zones ----------------------------------------------------------------------------------------


def _lock_zones() -> None:
    """The site's lock on the zones' countries, until the transaction ends (schema in its key)."""
    key = f"orders:shipping_zones:{connection.schema_name}".encode()
    digest = hashlib.blake2b(key, digest_size=8).digest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)])


def _countries(value, field: str = "countries") -> list[str]:
    """A list of ISO 3166 alpha-2 codes, upper-cased, each once, sorted."""
    if isinstance(value, str | bytes | Mapping) or not hasattr(value, "__iter__"):
        raise InvalidInput.for_field(field, 'Give a list of ISO 3166 alpha-2 codes, such as ["DE", "AT"].')
    codes = []
    for item in value:
        try:
            codes.append(country_code(item, field))
        except InvalidInput:
            shown = str(item)[:10]
            raise InvalidInput.for_field(
                field, f"'{shown}' is not an ISO 3166 alpha-2 country code."
            ) from None
    return sorted(set(codes))


def _check_free(zone: ShippingZone, codes: list[str]) -> None:
    """Refuse (naming `countries`) a country another zone already holds."""
    others = ShippingZone.objects.exclude(pk=zone.pk) if zone.pk else ShippingZone.objects.all()
    for other in others:
        taken = sorted(set(codes) & {str(code) for code in other.countries})
        if taken:
            raise InvalidInput(
                f"countries: {', '.join(taken)} already in the zone '{other}'.",
                errors={"countries": [f"{', '.join(taken)} already in the zone '{other}' (#{other.pk})."]},
                zone=other.pk,
            )


ZONE_CHECKS = {"countries": _countries, "position": _position}


def _write_zone(zone: ShippingZone, texts, given: dict) -> list[str]:
    values = checked(given, ZONE_CHECKS)
    changed = _named(zone, texts, ZONE_TEXTS)
    if "countries" in values:
        _lock_zones()
        _check_free(zone, values["countries"])
    return changed + put(zone, values)


@transaction.atomic
def create_shipping_zone(*, actor, texts: Texts, countries=(), position: int = 0) -> ShippingZone:
    """A new zone: a name in at least one language (`name`), its countries (each in no other
    zone: 400 naming `countries` and the zone holding it, `zone` its id)."""
    require(actor, PERM)
    zone = ShippingZone()
    _write_zone(zone, texts, {"countries": countries, "position": position})
    zone.save()
    publish(ShippingChanged(zone_id=zone.pk, actor_id=actor.pk))
    return zone


@transaction.atomic
def update_shipping_zone(
    *, actor, zone: ShippingZone, texts: Texts | None = None, countries=UNSET, position=UNSET
) -> ShippingZone:
    """Change what is given of a zone; `countries` replaces its countries."""
    require(actor, PERM)
    zone = lock(ShippingZone, zone, "shipping zone")
    if _write_zone(zone, texts, {"countries": countries, "position": position}):
        zone.save()
        publish(ShippingChanged(zone_id=zone.pk, actor_id=actor.pk))
    return zone


@transaction.atomic
def delete_shipping_zone(*, actor, zone: ShippingZone) -> None:
    """Delete a zone with its methods. Carts that chose one of them choose again; orders keep the
    name and price they were placed with."""
    require(actor, PERM)
    zone = lock(ShippingZone, zone, "shipping zone")
    zone_id = zone.pk
    zone.delete()
    publish(ShippingChanged(zone_id=zone_id, actor_id=actor.pk))


# --- methods --------------------------------------------------------------------------------------


def _zone(value, field: str) -> ShippingZone:
    if not isinstance(value, ShippingZone) or value.pk is None:
        raise InvalidInput.for_field(field, "Give a shipping zone.")
    return value


def _kind(value, field: str) -> str:
    if value not in RateKind.values:
        raise InvalidInput.for_field(field, f"One of: {', '.join(RateKind.values)}.")
    return str(value)


def _tax_class(value, field: str) -> TaxClass | None:
    if value is not None and (not isinstance(value, TaxClass) or value.pk is None):
        raise InvalidInput.for_field(field, "Give a tax class, or none for the country's standard rate.")
    return value


def _currency(value, field: str) -> str:
    return check_priced_in(value, field)


METHOD_CHECKS = {
    "zone": _zone,
    "kind": _kind,
    "currency": _currency,
    "price": lambda value, field: money.minor_amount(value, field),
    "free_above": lambda value, field: money.minor_amount(value, field, allow_none=True),
    "tax_class": _tax_class,
    "is_active": flag,
    "position": _position,
}


def _brackets(value, field: str = "weight_rates") -> list[tuple[int, int]]:
    """[{up_to_grams, price}] as (grams, price) pairs by weight; each weight once, above zero."""
    if isinstance(value, str | bytes | Mapping) or not hasattr(value, "__iter__"):
        raise InvalidInput.for_field(field, 'Give a list of brackets: [{"up_to_grams": 1000, "price": 490}].')
    found: dict[int, int] = {}
    errors: dict[str, list[str]] = {}
    items = list(value)
    if len(items) > MOST_BRACKETS:
        raise InvalidInput.for_field(field, f"At most {MOST_BRACKETS} brackets.")
    for number, item in enumerate(items):
        where = f"{field}.{number}"
        if not isinstance(item, Mapping):
            errors.setdefault(where, []).append("Give each bracket as {up_to_grams, price}.")
            continue
        try:
            grams = whole(item.get("up_to_grams"), f"{where}.up_to_grams", minimum=1, maximum=MOST_GRAMS)
            price = money.minor_amount(item.get("price"), f"{where}.price")
        except InvalidInput as exc:
            for key, messages in exc.errors.items():
                errors.setdefault(key, []).extend(messages)
            continue
        if grams in found:
            errors.setdefault(f"{where}.up_to_grams", []).append(f"{grams} g is given twice.")
            continue
        found[grams] = price
    if errors:
        raise InvalidInput("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()), errors=errors)
    return sorted(found.items())


def _write_brackets(method: ShippingMethod, brackets: list[tuple[int, int]]) -> bool:
    """Make the method's brackets these; whether they changed."""
    before = list(method.weight_rates.order_by("up_to_grams").values_list("up_to_grams", "price"))
    if before == brackets:
        return False
    method.weight_rates.all().delete()
    WeightRate.objects.bulk_create(
        WeightRate(method=method, up_to_grams=grams, price=price) for grams, price in brackets
    )
    return True


def _check_brackets_fit(method: ShippingMethod, brackets) -> None:
    if brackets and method.kind != RateKind.WEIGHT:
        raise InvalidInput.for_field("weight_rates", "Only a method priced by weight has weight brackets.")


@transaction.atomic
def create_shipping_method(
    *,
    actor,
    zone: ShippingZone,
    texts: Texts,
    kind: str = RateKind.FLAT,
    currency: str | None = None,
    price: int = 0,
    free_above: int | None = None,
    tax_class: TaxClass | None = None,
    is_active: bool = True,
    position: int = 0,
    weight_rates=(),
) -> ShippingMethod:
    """A new method of `zone`: a name in at least one language, priced in one of the shop's
    currencies (default: its default currency), flat (`price`) or by weight (`weight_rates`,
    [{up_to_grams, price}]: a weight method without a bracket is not offered); free from
    `free_above`. Every amount in minor units."""
    require(actor, PERM)
    values = checked(
        {
            "zone": zone,
            "kind": kind,
            "currency": shop_settings().default_currency if currency is None else currency,
            "price": price,
            "free_above": free_above,
            "tax_class": tax_class,
            "is_active": is_active,
            "position": position,
        },
        METHOD_CHECKS,
    )
    brackets = _brackets(weight_rates or [])
    zone = lock(ShippingZone, values.pop("zone"), "shipping zone")
    method = ShippingMethod(zone=zone)
    _named(method, texts, METHOD_TEXTS)
    put(method, values)
    _check_brackets_fit(method, brackets)
    method.save()
    _write_brackets(method, brackets)
    publish(ShippingChanged(zone_id=zone.pk, method_id=method.pk, actor_id=actor.pk))
    return method


@transaction.atomic
def update_shipping_method(
    *,
    actor,
    method: ShippingMethod,
    texts: Texts | None = None,
    zone=UNSET,
    kind=UNSET,
    currency=UNSET,
    price=UNSET,
    free_above=UNSET,
    tax_class=UNSET,
    is_active=UNSET,
    position=UNSET,
    weight_rates=UNSET,
) -> ShippingMethod:
    """Change what is given of a method; `weight_rates` replaces its brackets. A method made flat
    loses its brackets."""
    require(actor, PERM)
    values = checked(
        {
            "zone": zone,
            "kind": kind,
            "currency": currency,
            "price": price,
            "free_above": free_above,
            "tax_class": tax_class,
            "is_active": is_active,
            "position": position,
        },
        METHOD_CHECKS,
    )
    brackets = None if weight_rates is UNSET else _brackets(weight_rates or [])
    if "zone" in values:  # a zone before its methods, as deleting a zone locks them
        values["zone"] = lock(ShippingZone, values["zone"], "shipping zone")
    method = lock(ShippingMethod, method, "shipping method")
    before_zone = method.zone_id
    changed = _named(method, texts, METHOD_TEXTS) + put(method, values)
    if brackets is not None:
        _check_brackets_fit(method, brackets)
    elif method.kind == RateKind.FLAT:
        brackets = []
    if changed:
        method.save()
    if brackets is not None and _write_brackets(method, brackets):
        changed.append("weight_rates")
    if changed:
        publish(ShippingChanged(zone_id=method.zone_id, method_id=method.pk, actor_id=actor.pk))
        if before_zone != method.zone_id:
            publish(ShippingChanged(zone_id=before_zone, method_id=method.pk, actor_id=actor.pk))
    return method


@transaction.atomic
def set_weight_rates(*, actor, method: ShippingMethod, weight_rates) -> ShippingMethod:
    """Make a weight-priced method's brackets these ([{up_to_grams, price}], the whole list: the
    old ones go). Each weight once and above zero (400 naming `weight_rates.<n>.up_to_grams`);
    an order heavier than every bracket cannot use the method."""
    return update_shipping_method(actor=actor, method=method, weight_rates=weight_rates)


@transaction.atomic
def delete_shipping_method(*, actor, method: ShippingMethod) -> None:
    """Delete a method with its brackets. Carts that chose it choose again; orders keep the name
    and price they were placed with."""
    require(actor, PERM)
    method = lock(ShippingMethod, method, "shipping method")
    zone_id, method_id = method.zone_id, method.pk
    method.delete()
    publish(ShippingChanged(zone_id=zone_id, method_id=method_id, actor_id=actor.pk))
