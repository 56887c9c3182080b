"""Who may do what with stock.

Admins and managers (and the owner) see and change stock, locations and low-stock thresholds
(`inventory.view_stock`, `inventory.manage_stock`). Reservations are made and released by the
checkout on the shopper's behalf, through services that take no actor. The Django admin asks for
its own names; movements and reservations are read-only there: they are changed by services only.
"""

import rules

from apps.accounts.models import Role
from rustok.permissions import role_in

is_stock_keeper = role_in(Role.ADMIN, Role.MANAGER)

rules.add_perm("inventory.view_stock", is_stock_keeper)
rules.add_perm("inventory.manage_stock", is_stock_keeper)

for model in ("stocklocation", "stocklevel", "stockalert"):
    for verb in ("view", "add", "change", "delete"):
        rules.add_perm(f"inventory.{verb}_{model}", is_stock_keeper)
for model in ("stockmovement", "reservation"):
    rules.add_perm(f"inventory.view_{model}", is_stock_keeper)
rules.add_perm("inventory", is_stock_keeper)
