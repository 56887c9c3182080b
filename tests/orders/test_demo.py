"""The demo shop's orders side: what `rustok demo` seeds after the catalogue and the stock."""

import pytest
from django_tenants.utils import schema_context

from apps.accounts.models import Role
from apps.catalog import demo as catalog_demo
from apps.inventory import demo as inventory_demo
from apps.orders import demo as orders_demo
from apps.orders.models import Order, ShippingMethod, ShippingZone, TaxRate, Voucher
from tests.accounts.factories import OwnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_shop_has_shipping_taxes_a_voucher_and_orders_in_several_states_once(
    tenant_a, media, settings
):
    settings.IMAGE_RENDITION_WIDTHS = (320,)
    with schema_context("alpha"):
        OwnerFactory()
        UserFactory(role=Role.CUSTOMER)
        for _ in range(2):  # idempotent
            catalog_demo.seed(tenant_a)
            inventory_demo.seed(tenant_a)
            orders_demo.seed(tenant_a)
        assert ShippingZone.objects.count() == 2
        assert ShippingMethod.objects.count() == 3
        assert TaxRate.objects.filter(country="DE").count() == 2
        assert Voucher.objects.get().code == "WELCOME10"
        statuses = sorted(Order.objects.values_list("status", flat=True))
        assert statuses == ["cancelled", "completed", "fulfilled", "paid", "placed"]
        assert list(Order.objects.order_by("number").values_list("number", flat=True)) == [1, 2, 3, 4, 5]
        assert Order.objects.exclude(customer=None).exists()


def test_the_demo_orders_leave_the_low_and_sold_out_packs_as_the_stock_left_them(tenant_a, media, settings):
    from apps.inventory.models import StockAlert, StockLevel

    settings.IMAGE_RENDITION_WIDTHS = (320,)
    with schema_context("alpha"):
        OwnerFactory()
        catalog_demo.seed(tenant_a)
        inventory_demo.seed(tenant_a)
        low = {a.variant_id: a.variant.sku for a in StockAlert.objects.select_related("variant")}
        before = {level.variant_id: level.on_hand for level in StockLevel.objects.filter(variant_id__in=low)}
        orders_demo.seed(tenant_a)
        after = {level.variant_id: level.on_hand for level in StockLevel.objects.filter(variant_id__in=low)}
        assert before == after
