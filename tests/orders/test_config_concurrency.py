"""Zones written at once, on real parallel connections with real commits: the site's lock on the
zones' countries (apps.orders.services.shipping) lets one zone have a country, however many
writers ask for it at the same moment."""

from django_tenants.utils import schema_context

from apps.orders import services
from apps.orders.models import ShippingZone
from rustok.errors import InvalidInput
from tests.inventory.factories import ManagerFactory
from tests.inventory.test_concurrency import SCHEMA, at_once


def test_ten_writers_putting_one_country_in_ten_zones_at_once_leave_it_in_one(live_tenant):
    with schema_context(SCHEMA):
        manager = ManagerFactory()
        zones = [
            services.create_shipping_zone(actor=manager, texts={"en": {"name": f"Z{i}"}}) for i in range(10)
        ]

    others = ["AT", "BE", "CH", "CZ", "DK", "ES", "FR", "IT", "NL", "PL"]
    results = at_once(
        10, lambda i: services.update_shipping_zone(actor=manager, zone=zones[i], countries=["DE", others[i]])
    )

    refused = [r for r in results if isinstance(r, InvalidInput)]
    assert len(refused) == 9, [r for r in results if isinstance(r, Exception) and r not in refused][:3]
    assert all("already in the zone" in r.errors["countries"][0] for r in refused)
    [winner] = [r for r in results if isinstance(r, ShippingZone)]
    with schema_context(SCHEMA):
        holding = [zone for zone in ShippingZone.objects.all() if "DE" in zone.countries]
        assert holding == [winner]
