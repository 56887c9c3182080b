"""Tax classes: what a product is taxed as (standard, reduced, ...), named per language and
known by a unique slug (imports name them by it). Managers and admins write them
(catalog.manage_catalog); the rates per country come with the orders."""

from __future__ import annotations

from django.db import transaction

from apps.catalog.events import TaxClassChanged
from apps.catalog.models import TaxClass
from apps.catalog.services.types import _name_columns, _save_unique, _slug
from rustok.errors import Conflict
from rustok.events import publish
from rustok.permissions import require
from rustok.rows import lock
from rustok.texts import Texts, assign, check_lengths, check_texts
from rustok.tree import UNSET

PERM = "catalog.manage_catalog"


def _named(tax_class: TaxClass, texts: Texts | None) -> None:
    assign(tax_class, check_texts(texts, ("name",)))
    check_lengths(tax_class, ("name",))
    if not any(getattr(tax_class, column) for column in _name_columns()):
        tax_class.name = tax_class.slug


@transaction.atomic
def create_tax_class(*, actor, slug: str, texts: Texts | None = None) -> TaxClass:
    """A new tax class; its name defaults to the slug. 400 naming `slug` when another class has
    it. `catalog.tax_class.changed`."""
    require(actor, PERM)
    tax_class = TaxClass(slug=_slug(slug))
    _named(tax_class, texts)
    _save_unique(tax_class, "slug", "tax class")
    publish(TaxClassChanged(tax_class_id=tax_class.pk, actor_id=actor.pk))
    return tax_class


@transaction.atomic
def update_tax_class(*, actor, tax_class: TaxClass, texts: Texts | None = None, slug=UNSET) -> TaxClass:
    """Change a tax class's names (the languages given) or its slug; an event only if something
    changed, naming the products of the class."""
    require(actor, PERM)
    tax_class = lock(TaxClass, tax_class, "tax class")
    changed = assign(tax_class, check_texts(texts, ("name",)))
    check_lengths(tax_class, ("name",))
    if slug is not UNSET:
        slug = _slug(slug)
        if slug != tax_class.slug:
            tax_class.slug = slug
            changed.append("slug")
    if not any(getattr(tax_class, column) for column in _name_columns()):
        tax_class.name = tax_class.slug
    if not changed:
        return tax_class
    _save_unique(tax_class, "slug", "tax class")
    product_ids = list(tax_class.product_set.values_list("pk", flat=True))
    publish(TaxClassChanged(tax_class_id=tax_class.pk, actor_id=actor.pk, product_ids=product_ids))
    return tax_class


@transaction.atomic
def delete_tax_class(*, actor, tax_class: TaxClass) -> None:
    """Delete a tax class no product has (409 `in_use` with their count otherwise: a product
    left without one would be taxed as nothing, so they are moved first, as for product types)."""
    require(actor, PERM)
    tax_class = lock(TaxClass, tax_class, "tax class")
    count = tax_class.product_set.count()
    if count:
        noun = "product has" if count == 1 else "products have"
        raise Conflict(
            f"{count} {noun} this tax class; give them another first.", reason="in_use", products=count
        )
    tax_class_id = tax_class.pk
    tax_class.delete()
    publish(TaxClassChanged(tax_class_id=tax_class_id, actor_id=actor.pk, deleted=True))
