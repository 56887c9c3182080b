"""Writing tax rates: the rate a catalogue tax class is taxed at in a country, or the country's
standard rate (no class: products without a class, shipping without one). Managers and admins
write them (`orders.manage_taxes`); every write publishes `orders.tax_rate.changed`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from apps.catalog.models import TaxClass
from apps.orders.addresses import country_code
from apps.orders.events import TaxRatesChanged
from apps.orders.models import TaxRate
from apps.orders.services.settings import checked, put, text
from rustok.errors import InvalidInput
from rustok.events import publish
from rustok.permissions import require
from rustok.rows import lock
from rustok.tree import UNSET

PERM = "orders.manage_taxes"
HUNDRED = Decimal(100)
PLACES = 3
NAME_LENGTH = TaxRate._meta.get_field("name").max_length


def rate_value(value, field: str = "rate") -> Decimal:
    """A percentage from 0 to 100 with at most three decimals, as a Decimal: given as a Decimal,
    an int or a decimal string ("19", "7.5"); a float or a boolean is refused (a float is not
    exact)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise InvalidInput.for_field(field, 'Give the rate as a decimal number in a string, such as "19.5".')
    try:
        found = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise InvalidInput.for_field(field, "Must be a number, such as 19.5.") from None
    if not found.is_finite():
        raise InvalidInput.for_field(field, "Must be a number, such as 19.5.")
    if found < 0 or found > HUNDRED:
        raise InvalidInput.for_field(field, "Must be from 0 to 100.")
    if -found.normalize().as_tuple().exponent > PLACES:
        raise InvalidInput.for_field(field, f"At most {PLACES} decimals.")
    return found.quantize(Decimal(1).scaleb(-PLACES))


def _tax_class(value, field: str) -> TaxClass | None:
    if value is not None and (not isinstance(value, TaxClass) or value.pk is None):
        raise InvalidInput.for_field(field, "Give a tax class, or none for the country's standard rate.")
    return value


CHECKS = {
    "tax_class": _tax_class,
    "country": country_code,
    "rate": rate_value,
    "name": lambda value, field: text(
        value, field, limit=TaxRate._meta.get_field("name").max_length, required=True
    ),
}

TAKEN = "This country has a rate for this tax class already; change that one."
TAKEN_STANDARD = "This country has a standard rate already; change that one."


def _save(tax_rate: TaxRate) -> None:
    """Save; a rate of the same class and country (checked, or written meanwhile by another
    writer) is InvalidInput naming `country`."""
    same = TaxRate.objects.filter(tax_class=tax_rate.tax_class_id, country=tax_rate.country)
    message = TAKEN if tax_rate.tax_class_id else TAKEN_STANDARD
    if same.exclude(pk=tax_rate.pk).exists():
        raise InvalidInput.for_field("country", message)
    try:
        with transaction.atomic():
            tax_rate.save()
    except IntegrityError as exc:
        if "orders_taxrate_class_country_uniq" in str(exc):
            raise InvalidInput.for_field("country", message) from None
        raise


@transaction.atomic
def create_tax_rate(*, actor, country: str, rate, name: str, tax_class: TaxClass | None = None) -> TaxRate:
    """A new rate: `tax_class`'s in `country` (none: the country's standard rate), `rate` percent
    as invoices name it (`name`: "VAT 20%"). One rate per class and country: 400 naming
    `country` otherwise."""
    require(actor, PERM)
    values = checked({"tax_class": tax_class, "country": country, "rate": rate, "name": name}, CHECKS)
    tax_rate = TaxRate(**values)
    _save(tax_rate)
    publish(TaxRatesChanged(tax_rate_id=tax_rate.pk, actor_id=actor.pk))
    return tax_rate


@transaction.atomic
def update_tax_rate(
    *, actor, tax_rate: TaxRate, country=UNSET, rate=UNSET, name=UNSET, tax_class=UNSET
) -> TaxRate:
    """Change what is given of a rate. Carts are taxed at the new rate when next priced; orders
    placed keep the rate they were placed with."""
    require(actor, PERM)
    values = checked({"tax_class": tax_class, "country": country, "rate": rate, "name": name}, CHECKS)
    tax_rate = lock(TaxRate, tax_rate, "tax rate")
    if put(tax_rate, values):
        _save(tax_rate)
        publish(TaxRatesChanged(tax_rate_id=tax_rate.pk, actor_id=actor.pk))
    return tax_rate


@transaction.atomic
def delete_tax_rate(*, actor, tax_rate: TaxRate) -> None:
    """Delete a rate: what it taxed is taxed at the country's standard rate (or not at all
    without one)."""
    require(actor, PERM)
    tax_rate = lock(TaxRate, tax_rate, "tax rate")
    tax_rate_id = tax_rate.pk
    tax_rate.delete()
    publish(TaxRatesChanged(tax_rate_id=tax_rate_id, actor_id=actor.pk))
