"""Who may do what with carts, orders and the shop's shipping, taxes and vouchers.

Shoppers need no permission for their own cart and checkout: a guest holds a cart by its token,
a customer by being signed in (apps.orders.selectors answers only their own). A customer sees
their own orders (apps.orders.selectors.may_read); a guest reaches one by the signed link
mailed to them. Managers and admins (and the owner) see and manage every order and keep the
shipping zones, tax rates, vouchers and order settings. The Django admin asks for its own names.
"""

import rules

from apps.accounts.models import Role
from rustok.permissions import role_in

is_shopkeeper = role_in(Role.ADMIN, Role.MANAGER)


rules.add_perm("orders.manage_orders", is_shopkeeper)
rules.add_perm("orders.view_orders", is_shopkeeper)
rules.add_perm("orders.manage_shipping", is_shopkeeper)
rules.add_perm("orders.manage_taxes", is_shopkeeper)
rules.add_perm("orders.manage_vouchers", is_shopkeeper)
rules.add_perm("orders.manage_order_settings", is_shopkeeper)

# The names the Django admin asks for.
for model in ("shippingzone", "shippingmethod", "weightrate", "taxrate", "voucher"):
    for verb in ("view", "add", "change", "delete"):
        rules.add_perm(f"orders.{verb}_{model}", is_shopkeeper)
for verb in ("view", "change"):
    rules.add_perm(f"orders.{verb}_ordersettings", is_shopkeeper)
    rules.add_perm(f"orders.{verb}_order", is_shopkeeper)
for model in ("orderline", "orderhistory", "shipment", "voucheruse", "cart", "cartline", "dailysales"):
    rules.add_perm(f"orders.view_{model}", is_shopkeeper)
rules.add_perm("orders", is_shopkeeper)
