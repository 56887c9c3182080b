"""Vouchers through their services: codes upper-cased and unique whatever their case, a
percentage or a fixed amount, for the order or chosen products, a window and limits; refusals
name their field and write nothing; a used voucher is deactivated, never deleted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.catalog.services import create_category
from apps.events.models import OutboxEvent
from apps.orders import services
from apps.orders.models import Voucher
from apps.orders.selectors_config import voucher_by_code
from rustok.errors import Conflict, InvalidInput, PermissionDenied
from tests.accounts.factories import UserFactory
from tests.inventory.factories import ManagerFactory, ProductFactory
from tests.orders.factories import VoucherFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def manager(tenant_a):
    with schema_context("alpha"):
        yield ManagerFactory()


def events() -> list[dict]:
    rows = OutboxEvent.objects.filter(type="orders.voucher.changed").order_by("id")
    return list(rows.values_list("payload", flat=True))


def refused(call, **arguments) -> dict:
    with pytest.raises(InvalidInput) as caught:
        call(**arguments)
    return caught.value.errors


def test_a_percentage_voucher_for_the_order(manager):
    voucher = services.create_voucher(
        actor=manager, code=" summer-10 ", percent="10", texts={"en": {"name": "Summer"}}
    )
    assert (voucher.code, voucher.kind, voucher.percent, voucher.scope) == (
        "SUMMER-10",
        "percentage",
        Decimal("10.00"),
        "order",
    )
    assert voucher_by_code("summer-10") == voucher
    assert voucher_by_code(" Summer-10 ") == voucher
    assert voucher_by_code("winter") is None and voucher_by_code("") is None
    assert events() == [{"voucher_id": voucher.pk, "actor_id": manager.pk}]


def test_a_fixed_voucher_for_chosen_products_with_a_minimum_and_a_window(manager):
    product = ProductFactory()
    category = create_category(actor=manager, texts={"en": {"name": "Tea"}})
    voucher = services.create_voucher(
        actor=manager,
        code="FIVE",
        kind="fixed",
        amount=500,
        currency="usd",
        scope="products",
        products=[product],
        categories=[category],
        min_subtotal=2000,
        starts_at=NOW,
        ends_at=NOW + dt.timedelta(days=7),
        usage_limit=100,
        per_customer_limit=1,
    )
    assert (voucher.amount, voucher.currency, voucher.percent) == (500, "USD", None)
    assert list(voucher.products.all()) == [product]
    assert list(voucher.categories.all()) == [category]


def test_codes_are_unique_whatever_their_case(manager):
    VoucherFactory(code="SAVE")
    assert list(refused(services.create_voucher, actor=manager, code="save", percent="5")) == ["code"]
    assert Voucher.objects.count() == 1


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"code": "ab"}, "code"),
        ({"code": "has space"}, "code"),
        ({"code": "x" * 41}, "code"),
        ({"code": None}, "code"),
        ({"percent": "0"}, "percent"),
        ({"percent": "100.01"}, "percent"),
        ({"percent": "12.345"}, "percent"),
        ({"percent": 12.5}, "percent"),
        ({"percent": None}, "percent"),
        ({"amount": 100}, "amount"),
        ({"kind": "gift"}, "kind"),
        ({"kind": "fixed", "percent": None}, "amount"),
        ({"kind": "fixed", "percent": None, "amount": 0, "currency": "USD"}, "amount"),
        ({"kind": "fixed", "percent": None, "amount": 500}, "currency"),
        ({"kind": "fixed", "percent": None, "amount": 500, "currency": "JPY"}, "currency"),
        ({"min_subtotal": 1000}, "currency"),
        ({"min_subtotal": -1, "currency": "USD"}, "min_subtotal"),
        ({"scope": "products"}, "products"),
        ({"scope": "everything"}, "scope"),
        ({"products": "1"}, "products"),
        ({"starts_at": NOW, "ends_at": NOW}, "ends_at"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"usage_limit": 0}, "usage_limit"),
        ({"per_customer_limit": -1}, "per_customer_limit"),
        ({"is_active": 1}, "is_active"),
        ({"texts": {"en": {"name": "x" * 121}}}, "name_en"),
    ],
)
def test_a_bad_voucher_is_refused_naming_its_field_and_nothing_is_written(manager, arguments, field):
    given = {"actor": manager, "code": "SAVE10", "percent": "10", **arguments}
    assert field in refused(services.create_voucher, **given)
    assert not Voucher.objects.exists() and not events()


def test_a_voucher_for_the_whole_order_has_no_products(manager):
    errors = refused(
        services.create_voucher, actor=manager, code="SAVE", percent="5", products=[ProductFactory()]
    )
    assert list(errors) == ["products"]


def test_changing_the_kind_drops_the_other_kinds_value(manager):
    voucher = VoucherFactory()
    services.update_voucher(actor=manager, voucher=voucher, kind="fixed", amount=300, currency="USD")
    voucher.refresh_from_db()
    assert (voucher.kind, voucher.percent, voucher.amount) == ("fixed", None, 300)


def test_changing_the_scope_to_the_order_drops_the_products(manager):
    product = ProductFactory()
    voucher = services.create_voucher(
        actor=manager, code="TEA", percent="5", scope="products", products=[product]
    )
    services.update_voucher(actor=manager, voucher=voucher, scope="order")
    assert not voucher.products.exists()


def test_a_usage_limit_below_what_was_used_is_refused(manager):
    voucher = VoucherFactory(usage_limit=10)
    Voucher.objects.filter(pk=voucher.pk).update(used=F("used") + 4)
    assert list(refused(services.update_voucher, actor=manager, voucher=voucher, usage_limit=3)) == [
        "usage_limit"
    ]
    services.update_voucher(actor=manager, voucher=voucher, usage_limit=4)


def test_an_update_that_changes_nothing_publishes_nothing(manager):
    voucher = VoucherFactory(code="SAME")
    services.update_voucher(actor=manager, voucher=voucher, code="same", percent="10")
    assert not events()


def test_an_unused_voucher_is_deleted_and_a_used_one_is_refused(manager):
    unused, used = VoucherFactory(), VoucherFactory()
    services.delete_voucher(actor=manager, voucher=unused)
    Voucher.objects.filter(pk=used.pk).update(used=1)
    with pytest.raises(Conflict) as caught:
        services.delete_voucher(actor=manager, voucher=used)
    assert (caught.value.status, caught.value.extra["reason"]) == (409, "in_use")
    services.update_voucher(actor=manager, voucher=used, is_active=False)
    assert list(Voucher.objects.values_list("pk", "is_active")) == [(used.pk, False)]


def test_a_customer_may_not_write_vouchers(manager):
    with pytest.raises(PermissionDenied):
        services.create_voucher(actor=UserFactory(), code="FREE", percent="100")
