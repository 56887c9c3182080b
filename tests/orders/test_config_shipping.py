"""Shipping zones, methods and weight brackets through their services: every refusal names its
field and writes nothing; a country is in one zone at most; each write publishes its event; the
checkout's selectors find the zone and the methods offered."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from apps.catalog.services import update_shop_settings
from apps.catalog.services.taxes import create_tax_class
from apps.events.models import OutboxEvent
from apps.orders import services
from apps.orders.models import ShippingMethod, ShippingZone, WeightRate
from apps.orders.selectors_config import methods_for, zone_of
from rustok.errors import InvalidInput, NotAuthenticated, PermissionDenied
from tests.accounts.factories import EditorFactory, UserFactory
from tests.inventory.factories import ManagerFactory
from tests.orders.factories import ShippingMethodFactory, ShippingZoneFactory, WeightRateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(tenant_a):
    with schema_context("alpha"):
        yield tenant_a


@pytest.fixture
def manager(site):
    return ManagerFactory()


def named(name: str) -> dict:
    return {"en": {"name": name}}


def events() -> list[dict]:
    rows = OutboxEvent.objects.filter(type="orders.shipping.changed").order_by("id")
    return list(rows.values_list("payload", flat=True))


def refused(call, **arguments) -> dict[str, list[str]]:
    with pytest.raises(InvalidInput) as caught:
        call(**arguments)
    return caught.value.errors


# --- zones -----------------------------------------------------------------------------------------


def test_a_manager_creates_a_zone_with_its_countries_upper_cased_and_once(manager):
    zone = services.create_shipping_zone(
        actor=manager,
        texts={"en": {"name": "Europe"}, "ru": {"name": "Европа"}},
        countries=["de", "AT", "DE"],
    )
    zone.refresh_from_db()
    assert [str(code) for code in zone.countries] == ["AT", "DE"]
    assert (zone.name_en, zone.name_ru) == ("Europe", "Европа")
    assert events() == [{"zone_id": zone.pk, "method_id": None, "actor_id": manager.pk}]


def test_a_country_in_another_zone_is_refused_naming_countries_and_the_zone(manager):
    europe = services.create_shipping_zone(actor=manager, texts=named("Europe"), countries=["DE", "FR"])
    with pytest.raises(InvalidInput) as caught:
        services.create_shipping_zone(actor=manager, texts=named("Home"), countries=["FR", "IT"])
    assert list(caught.value.errors) == ["countries"]
    assert "FR" in caught.value.errors["countries"][0] and "Europe" in caught.value.errors["countries"][0]
    assert caught.value.extra["zone"] == europe.pk
    assert ShippingZone.objects.count() == 1


def test_a_zone_may_keep_its_own_countries_on_update(manager):
    zone = services.create_shipping_zone(actor=manager, texts=named("Europe"), countries=["DE"])
    services.update_shipping_zone(actor=manager, zone=zone, countries=["DE", "AT"], position=2)
    zone.refresh_from_db()
    assert ([str(c) for c in zone.countries], zone.position) == (["AT", "DE"], 2)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"texts": {}}, "name"),
        ({"texts": {"en": {"name": "  "}}}, "name"),
        ({"texts": {"en": {"name": "x" * 121}}}, "name_en"),
        ({"countries": ["XX"]}, "countries"),
        ({"countries": "DE"}, "countries"),
        ({"position": -1}, "position"),
        ({"position": "1"}, "position"),
    ],
)
def test_a_bad_zone_is_refused_naming_its_field_and_nothing_is_written(manager, arguments, field):
    given = {"actor": manager, "texts": named("Zone"), **arguments}
    assert field in refused(services.create_shipping_zone, **given)
    assert not ShippingZone.objects.exists() and not events()


def test_nobody_but_managers_and_admins_writes_shipping(site):
    with pytest.raises(NotAuthenticated):
        services.create_shipping_zone(actor=None, texts=named("Zone"))
    for person in (UserFactory(), EditorFactory()):
        with pytest.raises(PermissionDenied):
            services.create_shipping_zone(actor=person, texts=named("Zone"))
    assert not ShippingZone.objects.exists()


def test_deleting_a_zone_deletes_its_methods(manager):
    method = ShippingMethodFactory()
    services.delete_shipping_zone(actor=manager, zone=method.zone)
    assert not ShippingMethod.objects.exists()
    assert events() == [{"zone_id": method.zone_id, "method_id": None, "actor_id": manager.pk}]


# --- methods ---------------------------------------------------------------------------------------


def test_a_flat_method_is_priced_in_the_shops_default_currency_unless_told(manager):
    zone = ShippingZoneFactory()
    method = services.create_shipping_method(actor=manager, zone=zone, texts=named("Parcel"), price=490)
    assert (method.kind, method.currency, method.price) == ("flat", "USD", 490)
    assert events() == [{"zone_id": zone.pk, "method_id": method.pk, "actor_id": manager.pk}]


def test_a_method_in_a_currency_the_shop_does_not_sell_in_is_refused(manager):
    zone = ShippingZoneFactory()
    errors = refused(
        services.create_shipping_method, actor=manager, zone=zone, texts=named("Parcel"), currency="eur"
    )
    assert "EUR" in errors["currency"][0]
    update_shop_settings(actor=manager, currencies=["EUR"])
    method = services.create_shipping_method(actor=manager, zone=zone, texts=named("Parcel"), currency="eur")
    assert method.currency == "EUR"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"kind": "express"}, "kind"),
        ({"currency": "XYZ"}, "currency"),
        ({"price": -1}, "price"),
        ({"price": 4.9}, "price"),
        ({"free_above": -5}, "free_above"),
        ({"tax_class": "standard"}, "tax_class"),
        ({"is_active": "yes"}, "is_active"),
        ({"texts": {"en": {"name": "Parcel", "description": "x" * 256}}}, "description_en"),
        ({"weight_rates": [{"up_to_grams": 1000, "price": 100}]}, "weight_rates"),
    ],
)
def test_a_bad_method_is_refused_naming_its_field_and_nothing_is_written(manager, arguments, field):
    zone = ShippingZoneFactory()
    given = {"actor": manager, "zone": zone, "texts": named("Parcel"), **arguments}
    assert field in refused(services.create_shipping_method, **given)
    assert not ShippingMethod.objects.exists() and not events()


def test_several_refusals_come_in_one_answer(manager):
    errors = refused(
        services.create_shipping_method,
        actor=manager,
        zone=ShippingZoneFactory(),
        texts=named("Parcel"),
        price=-1,
        free_above="lots",
        position=-3,
    )
    assert set(errors) == {"price", "free_above", "position"}


def test_a_method_has_a_tax_class_and_a_free_from_amount(manager):
    standard = create_tax_class(actor=manager, slug="standard")
    method = services.create_shipping_method(
        actor=manager, zone=ShippingZoneFactory(), texts=named("Parcel"), tax_class=standard, free_above=5000
    )
    method.refresh_from_db()
    assert (method.tax_class, method.free_above) == (standard, 5000)
    services.update_shipping_method(actor=manager, method=method, tax_class=None, free_above=None)
    method.refresh_from_db()
    assert (method.tax_class, method.free_above) == (None, None)


def test_an_update_that_changes_nothing_publishes_nothing(manager):
    method = ShippingMethodFactory(price=490)
    services.update_shipping_method(actor=manager, method=method, price=490)
    assert not events()


def test_moving_a_method_to_another_zone_tells_both_zones(manager):
    method = ShippingMethodFactory()
    before, after = method.zone_id, ShippingZoneFactory(countries=["FR"]).pk
    services.update_shipping_method(actor=manager, method=method, zone=ShippingZone.objects.get(pk=after))
    assert {event["zone_id"] for event in events()} == {before, after}


# --- weight brackets -------------------------------------------------------------------------------


def test_weight_brackets_are_set_as_a_whole_list_replacing_the_old_ones(manager):
    method = services.create_shipping_method(
        actor=manager,
        zone=ShippingZoneFactory(),
        texts=named("Heavy"),
        kind="weight",
        weight_rates=[{"up_to_grams": 5000, "price": 990}, {"up_to_grams": 1000, "price": 490}],
    )
    assert list(method.weight_rates.values_list("up_to_grams", "price")) == [(1000, 490), (5000, 990)]
    lighter = [{"up_to_grams": 2000, "price": 600}]
    services.set_weight_rates(actor=manager, method=method, weight_rates=lighter)
    assert list(method.weight_rates.values_list("up_to_grams", "price")) == [(2000, 600)]
    assert len(events()) == 2


@pytest.mark.parametrize(
    ("rates", "field"),
    [
        ([{"up_to_grams": 0, "price": 1}], "weight_rates.0.up_to_grams"),
        ([{"up_to_grams": 10, "price": 1}, {"up_to_grams": 10, "price": 2}], "weight_rates.1.up_to_grams"),
        ([{"up_to_grams": 10, "price": -2}], "weight_rates.0.price"),
        ([{"up_to_grams": "10", "price": 2}], "weight_rates.0.up_to_grams"),
        (["10"], "weight_rates.0"),
        ({"up_to_grams": 10}, "weight_rates"),
    ],
)
def test_bad_weight_brackets_are_refused_naming_the_bracket_and_the_old_ones_stay(manager, rates, field):
    bracket = WeightRateFactory()
    errors = refused(services.set_weight_rates, actor=manager, method=bracket.method, weight_rates=rates)
    assert field in errors
    assert list(WeightRate.objects.values_list("pk", flat=True)) == [bracket.pk]


def test_a_method_made_flat_loses_its_brackets(manager):
    bracket = WeightRateFactory()
    services.update_shipping_method(actor=manager, method=bracket.method, kind="flat", price=300)
    assert not WeightRate.objects.exists()


# --- what the checkout reads -----------------------------------------------------------------------


def test_zone_of_finds_the_zone_of_a_country_whatever_its_case(site):
    europe = ShippingZoneFactory(countries=["AT", "DE"])
    ShippingZoneFactory(countries=["US"])
    assert zone_of("de") == europe
    assert zone_of("FR") is None
    assert zone_of("") is None and zone_of(None) is None
    assert zone_of("T,") is None


def test_methods_for_offers_the_active_methods_in_the_currency_with_their_brackets(
    site, django_assert_num_queries
):
    zone = ShippingZoneFactory(countries=["DE"])
    flat = ShippingMethodFactory(zone=zone, position=2)
    heavy = WeightRateFactory(method__zone=zone, method__position=1).method
    WeightRateFactory(method=heavy, up_to_grams=5000)
    ShippingMethodFactory(zone=zone, kind="weight", price=0)  # no bracket: not offered
    ShippingMethodFactory(zone=zone, is_active=False)
    ShippingMethodFactory(zone=zone, currency="EUR")
    ShippingMethodFactory(zone=ShippingZoneFactory(countries=["FR"]))
    with django_assert_num_queries(3):  # the zone, the methods, their brackets
        offered = methods_for("DE", "usd")
        brackets = [[rate.up_to_grams for rate in m.weight_rates.all()] for m in offered]
    assert offered == [heavy, flat]
    assert brackets == [[1000, 5000], []]
    assert methods_for("IT", "USD") == []
