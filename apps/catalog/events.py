"""Events of the catalogue: products through their workflow, variants, prices, and what groups
products (categories, collections, types and attributes).

Every product and variant event names the product, so read models and page caches follow a
product whatever changed in it. `actor_id` is None when the platform acted (an import's owner is
its actor).
"""

import dataclasses

from rustok.events import Event


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProductEvent(Event):
    """Base of the product events (not published itself: it declares no `type`)."""

    product_id: int
    actor_id: int | None


class ProductCreated(ProductEvent):
    type = "catalog.product.created"
    version = 1
    status: str


class ProductUpdated(ProductEvent):
    """`changed` names what changed: columns (`name_en`), `categories`, `collections`,
    `attributes.<slug>`, `images`."""

    type = "catalog.product.updated"
    version = 1
    changed: list[str]


class ProductActivated(ProductEvent):
    type = "catalog.product.activated"
    version = 1


class ProductDeactivated(ProductEvent):
    type = "catalog.product.deactivated"
    version = 1


class ProductArchived(ProductEvent):
    type = "catalog.product.archived"
    version = 1


class ProductUnarchived(ProductEvent):
    type = "catalog.product.unarchived"
    version = 1


class ProductDeleted(ProductEvent):
    """`variant_ids`: the variants deleted with it (stock, carts and orders refer to them)."""

    type = "catalog.product.deleted"
    version = 1
    variant_ids: list[int]


@dataclasses.dataclass(frozen=True, kw_only=True)
class VariantEvent(Event):
    variant_id: int
    product_id: int
    actor_id: int | None


class VariantCreated(VariantEvent):
    type = "catalog.variant.created"
    version = 1
    sku: str


class VariantUpdated(VariantEvent):
    type = "catalog.variant.updated"
    version = 1
    changed: list[str]


class VariantDeleted(VariantEvent):
    type = "catalog.variant.deleted"
    version = 1
    sku: str


class PriceChanged(VariantEvent):
    """A variant's price in `currency` was set, changed or removed (`amount` None); minor units."""

    type = "catalog.price.changed"
    version = 1
    currency: str
    amount: int | None
    previous: int | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class GroupEvent(Event):
    """A category, collection, product type or attribute changed; `product_ids` are the products
    whose pages show it (their documents are rebuilt)."""

    actor_id: int | None
    product_ids: list[int] = dataclasses.field(default_factory=list)


class CategoryCreated(GroupEvent):
    type = "catalog.category.created"
    version = 1
    category_id: int


class CategoryUpdated(GroupEvent):
    type = "catalog.category.updated"
    version = 1
    category_id: int


class CategoryDeleted(GroupEvent):
    type = "catalog.category.deleted"
    version = 1
    category_id: int


class CollectionCreated(GroupEvent):
    type = "catalog.collection.created"
    version = 1
    collection_id: int


class CollectionUpdated(GroupEvent):
    type = "catalog.collection.updated"
    version = 1
    collection_id: int


class CollectionDeleted(GroupEvent):
    type = "catalog.collection.deleted"
    version = 1
    collection_id: int


class ProductTypeChanged(GroupEvent):
    """A product type was created, changed (its attributes) or deleted (`deleted`)."""

    type = "catalog.product_type.changed"
    version = 1
    product_type_id: int
    deleted: bool = False


class AttributeChanged(GroupEvent):
    """An attribute or its choices were created, changed or deleted (`deleted`)."""

    type = "catalog.attribute.changed"
    version = 1
    attribute_id: int
    deleted: bool = False


class TaxClassChanged(GroupEvent):
    """A tax class was created, renamed or deleted (`deleted`); `product_ids` are its products."""

    type = "catalog.tax_class.changed"
    version = 1
    tax_class_id: int
    deleted: bool = False


class ShopSettingsChanged(Event):
    type = "catalog.settings.changed"
    version = 1
    actor_id: int | None
    changed: list[str]


# Transition name -> the event it publishes.
TRANSITION_EVENTS = {
    "activate": ProductActivated,
    "deactivate": ProductDeactivated,
    "archive": ProductArchived,
    "unarchive": ProductUnarchived,
}
