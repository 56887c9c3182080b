"""What the inventory publishes: one stock.changed per row changed, stock.low once per crossing."""

from datetime import timedelta

import pytest

from apps.events.models import OutboxEvent
from apps.inventory import services
from tests.inventory.factories import StockLocationFactory, VariantFactory, stock

pytestmark = pytest.mark.django_db

TTL = timedelta(minutes=15)


def published(kind: str) -> list[dict]:
    return list(OutboxEvent.objects.filter(type=kind).order_by("id").values_list("payload", flat=True))


def test_receiving_stock_publishes_the_new_state_of_the_location(manager, variant, location):
    services.adjust(actor=manager, variant=variant, location=location, delta=4, reason="received")
    assert published("inventory.stock.changed") == [
        {
            "variant_id": variant.pk,
            "product_id": variant.product_id,
            "location_id": location.pk,
            "on_hand": 4,
            "reserved": 0,
            "available": 4,
            "in_stock": True,
            "was_in_stock": False,
            "reason": "received",
        }
    ]


def test_selling_the_last_unit_says_the_variant_is_out_of_stock(manager, variant, location):
    stock(variant, location, 1, actor=manager)
    services.reserve(lines=[(variant.pk, 1)], owner="checkout:1", ttl=TTL)
    services.commit(owner="checkout:1")
    reserved, sold = published("inventory.stock.changed")[1:]
    assert (reserved["reason"], reserved["available"], reserved["was_in_stock"], reserved["in_stock"]) == (
        "reserved",
        0,
        True,
        False,
    )
    assert (sold["reason"], sold["on_hand"], sold["reserved"]) == ("sold", 0, 0)


def test_one_event_per_location_a_reservation_changes(manager, variant, site):
    near = StockLocationFactory(priority=1)
    far = StockLocationFactory(priority=2)
    stock(variant, near, 1, actor=manager)
    stock(variant, far, 5, actor=manager)
    OutboxEvent.objects.all().delete()
    services.reserve(lines=[(variant.pk, 3)], owner="checkout:1", ttl=TTL)
    assert [(e["location_id"], e["reserved"]) for e in published("inventory.stock.changed")] == [
        (near.pk, 1),
        (far.pk, 2),
    ]


def test_a_stock_held_at_another_location_keeps_the_variant_in_stock(manager, variant, site):
    near = StockLocationFactory(priority=1)
    far = StockLocationFactory(priority=2)
    stock(variant, near, 1, actor=manager)
    stock(variant, far, 1, actor=manager)
    services.adjust(actor=manager, variant=variant, location=near, delta=-1, reason="damaged")
    assert published("inventory.stock.changed")[-1]["in_stock"] is True


def test_a_count_that_changes_nothing_publishes_nothing(manager, variant, location):
    stock(variant, location, 3, actor=manager)
    services.count(actor=manager, variant=variant, location=location, on_hand=3)
    assert len(published("inventory.stock.changed")) == 1


def test_falling_to_the_threshold_publishes_low_stock_once(manager, variant, location):
    stock(variant, location, 5, actor=manager)
    services.set_threshold(actor=manager, variant=variant, threshold=2)
    services.adjust(actor=manager, variant=variant, location=location, delta=-3, reason="damaged")
    services.adjust(actor=manager, variant=variant, location=location, delta=-1, reason="damaged")
    assert published("inventory.stock.low") == [
        {"variant_id": variant.pk, "product_id": variant.product_id, "available": 2, "threshold": 2}
    ]


def test_low_stock_is_published_again_after_rising_above_the_threshold(manager, variant, location):
    stock(variant, location, 5, actor=manager)
    services.set_threshold(actor=manager, variant=variant, threshold=2)
    services.reserve(lines=[(variant.pk, 4)], owner="checkout:1", ttl=TTL)
    services.release(owner="checkout:1")
    services.reserve(lines=[(variant.pk, 3)], owner="checkout:2", ttl=TTL)
    assert [e["available"] for e in published("inventory.stock.low")] == [1, 2]


def test_a_threshold_set_on_a_variant_already_low_publishes_low_stock(manager, variant, location):
    stock(variant, location, 1, actor=manager)
    services.set_threshold(actor=manager, variant=variant, threshold=3)
    assert [e["available"] for e in published("inventory.stock.low")] == [1]


def test_rising_above_the_threshold_publishes_recovered_once(manager, variant, location):
    stock(variant, location, 2, actor=manager)
    services.set_threshold(actor=manager, variant=variant, threshold=2)
    services.adjust(actor=manager, variant=variant, location=location, delta=1, reason="received")
    services.adjust(actor=manager, variant=variant, location=location, delta=1, reason="received")
    assert published("inventory.stock.recovered") == [
        {"variant_id": variant.pk, "product_id": variant.product_id, "available": 3, "threshold": 2}
    ]


def test_removing_the_threshold_of_a_low_variant_publishes_recovered(manager, variant, location):
    stock(variant, location, 1, actor=manager)
    services.set_threshold(actor=manager, variant=variant, threshold=3)
    services.set_threshold(actor=manager, variant=variant, threshold=None)
    assert published("inventory.stock.recovered") == [
        {"variant_id": variant.pk, "product_id": variant.product_id, "available": 1, "threshold": None}
    ]


def test_a_variant_whose_stock_is_not_tracked_is_never_low(manager, location, site):
    untracked = VariantFactory(track_inventory=False)
    services.set_threshold(actor=manager, variant=untracked, threshold=3)
    assert published("inventory.stock.low") == []


def test_creating_and_changing_a_location_is_published(manager, site):
    location = services.create_location(actor=manager, texts={"en": {"name": "Depot"}})
    services.update_location(actor=manager, location=location, priority=3, texts={"ru": {"name": "Склад"}})
    assert published("inventory.location.created") == [{"location_id": location.pk, "actor_id": manager.pk}]
    assert published("inventory.location.updated") == [
        {"location_id": location.pk, "actor_id": manager.pk, "changed": ["name_ru", "priority"]}
    ]
