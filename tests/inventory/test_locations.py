"""Stock locations: a translated name, an address with a real country, a priority."""

import pytest

from apps.inventory import services
from apps.inventory.models import StockLocation
from rustok.errors import InvalidInput

pytestmark = pytest.mark.django_db


def test_a_location_is_created_with_its_address(manager):
    location = services.create_location(
        actor=manager,
        texts={"en": {"name": "Berlin depot"}, "ru": {"name": "Склад в Берлине"}},
        address_line1="Hauptstr. 1",
        city="Berlin",
        postal_code="10115",
        country="de",
        priority=2,
    )
    stored = StockLocation.objects.get(pk=location.pk)
    assert (stored.name_en, stored.name_ru, stored.country, stored.priority, stored.is_active) == (
        "Berlin depot",
        "Склад в Берлине",
        "DE",
        2,
        True,
    )


def test_a_location_needs_a_name(manager):
    with pytest.raises(InvalidInput) as refused:
        services.create_location(actor=manager, texts={"en": {"name": " "}})
    assert list(refused.value.errors) == ["name"]
    assert not StockLocation.objects.exists()


@pytest.mark.parametrize("country", ["XX", "DEU", "EU", "1"])
def test_a_country_that_is_not_an_iso_code_is_refused(manager, country):
    with pytest.raises(InvalidInput) as refused:
        services.create_location(actor=manager, texts={"en": {"name": "Depot"}}, country=country)
    assert list(refused.value.errors) == ["country"]


@pytest.mark.parametrize("priority", [-1, 1.5, "2", None])
def test_a_priority_that_is_not_a_whole_number_is_refused(manager, priority):
    with pytest.raises(InvalidInput) as refused:
        services.create_location(actor=manager, texts={"en": {"name": "Depot"}}, priority=priority)
    assert list(refused.value.errors) == ["priority"]


def test_an_update_changes_only_what_is_given(manager, location):
    services.update_location(actor=manager, location=location, city="Riga")
    location.refresh_from_db()
    assert (location.name_en, location.city, location.country) == ("Main", "Riga", "DE")


def test_a_location_that_never_held_stock_is_deleted(manager, location):
    from apps.events.models import OutboxEvent

    services.delete_location(actor=manager, location=location)
    assert not StockLocation.objects.filter(pk=location.pk).exists()
    assert OutboxEvent.objects.filter(type="inventory.location.deleted").count() == 1


def test_a_location_with_a_history_is_kept_and_the_refusal_says_to_deactivate_it(manager, location, variant):
    from rustok.errors import Conflict
    from tests.inventory.factories import stock

    stock(variant, location, 3)
    services.count(actor=manager, variant=variant, location=location, on_hand=0)
    with pytest.raises(Conflict) as refused:
        services.delete_location(actor=manager, location=location)
    assert refused.value.extra["reason"] == "in_use"
    assert StockLocation.objects.filter(pk=location.pk).exists()
