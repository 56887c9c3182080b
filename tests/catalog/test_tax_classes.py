"""Tax classes through their services: a slug and a translated name; products keep pointing at
one renamed, and lose one deleted."""

import pytest

from apps.catalog import services
from apps.catalog.models import Product, TaxClass
from apps.events.models import OutboxEvent
from rustok.errors import InvalidInput, PermissionDenied
from tests.accounts.factories import EditorFactory
from tests.catalog.factories import make_product

pytestmark = pytest.mark.django_db


def test_a_manager_creates_renames_and_deletes_a_tax_class(manager):
    reduced = services.create_tax_class(actor=manager, slug="reduced", texts={"en": {"name": "Reduced"}})
    product = make_product(actor=manager, tax_class="reduced")
    services.update_tax_class(
        actor=manager, tax_class=reduced, slug="reduced-7", texts={"ru": {"name": "Льготная"}}
    )
    stored = TaxClass.objects.get(pk=reduced.pk)
    assert (stored.slug, stored.name_en, stored.name_ru) == ("reduced-7", "Reduced", "Льготная")
    services.delete_tax_class(actor=manager, tax_class=stored)
    assert Product.objects.get(pk=product.pk).tax_class is None
    assert OutboxEvent.objects.filter(type="catalog.tax_class.changed").count() == 3


@pytest.mark.parametrize(
    ("slug", "texts", "field"),
    [
        ("bad slug", {"en": {"name": "Bad"}}, "slug"),
        ("fine", {"en": {"name": " "}}, "name"),
        ("fine", {"en": {"name": "x" * 121}}, "name_en"),
    ],
)
def test_a_tax_class_without_a_valid_slug_or_name_is_refused(manager, slug, texts, field):
    with pytest.raises(InvalidInput) as refused:
        services.create_tax_class(actor=manager, slug=slug, texts=texts)
    assert list(refused.value.errors) == [field]
    assert not TaxClass.objects.exists()


def test_a_taken_slug_is_refused_naming_it(manager):
    services.create_tax_class(actor=manager, slug="standard", texts={"en": {"name": "Standard"}})
    with pytest.raises(InvalidInput) as refused:
        services.create_tax_class(actor=manager, slug="standard", texts={"en": {"name": "Again"}})
    assert list(refused.value.errors) == ["slug"]


def test_editors_cannot_write_tax_classes(alpha):
    with pytest.raises(PermissionDenied):
        services.create_tax_class(actor=EditorFactory(), slug="zero", texts={"en": {"name": "Zero"}})
