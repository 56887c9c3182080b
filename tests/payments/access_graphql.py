"""The access matrix of payments' GraphQL (tests/access_matrix.py): what apps/payments/rules.py
says, managers, admins and the owner see payments (`payments.view_payment`) and change them
(`payments.manage_payments`); nobody else. The objects are those `access.py` builds."""

from __future__ import annotations

from tests.access_matrix import On, graphql
from tests.payments.access import CASHIERS, MANAGE, VIEW


def _on(obj: str, **given) -> On:
    return On(obj.split(":", 1)[1], CASHIERS, obj=obj, body=lambda world, refs: {"id": refs["pk"], **given})


ENTRIES = [
    graphql(
        "Query.payments",
        VIEW,
        "query { payments(first: 5) { id reference status amount transactions { kind result } } }",
        On("all", CASHIERS),
    ),
    graphql(
        "Mutation.paymentCapture",
        MANAGE,
        "mutation($id: ID!) { paymentCapture(id: $id) { payment { status capturedAmount } } }",
        _on("payments:authorized"),
    ),
    graphql(
        "Mutation.paymentVoid",
        MANAGE,
        "mutation($id: ID!) { paymentVoid(id: $id) { payment { status } } }",
        _on("payments:pending"),
    ),
    graphql(
        "Mutation.paymentRefund",
        MANAGE,
        "mutation($id: ID!, $amount: Int!) "
        "{ paymentRefund(id: $id, amount: $amount) { payment { status } } }",
        _on("payments:paid", amount=100),
    ),
    graphql(
        "Mutation.paymentMarkPaid",
        MANAGE,
        "mutation($id: ID!) { paymentMarkPaid(id: $id) { payment { status } } }",
        _on("payments:pending"),
    ),
]
