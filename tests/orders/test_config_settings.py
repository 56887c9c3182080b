"""The order settings: one row made on first read, changed through its service, which names
what changed in its event and refuses bad values naming the field."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from apps.events.models import OutboxEvent
from apps.orders import services
from apps.orders.models import OrderSettings
from rustok.errors import InvalidInput, PermissionDenied
from tests.accounts.factories import EditorFactory
from tests.inventory.factories import ManagerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(tenant_a):
    with schema_context("alpha"):
        yield ManagerFactory()


def events() -> list[dict]:
    rows = OutboxEvent.objects.filter(type="orders.settings.changed").order_by("id")
    return list(rows.values_list("payload", flat=True))


def test_the_settings_are_made_with_their_defaults_on_first_read(manager):
    found = services.order_settings()
    assert (found.pk, found.prices_include_tax, found.reservation_minutes, found.max_line_quantity) == (
        1,
        True,
        15,
        99,
    )
    assert services.order_settings().pk == found.pk and OrderSettings.objects.count() == 1


def test_a_manager_changes_the_settings_and_the_event_names_what_changed(manager):
    found = services.update_order_settings(
        actor=manager, prices_include_tax=False, default_country="de", reservation_minutes=15
    )
    assert (found.prices_include_tax, found.default_country, found.reservation_minutes) == (False, "DE", 15)
    assert events() == [{"actor_id": manager.pk, "changed": ["prices_include_tax", "default_country"]}]
    services.update_order_settings(actor=manager, default_country="DE")
    assert len(events()) == 1
    services.update_order_settings(actor=manager, default_country="")
    assert services.order_settings().default_country == ""


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"prices_include_tax": "no"}, "prices_include_tax"),
        ({"default_country": "ZZ"}, "default_country"),
        ({"reservation_minutes": 0}, "reservation_minutes"),
        ({"reservation_minutes": 24 * 60 + 1}, "reservation_minutes"),
        ({"max_line_quantity": 0}, "max_line_quantity"),
        ({"max_line_quantity": 2.5}, "max_line_quantity"),
    ],
)
def test_a_bad_setting_is_refused_naming_its_field_and_nothing_changes(manager, arguments, field):
    with pytest.raises(InvalidInput) as caught:
        services.update_order_settings(actor=manager, **{"max_line_quantity": 5, **arguments})
    assert field in caught.value.errors
    assert services.order_settings().max_line_quantity == 99 and not events()


def test_an_editor_may_not_change_the_settings(manager):
    with pytest.raises(PermissionDenied):
        services.update_order_settings(actor=EditorFactory(), reservation_minutes=30)
