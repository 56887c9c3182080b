"""Adjusting and counting stock, and low-stock thresholds, through the services."""

from datetime import timedelta

import pytest

from apps.inventory import services
from apps.inventory.models import StockAlert, StockLevel, StockMovement
from rustok.errors import Conflict, InvalidInput
from tests.inventory.factories import stock

pytestmark = pytest.mark.django_db


def test_receiving_stock_adds_it_on_hand_and_writes_a_movement(manager, variant, location):
    services.adjust(
        actor=manager, variant=variant, location=location, delta=7, reason="received", note="PO 12"
    )
    level = StockLevel.objects.get(variant=variant, location=location)
    assert (level.on_hand, level.reserved) == (7, 0)
    movement = StockMovement.objects.get()
    assert (movement.reason, movement.delta_on_hand, movement.on_hand_after, movement.sku) == (
        "received",
        7,
        7,
        variant.sku,
    )
    assert (movement.actor, movement.note) == (manager, "PO 12")


def test_damaged_stock_is_taken_off_hand(manager, variant, location):
    stock(variant, location, 5, actor=manager)
    services.adjust(actor=manager, variant=variant, location=location, delta=-2, reason="damaged")
    assert StockLevel.objects.get().on_hand == 3


@pytest.mark.parametrize("delta", [1.5, "3", True, None, 0])
def test_a_delta_that_is_not_a_whole_number_is_refused_naming_it(manager, variant, location, delta):
    with pytest.raises(InvalidInput) as refused:
        services.adjust(actor=manager, variant=variant, location=location, delta=delta, reason="correction")
    assert refused.value.status == 400
    assert list(refused.value.errors) == ["delta"]
    assert not StockMovement.objects.exists()


def test_a_delta_against_the_reason_is_refused(manager, variant, location):
    with pytest.raises(InvalidInput) as refused:
        services.adjust(actor=manager, variant=variant, location=location, delta=-1, reason="received")
    assert list(refused.value.errors) == ["delta"]


@pytest.mark.parametrize("reason", ["sold", "counted", "stolen"])
def test_a_reason_adjustments_cannot_give_is_refused(manager, variant, location, reason):
    with pytest.raises(InvalidInput) as refused:
        services.adjust(actor=manager, variant=variant, location=location, delta=1, reason=reason)
    assert list(refused.value.errors) == ["reason"]


def test_taking_more_than_on_hand_is_refused_and_writes_nothing(manager, variant, location):
    stock(variant, location, 2, actor=manager)
    with pytest.raises(Conflict) as refused:
        services.adjust(actor=manager, variant=variant, location=location, delta=-3, reason="correction")
    assert refused.value.extra["reason"] == "insufficient_stock"
    assert StockLevel.objects.get().on_hand == 2
    assert StockMovement.objects.count() == 1


def test_taking_stock_that_is_reserved_is_refused(manager, variant, location):
    stock(variant, location, 3, actor=manager)
    services.reserve(lines=[(variant.pk, 2)], owner="checkout:1", ttl=timedelta(minutes=5))
    with pytest.raises(Conflict) as refused:
        services.adjust(actor=manager, variant=variant, location=location, delta=-2, reason="damaged")
    assert refused.value.extra["reason"] == "insufficient_stock"
    assert refused.value.extra["available"] == 1


def test_a_count_sets_on_hand(manager, variant, location):
    stock(variant, location, 10, actor=manager)
    services.count(actor=manager, variant=variant, location=location, on_hand=8, note="yearly count")
    assert StockLevel.objects.get().on_hand == 8
    movement = StockMovement.objects.first()
    assert (movement.reason, movement.delta_on_hand, movement.on_hand_after) == ("counted", -2, 8)


def test_a_count_at_a_new_location_creates_its_stock(manager, variant, location):
    services.count(actor=manager, variant=variant, location=location, on_hand=4)
    assert StockLevel.objects.get(variant=variant, location=location).on_hand == 4


@pytest.mark.parametrize("on_hand", [-1, 2.0, "4", False])
def test_a_count_that_is_not_a_whole_number_of_at_least_zero_is_refused_naming_it(
    manager, variant, location, on_hand
):
    with pytest.raises(InvalidInput) as refused:
        services.count(actor=manager, variant=variant, location=location, on_hand=on_hand)
    assert list(refused.value.errors) == ["on_hand"]
    assert not StockLevel.objects.exists()
    assert not StockMovement.objects.exists()


def test_a_count_below_what_is_reserved_is_refused(manager, variant, location):
    stock(variant, location, 5, actor=manager)
    services.reserve(lines=[(variant.pk, 3)], owner="checkout:1", ttl=timedelta(minutes=5))
    with pytest.raises(Conflict) as refused:
        services.count(actor=manager, variant=variant, location=location, on_hand=2)
    assert refused.value.extra["reason"] == "insufficient_stock"
    assert StockLevel.objects.get().on_hand == 5


def test_a_threshold_is_set_and_removed(manager, variant):
    alert = services.set_threshold(actor=manager, variant=variant, threshold=3)
    assert StockAlert.objects.get().threshold == alert.threshold == 3
    assert services.set_threshold(actor=manager, variant=variant, threshold=None) is None
    assert not StockAlert.objects.exists()


@pytest.mark.parametrize("threshold", [-1, 1.5, True])
def test_a_threshold_that_is_not_a_whole_number_is_refused_naming_it(manager, variant, threshold):
    with pytest.raises(InvalidInput) as refused:
        services.set_threshold(actor=manager, variant=variant, threshold=threshold)
    assert list(refused.value.errors) == ["threshold"]
