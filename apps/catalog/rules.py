"""Who may do what with the catalogue.

Managers and admins (and the owner) manage it: products, variants, prices, product types and
attributes, categories, collections and the shop's currencies (`catalog.manage_catalog`), and see
what readers do not: drafts, archived products and cost prices (`catalog.view_catalog`). Anyone may
read active products, without their cost prices.
"""

import rules

from apps.accounts.models import Role
from rustok.permissions import role_in

is_manager = role_in(Role.MANAGER, Role.ADMIN)

rules.add_perm("catalog.view_catalog", is_manager)
rules.add_perm("catalog.manage_catalog", is_manager)

# The names the Django admin asks for.
for model in (
    "product",
    "variant",
    "price",
    "producttype",
    "producttypeattribute",
    "attribute",
    "attributechoice",
    "attributevalue",
    "productcategory",
    "collection",
    "collectionproduct",
    "productimage",
    "taxclass",
    "shopsettings",
):
    for verb in ("view", "add", "change", "delete"):
        rules.add_perm(f"catalog.{verb}_{model}", is_manager)
rules.add_perm("catalog", is_manager)
