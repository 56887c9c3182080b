"""The shop's configuration over REST (/api/v1/orders/): managers list, create, change and delete
zones, methods, tax rates and vouchers and change the order settings; refusals are problem+json
naming the field; lists filter and cost the same for few rows and many."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import F
from django_tenants.utils import schema_context

from apps.catalog.services.taxes import create_tax_class
from apps.orders.models import ShippingMethod, ShippingZone, TaxRate, Voucher, WeightRate
from tests.conftest import problem_of, signed_in
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

BASE = "/api/v1/orders/"
JSON = "application/json"


@pytest.fixture
def manager(tenant_a):
    with schema_context("alpha"):
        return ManagerFactory()


@pytest.fixture
def client(tenant_a, manager):
    return signed_in(tenant_a, manager)


def fields_of(response, status: int = 400) -> dict[str, str]:
    return {error["field"]: error["code"] for error in problem_of(response, status)["errors"]}


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- zones -----------------------------------------------------------------------------------------


def test_a_manager_creates_a_zone_with_names_in_two_languages(client):
    response = client.post(
        f"{BASE}shipping-zones/",
        {"name": "Europe", "translations": {"ru": {"name": "Европа"}}, "countries": ["de", "at"]},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    zone = response.json()
    assert (zone["name"], zone["language"], zone["countries"], zone["methods"]) == (
        "Europe",
        "en",
        ["AT", "DE"],
        [],
    )
    assert zone["translations"]["ru"] == {"name": "Европа"}


def test_a_zone_lists_its_methods_with_their_brackets(client, tenant_a):
    with schema_context("alpha"):
        bracket = WeightRateFactory(method__name_en="Heavy")
    [zone] = rows(client.get(f"{BASE}shipping-zones/"))
    [method] = zone["methods"]
    assert (method["name"], method["kind"], method["offered"]) == ("Heavy", "weight", True)
    assert method["weight_rates"] == [{"up_to_grams": 1000, "price": 490}]
    assert zone["id"] == bracket.method.zone_id


def test_a_country_in_another_zone_is_a_problem_naming_countries(client, tenant_a):
    with schema_context("alpha"):
        europe = ShippingZoneFactory(countries=["DE"])
    response = client.post(f"{BASE}shipping-zones/", {"name": "Home", "countries": ["DE"]}, content_type=JSON)
    body = problem_of(response)
    assert [error["field"] for error in body["errors"]] == ["countries"]
    assert body["zone"] == europe.pk
    with schema_context("alpha"):
        assert ShippingZone.objects.count() == 1


def test_a_name_too_long_in_another_language_is_named_as_the_api_takes_it(client):
    response = client.post(
        f"{BASE}shipping-zones/",
        {"name": "Europe", "translations": {"ru": {"name": "x" * 121}}},
        content_type=JSON,
    )
    assert fields_of(response) == {"translations.ru.name": "invalid"}


def test_a_manager_renames_and_deletes_a_zone(client, tenant_a):
    with schema_context("alpha"):
        zone = ShippingZoneFactory()
    response = client.patch(
        f"{BASE}shipping-zones/{zone.pk}/", {"name": "EU", "position": 3}, content_type=JSON
    )
    assert (response.json()["name"], response.json()["position"]) == ("EU", 3)
    assert client.delete(f"{BASE}shipping-zones/{zone.pk}/").status_code == 204
    assert client.get(f"{BASE}shipping-zones/{zone.pk}/").status_code == 404


# --- methods ---------------------------------------------------------------------------------------


def test_a_manager_creates_a_weight_method_with_its_brackets(client, tenant_a, manager):
    with schema_context("alpha"):
        zone = ShippingZoneFactory()
        create_tax_class(actor=manager, slug="standard")
    response = client.post(
        f"{BASE}shipping-methods/",
        {
            "zone": zone.pk,
            "name": "Parcel",
            "description": "2–3 days",
            "kind": "weight",
            "tax_class": "standard",
            "free_above": 10000,
            "weight_rates": [{"up_to_grams": 5000, "price": 990}, {"up_to_grams": 1000, "price": 490}],
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    method = response.json()
    assert (method["currency"], method["tax_class"], method["free_above"], method["description"]) == (
        "USD",
        "standard",
        10000,
        "2–3 days",
    )
    assert [rate["up_to_grams"] for rate in method["weight_rates"]] == [1000, 5000]
    replaced = client.patch(
        f"{BASE}shipping-methods/{method['id']}/",
        {"weight_rates": [{"up_to_grams": 2000, "price": 700}]},
        content_type=JSON,
    )
    assert replaced.json()["weight_rates"] == [{"up_to_grams": 2000, "price": 700}]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"currency": "EUR"}, "currency"),
        ({"price": 4.9}, "price"),
        ({"price": -1}, "price"),
        ({"kind": "express"}, "kind"),
        ({"tax_class": "nonexistent"}, "tax_class"),
        ({"kind": "weight", "weight_rates": [{"up_to_grams": 0, "price": 1}]}, "weight_rates.0.up_to_grams"),
        (
            {"kind": "weight", "weight_rates": [{"up_to_grams": 5, "price": 1}] * 2},
            "weight_rates.1.up_to_grams",
        ),
        ({"name": ""}, "name"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_method_is_a_problem_naming_its_field(client, tenant_a, body, field):
    with schema_context("alpha"):
        zone = ShippingZoneFactory()
    response = client.post(
        f"{BASE}shipping-methods/", {"zone": zone.pk, "name": "Parcel", **body}, content_type=JSON
    )
    assert field in fields_of(response)
    with schema_context("alpha"):
        assert not ShippingMethod.objects.exists() and not WeightRate.objects.exists()


def test_methods_filter_by_zone_and_active(client, tenant_a):
    with schema_context("alpha"):
        here = ShippingMethodFactory()
        ShippingMethodFactory(zone=here.zone, is_active=False)
        ShippingMethodFactory(zone=ShippingZoneFactory(countries=["FR"]))
    assert len(rows(client.get(f"{BASE}shipping-methods/"))) == 3
    assert [
        m["id"]
        for m in rows(client.get(f"{BASE}shipping-methods/", {"zone": here.zone_id, "active": "true"}))
    ] == [here.pk]


# --- tax rates -------------------------------------------------------------------------------------


def test_a_manager_sets_and_filters_tax_rates(client, tenant_a, manager):
    with schema_context("alpha"):
        create_tax_class(actor=manager, slug="reduced")
        TaxRateFactory(country="FR", rate=Decimal(20), name="TVA 20%")
    created = client.post(
        f"{BASE}tax-rates/", {"country": "de", "rate": "19", "name": "MwSt 19%"}, content_type=JSON
    )
    assert created.status_code == 201, created.content
    assert (created.json()["country"], created.json()["rate"], created.json()["tax_class"]) == (
        "DE",
        "19.000",
        None,
    )
    reduced = client.post(
        f"{BASE}tax-rates/",
        {"country": "DE", "rate": 7, "name": "MwSt 7%", "tax_class": "reduced"},
        content_type=JSON,
    )
    assert reduced.status_code == 201, reduced.content
    german = rows(client.get(f"{BASE}tax-rates/", {"country": "de"}))
    assert [(rate["tax_class"], rate["rate"]) for rate in german] == [(None, "19.000"), ("reduced", "7.000")]
    assert len(rows(client.get(f"{BASE}tax-rates/", {"standard": "true"}))) == 2
    changed = client.patch(f"{BASE}tax-rates/{reduced.json()['id']}/", {"rate": "7.5"}, content_type=JSON)
    assert changed.json()["rate"] == "7.500"


def test_a_second_standard_rate_of_a_country_is_a_problem_naming_country(client, tenant_a):
    with schema_context("alpha"):
        TaxRateFactory(country="DE")
    response = client.post(
        f"{BASE}tax-rates/", {"country": "DE", "rate": "5", "name": "VAT"}, content_type=JSON
    )
    assert fields_of(response) == {"country": "invalid"}
    with schema_context("alpha"):
        assert TaxRate.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rate": "101"}, "rate"),
        ({"rate": "1.2345"}, "rate"),
        ({"country": "XX"}, "country"),
        ({"name": ""}, "name"),
    ],
)
def test_a_bad_rate_is_a_problem_naming_its_field(client, body, field):
    response = client.post(
        f"{BASE}tax-rates/", {"country": "DE", "rate": "19", "name": "VAT", **body}, content_type=JSON
    )
    assert field in fields_of(response)


# --- vouchers --------------------------------------------------------------------------------------


def test_a_manager_creates_a_voucher_for_chosen_products(client, tenant_a):
    with schema_context("alpha"):
        product = ProductFactory()
    response = client.post(
        f"{BASE}vouchers/",
        {
            "code": "tea-5",
            "name": "Tea week",
            "kind": "fixed",
            "amount": 500,
            "currency": "USD",
            "scope": "products",
            "products": [product.pk],
            "starts_at": "2030-01-01T00:00:00Z",
            "ends_at": "2030-01-08T00:00:00Z",
            "usage_limit": 50,
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    voucher = response.json()
    assert (voucher["code"], voucher["products"], voucher["used"], voucher["percent"]) == (
        "TEA-5",
        [product.pk],
        0,
        None,
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "save"}, "code"),
        ({"percent": "0"}, "percent"),
        ({"kind": "fixed", "percent": None, "amount": 100}, "currency"),
        ({"starts_at": "2030-01-02T00:00:00Z", "ends_at": "2030-01-01T00:00:00Z"}, "ends_at"),
        ({"scope": "products"}, "products"),
        ({"products": [999999]}, "products"),
        ({"used": 3}, "used"),
    ],
)
def test_a_bad_voucher_is_a_problem_naming_its_field(client, tenant_a, body, field):
    with schema_context("alpha"):
        VoucherFactory(code="SAVE")
    response = client.post(f"{BASE}vouchers/", {"code": "NEW", "percent": "10", **body}, content_type=JSON)
    assert field in fields_of(response)
    with schema_context("alpha"):
        assert Voucher.objects.count() == 1


def test_vouchers_filter_by_active_and_code(client, tenant_a):
    with schema_context("alpha"):
        VoucherFactory(code="SUMMER10")
        VoucherFactory(code="WINTER10", is_active=False)
    assert [v["code"] for v in rows(client.get(f"{BASE}vouchers/", {"active": "false"}))] == ["WINTER10"]
    assert [v["code"] for v in rows(client.get(f"{BASE}vouchers/", {"code": "summ"}))] == ["SUMMER10"]


def test_a_used_voucher_is_not_deleted_but_deactivated(client, tenant_a):
    with schema_context("alpha"):
        voucher = VoucherFactory()
        Voucher.objects.filter(pk=voucher.pk).update(used=F("used") + 2)
    body = problem_of(client.delete(f"{BASE}vouchers/{voucher.pk}/"), 409)
    assert (body["code"], body["reason"], body["used"]) == ("conflict", "in_use", 2)
    answer = client.patch(f"{BASE}vouchers/{voucher.pk}/", {"is_active": False}, content_type=JSON)
    assert (answer.json()["is_active"], answer.json()["used"]) == (False, 2)


def test_a_voucher_read_and_sent_back_whole_changes_nothing(client, tenant_a):
    with schema_context("alpha"):
        voucher = VoucherFactory()
    read = client.get(f"{BASE}vouchers/{voucher.pk}/").json()
    sent = {key: value for key, value in read.items() if key not in ("language",)}
    response = client.patch(f"{BASE}vouchers/{voucher.pk}/", sent, content_type=JSON)
    assert response.status_code == 200, response.content


# --- settings --------------------------------------------------------------------------------------


def test_a_manager_reads_and_changes_the_order_settings(client):
    read = client.get(f"{BASE}settings/").json()
    assert (read["prices_include_tax"], read["default_country"], read["reservation_minutes"]) == (
        True,
        "",
        15,
    )
    changed = client.patch(
        f"{BASE}settings/", {"prices_include_tax": False, "default_country": "de"}, content_type=JSON
    ).json()
    assert (changed["prices_include_tax"], changed["default_country"]) == (False, "DE")
    assert fields_of(client.patch(f"{BASE}settings/", {"reservation_minutes": 0}, content_type=JSON)) == {
        "reservation_minutes": "invalid"
    }
    assert "updated_at" in fields_of(client.patch(f"{BASE}settings/", {"updated_at": "x"}, content_type=JSON))


# --- lists cost the same for few rows and many ------------------------------------------------------


COUNTRIES = ["DE", "FR", "IT", "AT", "NL", "BE", "PL", "CZ", "DK", "SE"]


def _grow(count: int, start: int = 0):
    def grow():
        with schema_context("alpha"):
            for number in range(start, start + count):
                zone = ShippingZoneFactory(countries=[])
                WeightRateFactory(method__zone=zone)
                ShippingMethodFactory(zone=zone)
                TaxRateFactory(country=COUNTRIES[number])
                VoucherFactory(scope="products").products.add(ProductFactory())

    return grow


@pytest.mark.parametrize(
    ("path", "budget"),
    [("shipping-zones/", 6), ("shipping-methods/", 5), ("tax-rates/", 4), ("vouchers/", 6)],
)
def test_the_lists_cost_the_same_for_few_rows_and_many(client, path, budget, django_assert_max_num_queries):
    _grow(1)()
    ask = lambda: client.get(f"{BASE}{path}", {"limit": 100})  # noqa: E731
    flat(django_assert_max_num_queries, budget, ask=ask, grow=_grow(9, start=1), size=lambda r: len(rows(r)))
