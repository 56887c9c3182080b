"""Tax classes through their services: names per language, a unique slug, an event per change,
and no deleting a class products still have."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from apps.catalog import services
from apps.catalog.models import Product, TaxClass
from apps.events.models import OutboxEvent
from rustok.errors import Conflict, InvalidInput, PermissionDenied
from tests.accounts.factories import EditorFactory
from tests.catalog.factories import make_product
from tests.catalog.factories import manager as make_manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(tenant_a):
    with schema_context("alpha"):
        yield make_manager()


def events() -> list[dict]:
    return list(
        OutboxEvent.objects.filter(type="catalog.tax_class.changed")
        .order_by("id")
        .values_list("payload", flat=True)
    )


def test_a_manager_creates_a_tax_class_with_names_per_language(actor):
    made = services.create_tax_class(
        actor=actor, slug="reduced", texts={"en": {"name": "Reduced"}, "ru": {"name": "Льготная"}}
    )
    assert (made.slug, made.name_en, made.name_ru) == ("reduced", "Reduced", "Льготная")
    (event,) = events()
    assert event["tax_class_id"] == made.pk and event["deleted"] is False


def test_a_tax_class_without_a_name_is_named_after_its_slug(actor):
    assert services.create_tax_class(actor=actor, slug="zero").name_en == "zero"


@pytest.mark.parametrize("slug", ["", "two words", "x" * 121])
def test_a_bad_slug_is_refused_naming_it(actor, slug):
    with pytest.raises(InvalidInput) as refused:
        services.create_tax_class(actor=actor, slug=slug)
    assert "slug" in refused.value.errors
    assert not TaxClass.objects.exists()


def test_a_slug_another_class_has_is_refused(actor):
    services.create_tax_class(actor=actor, slug="standard")
    with pytest.raises(InvalidInput) as refused:
        services.create_tax_class(actor=actor, slug="standard")
    assert refused.value.errors == {"slug": ["Another tax class has this slug."]}
    other = services.create_tax_class(actor=actor, slug="reduced")
    with pytest.raises(InvalidInput):
        services.update_tax_class(actor=actor, tax_class=other, slug="standard")
    assert TaxClass.objects.get(pk=other.pk).slug == "reduced"


def test_renaming_a_class_names_its_products_in_the_event(actor):
    standard = services.create_tax_class(actor=actor, slug="standard")
    product = make_product(actor=actor, tax_class=standard)
    services.update_tax_class(actor=actor, tax_class=standard, texts={"ru": {"name": "Обычная"}}, slug="std")
    standard.refresh_from_db()
    assert (standard.slug, standard.name_ru) == ("std", "Обычная")
    assert events()[-1]["product_ids"] == [product.pk]


def test_an_update_that_changes_nothing_publishes_nothing(actor):
    standard = services.create_tax_class(actor=actor, slug="standard", texts={"en": {"name": "Standard"}})
    services.update_tax_class(
        actor=actor, tax_class=standard, texts={"en": {"name": "Standard"}}, slug="standard"
    )
    assert len(events()) == 1


def test_a_class_products_have_cannot_be_deleted(actor):
    standard = services.create_tax_class(actor=actor, slug="standard")
    make_product(actor=actor, tax_class=standard)
    make_product(actor=actor, tax_class=standard)
    with pytest.raises(Conflict) as refused:
        services.delete_tax_class(actor=actor, tax_class=standard)
    assert refused.value.extra == {"reason": "in_use", "products": 2}
    assert "2 products have this tax class" in refused.value.detail
    assert TaxClass.objects.filter(pk=standard.pk).exists()
    assert Product.objects.filter(tax_class=standard).count() == 2


def test_an_unused_class_is_deleted(actor):
    zero = services.create_tax_class(actor=actor, slug="zero")
    services.delete_tax_class(actor=actor, tax_class=zero)
    assert not TaxClass.objects.exists()
    last = events()[-1]
    assert (last["tax_class_id"], last["deleted"]) == (zero.pk, True)


def test_an_editor_may_not_write_tax_classes(tenant_a):
    with schema_context("alpha"):
        editor = EditorFactory()
        with pytest.raises(PermissionDenied):
            services.create_tax_class(actor=editor, slug="standard")
        assert not TaxClass.objects.exists()
