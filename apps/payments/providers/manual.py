"""The manual provider: bank transfer, cash on delivery, anything paid outside the site.

Nothing leaves the process. Authorising answers "pending": the money is expected, not held.
Staff mark the payment paid when it arrives (apps.payments.services.mark_paid), which captures
it; a refund records that the money went back by hand; a void that it is no longer expected.
"""

from __future__ import annotations

from apps.payments.providers.base import PENDING, SUCCESS, Provider, Result


class ManualProvider(Provider):
    """Payments received and returned by hand, recorded by staff."""

    name = "manual"
    label = "Bank transfer or cash"
    method = "bank_transfer"
    remote = False
    marks_paid = True

    def authorize(self, payment, *, key, details):
        return Result(
            status=PENDING,
            amount=payment.amount,
            raw={"manual": "awaiting payment"},
            message="Awaiting payment.",
        )

    def capture(self, payment, amount, *, key):
        return Result(status=SUCCESS, amount=amount, raw={"manual": "received"}, message="Marked paid.")

    def void(self, payment, *, key):
        return Result(status=SUCCESS, raw={"manual": "cancelled"}, message="No longer expected.")

    def refund(self, payment, amount, *, key):
        return Result(status=SUCCESS, amount=amount, raw={"manual": "returned"}, message="Returned by hand.")
