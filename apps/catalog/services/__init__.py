"""Services of the catalogue: the only code that writes its tables."""

from apps.catalog.services.groups import (
    create_category,
    create_collection,
    delete_category,
    delete_collection,
    update_category,
    update_collection,
)
from apps.catalog.services.products import (
    TRANSITIONS,
    check_sellable,
    create_product,
    delete_product,
    transition_product,
    update_product,
)
from apps.catalog.services.shop import currencies, shop_settings, update_shop_settings
from apps.catalog.services.taxes import create_tax_class, delete_tax_class, update_tax_class
from apps.catalog.services.types import (
    create_attribute,
    create_product_type,
    delete_attribute,
    delete_product_type,
    update_attribute,
    update_product_type,
)
from apps.catalog.services.variants import create_variant, delete_variant, set_prices, update_variant

__all__ = [
    "TRANSITIONS",
    "check_sellable",
    "create_attribute",
    "create_category",
    "create_collection",
    "create_product",
    "create_product_type",
    "create_tax_class",
    "create_variant",
    "currencies",
    "delete_attribute",
    "delete_category",
    "delete_collection",
    "delete_product",
    "delete_product_type",
    "delete_tax_class",
    "delete_variant",
    "set_prices",
    "shop_settings",
    "transition_product",
    "update_attribute",
    "update_category",
    "update_collection",
    "update_product",
    "update_product_type",
    "update_shop_settings",
    "update_tax_class",
    "update_variant",
]
