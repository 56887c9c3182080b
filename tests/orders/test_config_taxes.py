"""Tax rates through their services: one per tax class and country (the country's standard rate
without a class), a rate from 0 to 100 with three decimals at most, refusals naming their field;
`rates_for` gives the checkout a country's rates by class."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from apps.catalog.services.taxes import create_tax_class
from apps.events.models import OutboxEvent
from apps.orders import services
from apps.orders.models import TaxRate
from apps.orders.selectors_config import rates_for
from rustok.errors import InvalidInput, PermissionDenied
from tests.accounts.factories import EditorFactory
from tests.inventory.factories import ManagerFactory
from tests.orders.factories import TaxRateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(tenant_a):
    with schema_context("alpha"):
        yield ManagerFactory()


@pytest.fixture
def reduced(manager):
    return create_tax_class(actor=manager, slug="reduced")


def events() -> list[dict]:
    rows = OutboxEvent.objects.filter(type="orders.tax_rate.changed").order_by("id")
    return list(rows.values_list("payload", flat=True))


def test_a_manager_sets_a_countrys_standard_and_reduced_rates(manager, reduced):
    standard = services.create_tax_rate(actor=manager, country="de", rate="19", name="MwSt 19%")
    lower = services.create_tax_rate(
        actor=manager, country="DE", rate=Decimal("7"), name="MwSt 7%", tax_class=reduced
    )
    assert (standard.country, standard.rate, standard.tax_class) == ("DE", Decimal("19.000"), None)
    assert rates_for("de") == {None: standard, reduced.pk: lower}
    assert rates_for("FR") == {}
    assert [e["tax_rate_id"] for e in events()] == [standard.pk, lower.pk]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"country": ""}, "country"),
        ({"rate": "-1"}, "rate"),
        ({"rate": "100.5"}, "rate"),
        ({"rate": "7.1234"}, "rate"),
        ({"rate": 7.5}, "rate"),
        ({"rate": "seven"}, "rate"),
        ({"rate": "NaN"}, "rate"),
        ({"name": ""}, "name"),
        ({"name": "x" * 61}, "name"),
        ({"tax_class": "reduced"}, "tax_class"),
    ],
)
def test_a_bad_rate_is_refused_naming_its_field_and_nothing_is_written(manager, arguments, field):
    given = {"actor": manager, "country": "DE", "rate": "19", "name": "VAT", **arguments}
    with pytest.raises(InvalidInput) as caught:
        services.create_tax_rate(**given)
    assert field in caught.value.errors
    assert not TaxRate.objects.exists() and not events()


def test_three_decimals_and_the_bounds_are_taken(manager):
    rates = [services.create_tax_rate(actor=manager, country=c, rate=r, name="VAT") for c, r in
             (("DE", "0"), ("FR", "100"), ("IT", "5.125"))]  # fmt: skip
    assert [rate.rate for rate in rates] == [Decimal(0), Decimal(100), Decimal("5.125")]


def test_a_second_rate_of_the_same_class_and_country_is_refused_naming_country(manager, reduced):
    TaxRateFactory(country="DE")
    TaxRateFactory(country="DE", tax_class=reduced, rate=Decimal(7))
    for tax_class in (None, reduced):
        with pytest.raises(InvalidInput) as caught:
            services.create_tax_rate(actor=manager, country="DE", rate="5", name="VAT", tax_class=tax_class)
        assert list(caught.value.errors) == ["country"]
    assert TaxRate.objects.count() == 2


def test_moving_a_rate_onto_a_taken_class_and_country_is_refused(manager, reduced):
    TaxRateFactory(country="DE")
    lower = TaxRateFactory(country="DE", tax_class=reduced, rate=Decimal(7))
    with pytest.raises(InvalidInput) as caught:
        services.update_tax_rate(actor=manager, tax_rate=lower, tax_class=None)
    assert list(caught.value.errors) == ["country"]
    lower.refresh_from_db()
    assert lower.tax_class == reduced


def test_updating_and_deleting_a_rate_publish_events(manager):
    rate = TaxRateFactory()
    services.update_tax_rate(actor=manager, tax_rate=rate, rate="20", name="VAT 20%")
    rate.refresh_from_db()
    assert (rate.rate, rate.name) == (Decimal(20), "VAT 20%")
    services.update_tax_rate(actor=manager, tax_rate=rate, rate="20.000")  # unchanged: no event
    services.delete_tax_rate(actor=manager, tax_rate=rate)
    assert not TaxRate.objects.exists()
    assert [e["tax_rate_id"] for e in events()] == [rate.pk, rate.pk]


def test_an_editor_may_not_set_rates(manager):
    with pytest.raises(PermissionDenied):
        services.create_tax_rate(actor=EditorFactory(), country="DE", rate="19", name="VAT")
