"""The demo shop: what `rustok demo` seeds for the catalogue and inventory."""

import pytest
from django.db.models import Count
from django_tenants.utils import schema_context

from apps.catalog import demo as catalog_demo
from apps.catalog.models import Price, Product, ProductImage, ProductType
from apps.index.models import Document
from apps.inventory import demo as inventory_demo
from apps.inventory.models import StockAlert, StockLevel, StockLocation
from tests.accounts.factories import OwnerFactory
from tests.conftest import deliver

pytestmark = pytest.mark.django_db


def test_the_demo_shop_has_thirty_priced_pictured_stocked_products_once(tenant_a, media, settings):
    settings.IMAGE_RENDITION_WIDTHS = (320,)
    with schema_context("alpha"):
        OwnerFactory()
        for _ in range(2):  # idempotent
            catalog_demo.seed(tenant_a)
            inventory_demo.seed(tenant_a)
        products = Product.objects.all()
        assert products.count() == 30 and set(products.values_list("status", flat=True)) == {"active"}
        assert set(ProductType.objects.values_list("slug", flat=True)) == {"tea", "teaware"}
        assert all(p.name_ru for p in products)
        assert set(Price.objects.values_list("currency", flat=True)) == {"USD", "EUR"}
        assert ProductImage.objects.count() == 30
        assert StockLocation.objects.count() == 2
        assert StockLevel.objects.values("location").annotate(n=Count("id")).count() == 2
        assert StockAlert.objects.filter(is_low=True).count() == 1
    deliver("alpha")
    with schema_context("alpha"):
        documents = Document.objects.filter(type="product")
        assert documents.count() == 60  # in English and Russian
        assert documents.filter(availability="in_stock").count() == 60  # one pack sold out, not all
        assert all(d.data["picture"] for d in documents.filter(language="en"))
