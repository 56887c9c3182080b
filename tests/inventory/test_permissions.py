"""Who may manage stock: admins, managers and the owner; not editors nor customers."""

from datetime import timedelta

import pytest

from apps.inventory import services
from apps.inventory.models import StockLevel
from rustok.errors import NotAuthenticated, PermissionDenied
from rustok.permissions import can
from tests.accounts.factories import EditorFactory, OwnerFactory, SiteAdminFactory, UserFactory
from tests.inventory.factories import stock

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("factory", [EditorFactory, UserFactory], ids=["editor", "customer"])
def test_editors_and_customers_cannot_adjust_stock(factory, variant, location):
    with pytest.raises(PermissionDenied) as refused:
        services.adjust(actor=factory(), variant=variant, location=location, delta=1, reason="received")
    assert refused.value.extra["permission"] == "inventory.manage_stock"
    assert not StockLevel.objects.exists()


@pytest.mark.parametrize("factory", [EditorFactory, UserFactory], ids=["editor", "customer"])
def test_editors_and_customers_cannot_count_stock_or_set_thresholds(factory, variant, location):
    user = factory()
    with pytest.raises(PermissionDenied):
        services.count(actor=user, variant=variant, location=location, on_hand=1)
    with pytest.raises(PermissionDenied):
        services.set_threshold(actor=user, variant=variant, threshold=1)


def test_an_editor_cannot_create_a_location(site):
    with pytest.raises(PermissionDenied):
        services.create_location(actor=EditorFactory(), texts={"en": {"name": "Depot"}})


def test_an_anonymous_caller_cannot_adjust_stock(variant, location):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAuthenticated):
        services.adjust(actor=AnonymousUser(), variant=variant, location=location, delta=1, reason="received")


@pytest.mark.parametrize("factory", [SiteAdminFactory, OwnerFactory], ids=["admin", "owner"])
def test_admins_and_the_owner_manage_stock(factory, variant, location):
    stock(variant, location, 2, actor=factory())
    assert StockLevel.objects.get().on_hand == 2


def test_a_manager_manages_stock(manager, variant, location):
    services.count(actor=manager, variant=variant, location=location, on_hand=3)
    assert StockLevel.objects.get().on_hand == 3


@pytest.mark.parametrize(
    ("factory", "allowed"),
    [(UserFactory, False), (EditorFactory, False), (SiteAdminFactory, True), (OwnerFactory, True)],
    ids=["customer", "editor", "admin", "owner"],
)
def test_who_sees_stock(factory, allowed, site):
    assert can(factory(), "inventory.view_stock") is allowed


def test_movements_and_reservations_are_read_only_in_the_admin(manager):
    assert manager.has_perm("inventory.view_stockmovement")
    assert manager.has_perm("inventory.view_reservation")
    assert not manager.has_perm("inventory.change_stockmovement")
    assert not manager.has_perm("inventory.delete_reservation")
    assert manager.has_perm("inventory.change_stocklevel")


def test_a_shopper_reserves_without_any_permission(variant, location, manager):
    stock(variant, location, 1, actor=manager)
    assert len(services.reserve(lines=[(variant.pk, 1)], owner="checkout:1", ttl=timedelta(minutes=1))) == 1
