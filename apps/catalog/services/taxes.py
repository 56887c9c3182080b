"""Tax classes: what a product is taxed as (standard, reduced, ...). Managers and admins write
them (catalog.manage_catalog); their rates per country come with orders."""

from __future__ import annotations

from django.db import transaction

from apps.catalog.events import TaxClassChanged
from apps.catalog.models import TaxClass
from apps.catalog.services.types import _name_columns, _save_unique, _slug
from rustok.errors import InvalidInput
from rustok.events import publish
from rustok.permissions import require
from rustok.rows import lock
from rustok.texts import Texts, assign, check_lengths, check_texts

PERM = "catalog.manage_catalog"


def _named(tax_class: TaxClass) -> None:
    if not any(getattr(tax_class, name) for name in _name_columns()):
        raise InvalidInput.for_field("name", "Give the name in at least one language.")


@transaction.atomic
def create_tax_class(*, actor, slug: str, texts: Texts | None = None) -> TaxClass:
    """A new tax class: a slug (unique) and a name in at least one language."""
    require(actor, PERM)
    tax_class = TaxClass(slug=_slug(slug))
    assign(tax_class, check_texts(texts, ("name",)))
    check_lengths(tax_class, ("name",))
    _named(tax_class)
    _save_unique(tax_class, "slug", "tax class")
    publish(TaxClassChanged(tax_class_id=tax_class.pk, actor_id=actor.pk))
    return tax_class


@transaction.atomic
def update_tax_class(*, actor, tax_class: TaxClass, slug=None, texts: Texts | None = None) -> TaxClass:
    """Rename a tax class, or give it another slug (products keep it: they point at its id)."""
    require(actor, PERM)
    tax_class = lock(TaxClass, tax_class, "tax class")
    changed = assign(tax_class, check_texts(texts, ("name",)))
    check_lengths(tax_class, ("name",))
    _named(tax_class)
    if slug is not None and _slug(slug) != tax_class.slug:
        tax_class.slug = _slug(slug)
        changed.append("slug")
    if changed:
        _save_unique(tax_class, "slug", "tax class")
        publish(TaxClassChanged(tax_class_id=tax_class.pk, actor_id=actor.pk))
    return tax_class


@transaction.atomic
def delete_tax_class(*, actor, tax_class: TaxClass) -> None:
    """Delete a tax class; its products are left without one (taxed as the shop's default)."""
    require(actor, PERM)
    tax_class = lock(TaxClass, tax_class, "tax class")
    tax_class_id = tax_class.pk
    tax_class.delete()
    publish(TaxClassChanged(tax_class_id=tax_class_id, actor_id=actor.pk, deleted=True))
