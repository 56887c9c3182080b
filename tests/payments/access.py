"""The access matrix of payments (tests/access_matrix.py): every REST route of /api/v1/payments/.
Managers, admins and the owner see payments (`payments.view_payment`) and capture, void, refund
or mark them paid (`payments.manage_payments`); customers and everyone else reach none of it.
The webhook takes no credentials: anyone reaches it, and without the provider's signature it
answers 400 `invalid_signature`.

The payments the operations act on are manual ones (the matrix runs in a transaction, and only
the manual provider may be called in one: it calls nothing outside).
"""

from __future__ import annotations

from apps.accounts.models import Role
from apps.payments import services
from rustok.permissions import PUBLIC
from tests.access_matrix import ADMINS, SECRET, On, rest
from tests.payments.factories import authorized_manual, manual

CASHIERS = ADMINS | {Role.MANAGER.value}
VIEW = "payments.view_payment"
MANAGE = "payments.manage_payments"
BASE = "/api/v1/payments/"
ONE = f"{BASE}{{pk}}/"


def build(world) -> None:
    """A pending manual payment, an authorised one, and one paid."""
    manager = world.users[Role.MANAGER]
    world.add("payments:pending", manual(reference="checkout:matrix-pending"), provider="demo")
    world.add("payments:authorized", authorized_manual(reference="checkout:matrix-authorized"))
    paid = services.mark_paid(payment=manual(reference="checkout:matrix-paid"), actor=manager)
    world.add("payments:paid", paid)


def build_foreign() -> None:
    """The other site's payment, which no answer here may show."""
    manual(reference=f"checkout:{SECRET}", email=f"{SECRET}@beta.test")


ENTRIES = [
    rest(f"GET {BASE}", VIEW, On("all", CASHIERS)),
    rest(f"GET {ONE}", VIEW, On("paid", CASHIERS, obj="payments:paid")),
    rest(f"POST {ONE}capture/", MANAGE, On("authorized", CASHIERS, obj="payments:authorized", body={})),
    rest(f"POST {ONE}void/", MANAGE, On("pending", CASHIERS, obj="payments:pending")),
    rest(f"POST {ONE}refund/", MANAGE, On("paid", CASHIERS, obj="payments:paid", body={"amount": 100})),
    rest(f"POST {ONE}mark-paid/", MANAGE, On("pending", CASHIERS, obj="payments:pending")),
    rest(
        f"POST {BASE}{{provider}}/notify/",
        PUBLIC,
        On(
            "unsigned",
            frozenset(Role.values),
            obj="payments:pending",
            body={"id": "evt_matrix", "type": "charge.captured"},
        ),
        status=400,
        signs_in=True,
    ),
]
