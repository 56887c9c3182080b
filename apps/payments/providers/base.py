"""The one interface every payment provider implements, and what its calls answer.

A provider is a class with a `name` (what payments store in `provider`) and five operations.
Four of them talk to the provider and are called by apps.payments.services outside any database
transaction, with an idempotency key: called twice with the same key, the provider must act
once and answer the second call with what it answered the first (real providers keep such keys;
the demo provider keeps them in Redis). The fifth, `parse_notification`, checks a message the
provider sent to the webhook and says what it means.

Trouble on the way (no answer in time, the provider down) is raised, never answered:
ProviderTimeout or ProviderUnavailable. The services retry those with the same key, through a
circuit breaker per provider. A refusal (a declined card) is an answer: `Result(status=FAILED)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rustok.errors import DomainError

SUCCESS = "success"
FAILED = "failed"
PENDING = "pending"


class ProviderTimeout(Exception):
    """The provider did not answer in time: it may or may not have acted (retry with the same key)."""


class ProviderUnavailable(Exception):
    """The provider cannot be reached or answers that it is down: it did not act."""


class InvalidSignature(DomainError):
    """A notification whose signature does not verify: not from the provider, or altered."""

    code = "invalid_signature"
    status = 400
    title = "Invalid signature"


@dataclass(frozen=True)
class Result:
    """What a provider answered to a call.

    `status`: SUCCESS, FAILED (declined, refused) or PENDING (it will say later, by a
    notification). `amount` is what the answer is about (authorised, captured, refunded), in minor
    units. `raw` is the provider's answer as it came (kept verbatim), `message` what a person may
    read, `details` safe display facts for the payment (card brand, last 4 digits: never a card
    number).
    """

    status: str
    provider_reference: str = ""
    amount: int = 0
    raw: dict[str, Any] = field(default_factory=dict)
    message: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        return self.status == SUCCESS


@dataclass(frozen=True)
class Notification:
    """What a verified notification says happened to a payment.

    `id` is the provider's id of the message (a message delivered twice has the same id);
    `payment_key` the payment's `key` (providers echo it back), or `provider_reference` the
    provider's id of the charge, to find the payment by. `event` is one of "authorized",
    "captured", "failed", "voided", "refunded"; `amount` what it is about.
    """

    id: str
    event: str
    payment_key: str = ""
    provider_reference: str = ""
    amount: int = 0
    message: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


class Provider:
    """Base of every provider. Subclasses set `name` and implement the operations.

    `auto_capture`: the provider takes the money when it authorises (the services then capture at
    once, with a key of its own). `remote`: its calls leave the process (False for the manual
    provider, which only records what staff say). `marks_paid`: staff mark its payments paid by
    hand (bank transfer, cash on delivery).
    """

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    method: ClassVar[str] = ""  # what payments of this provider are, when the caller says nothing
    auto_capture: ClassVar[bool] = False
    remote: ClassVar[bool] = True
    marks_paid: ClassVar[bool] = False

    def authorize(self, payment, *, key: str, details: Mapping[str, Any]) -> Result:
        """Ask for `payment.amount` `payment.currency` to be held (or taken, if `auto_capture`)."""
        raise NotImplementedError

    def capture(self, payment, amount: int, *, key: str) -> Result:
        """Take `amount` of what was authorised."""
        raise NotImplementedError

    def void(self, payment, *, key: str) -> Result:
        """Cancel what was authorised (or asked) before any money was taken."""
        raise NotImplementedError

    def refund(self, payment, amount: int, *, key: str) -> Result:
        """Give `amount` of what was captured back."""
        raise NotImplementedError

    def parse_notification(self, body: bytes, headers: Mapping[str, str]) -> Notification:
        """The notification `body` carries, once its signature in `headers` verifies; raises
        InvalidSignature when it does not (and InvalidInput when the body is no notification)."""
        raise InvalidSignature(f"The provider '{self.name}' sends no notifications.")


def header(headers: Mapping[str, str], name: str) -> str:
    """The value of header `name` in `headers`, whatever the case of its name ("" if absent)."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return ""
