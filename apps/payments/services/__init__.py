"""Services of the payments module: the only code that writes its tables.

Those that call a provider (authorize, capture, void, refund, and mark_paid through the manual
provider) run in two phases and must not be called inside a transaction: see
apps.payments.services.payments and docs/payments.md ("Two phases").
"""

from apps.payments.errors import (
    PaymentDeclined,
    PaymentProviderUnavailable,
    ProviderRefused,
    RefundExceedsCaptured,
)
from apps.payments.providers import InvalidSignature
from apps.payments.services.calls import CallInTransaction
from apps.payments.services.notifications import handle_notification
from apps.payments.services.payments import authorize, capture, mark_paid, refund, start_payment, void

__all__ = [
    "CallInTransaction",
    "InvalidSignature",
    "PaymentDeclined",
    "PaymentProviderUnavailable",
    "ProviderRefused",
    "RefundExceedsCaptured",
    "authorize",
    "capture",
    "handle_notification",
    "mark_paid",
    "refund",
    "start_payment",
    "void",
]
