"""Rows the payments tests stand on, created in whatever schema is active, through the services
(the only writers of payments), and the demo provider's test cards."""

from __future__ import annotations

import factory

from apps.accounts.models import Role
from apps.payments import services
from apps.payments.models import Kind, Payment
from apps.payments.providers import SUCCESS, Result
from apps.payments.providers.demo import DECLINED, PENDING_THEN_SUCCEEDS, PROVIDER_DOWN, SUCCEEDS, TIMES_OUT
from apps.payments.services import records
from tests.accounts.factories import UserFactory

__all__ = ["DECLINED", "PENDING_THEN_SUCCEEDS", "PROVIDER_DOWN", "SUCCEEDS", "TIMES_OUT"]


class ManagerFactory(UserFactory):
    role = Role.MANAGER


class PaymentFactory(factory.Factory):
    """A pending payment, started through the service (`provider` "demo" unless given)."""

    class Meta:
        model = Payment

    provider = "demo"
    amount = 2500
    currency = "EUR"
    reference = factory.Sequence(lambda n: f"checkout:{n:08d}")
    email = "buyer@example.com"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.start_payment(**kwargs)


def card(number: str) -> dict:
    return {"card_number": number}


def paid(number: str = SUCCEEDS, **given) -> Payment:
    """A demo payment authorised with `number` (captured at once, as the demo provider does)."""
    return services.authorize(payment=PaymentFactory(**given), details=card(number))


def manual(**given) -> Payment:
    return PaymentFactory(provider="manual", **given)


def authorized_manual(**given) -> Payment:
    """A manual payment the provider said was authorised (recorded through the recording service,
    as after an answer): for what needs an authorised payment without an outside call."""
    payment = manual(**given)
    return records.record(
        payment=payment,
        kind=Kind.AUTHORIZE,
        result=Result(status=SUCCESS, amount=payment.amount),
        key=f"{payment.key}:authorize",
    )


def captured_manual(actor, **given) -> Payment:
    return services.mark_paid(payment=manual(**given), actor=actor)
