"""Who may do what with payments.

Admins and managers (and the owner) see payments with their transactions
(`payments.view_payment`) and capture, void, refund or mark them paid
(`payments.manage_payments`). Customers never reach these: the orders module shows them their
payment's status. Payments are started and authorised by the checkout, through services that
take no actor. The Django admin asks for its own names; payments and transactions are read-only
there (their buttons call the services).
"""

import rules

from apps.accounts.models import Role
from rustok.permissions import role_in

is_cashier = role_in(Role.ADMIN, Role.MANAGER)

rules.add_perm("payments.view_payment", is_cashier)
rules.add_perm("payments.manage_payments", is_cashier)
rules.add_perm("payments.view_paymenttransaction", is_cashier)
rules.add_perm("payments", is_cashier)
