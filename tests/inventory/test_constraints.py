"""What the database itself guarantees: stock never negative, movements never rewritten."""

import pytest
from django.db import IntegrityError, connection, transaction

from apps.inventory.models import AppendOnly, StockLevel, StockMovement
from tests.inventory.factories import stock

pytestmark = pytest.mark.django_db


def raw(sql: str, params: list) -> None:
    """Run `sql` in a savepoint, so a refusal leaves the test's transaction usable."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def level(variant, location, manager):
    return stock(variant, location, 5, actor=manager)


def test_reserved_above_on_hand_is_refused_by_the_database(level):
    with (
        pytest.raises(IntegrityError, match="inventory_stocklevel_reserved_lte_on_hand"),
        transaction.atomic(),
    ):
        StockLevel.objects.filter(pk=level.pk).update(reserved=6)


def test_negative_on_hand_is_refused_by_the_database(level):
    with pytest.raises(IntegrityError, match="inventory_stocklevel_on_hand"):
        raw("UPDATE inventory_stocklevel SET on_hand = -1, reserved = 0 WHERE id = %s", [level.pk])


def test_a_second_row_for_the_same_variant_and_location_is_refused(level, variant, location):
    with pytest.raises(IntegrityError, match="duplicate key"), transaction.atomic():
        StockLevel.objects.create(variant=variant, location=location)


def test_available_is_on_hand_less_reserved(level):
    StockLevel.objects.filter(pk=level.pk).update(reserved=2)
    level.refresh_from_db()
    assert level.available == 3


@pytest.fixture
def movement(level):
    return StockMovement.objects.get()


def test_a_saved_movement_cannot_be_saved_again(movement):
    movement.note = "rewritten"
    with pytest.raises(AppendOnly):
        movement.save()


def test_a_movement_cannot_be_deleted(movement):
    with pytest.raises(AppendOnly):
        movement.delete()


def test_movements_cannot_be_updated_in_bulk(movement):
    with pytest.raises(AppendOnly):
        StockMovement.objects.filter(pk=movement.pk).update(note="rewritten")


def test_movements_cannot_be_deleted_in_bulk(movement):
    with pytest.raises(AppendOnly):
        StockMovement.objects.all().delete()


def test_the_database_refuses_an_update_of_a_movement(movement):
    with pytest.raises(IntegrityError, match="append-only"):
        raw("UPDATE inventory_stockmovement SET delta_on_hand = 500 WHERE id = %s", [movement.pk])
    assert StockMovement.objects.get().delta_on_hand == 5


def test_the_database_refuses_a_delete_of_a_movement(movement):
    with pytest.raises(IntegrityError, match="append-only"):
        raw("DELETE FROM inventory_stockmovement WHERE id = %s", [movement.pk])
    assert StockMovement.objects.filter(pk=movement.pk).exists()


def test_the_database_refuses_moving_a_movement_to_another_variant(movement):
    from tests.inventory.factories import VariantFactory

    other = VariantFactory()
    with pytest.raises(IntegrityError, match="append-only"):
        raw("UPDATE inventory_stockmovement SET variant_id = %s WHERE id = %s", [other.pk, movement.pk])


def test_deleting_a_variant_keeps_its_movements_with_their_sku(movement, variant):
    sku = variant.sku
    variant.delete()
    kept = StockMovement.objects.get(pk=movement.pk)
    assert (kept.variant_id, kept.sku) == (None, sku)
    assert not StockLevel.objects.exists()


def test_deleting_a_user_keeps_the_movements_they_made(movement, manager):
    manager.delete()
    assert StockMovement.objects.get(pk=movement.pk).actor_id is None
