"""The shop's configuration in the admin: zones (their methods listed), methods (with their weight
brackets), tax rates, vouchers and the order settings open, save through the services, and show
a refusal on the form with nothing written."""

from __future__ import annotations

import html

import pytest
from django.db.models import F
from django_tenants.utils import schema_context

from apps.catalog.services.taxes import create_tax_class
from apps.orders import services
from apps.orders.models import ShippingMethod, ShippingZone, TaxRate, Voucher
from tests.accounts.factories import EditorFactory
from tests.conftest import admin_session
from tests.inventory.factories import ManagerFactory, ProductFactory
from tests.orders.factories import (
    ShippingMethodFactory,
    ShippingZoneFactory,
    TaxRateFactory,
    VoucherFactory,
    WeightRateFactory,
)

pytestmark = pytest.mark.django_db

ADMIN = "/admin/orders/"


@pytest.fixture
def people(tenant_a):
    with schema_context("alpha"):
        return {"manager": ManagerFactory(), "editor": EditorFactory()}


@pytest.fixture
def manager(people):
    return admin_session(people["manager"])


def text(response) -> str:
    return html.unescape(response.content.decode())


def form_errors(response) -> dict:
    assert response.status_code == 200, response.status_code
    return dict(response.context["adminform"].form.errors)


def inline(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for number, row in enumerate(rows):
        data.update({f"{prefix}-{number}-{key}": value for key, value in row.items()})
    return data


@pytest.mark.parametrize("page", ["shippingzone", "shippingmethod", "taxrate", "voucher"])
def test_the_lists_and_add_pages_open_for_a_manager(manager, tenant_a, page):
    with schema_context("alpha"):
        WeightRateFactory()
        TaxRateFactory()
        VoucherFactory(usage_limit=10)
    assert manager.get(f"{ADMIN}{page}/").status_code == 200
    assert manager.get(f"{ADMIN}{page}/add/").status_code == 200


def test_an_editor_may_not_open_the_configuration(people):
    editor = admin_session(people["editor"])
    for page in ("shippingzone", "shippingmethod", "taxrate", "voucher", "ordersettings"):
        assert editor.get(f"{ADMIN}{page}/").status_code in (302, 403)


def test_a_zone_is_made_and_lists_its_methods(manager, tenant_a):
    response = manager.post(
        f"{ADMIN}shippingzone/add/",
        {
            "name_en": "Europe",
            "name_ru": "Европа",
            "countries": ["DE", "AT"],
            "position": "0",
            **inline("methods", []),
        },
    )
    assert response.status_code == 302, text(response)[:2000]
    with schema_context("alpha"):
        zone = ShippingZone.objects.get()
        assert [str(c) for c in zone.countries] == ["AT", "DE"]
        ShippingMethodFactory(zone=zone, name_en="Parcel")
    page = manager.get(f"{ADMIN}shippingzone/{zone.pk}/change/")
    assert page.status_code == 200 and "Parcel" in text(page)
    assert page.context["adminform"].form.initial["countries"] == ["AT", "DE"]


def test_a_country_in_another_zone_is_refused_on_its_field(manager, tenant_a):
    with schema_context("alpha"):
        ShippingZoneFactory(name_en="Europe", countries=["DE"])
    response = manager.post(
        f"{ADMIN}shippingzone/add/",
        {"name_en": "Home", "name_ru": "", "countries": ["DE"], "position": "0", **inline("methods", [])},
    )
    assert "Europe" in form_errors(response)["countries"][0]
    with schema_context("alpha"):
        assert ShippingZone.objects.count() == 1


def method_form(zone, **fields) -> dict:
    return {
        "name_en": "Parcel",
        "name_ru": "",
        "description_en": "",
        "description_ru": "",
        "zone": str(zone.pk),
        "kind": "flat",
        "currency": "USD",
        "price": "4.90",
        "free_above": "",
        "tax_class": "",
        "is_active": "on",
        "position": "0",
        **inline("weight_rates", []),
        **fields,
    }


def test_a_weight_method_is_made_with_its_brackets(manager, tenant_a, people):
    with schema_context("alpha"):
        zone = ShippingZoneFactory()
        standard = create_tax_class(actor=people["manager"], slug="standard")
    brackets = inline(
        "weight_rates", [{"up_to_grams": "5000", "price": "9.90"}, {"up_to_grams": "1000", "price": "4.90"}]
    )
    response = manager.post(
        f"{ADMIN}shippingmethod/add/",
        method_form(zone, kind="weight", tax_class=str(standard.pk), **brackets),
    )
    assert response.status_code == 302, text(response)[:2000]
    with schema_context("alpha"):
        method = ShippingMethod.objects.get()
        assert (method.kind, method.tax_class_id) == ("weight", standard.pk)
        assert list(method.weight_rates.values_list("up_to_grams", "price")) == [(1000, 490), (5000, 990)]
    page = manager.get(f"{ADMIN}shippingmethod/{method.pk}/change/")
    assert page.status_code == 200
    assert page.context["adminform"].form.initial["free_above"] is None


def test_amounts_are_typed_in_the_currencys_major_unit(manager, tenant_a):
    with schema_context("alpha"):
        zone = ShippingZoneFactory()
    assert manager.post(f"{ADMIN}shippingmethod/add/", method_form(zone, free_above="50")).status_code == 302
    with schema_context("alpha"):
        method = ShippingMethod.objects.get()
        assert (method.price, method.free_above) == (490, 5000)
    page = manager.get(f"{ADMIN}shippingmethod/{method.pk}/change/")
    assert str(page.context["adminform"].form.initial["price"]) == "4.90"
    refused = manager.post(f"{ADMIN}shippingmethod/{method.pk}/change/", method_form(zone, price="4.905"))
    assert "price" in form_errors(refused)
    with schema_context("alpha"):
        assert ShippingMethod.objects.get().price == 490


def test_a_bad_method_is_refused_on_the_form_and_nothing_is_written(manager, tenant_a):
    with schema_context("alpha"):
        zone = ShippingZoneFactory()
    response = manager.post(f"{ADMIN}shippingmethod/add/", method_form(zone, name_en="", price="-5"))
    errors = form_errors(response)
    assert "price" in errors or "name_en" in errors
    brackets = inline("weight_rates", [{"up_to_grams": "100", "price": "1"}])
    refused = manager.post(f"{ADMIN}shippingmethod/add/", method_form(zone, **brackets))
    assert "Only a method priced by weight has weight brackets." in text(refused)
    with schema_context("alpha"):
        assert not ShippingMethod.objects.exists()


def test_a_tax_rate_is_made_and_a_duplicate_is_refused_on_country(manager, tenant_a):
    data = {"country": "DE", "tax_class": "", "rate": "19", "name": "MwSt 19%"}
    assert manager.post(f"{ADMIN}taxrate/add/", data).status_code == 302
    refused = manager.post(f"{ADMIN}taxrate/add/", data)
    assert "country" in form_errors(refused)
    with schema_context("alpha"):
        assert TaxRate.objects.count() == 1
    listing = manager.get(f"{ADMIN}taxrate/", {"country": "DE"})
    assert listing.status_code == 200 and len(listing.context["cl"].result_list) == 1


def voucher_form(**fields) -> dict:
    return {
        "code": "summer",
        "name_en": "Summer",
        "name_ru": "",
        "kind": "percentage",
        "percent": "10",
        "amount": "",
        "currency": "",
        "min_subtotal": "",
        "scope": "order",
        "starts_at_0": "",
        "starts_at_1": "",
        "ends_at_0": "",
        "ends_at_1": "",
        "usage_limit": "",
        "per_customer_limit": "",
        "is_active": "on",
        **fields,
    }


def test_a_voucher_is_made_upper_cased_and_a_bad_one_is_refused_on_its_field(manager, tenant_a):
    with schema_context("alpha"):
        product = ProductFactory()
    response = manager.post(f"{ADMIN}voucher/add/", voucher_form())
    assert response.status_code == 302, text(response)[:2000]
    refused = manager.post(f"{ADMIN}voucher/add/", voucher_form(code="SUMMER"))
    assert "code" in form_errors(refused)
    refused = manager.post(f"{ADMIN}voucher/add/", voucher_form(code="TEA", scope="products"))
    assert "products" in form_errors(refused)
    made = manager.post(
        f"{ADMIN}voucher/add/", voucher_form(code="TEA", scope="products", products=[product.pk])
    )
    assert made.status_code == 302, text(made)[:2000]
    with schema_context("alpha"):
        assert sorted(Voucher.objects.values_list("code", flat=True)) == ["SUMMER", "TEA"]
        assert list(Voucher.objects.get(code="TEA").products.all()) == [product]


def test_the_voucher_list_shows_used_of_the_limit_and_filters(manager, tenant_a):
    with schema_context("alpha"):
        voucher = VoucherFactory(code="LIMITED", usage_limit=10)
        Voucher.objects.filter(pk=voucher.pk).update(used=F("used") + 3)
        VoucherFactory(code="OFF", is_active=False)
    listing = manager.get(f"{ADMIN}voucher/", {"is_active__exact": "1"})
    assert [v.code for v in listing.context["cl"].result_list] == ["LIMITED"]
    assert "3 / 10" in text(listing)


def test_deleting_a_used_voucher_is_refused_and_says_why(manager, tenant_a):
    with schema_context("alpha"):
        voucher = VoucherFactory()
        Voucher.objects.filter(pk=voucher.pk).update(used=1)
    response = manager.post(f"{ADMIN}voucher/{voucher.pk}/delete/", {"post": "yes"}, follow=True)
    assert "deactivate it instead" in text(response)
    with schema_context("alpha"):
        assert Voucher.objects.filter(pk=voucher.pk).exists()


def test_the_order_settings_are_one_page_saved_through_the_service(manager, tenant_a):
    response = manager.get(f"{ADMIN}ordersettings/")
    assert response.status_code == 302
    url = response["Location"]
    assert manager.get(url).status_code == 200
    data = {
        "prices_include_tax": "",
        "default_country": "DE",
        "reservation_minutes": "30",
        "max_line_quantity": "10",
    }
    assert manager.post(url, data).status_code == 302
    with schema_context("alpha"):
        found = services.order_settings()
        assert (found.prices_include_tax, found.default_country, found.reservation_minutes) == (
            False,
            "DE",
            30,
        )
    refused = manager.post(url, {**data, "reservation_minutes": "2000"})
    assert "reservation_minutes" in form_errors(refused)
    with schema_context("alpha"):
        assert services.order_settings().reservation_minutes == 30


@pytest.mark.parametrize("page", ["shippingzone", "shippingmethod", "voucher"])
def test_the_lists_cost_the_same_for_few_and_many_rows(
    manager, tenant_a, page, django_assert_max_num_queries
):
    def grow(count):
        with schema_context("alpha"):
            for _n in range(count):
                WeightRateFactory(method__zone=ShippingZoneFactory(countries=[]))
                VoucherFactory(usage_limit=5)

    grow(2)
    manager.get(f"{ADMIN}{page}/")
    with django_assert_max_num_queries(14) as few:
        manager.get(f"{ADMIN}{page}/")
    grow(10)
    manager.get(f"{ADMIN}{page}/")  # the connection back on the site's schema after the writes
    with django_assert_max_num_queries(14) as many:
        response = manager.get(f"{ADMIN}{page}/")
    assert len(response.context["cl"].result_list) >= 12
    assert len(many.captured_queries) == len(few.captured_queries)
