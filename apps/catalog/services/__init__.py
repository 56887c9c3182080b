"""Services of the catalogue: the only code that writes its tables."""

from apps.catalog.services.bulk import (
    MAX_PRODUCTS,
    Outcome,
    bulk_action,
    bulk_add_to_collection,
    bulk_assign_category,
    bulk_change_prices,
    bulk_remove_category,
    bulk_remove_from_collection,
    bulk_transition,
)
from apps.catalog.services.groups import (
    create_category,
    create_collection,
    delete_category,
    delete_collection,
    update_category,
    update_collection,
)
from apps.catalog.services.images import (
    add_product_image,
    delete_product_image,
    reorder_product_images,
    set_category_image,
    set_collection_image,
    update_product_image,
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
    "MAX_PRODUCTS",
    "TRANSITIONS",
    "Outcome",
    "add_product_image",
    "bulk_action",
    "bulk_add_to_collection",
    "bulk_assign_category",
    "bulk_change_prices",
    "bulk_remove_category",
    "bulk_remove_from_collection",
    "bulk_transition",
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
    "delete_product_image",
    "delete_product_type",
    "delete_tax_class",
    "delete_variant",
    "reorder_product_images",
    "set_category_image",
    "set_collection_image",
    "set_prices",
    "shop_settings",
    "transition_product",
    "update_attribute",
    "update_category",
    "update_collection",
    "update_product",
    "update_product_image",
    "update_product_type",
    "update_shop_settings",
    "update_tax_class",
    "update_variant",
]
