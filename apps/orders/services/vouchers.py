"""Writing vouchers: the codes shoppers enter for a discount. Managers and admins write them
(`orders.manage_vouchers`); every write publishes `orders.voucher.changed`. How a voucher is
applied at checkout, and counted as used, is the checkout's (apps.orders.services' carts)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.catalog.models import Product, ProductCategory
from apps.catalog.services.shop import check_priced_in
from apps.orders.events import VoucherChanged
from apps.orders.models import Voucher, VoucherKind, VoucherScope
from apps.orders.services.settings import checked, flag, put, whole
from rustok import money
from rustok.errors import Conflict, InvalidInput
from rustok.events import publish
from rustok.permissions import require
from rustok.rows import lock
from rustok.texts import Texts, assign, check_lengths, check_texts
from rustok.tree import UNSET

PERM = "orders.manage_vouchers"
TEXTS = ("name",)
CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]*$")
SHORTEST_CODE = 3
MOST_CHOSEN = 500  # products, categories


def voucher_code(value, field: str = "code") -> str:
    """A code as stored: stripped, upper-case, letters, digits, - and _ (3 to 40 characters)."""
    if not isinstance(value, str):
        raise InvalidInput.for_field(field, "A code is required.")
    code = value.strip().upper()
    longest = Voucher._meta.get_field("code").max_length
    if len(code) < SHORTEST_CODE:
        raise InvalidInput.for_field(field, f"At least {SHORTEST_CODE} characters.")
    if len(code) > longest:
        raise InvalidInput.for_field(field, f"At most {longest} characters.")
    if not code.isascii() or not CODE.match(code):
        raise InvalidInput.for_field(
            field, "Use only letters, digits, - and _ (and start with a letter or digit)."
        )
    return code


def _percent(value, field: str) -> Decimal | None:
    """More than 0 and at most 100, with at most two decimals (given as a Decimal, int or string)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise InvalidInput.for_field(
            field, 'Give the percentage as a decimal number in a string, such as "12.5".'
        )
    try:
        found = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise InvalidInput.for_field(field, "Must be a number, such as 12.5.") from None
    if not found.is_finite() or found <= 0 or found > 100:
        raise InvalidInput.for_field(field, "Must be more than 0 and at most 100.")
    if -found.normalize().as_tuple().exponent > 2:
        raise InvalidInput.for_field(field, "At most 2 decimals.")
    return found.quantize(Decimal("0.01"))


def _amount(value, field: str) -> int | None:
    found = money.minor_amount(value, field, allow_none=True)
    if found == 0:
        raise InvalidInput.for_field(field, "Must be more than zero.")
    return found


def _currency(value, field: str) -> str:
    return "" if value in (None, "") else check_priced_in(value, field)


def _choice(choices):
    def check(value, field: str) -> str:
        if value not in choices.values:
            raise InvalidInput.for_field(field, f"One of: {', '.join(choices.values)}.")
        return str(value)

    return check


def _moment(value, field: str) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        raise InvalidInput.for_field(field, "Give a date and time (ISO 8601).")
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _rows(model, noun: str):
    def check(value, field: str) -> list:
        if isinstance(value, str | bytes | Mapping) or not hasattr(value, "__iter__"):
            raise InvalidInput.for_field(field, f"Give a list of {noun}.")
        rows = list(value)
        if any(not isinstance(row, model) or row.pk is None for row in rows):
            raise InvalidInput.for_field(field, f"Give a list of {noun}.")
        if len(rows) > MOST_CHOSEN:
            raise InvalidInput.for_field(field, f"At most {MOST_CHOSEN}.")
        return list({row.pk: row for row in rows}.values())

    return check


def _limit(value, field: str) -> int | None:
    return whole(value, field, minimum=1, allow_none=True)


CHECKS = {
    "code": voucher_code,
    "kind": _choice(VoucherKind),
    "percent": _percent,
    "amount": _amount,
    "currency": _currency,
    "scope": _choice(VoucherScope),
    "products": _rows(Product, "products"),
    "categories": _rows(ProductCategory, "categories"),
    "min_subtotal": lambda value, field: money.minor_amount(value, field, allow_none=True),
    "starts_at": _moment,
    "ends_at": _moment,
    "usage_limit": _limit,
    "per_customer_limit": _limit,
    "is_active": flag,
}


def _check_whole(voucher: Voucher, products: list | None, categories: list | None) -> None:
    """The voucher as it will be saved makes sense (each refusal naming its field)."""
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if voucher.kind == VoucherKind.PERCENTAGE:
        if voucher.percent is None:
            refuse("percent", "A percentage voucher needs its percentage.")
    elif voucher.amount is None:
        refuse("amount", "A fixed voucher needs its amount.")
    if (voucher.kind == VoucherKind.FIXED or voucher.min_subtotal is not None) and not voucher.currency:
        refuse("currency", "Give the currency of the amount off and the minimum subtotal.")
    if voucher.scope == VoucherScope.PRODUCTS and not (products or categories):
        refuse("products", "Choose at least one product or category.")
    if voucher.starts_at and voucher.ends_at and voucher.ends_at <= voucher.starts_at:
        refuse("ends_at", "Must be after the start.")
    if voucher.usage_limit is not None and voucher.usage_limit < voucher.used:
        refuse("usage_limit", f"Used {voucher.used} times already: at least {voucher.used}.")
    if errors:
        raise InvalidInput("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()), errors=errors)


def _write(voucher: Voucher, texts, given: dict) -> tuple[list[str], list | None, list | None]:
    """Check and set what is given; (what changed, the products and categories to keep, None
    where they stay as they are)."""
    values = checked(given, CHECKS)
    changed = assign(voucher, check_texts(texts, TEXTS))
    check_lengths(voucher, TEXTS)
    products = values.pop("products", None)
    categories = values.pop("categories", None)
    changed += put(voucher, values)
    # What a kind or scope does not use goes: the other kind's value, the products of a voucher
    # for the whole order. Given explicitly, it is refused instead.
    unused = "amount" if voucher.kind == VoucherKind.PERCENTAGE else "percent"
    if values.get(unused) is not None:
        other = "fixed" if unused == "amount" else "percentage"
        raise InvalidInput.for_field(unused, f"Only a {other} voucher has this.")
    changed += put(voucher, {unused: None})
    if voucher.scope == VoucherScope.ORDER:
        for name, chosen in (("products", products), ("categories", categories)):
            if chosen:
                raise InvalidInput.for_field(name, "Only a voucher for chosen products has these.")
        products = [] if voucher.pk is None or voucher.products.exists() else None
        categories = [] if voucher.pk is None or voucher.categories.exists() else None
    elif voucher.pk is not None:
        products = list(voucher.products.all()) if products is None else products
        categories = list(voucher.categories.all()) if categories is None else categories
    _check_whole(voucher, products, categories)
    return changed, products, categories


def _save(voucher: Voucher) -> None:
    """Save; a code taken (checked, or meanwhile by another writer) is InvalidInput naming `code`."""
    message = f"Another voucher has the code {voucher.code}."
    if Voucher.objects.filter(code__iexact=voucher.code).exclude(pk=voucher.pk).exists():
        raise InvalidInput.for_field("code", message)
    try:
        with transaction.atomic():
            voucher.save()
    except IntegrityError as exc:
        if "orders_voucher_code" in str(exc):
            raise InvalidInput.for_field("code", message) from None
        raise


def _relate(voucher: Voucher, products: list | None, categories: list | None) -> list[str]:
    """Set the chosen products and categories given (None: as they are); the names changed."""
    changed = []
    for name, chosen in (("products", products), ("categories", categories)):
        if chosen is None:
            continue
        manager = getattr(voucher, name)
        if set(manager.values_list("pk", flat=True)) != {row.pk for row in chosen}:
            manager.set(chosen)
            changed.append(name)
    return changed


@transaction.atomic
def create_voucher(
    *,
    actor,
    code: str,
    texts: Texts | None = None,
    kind: str = VoucherKind.PERCENTAGE,
    percent=None,
    amount: int | None = None,
    currency: str = "",
    scope: str = VoucherScope.ORDER,
    products=(),
    categories=(),
    min_subtotal: int | None = None,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    usage_limit: int | None = None,
    per_customer_limit: int | None = None,
    is_active: bool = True,
) -> Voucher:
    """A new voucher. `code` is kept upper-case and unique whatever its case (400 naming `code`);
    a percentage (`percent`, more than 0, at most 100) or a fixed amount off (`amount` in minor
    units of `currency`, one of the shop's); off the whole order or off the lines of chosen
    `products` and `categories` (scope `products`: at least one); from a `min_subtotal` (in
    `currency`); valid from `starts_at` until `ends_at` (after the start); used at most
    `usage_limit` times in all and `per_customer_limit` times by one customer."""
    require(actor, PERM)
    voucher = Voucher()
    given = {
        "code": code,
        "kind": kind,
        "percent": percent,
        "amount": amount,
        "currency": currency,
        "scope": scope,
        "products": products,
        "categories": categories,
        "min_subtotal": min_subtotal,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "usage_limit": usage_limit,
        "per_customer_limit": per_customer_limit,
        "is_active": is_active,
    }
    _changed, products, categories = _write(voucher, texts, given)
    _save(voucher)
    _relate(voucher, products, categories)
    publish(VoucherChanged(voucher_id=voucher.pk, actor_id=actor.pk))
    return voucher


@transaction.atomic
def update_voucher(
    *,
    actor,
    voucher: Voucher,
    texts: Texts | None = None,
    code=UNSET,
    kind=UNSET,
    percent=UNSET,
    amount=UNSET,
    currency=UNSET,
    scope=UNSET,
    products=UNSET,
    categories=UNSET,
    min_subtotal=UNSET,
    starts_at=UNSET,
    ends_at=UNSET,
    usage_limit=UNSET,
    per_customer_limit=UNSET,
    is_active=UNSET,
) -> Voucher:
    """Change what is given of a voucher (`products`, `categories`: the whole set). A usage limit
    below what it was used already is refused (`usage_limit`); deactivating it (`is_active`)
    stops new uses and keeps those made."""
    require(actor, PERM)
    voucher = lock(Voucher, voucher, "voucher")
    given = {
        "code": code,
        "kind": kind,
        "percent": percent,
        "amount": amount,
        "currency": currency,
        "scope": scope,
        "products": products,
        "categories": categories,
        "min_subtotal": min_subtotal,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "usage_limit": usage_limit,
        "per_customer_limit": per_customer_limit,
        "is_active": is_active,
    }
    changed, products, categories = _write(voucher, texts, given)
    if changed:
        _save(voucher)
    changed += _relate(voucher, products, categories)
    if changed:
        publish(VoucherChanged(voucher_id=voucher.pk, actor_id=actor.pk))
    return voucher


@transaction.atomic
def delete_voucher(*, actor, voucher: Voucher) -> None:
    """Delete a voucher never used. One used by an order is refused (409 `conflict`, `reason:
    in_use`, with `used`): its orders keep saying which voucher they had, so deactivate it."""
    require(actor, PERM)
    voucher = lock(Voucher, voucher, "voucher")
    if voucher.used or voucher.uses.exists():
        raise Conflict(
            f"This voucher was used {voucher.used} times; deactivate it instead.",
            reason="in_use",
            used=voucher.used,
        )
    voucher_id = voucher.pk
    voucher.delete()
    publish(VoucherChanged(voucher_id=voucher_id, actor_id=actor.pk))
