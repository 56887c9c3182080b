"""The shop's currencies: the default one every active product is priced in, and the others."""

from __future__ import annotations

from django.db import transaction

from apps.catalog.events import ShopSettingsChanged
from apps.catalog.models import Price, Product, ShopSettings, Status
from rustok import money
from rustok.errors import Conflict, InvalidInput
from rustok.events import publish
from rustok.permissions import require

PERM = "catalog.manage_catalog"


def shop_settings() -> ShopSettings:
    """The site's shop settings (made with the defaults on first read)."""
    found, _created = ShopSettings.objects.get_or_create(pk=ShopSettings.ONLY)
    return found


def currencies() -> list[str]:
    """The currencies products may be priced in, the default one first."""
    return shop_settings().all_currencies


def check_priced_in(code, field: str = "currency", *, sold: list[str] | None = None) -> str:
    """`code` as a currency this shop sells in (`sold`, when the caller read them already);
    InvalidInput naming `field` otherwise."""
    code = money.currency_code(code, field)
    sold = currencies() if sold is None else sold
    if code not in sold:
        raise InvalidInput.for_field(
            field, f"This shop does not sell in {code}. It sells in: {', '.join(sold)}."
        )
    return code


@transaction.atomic
def update_shop_settings(*, actor, default_currency=None, currencies=None) -> ShopSettings:
    """Change the default currency and the others. A former default currency stays among the
    others unless `currencies` says otherwise. Refused (409) when active products would have no
    price in the new default currency, or when a currency taken away still has prices."""
    require(actor, PERM)
    found = ShopSettings.objects.select_for_update().get(pk=shop_settings().pk)
    before = (found.default_currency, list(found.currencies))
    if default_currency is not None:
        code = money.currency_code(default_currency, "default_currency")
        if code != found.default_currency:
            unpriced = (
                Product.objects.filter(status=Status.ACTIVE).exclude(variants__prices__currency=code).count()
            )
            if unpriced:
                raise Conflict(
                    f"{unpriced} active products have no price in {code}; price them first.",
                    reason="price_required",
                    products=unpriced,
                )
            found.currencies = [found.default_currency, *found.currencies]
            found.default_currency = code
    if currencies is not None:
        if isinstance(currencies, str | bytes) or not isinstance(currencies, list | tuple):
            raise InvalidInput.for_field("currencies", "Give a list of ISO 4217 codes.")
        found.currencies = [money.currency_code(code, "currencies") for code in currencies]
    found.currencies = list(dict.fromkeys(c for c in found.currencies if c != found.default_currency))
    kept = found.all_currencies
    in_use = sorted(set(Price.objects.exclude(currency__in=kept).values_list("currency", flat=True)))
    if in_use:
        raise Conflict(
            f"Products are priced in {', '.join(in_use)}; remove those prices first.",
            reason="currency_in_use",
            currencies=in_use,
        )
    changed = [
        name
        for name, old, new in (
            ("default_currency", before[0], found.default_currency),
            ("currencies", before[1], found.currencies),
        )
        if old != new
    ]
    if changed:
        found.save()
        publish(ShopSettingsChanged(actor_id=actor.pk, changed=changed))
    return found
