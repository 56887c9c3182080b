"""Money: integer minor units with an ISO 4217 currency, through py-moneyed; formats through Babel.

Amounts are stored and sent as whole numbers of the currency's minor unit (cents for EUR and USD,
yen for JPY, fils for KWD: 1250 EUR is €12.50), never as floats. py-moneyed knows the currencies
and their minor units and does the arithmetic (`Money`, with Decimal amounts); Babel formats
amounts for a language (`format_minor`).

Rounding, wherever an amount is computed (a price changed by a percentage): to the nearest minor
unit, halves away from zero (ROUND_HALF_UP), the rule shoppers and tax offices expect.
"""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import moneyed
from babel import Locale
from babel.numbers import format_currency
from django.utils.translation import to_locale

from rustok.errors import InvalidInput
from rustok.i18n import current_language

# The largest amount a column holds (PostgreSQL bigint), in minor units.
MAX_MINOR = 2**63 - 1
ROUNDING = ROUND_HALF_UP


def currency(code, field: str = "currency") -> moneyed.Currency:
    """The ISO 4217 currency `code` names (letters, any case); InvalidInput naming `field` if none."""
    if not isinstance(code, str) or len(code.strip()) != 3 or not code.strip().isalpha():
        raise InvalidInput.for_field(field, "Give a currency as its three-letter ISO 4217 code (EUR).")
    try:
        found = moneyed.get_currency(code.strip().upper())
    except moneyed.CurrencyDoesNotExist:
        found = None
    if found is None or found.code == "XXX" or not found.sub_unit:
        raise InvalidInput.for_field(field, f"'{code.strip().upper()}' is not an ISO 4217 currency.")
    return found


def currency_code(code, field: str = "currency") -> str:
    """`code` checked and upper-cased (InvalidInput naming `field` if it is no currency)."""
    return currency(code, field).code


def exponent(code: str) -> int:
    """How many decimal places the currency's minor unit is: 2 for EUR, 0 for JPY, 3 for KWD."""
    return len(str(currency(code).sub_unit)) - 1


def minor_amount(value, field: str = "amount", *, allow_none: bool = False) -> int | None:
    """`value` as a count of minor units: a whole number from 0 to MAX_MINOR (not a float, not a
    string with a fraction). InvalidInput naming `field` otherwise."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value.strip())
        else:
            raise InvalidInput.for_field(
                field, "Give a whole number of the currency's minor unit (1250 for 12.50)."
            )
    if value < 0:
        raise InvalidInput.for_field(field, "Must be zero or more.")
    if value > MAX_MINOR:
        raise InvalidInput.for_field(field, f"At most {MAX_MINOR}.")
    return value


def format_major(amount_minor: int, code: str) -> str:
    """An amount as a plain decimal in the major unit with the currency's exact number of
    decimals, for files: 1250 EUR is "12.50", 500 JPY is "500", 1250 KWD is "1.250"."""
    places = exponent(code)
    return f"{Decimal(amount_minor).scaleb(-places):.{places}f}"


def parse_major(value, code: str, field: str = "amount") -> int:
    """A plain decimal in the major unit ("12.50" EUR, "500" JPY) as whole minor units (1250,
    500). Refused, naming `field`: anything but digits with an optional point and decimals, more
    decimals than the currency has, a negative amount, more than MAX_MINOR."""
    places = exponent(code)
    text = value.strip() if isinstance(value, str) else ""
    if text.startswith("-"):
        raise InvalidInput.for_field(field, "Must be zero or more.")
    whole, point, fraction = text.partition(".")
    digits = whole + fraction
    if not whole or (point and not fraction) or not (digits.isascii() and digits.isdigit()):
        example = format_major(1250 * 10**places // 100 if places >= 2 else 500, code)
        raise InvalidInput.for_field(field, f"Give an amount in {code} as a plain number, such as {example}.")
    if len(fraction) > places:
        raise InvalidInput.for_field(
            field,
            f"{code} has no smaller unit than 1." if not places else f"{code} has at most {places} decimals.",
        )
    return minor_amount(int(whole + fraction.ljust(places, "0")), field)


def to_money(amount_minor: int, code: str) -> moneyed.Money:
    """A stored amount as py-moneyed's Money (a Decimal amount in the major unit)."""
    return moneyed.Money(Decimal(amount_minor).scaleb(-exponent(code)), code)


def to_minor(money: moneyed.Money) -> int:
    """Money back to whole minor units, rounded per ROUNDING."""
    places = exponent(money.currency.code)
    return int(money.amount.scaleb(places).quantize(Decimal(1), rounding=ROUNDING))


def scaled(amount_minor: int, percent, code: str) -> int:
    """`amount_minor` changed by `percent` (10 adds a tenth, -25 takes a quarter off), rounded to
    the minor unit per ROUNDING; never below zero."""
    try:
        factor = Decimal(str(percent))
    except InvalidOperation:
        raise InvalidInput.for_field("percent", "Must be a number.") from None
    if not factor.is_finite():
        raise InvalidInput.for_field("percent", "Must be a number.")
    money = to_money(amount_minor, code) * (1 + factor / 100)
    return max(0, to_minor(money))


def format_minor(amount_minor: int, code: str, language: str | None = None) -> str:
    """An amount written for readers of `language` (default: the active one): €12.50, 12,50 €."""
    return _formatted(amount_minor, code, language or current_language())


@functools.lru_cache(maxsize=32768)
def _formatted(amount_minor: int, code: str, language: str) -> str:
    # Babel takes some 15 µs an amount, and a rebuild of the product documents formats every
    # price in every language; shops repeat their prices. 32,768 amounts are a few MB, and hold
    # the distinct prices of a large catalogue (a cache smaller than them, read in a cycle as a
    # rebuild reads, would miss every time).
    return format_currency(to_money(amount_minor, code).amount, code, locale=_locale(language))


@functools.lru_cache(maxsize=64)
def _locale(language: str) -> Locale:
    return Locale.parse(to_locale(language))  # parsed once: Babel parses a name on every call
