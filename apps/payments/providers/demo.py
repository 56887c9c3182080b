"""The demo card provider: card payments for the demo site and the tests, with test cards.

It behaves as a real card provider does, without one: its "remote" side is a ledger in Redis,
outside the database and its transactions, of every answer it gave per idempotency key and of
every charge, per site (keys carry the tenant's schema). A call repeated with a key it has seen
gets the answer recorded the first time (`raw["idempotent_replay"]`), and charges nothing again.

Test cards (spaces are ignored; any expiry date and CVC):

- 4242 4242 4242 4242: authorised, then captured (the provider captures at once);
- 4000 0000 0000 0002: declined ("Your card was declined.");
- 4000 0000 0000 3220: pending (the bank checks); a signed notification says it was captured
  PAYMENTS_DEMO_SETTLE_SECONDS later, sent by a Celery task;
- 4000 0000 0000 0119: the charge is made, then the call times out; a retry with the same key
  gets the charge;
- 4000 0000 0000 0500: the provider is down: every call fails, nothing is recorded;
- any other number passing the Luhn check: as 4242 4242 4242 4242; one failing it is declined.

Notifications are JSON signed with HMAC-SHA256 of the body under PAYMENTS_DEMO_SECRET (by
default derived from SECRET_KEY), in the header `X-Demo-Signature` (hex), checked in constant
time.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Mapping
from typing import Any

import redis
from django.conf import settings
from django.db import connection
from django.utils.crypto import salted_hmac

from apps.payments.providers.base import (
    FAILED,
    PENDING,
    SUCCESS,
    InvalidSignature,
    Notification,
    Provider,
    ProviderTimeout,
    ProviderUnavailable,
    Result,
    header,
)
from rustok.errors import InvalidInput

log = logging.getLogger(__name__)

SUCCEEDS = "4242424242424242"
DECLINED = "4000000000000002"
PENDING_THEN_SUCCEEDS = "4000000000003220"
TIMES_OUT = "4000000000000119"
PROVIDER_DOWN = "4000000000000500"

SIGNATURE_HEADER = "X-Demo-Signature"
LEDGER_DAYS = 30
EVENTS = {
    "charge.authorized": "authorized",
    "charge.captured": "captured",
    "charge.failed": "failed",
    "charge.voided": "voided",
    "charge.refunded": "refunded",
}


def luhn(number: str) -> bool:
    """Whether `number` (digits) passes the Luhn check card numbers carry."""
    if not number.isdigit() or not 12 <= len(number) <= 19:
        return False
    total = 0
    for position, digit in enumerate(reversed(number)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def brand(number: str) -> str:
    return {"4": "visa", "5": "mastercard", "3": "amex"}.get(number[:1], "card")


def secret() -> bytes:
    """The key notifications are signed with."""
    configured = getattr(settings, "PAYMENTS_DEMO_SECRET", "")
    if configured:
        return configured.encode()
    return salted_hmac("rustok.payments.demo", "notifications", algorithm="sha256").hexdigest().encode()


def sign(body: bytes) -> str:
    """The signature of a notification body (hex HMAC-SHA256)."""
    return hmac.new(secret(), body, hashlib.sha256).hexdigest()


@functools.cache
def _client(url: str, timeout: float) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)


class Ledger:
    """The demo provider's records, in Redis: the answer given per idempotency key and the charges,
    of the current site (the schema in the key)."""

    def __init__(self):
        cache = settings.CACHES["default"]
        url = getattr(settings, "PAYMENTS_DEMO_REDIS_URL", "") or cache["LOCATION"]
        self.redis = _client(url, float(getattr(settings, "PAYMENTS_DEMO_REDIS_TIMEOUT", 2.0)))
        base = f"{cache.get('KEY_PREFIX', 'rustok')}:payments-demo:{connection.schema_name}"
        self.answers_key, self.charges_key = f"{base}:answers", f"{base}:charges"

    def _do(self, call, *args):
        try:
            return call(*args)
        except redis.TimeoutError as exc:
            raise ProviderTimeout(f"demo provider: no answer in time ({exc})") from exc
        except redis.RedisError as exc:
            raise ProviderUnavailable(f"demo provider unreachable ({exc})") from exc

    def answer(self, key: str) -> dict | None:
        """What was answered to `key`, if anything."""
        found = self._do(self.redis.hget, self.answers_key, key)
        return json.loads(found) if found else None

    def keep_answer(self, key: str, answer: dict) -> bool:
        """Record `answer` for `key` unless one is recorded already (then False)."""
        added = self._do(self.redis.hsetnx, self.answers_key, key, json.dumps(answer))
        self._do(self.redis.expire, self.answers_key, LEDGER_DAYS * 86400)
        return bool(added)

    def charge(self, charge_id: str) -> dict | None:
        found = self._do(self.redis.hget, self.charges_key, charge_id) if charge_id else None
        return json.loads(found) if found else None

    def keep_charge(self, charge: dict) -> None:
        self._do(self.redis.hset, self.charges_key, charge["id"], json.dumps(charge))
        self._do(self.redis.expire, self.charges_key, LEDGER_DAYS * 86400)

    def charges(self) -> list[dict]:
        """Every charge of the site, oldest first (tests, and the demo's curious)."""
        found = self._do(self.redis.hgetall, self.charges_key)
        return sorted((json.loads(value) for value in found.values()), key=lambda c: c["created"])


class DemoProvider(Provider):
    """A card provider without a bank: see the module's docstring for its test cards."""

    name = "demo"
    label = "Demo card"
    method = "card"
    auto_capture = True

    def ledger(self) -> Ledger:
        return Ledger()

    # --- the calls ---------------------------------------------------------------------------------
    def authorize(self, payment, *, key, details):
        details = details or {}
        number = "".join(str(details.get("card_number") or details.get("number") or "").split())
        if number == PROVIDER_DOWN:
            raise ProviderUnavailable("demo provider: service unavailable (test card)")
        ledger = self.ledger()
        replay = self._replay(ledger, key)
        if replay is not None:
            return replay
        safe = {"brand": brand(number), "last4": number[-4:]} if number else {}
        if number == DECLINED or not luhn(number):
            message = "Your card was declined." if luhn(number) else "The card number is not valid."
            answer = {"status": FAILED, "charge": "", "amount": 0, "message": message, "details": safe}
            return self._answer(ledger, key, answer)
        pending = number == PENDING_THEN_SUCCEEDS
        charge = {
            "id": f"demo_ch_{secrets.token_hex(8)}",
            "key": key,
            "payment_key": str(payment.key),
            "amount": payment.amount,
            "currency": payment.currency,
            "status": "pending" if pending else "authorized",
            "captured": 0,
            "refunded": 0,
            "created": time.time(),
            **safe,
        }
        answer = {
            "status": PENDING if pending else SUCCESS,
            "charge": charge["id"],
            "amount": payment.amount,
            "message": "Waiting for the bank." if pending else "Authorised.",
            "details": safe,
        }
        if not ledger.keep_answer(key, answer):
            return self._replay(ledger, key)  # a call with the same key got there first
        ledger.keep_charge(charge)
        if pending:
            schedule_settlement(charge["id"])
        if number == TIMES_OUT:
            raise ProviderTimeout("demo provider: the charge was made, but the answer timed out (test card)")
        return _result(answer)

    def capture(self, payment, amount, *, key):
        return self._change(payment, key, "capture", amount)

    def void(self, payment, *, key):
        return self._change(payment, key, "void", 0)

    def refund(self, payment, amount, *, key):
        return self._change(payment, key, "refund", amount)

    def _change(self, payment, key: str, operation: str, amount: int) -> Result:
        ledger = self.ledger()
        replay = self._replay(ledger, key)
        if replay is not None:
            return replay
        charge = ledger.charge(payment.provider_reference)
        refusal = _refusal(charge, operation, amount)
        if refusal:
            answer = {"status": FAILED, "charge": payment.provider_reference, "amount": 0, "message": refusal}
            return self._answer(ledger, key, answer)
        if charge is None:  # voiding what was never charged
            answer = {"status": SUCCESS, "charge": "", "amount": 0, "message": "Nothing was charged."}
            return self._answer(ledger, key, answer)
        if operation == "capture":
            charge.update(status="captured", captured=amount)
        elif operation == "void":
            charge.update(status="voided")
        else:
            charge["refunded"] += amount
            charge["status"] = "refunded" if charge["refunded"] == charge["captured"] else "captured"
        answer = {
            "status": SUCCESS,
            "charge": charge["id"],
            "amount": amount,
            "message": f"{operation}: done.",
        }
        if not ledger.keep_answer(key, answer):
            return self._replay(ledger, key)
        ledger.keep_charge(charge)
        return _result(answer)

    def _replay(self, ledger: Ledger, key: str) -> Result | None:
        recorded = ledger.answer(key)
        return None if recorded is None else _result(recorded, replay=True)

    def _answer(self, ledger: Ledger, key: str, answer: dict) -> Result:
        if not ledger.keep_answer(key, answer):
            return self._replay(ledger, key)
        return _result(answer)

    # --- the notifications -------------------------------------------------------------------------
    def settle(self, charge_id: str) -> tuple[bytes, dict[str, str]]:
        """The bank approved the pending charge `charge_id`: it is captured in the ledger. Answers
        the signed notification saying so (body, headers), as the provider would send it; a
        charge voided meanwhile stays voided, and the notification says that."""
        ledger = self.ledger()
        charge = ledger.charge(charge_id)
        if charge is None:
            raise LookupError(f"No demo charge {charge_id}.")
        if charge["status"] == "pending":
            charge.update(status="captured", captured=charge["amount"])
            ledger.keep_charge(charge)
        return self.notification(
            "charge.voided" if charge["status"] == "voided" else "charge.captured", charge
        )

    def notification(self, event_type: str, charge: dict) -> tuple[bytes, dict[str, str]]:
        """A signed notification of `event_type` about `charge` (body, headers)."""
        body = json.dumps(
            {
                "id": f"demo_evt_{charge['id']}_{event_type}",
                "type": event_type,
                "charge": charge["id"],
                "payment_key": charge["payment_key"],
                "amount": charge["captured"] if event_type == "charge.captured" else charge["amount"],
                "currency": charge["currency"],
            },
            sort_keys=True,
        ).encode()
        return body, {SIGNATURE_HEADER: sign(body)}

    def parse_notification(self, body: bytes, headers: Mapping[str, str]) -> Notification:
        given = header(headers, SIGNATURE_HEADER)
        if not given or not hmac.compare_digest(given.encode(), sign(body).encode()):
            raise InvalidSignature(f"The {SIGNATURE_HEADER} signature does not verify.")
        try:
            message = json.loads(body)
        except ValueError:
            raise InvalidInput.for_field("body", "A demo notification is a JSON object.") from None
        if not isinstance(message, dict) or message.get("type") not in EVENTS or not message.get("id"):
            raise InvalidInput.for_field("body", "Not a demo notification (id, type).")
        return Notification(
            id=str(message["id"]),
            event=EVENTS[message["type"]],
            payment_key=str(message.get("payment_key") or ""),
            provider_reference=str(message.get("charge") or ""),
            amount=message.get("amount") if isinstance(message.get("amount"), int) else 0,
            raw=message,
        )


def _refusal(charge: dict | None, operation: str, amount: int) -> str:
    """Why the provider refuses `operation` on `charge` ("" if it does not)."""
    if charge is None:
        return "" if operation == "void" else "No such charge."
    state = charge["status"]
    if operation == "capture":
        if state != "authorized":
            return f"The charge is {state}, not authorised."
        if not 0 < amount <= charge["amount"]:
            return "Cannot capture more than was authorised."
    elif operation == "void":
        if state not in ("authorized", "pending"):
            return f"The charge is {state}: refund it instead."
    else:
        if state not in ("captured",):
            return f"The charge is {state}: nothing to refund."
        if not 0 < amount <= charge["captured"] - charge["refunded"]:
            return "Cannot refund more than was captured."
    return ""


def _result(answer: dict, *, replay: bool = False) -> Result:
    return Result(
        status=answer["status"],
        provider_reference=answer.get("charge", ""),
        amount=answer.get("amount", 0),
        raw={**answer, "idempotent_replay": replay},
        message=answer.get("message", ""),
        details=answer.get("details") or {},
    )


def schedule_settlement(charge_id: str) -> None:
    """Have the bank approve the pending charge in PAYMENTS_DEMO_SETTLE_SECONDS (a Celery task
    that sends the signed notification); a negative setting sends none."""
    delay = float(getattr(settings, "PAYMENTS_DEMO_SETTLE_SECONDS", 5))
    if delay < 0:
        return
    from apps.payments.tasks import settle_demo_charge

    try:
        settle_demo_charge.apply_async(args=[charge_id], countdown=delay, retry=False)
    except Exception as exc:  # the broker is down: the charge stays pending
        log.warning("demo provider: cannot schedule the settlement of %s (%s)", charge_id, exc)


def ledger_charges() -> list[dict[str, Any]]:
    """Every demo charge of the current site."""
    return Ledger().charges()
