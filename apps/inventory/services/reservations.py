"""Reservations: a checkout holds stock until it is paid (commit), given up (release) or expired.

A reservation belongs to an `owner` (`"checkout:<uuid>"`); reserving again for the same owner
replaces what it held. The services take no actor: the checkout calls them for the shopper.

Before the stock rows, each call takes the owner's advisory lock (`pg_advisory_xact_lock`), so
calls for one owner run one after the other and the owner's reservations cannot change between
reading which variants they hold and locking those variants' stock rows. It is the first lock of
its transaction and the only advisory lock, so it adds no cycle to the lock order
(docs/inventory.md).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from apps.catalog.models import Variant
from apps.inventory.models import Reason, Reservation
from apps.inventory.services.stock import Change, Stock, apply, ensure_levels, whole_number
from rustok.errors import Conflict, InvalidInput


class OutOfStock(Conflict):
    """Some lines of a reservation cannot be had; `lines` lists each: variant, SKU, asked, available."""

    code = "out_of_stock"
    title = "Out of stock"

    def __init__(self, lines: list[dict]):
        skus = ", ".join(f"{line['sku']} ({line['available']} of {line['asked']})" for line in lines)
        super().__init__(f"Not enough in stock: {skus}.", reason="out_of_stock", lines=lines)
        self.lines = lines


def _lock_owner(owner: str) -> None:
    """Take the owner's advisory lock until the transaction ends (schema and owner in its key)."""
    digest = hashlib.blake2b(f"inventory:{connection.schema_name}:{owner}".encode(), digest_size=8).digest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)])


def _owner(owner) -> str:
    if not isinstance(owner, str) or not owner.strip():
        raise InvalidInput.for_field("owner", "An owner is required.")
    if len(owner) > 100:
        raise InvalidInput.for_field("owner", "At most 100 characters.")
    return owner


def _lines(lines) -> dict[int, int]:
    """The lines as {variant_id: quantity}, duplicates added up; InvalidInput naming
    `lines.<n>.variant` or `lines.<n>.quantity`."""
    wanted: dict[int, int] = defaultdict(int)
    errors: dict[str, list[str]] = {}
    for n, line in enumerate(lines):
        try:
            variant_id, quantity = line
        except (TypeError, ValueError):
            errors[f"lines.{n}"] = ["A (variant, quantity) pair is required."]
            continue
        try:
            whole_number(variant_id, f"lines.{n}.variant", minimum=1)
            whole_number(quantity, f"lines.{n}.quantity", minimum=1)
        except InvalidInput as exc:
            errors.update(exc.errors)
            continue
        wanted[variant_id] += quantity
    if errors:
        raise InvalidInput("; ".join(f"{f}: {m[0]}" for f, m in errors.items()), errors=errors)
    return dict(wanted)


@transaction.atomic
def reserve(
    *, lines: Iterable[tuple[int, int]], owner: str, ttl: timedelta, now: datetime | None = None
) -> list[Reservation]:
    """Hold `lines` ((variant_id, quantity) pairs) for `owner` until now + `ttl`, all or nothing.

    What the owner held before is given back first (reserving again replaces). Each line is
    taken from the active locations in order of priority, then id, possibly from several.
    If any line is short, OutOfStock (409 `out_of_stock`) lists every short line and nothing is
    written. Variants whose stock is not tracked need no stock and get no reservation.
    """
    owner = _owner(owner)
    if not isinstance(ttl, timedelta) or ttl <= timedelta(0):
        raise InvalidInput.for_field("ttl", "A positive duration is required.")
    wanted = _lines(lines)
    expires_at = (now or timezone.now()) + ttl

    _lock_owner(owner)
    variants = {v["id"]: v for v in Variant.objects.filter(pk__in=wanted).values("id", "track_inventory")}
    unknown = sorted(set(wanted) - set(variants))
    if unknown:
        raise InvalidInput.for_field("lines", f"No such variant: {', '.join(map(str, unknown))}.")
    tracked = {v: q for v, q in wanted.items() if variants[v]["track_inventory"]}
    # Read under the owner's lock only to know which variants' rows to lock; acted on below.
    held_variants = set(Reservation.objects.filter(owner=owner).values_list("variant_id", flat=True))
    stock = Stock([*tracked, *held_variants])
    held = list(Reservation.objects.select_for_update().filter(owner=owner).order_by("pk"))
    before: dict[tuple[int, int], int] = defaultdict(int)
    for reservation in held:
        before[reservation.variant_id, reservation.location_id] += reservation.quantity

    after: dict[tuple[int, int], int] = {}
    short = []
    for variant_id, asked in sorted(tracked.items()):
        left = asked
        for level in stock.of(variant_id):
            free = level.available + before.get((variant_id, level.location_id), 0)
            take = min(free, left)
            if take > 0:
                after[variant_id, level.location_id] = take
                left -= take
        if left:
            short.append(
                {
                    "variant_id": variant_id,
                    "sku": stock.variants[variant_id]["sku"],
                    "asked": asked,
                    "available": asked - left,
                }
            )
    if short:
        raise OutOfStock(short)

    Reservation.objects.filter(pk__in=[r.pk for r in held]).delete()
    reservations = Reservation.objects.bulk_create(
        [
            Reservation(owner=owner, variant_id=v, location_id=loc, quantity=q, expires_at=expires_at)
            for (v, loc), q in sorted(after.items())
        ]
    )
    changes = []
    for key in sorted(set(before) | set(after)):
        delta = after.get(key, 0) - before.get(key, 0)
        if delta:
            reason = Reason.RESERVED if delta > 0 else Reason.RELEASED
            changes.append(Change(stock.levels[key], reason, reserved=delta))
    apply(stock, changes, owner=owner)
    return reservations


def _give_back(owner: str, *, sold: bool, expired_at: datetime | None = None) -> list[Reservation]:
    """Remove the owner's reservations (those expired at `expired_at`, if given): their units go
    back to available stock, or, `sold`, leave the shelf."""
    _lock_owner(owner)
    found = Reservation.objects.filter(owner=owner)
    if expired_at is not None:
        found = found.filter(expires_at__lte=expired_at)
    variant_ids = set(found.values_list("variant_id", flat=True))
    if not variant_ids:
        return []
    stock = Stock(variant_ids)
    held = list(found.select_for_update().order_by("variant_id", "location_id", "pk"))
    quantities: dict[tuple[int, int], int] = defaultdict(int)
    for reservation in held:
        quantities[reservation.variant_id, reservation.location_id] += reservation.quantity
    Reservation.objects.filter(pk__in=[r.pk for r in held]).delete()
    changes = [
        Change(stock.levels[key], Reason.SOLD, on_hand=-q, reserved=-q)
        if sold
        else Change(stock.levels[key], Reason.RELEASED, reserved=-q)
        for key, q in sorted(quantities.items())
    ]
    apply(stock, changes, owner=owner)
    return held


@transaction.atomic
def release(*, owner: str) -> list[Reservation]:
    """Give back everything `owner` holds; the reservations released (none the second time)."""
    return _give_back(_owner(owner), sold=False)


@transaction.atomic
def commit(*, owner: str) -> list[Reservation]:
    """Turn what `owner` holds into sales: on hand and reserved both go down by each quantity
    (an expired reservation still there counts). Returns the reservations committed; a second
    call finds none and does nothing."""
    return _give_back(_owner(owner), sold=True)


@transaction.atomic
def restock(*, lines: Iterable[tuple[int, int, int]], owner: str, note: str = "") -> None:
    """Put back on the shelf what a sale took: `(variant_id, location_id, quantity)` lines, each
    at the location it was taken from (an order cancelled or returned; `owner` names it in the
    movements, reason `restocked`). Lines of variants deleted since are skipped."""
    owner = _owner(owner)
    wanted: dict[tuple[int, int], int] = defaultdict(int)
    for n, (variant_id, location_id, quantity) in enumerate(lines):
        whole_number(quantity, f"lines.{n}.quantity", minimum=1)
        if variant_id is not None:
            wanted[variant_id, location_id] += quantity
    if not wanted:
        return
    ensure_levels(wanted)
    stock = Stock({variant_id for variant_id, _location in wanted})
    changes = [
        Change(stock.levels[key], Reason.RESTOCKED, on_hand=q)
        for key, q in sorted(wanted.items())
        if key[0] in stock.variants
    ]
    apply(stock, changes, owner=owner, note=note)


def release_expired(*, now: datetime | None = None) -> int:
    """Release every reservation expired at `now`, one owner per transaction; how many."""
    now = now or timezone.now()
    owners = sorted(set(Reservation.objects.filter(expires_at__lte=now).values_list("owner", flat=True)))
    released = 0
    for owner in owners:
        with transaction.atomic():
            released += len(_give_back(owner, sold=False, expired_at=now))
    return released
