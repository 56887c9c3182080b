"""Reservations: all or nothing, taken by location priority, replaced, released, committed, expired."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.inventory import services, tasks
from apps.inventory.models import Reservation, StockLevel, StockMovement
from apps.inventory.services import OutOfStock
from rustok.errors import Conflict, InvalidInput
from tests.inventory.factories import StockLocationFactory, VariantFactory, stock

pytestmark = pytest.mark.django_db

TTL = timedelta(minutes=15)


def levels(variant) -> dict:
    """{location name: (on_hand, reserved)} of the variant."""
    return {
        level.location.name_en: (level.on_hand, level.reserved)
        for level in StockLevel.objects.filter(variant=variant).select_related("location")
    }


@pytest.fixture
def two_locations(site):
    """A near warehouse (used first) and a far one, made in the opposite order."""
    far = StockLocationFactory(name_en="Far", priority=5)
    near = StockLocationFactory(name_en="Near", priority=1)
    return near, far


def test_a_reservation_takes_from_the_first_location_by_priority(manager, variant, two_locations):
    near, far = two_locations
    stock(variant, near, 3, actor=manager)
    stock(variant, far, 3, actor=manager)
    services.reserve(lines=[(variant.pk, 2)], owner="checkout:1", ttl=TTL)
    assert levels(variant) == {"Near": (3, 2), "Far": (3, 0)}


def test_a_reservation_larger_than_one_location_takes_the_rest_from_the_next(manager, variant, two_locations):
    near, far = two_locations
    stock(variant, near, 3, actor=manager)
    stock(variant, far, 3, actor=manager)
    reservations = services.reserve(lines=[(variant.pk, 5)], owner="checkout:1", ttl=TTL)
    assert [(r.location_id, r.quantity) for r in reservations] == sorted([(near.pk, 3), (far.pk, 2)])
    assert levels(variant) == {"Near": (3, 3), "Far": (3, 2)}


def test_locations_of_equal_priority_are_used_in_order_of_creation(manager, variant, site):
    first = StockLocationFactory(name_en="First", priority=1)
    second = StockLocationFactory(name_en="Second", priority=1)
    stock(variant, second, 3, actor=manager)
    stock(variant, first, 3, actor=manager)
    services.reserve(lines=[(variant.pk, 1)], owner="checkout:1", ttl=TTL)
    assert levels(variant) == {"First": (3, 1), "Second": (3, 0)}


def test_an_inactive_location_is_not_reserved_from(manager, variant, two_locations):
    near, far = two_locations
    stock(variant, near, 3, actor=manager)
    stock(variant, far, 3, actor=manager)
    services.update_location(actor=manager, location=near, is_active=False)
    services.reserve(lines=[(variant.pk, 1)], owner="checkout:1", ttl=TTL)
    assert levels(variant) == {"Near": (3, 0), "Far": (3, 1)}


def test_duplicate_lines_of_a_variant_are_added_up(manager, variant, location):
    stock(variant, location, 5, actor=manager)
    services.reserve(lines=[(variant.pk, 2), (variant.pk, 1)], owner="checkout:1", ttl=TTL)
    assert Reservation.objects.get().quantity == 3


def test_a_reservation_expires_after_its_ttl(manager, variant, location):
    stock(variant, location, 5, actor=manager)
    now = timezone.now()
    services.reserve(lines=[(variant.pk, 1)], owner="checkout:1", ttl=TTL, now=now)
    assert Reservation.objects.get().expires_at == now + TTL


def test_a_reservation_writes_a_reserved_movement_naming_its_owner(manager, variant, location):
    stock(variant, location, 5, actor=manager)
    services.reserve(lines=[(variant.pk, 2)], owner="checkout:1", ttl=TTL)
    movement = StockMovement.objects.first()
    assert (movement.reason, movement.delta_reserved, movement.reserved_after, movement.owner) == (
        "reserved",
        2,
        2,
        "checkout:1",
    )


def test_a_short_line_refuses_the_whole_reservation_naming_every_short_variant(manager, location, site):
    plenty, scarce, none = VariantFactory(), VariantFactory(), VariantFactory()
    stock(plenty, location, 10, actor=manager)
    stock(scarce, location, 1, actor=manager)
    movements = StockMovement.objects.count()
    with pytest.raises(OutOfStock) as refused:
        services.reserve(lines=[(plenty.pk, 2), (scarce.pk, 3), (none.pk, 1)], owner="checkout:1", ttl=TTL)
    error = refused.value
    assert (error.code, error.status, error.extra["reason"]) == ("out_of_stock", 409, "out_of_stock")
    assert isinstance(error, Conflict)
    assert error.lines == [
        {"variant_id": scarce.pk, "sku": scarce.sku, "asked": 3, "available": 1},
        {"variant_id": none.pk, "sku": none.sku, "asked": 1, "available": 0},
    ]
    assert not Reservation.objects.exists()
    assert StockMovement.objects.count() == movements
    assert levels(plenty) == {"Main": (10, 0)}


def test_a_short_reservation_keeps_what_the_owner_held(manager, variant, location):
    stock(variant, location, 3, actor=manager)
    services.reserve(lines=[(variant.pk, 2)], owner="checkout:1", ttl=TTL)
    with pytest.raises(OutOfStock):
        services.reserve(lines=[(variant.pk, 4)], owner="checkout:1", ttl=TTL)
    assert Reservation.objects.get().quantity == 2
    assert levels(variant) == {"Main": (3, 2)}


def test_reserving_again_replaces_what_the_owner_held(manager, location, site):
    kept, dropped = VariantFactory(), VariantFactory()
    stock(kept, location, 5, actor=manager)
    stock(dropped, location, 5, actor=manager)
    services.reserve(lines=[(kept.pk, 2), (dropped.pk, 2)], owner="checkout:1", ttl=TTL)
    services.reserve(lines=[(kept.pk, 4)], owner="checkout:1", ttl=TTL)
    assert [(r.variant_id, r.quantity) for r in Reservation.objects.all()] == [(kept.pk, 4)]
    assert levels(kept) == {"Main": (5, 4)}
    assert levels(dropped) == {"Main": (5, 0)}


def test_reserving_again_may_use_what_the_owner_already_held(manager, variant, location):
    stock(variant, location, 3, actor=manager)
    services.reserve(lines=[(variant.pk, 2)], owner="checkout:1", ttl=TTL)
    services.reserve(lines=[(variant.pk, 3)], owner="checkout:1", ttl=TTL)
    assert levels(variant) == {"Main": (3, 3)}


def test_other_owners_reservations_are_not_available(manager, variant, location):
    stock(variant, location, 3, actor=manager)
    services.reserve(lines=[(variant.pk, 2)], owner="checkout:1", ttl=TTL)
    with pytest.raises(OutOfStock) as refused:
        services.reserve(lines=[(variant.pk, 2)], owner="checkout:2", ttl=TTL)
    assert refused.value.lines[0]["available"] == 1


def test_a_variant_whose_stock_is_not_tracked_is_reserved_without_stock(site):
    untracked = VariantFactory(track_inventory=False)
    assert services.reserve(lines=[(untracked.pk, 100)], owner="checkout:1", ttl=TTL) == []
    assert not Reservation.objects.exists()
    assert not StockLevel.objects.exists()


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([(1, 0)], "lines.0.quantity"),
        ([(1, -2)], "lines.0.quantity"),
        ([(1, 1.5)], "lines.0.quantity"),
        ([(1, True)], "lines.0.quantity"),
        ([(1, "2")], "lines.0.quantity"),
        ([("1", 2)], "lines.0.variant"),
        ([7], "lines.0"),
    ],
)
def test_a_malformed_line_is_refused_naming_it(variant, lines, field):
    with pytest.raises(InvalidInput) as refused:
        services.reserve(lines=lines, owner="checkout:1", ttl=TTL)
    assert list(refused.value.errors) == [field]


def test_an_unknown_variant_is_refused(site):
    with pytest.raises(InvalidInput) as refused:
        services.reserve(lines=[(999999, 1)], owner="checkout:1", ttl=TTL)
    assert list(refused.value.errors) == ["lines"]


@pytest.mark.parametrize("ttl", [timedelta(0), timedelta(seconds=-1), 900])
def test_a_ttl_that_is_not_a_positive_duration_is_refused(variant, ttl):
    with pytest.raises(InvalidInput) as refused:
        services.reserve(lines=[(variant.pk, 1)], owner="checkout:1", ttl=ttl)
    assert list(refused.value.errors) == ["ttl"]


def test_release_gives_the_units_back(manager, variant, location):
    stock(variant, location, 3, actor=manager)
    services.reserve(lines=[(variant.pk, 2)], owner="checkout:1", ttl=TTL)
    released = services.release(owner="checkout:1")
    assert [r.quantity for r in released] == [2]
    assert not Reservation.objects.exists()
    assert levels(variant) == {"Main": (3, 0)}
    assert StockMovement.objects.first().reason == "released"


def test_releasing_twice_does_nothing_the_second_time(manager, variant, location):
    stock(variant, location, 3, actor=manager)
    services.reserve(lines=[(variant.pk, 2)], owner="checkout:1", ttl=TTL)
    services.release(owner="checkout:1")
    movements = StockMovement.objects.count()
    assert services.release(owner="checkout:1") == []
    assert StockMovement.objects.count() == movements
    assert levels(variant) == {"Main": (3, 0)}


def test_commit_takes_the_units_off_hand(manager, variant, two_locations):
    near, far = two_locations
    stock(variant, near, 3, actor=manager)
    stock(variant, far, 3, actor=manager)
    services.reserve(lines=[(variant.pk, 4)], owner="checkout:1", ttl=TTL)
    committed = services.commit(owner="checkout:1")
    assert sorted((r.location_id, r.quantity) for r in committed) == sorted([(near.pk, 3), (far.pk, 1)])
    assert levels(variant) == {"Near": (0, 0), "Far": (2, 0)}
    assert not Reservation.objects.exists()
    assert set(
        StockMovement.objects.filter(owner="checkout:1", reason="sold").values_list(
            "delta_on_hand", flat=True
        )
    ) == {-3, -1}


def test_committing_twice_takes_the_units_once(manager, variant, location):
    stock(variant, location, 3, actor=manager)
    services.reserve(lines=[(variant.pk, 2)], owner="checkout:1", ttl=TTL)
    services.commit(owner="checkout:1")
    assert services.commit(owner="checkout:1") == []
    assert levels(variant) == {"Main": (1, 0)}


def test_an_expired_reservation_still_held_can_be_committed(manager, variant, location):
    stock(variant, location, 3, actor=manager)
    services.reserve(lines=[(variant.pk, 2)], owner="checkout:1", ttl=TTL, now=timezone.now() - 2 * TTL)
    assert len(services.commit(owner="checkout:1")) == 1
    assert levels(variant) == {"Main": (1, 0)}


def test_release_expired_gives_back_only_expired_reservations(manager, variant, location):
    stock(variant, location, 5, actor=manager)
    now = timezone.now()
    services.reserve(lines=[(variant.pk, 2)], owner="checkout:old", ttl=TTL, now=now - 2 * TTL)
    services.reserve(lines=[(variant.pk, 1)], owner="checkout:new", ttl=TTL, now=now)
    assert services.release_expired(now=now) == 1
    assert list(Reservation.objects.values_list("owner", flat=True)) == ["checkout:new"]
    assert levels(variant) == {"Main": (5, 1)}


def test_the_periodic_task_releases_expired_reservations_of_each_site(manager, variant, location):
    stock(variant, location, 5, actor=manager)
    services.reserve(lines=[(variant.pk, 2)], owner="checkout:old", ttl=TTL, now=timezone.now() - 2 * TTL)
    assert tasks.release_expired() == {"alpha": 1}
    assert not Reservation.objects.exists()
    assert levels(variant) == {"Main": (5, 0)}


def test_the_periodic_task_is_in_the_beat_schedule(settings):
    tasks_sent = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "inventory.release_expired" in tasks_sent
