"""The shop's configuration over GraphQL: managers read zones (with methods and brackets), tax
rates, vouchers and the settings, and write each through its mutation; refusals name their
fields and write nothing; lists cost the same for few rows and many."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import F
from django_tenants.utils import schema_context

from apps.catalog.services.taxes import create_tax_class
from apps.orders.models import ShippingMethod, ShippingZone, TaxRate, Voucher
from tests.conftest import signed_in
from tests.inventory.factories import ManagerFactory, ProductFactory
from tests.orders.factories import (
    ShippingMethodFactory,
    ShippingZoneFactory,
    TaxRateFactory,
    VoucherFactory,
    WeightRateFactory,
)
from tests.queries import flat

pytestmark = pytest.mark.django_db

ZONES = """query { shippingZones { id name countries position
  methods { id name kind currency price freeAbove taxClass isActive offered
    weightRates { upToGrams price } } } }"""
METHODS = (
    "query($zone: ID) { shippingMethods(zone: $zone) { id name zoneId kind weightRates { upToGrams } } }"
)
RATES = "query($country: String) { taxRates(country: $country) { id taxClass country rate name } }"
VOUCHERS = """query($active: Boolean, $code: String, $first: Int) {
  vouchers(active: $active, code: $code, first: $first) { totalCount
    edges { node { id code kind percent amount currency scope productIds used isActive } } } }"""
SETTINGS = "query { orderSettings { pricesIncludeTax defaultCountry reservationMinutes maxLineQuantity } }"
ZONE_CREATE = """mutation($input: ShippingZoneInput!) {
  shippingZoneCreate(input: $input) { zone { id name countries } } }"""
METHOD_CREATE = """mutation($input: ShippingMethodCreateInput!) {
  shippingMethodCreate(input: $input) {
    method { id name kind currency taxClass offered weightRates { upToGrams price } } } }"""
SET_BRACKETS = """mutation($id: ID!, $rates: [WeightRateInput!]!) {
  shippingMethodSetWeightRates(id: $id, weightRates: $rates) {
    method { weightRates { upToGrams price } } } }"""
RATE_CREATE = """mutation($input: TaxRateCreateInput!) {
  taxRateCreate(input: $input) { taxRate { id taxClass country rate name } } }"""
VOUCHER_CREATE = """mutation($input: VoucherCreateInput!) {
  voucherCreate(input: $input) { voucher { id code kind amount currency scope productIds } } }"""
VOUCHER_DELETE = "mutation($id: ID!) { voucherDelete(id: $id) { ok id } }"
VOUCHER_UPDATE = """mutation($id: ID!, $input: VoucherInput!) {
  voucherUpdate(id: $id, input: $input) { voucher { isActive used } } }"""
SETTINGS_UPDATE = """mutation($input: OrderSettingsInput!) {
  orderSettingsUpdate(input: $input) { pricesIncludeTax defaultCountry reservationMinutes } }"""


def ask(client, query: str, **variables) -> dict:
    response = client.post(
        "/api/graphql/", {"query": query, "variables": variables}, content_type="application/json"
    )
    assert response.status_code in (200, 400), response.content
    return response.json()


def data(client, query: str, **variables) -> dict:
    body = ask(client, query, **variables)
    assert "errors" not in body, body["errors"]
    return body["data"]


def refusal(client, query: str, **variables) -> dict:
    """The one error's extensions; the mutation answered null."""
    body = ask(client, query, **variables)
    [error] = body["errors"]
    assert all(value is None for value in (body.get("data") or {}).values())
    return error["extensions"]


@pytest.fixture
def manager(tenant_a):
    with schema_context("alpha"):
        return ManagerFactory()


@pytest.fixture
def client(tenant_a, manager):
    return signed_in(tenant_a, manager)


def test_a_manager_reads_zones_with_their_methods_and_brackets(client, tenant_a):
    with schema_context("alpha"):
        bracket = WeightRateFactory(method__name_en="Heavy", method__zone__countries=["DE", "AT"])
        ShippingMethodFactory(zone=bracket.method.zone, name_en="Letter", position=5, price=150)
    [zone] = data(client, ZONES)["shippingZones"]
    assert zone["countries"] == ["AT", "DE"]
    assert [(m["name"], m["kind"], m["offered"]) for m in zone["methods"]] == [
        ("Heavy", "WEIGHT", True),
        ("Letter", "FLAT", True),
    ]
    assert zone["methods"][0]["weightRates"] == [{"upToGrams": 1000, "price": 490}]
    by_zone = data(client, METHODS, zone=zone["id"])["shippingMethods"]
    assert [m["name"] for m in by_zone] == ["Heavy", "Letter"]


def test_a_manager_creates_a_zone_and_a_weight_method_and_replaces_its_brackets(client, tenant_a, manager):
    with schema_context("alpha"):
        create_tax_class(actor=manager, slug="standard")
    zone = data(
        client,
        ZONE_CREATE,
        input={
            "translations": [{"language": "en", "name": "Europe"}, {"language": "ru", "name": "Европа"}],
            "countries": ["de"],
        },
    )["shippingZoneCreate"]["zone"]
    assert (zone["name"], zone["countries"]) == ("Europe", ["DE"])
    method = data(
        client,
        METHOD_CREATE,
        input={
            "zoneId": zone["id"],
            "translations": [{"language": "en", "name": "Parcel"}],
            "kind": "WEIGHT",
            "taxClass": "standard",
            "weightRates": [{"upToGrams": 2000, "price": 700}],
        },
    )["shippingMethodCreate"]["method"]
    assert (method["kind"], method["currency"], method["taxClass"], method["offered"]) == (
        "WEIGHT",
        "USD",
        "standard",
        True,
    )
    replaced = data(
        client,
        SET_BRACKETS,
        id=method["id"],
        rates=[{"upToGrams": 500, "price": 300}, {"upToGrams": 100, "price": 200}],
    )
    assert replaced["shippingMethodSetWeightRates"]["method"]["weightRates"] == [
        {"upToGrams": 100, "price": 200},
        {"upToGrams": 500, "price": 300},
    ]


def test_a_country_in_another_zone_is_invalid_naming_countries(client, tenant_a):
    with schema_context("alpha"):
        ShippingZoneFactory(countries=["DE"])
    extensions = refusal(
        client, ZONE_CREATE, input={"translations": [{"language": "en", "name": "Home"}], "countries": ["DE"]}
    )
    assert (extensions["code"], list(extensions["fields"])) == ("INVALID", ["countries"])
    with schema_context("alpha"):
        assert ShippingZone.objects.count() == 1


@pytest.mark.parametrize(
    ("given", "code", "field"),
    [
        ({"currency": "EUR"}, "INVALID", "currency"),
        ({"taxClass": "none-such"}, "INVALID", "taxClass"),
        (
            {"kind": "WEIGHT", "weightRates": [{"upToGrams": 0, "price": 1}]},
            "INVALID",
            "weight_rates.0.up_to_grams",
        ),
        ({"translations": [{"language": "en", "name": ""}]}, "INVALID", "name"),
    ],
)
def test_a_bad_method_is_refused_naming_its_field_and_nothing_is_written(
    client, tenant_a, given, code, field
):
    with schema_context("alpha"):
        zone = ShippingZoneFactory()
    extensions = refusal(
        client,
        METHOD_CREATE,
        input={"zoneId": zone.pk, "translations": [{"language": "en", "name": "Parcel"}], **given},
    )
    assert extensions["code"] == code and field in extensions["fields"]
    with schema_context("alpha"):
        assert not ShippingMethod.objects.exists()


def test_an_unknown_zone_is_not_found_naming_the_argument(client):
    extensions = refusal(
        client,
        METHOD_CREATE,
        input={"zoneId": "999999", "translations": [{"language": "en", "name": "Parcel"}]},
    )
    assert (extensions["code"], extensions["field"]) == ("NOT_FOUND", "zoneId")


def test_a_manager_sets_and_reads_tax_rates(client, tenant_a):
    with schema_context("alpha"):
        TaxRateFactory(country="FR", rate=Decimal(20), name="TVA")
    created = data(client, RATE_CREATE, input={"country": "de", "rate": "19.5", "name": "MwSt"})[
        "taxRateCreate"
    ]
    assert created["taxRate"]["rate"] == "19.500" and created["taxRate"]["taxClass"] is None
    assert [r["country"] for r in data(client, RATES)["taxRates"]] == ["DE", "FR"]
    assert [r["name"] for r in data(client, RATES, country="fr")["taxRates"]] == ["TVA"]
    extensions = refusal(client, RATE_CREATE, input={"country": "DE", "rate": "7", "name": "Again"})
    assert list(extensions["fields"]) == ["country"]
    with schema_context("alpha"):
        assert TaxRate.objects.count() == 2


def test_a_manager_creates_pages_and_filters_vouchers(client, tenant_a):
    with schema_context("alpha"):
        product = ProductFactory()
        VoucherFactory(code="OLD", is_active=False)
    created = data(
        client,
        VOUCHER_CREATE,
        input={
            "code": "tea5",
            "kind": "FIXED",
            "amount": 500,
            "currency": "usd",
            "scope": "PRODUCTS",
            "productIds": [product.pk],
        },
    )["voucherCreate"]["voucher"]
    assert (created["code"], created["kind"], created["scope"], created["productIds"]) == (
        "TEA5",
        "FIXED",
        "PRODUCTS",
        [str(product.pk)],
    )
    listed = data(client, VOUCHERS, first=1)["vouchers"]
    assert listed["totalCount"] == 2 and [e["node"]["code"] for e in listed["edges"]] == ["TEA5"]
    assert [e["node"]["code"] for e in data(client, VOUCHERS, active=False)["vouchers"]["edges"]] == ["OLD"]
    assert refusal(client, VOUCHER_CREATE, input={"code": "TEA5", "percent": "5"})["fields"] == {
        "code": ["Another voucher has the code TEA5."]
    }


def test_a_used_voucher_is_not_deleted_but_deactivated(client, tenant_a):
    with schema_context("alpha"):
        voucher = VoucherFactory()
        Voucher.objects.filter(pk=voucher.pk).update(used=F("used") + 1)
    extensions = refusal(client, VOUCHER_DELETE, id=voucher.pk)
    assert (extensions["code"], extensions["reason"]) == ("CONFLICT", "in_use")
    updated = data(client, VOUCHER_UPDATE, id=voucher.pk, input={"isActive": False})["voucherUpdate"][
        "voucher"
    ]
    assert updated == {"isActive": False, "used": 1}


def test_a_manager_reads_and_changes_the_order_settings(client):
    assert data(client, SETTINGS)["orderSettings"] == {
        "pricesIncludeTax": True,
        "defaultCountry": "",
        "reservationMinutes": 15,
        "maxLineQuantity": 99,
    }
    changed = data(client, SETTINGS_UPDATE, input={"pricesIncludeTax": False, "defaultCountry": "at"})
    assert changed["orderSettingsUpdate"] == {
        "pricesIncludeTax": False,
        "defaultCountry": "AT",
        "reservationMinutes": 15,
    }
    assert list(refusal(client, SETTINGS_UPDATE, input={"reservationMinutes": 0})["fields"]) == [
        "reservation_minutes"
    ]


# --- lists cost the same for few rows and many ------------------------------------------------------

COUNTRIES = ["DE", "FR", "IT", "AT", "NL", "BE", "PL", "CZ", "DK", "SE"]


def _grow(count: int, start: int = 0):
    def grow():
        with schema_context("alpha"):
            for number in range(start, start + count):
                zone = ShippingZoneFactory(countries=[COUNTRIES[number]])
                WeightRateFactory(method__zone=zone)
                ShippingMethodFactory(zone=zone)
                TaxRateFactory(country=COUNTRIES[number])
                VoucherFactory(scope="products").products.add(ProductFactory())

    return grow


@pytest.mark.parametrize(
    ("query", "field", "budget"),
    [
        (ZONES, "shippingZones", 6),
        (METHODS, "shippingMethods", 5),
        (RATES, "taxRates", 4),
        (VOUCHERS, "vouchers", 6),
    ],
)
def test_the_lists_cost_the_same_for_few_rows_and_many(
    client, query, field, budget, django_assert_max_num_queries
):
    _grow(1)()

    def size(body):
        found = body["data"][field]
        return len(found["edges"] if isinstance(found, dict) else found)

    flat(
        django_assert_max_num_queries,
        budget,
        ask=lambda: ask(client, query, first=50) if field == "vouchers" else ask(client, query),
        grow=_grow(9, start=1),
        size=size,
    )
