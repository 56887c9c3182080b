"""Carts: made for a guest or a customer, lines added, changed and removed, merged on sign-in.

The services take no actor: a guest acts on the cart whose token they hold, a customer on their
own (the interfaces find the cart; apps.orders.selectors). Every change locks the cart's row
first, so two tabs changing one cart take turns. A change to the lines of a cart whose payment
has started gives back its reserved stock: the checkout reserves again when payment starts anew.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.catalog.models import Price, Status, Variant
from apps.catalog.services import shop_settings
from apps.inventory import services as inventory
from apps.inventory.selectors import available_quantities
from apps.inventory.services import OutOfStock
from apps.orders.carts import order_settings
from apps.orders.events import CartCreated, CartLineChanged, CartMerged
from apps.orders.models import Cart, CartLine, CartStatus
from apps.orders.services.settings import whole
from rustok.errors import Conflict, InvalidInput, NotFound
from rustok.events import publish
from rustok.i18n import current_language
from rustok.money import currency_code

MAX_ID = 2**63 - 1


class CartClosed(Conflict):
    """The cart was ordered (or merged into a customer's cart): it changes no more."""

    def __init__(self, cart: Cart):
        super().__init__(
            _("This cart has been ordered already."), reason="cart_closed", cart_status=cart.status
        )


def lock_cart(cart: Cart) -> Cart:
    """The cart's row, locked until the transaction ends (the first lock of every cart change);
    409 if it is no longer open (ordered, or merged into a customer's cart)."""
    locked = Cart.objects.select_for_update().filter(pk=cart.pk).first()
    if locked is None:
        raise NotFound(_("No such cart."))
    if locked.status != CartStatus.OPEN:
        raise CartClosed(locked)
    return locked


def _currency(currency) -> str:
    shop = shop_settings()
    if currency is None:
        return shop.default_currency
    code = currency_code(currency)
    if code not in shop.all_currencies:
        raise InvalidInput.for_field(
            "currency",
            _("The shop sells in %(currencies)s.") % {"currencies": ", ".join(shop.all_currencies)},
        )
    return code


@transaction.atomic
def create_cart(*, customer=None, currency: str | None = None, language: str | None = None) -> Cart:
    """A new open cart in `currency` (default: the shop's). A signed-in customer's open cart, if
    they have one, is answered instead: a customer has one cart."""
    code = _currency(currency)
    if customer is not None and customer.is_authenticated:
        found = Cart.objects.filter(customer=customer, status=CartStatus.OPEN).first()
        if found is not None:
            return found
    else:
        customer = None
    try:
        with transaction.atomic():
            cart = Cart.objects.create(
                customer=customer, currency=code, language=language or current_language()
            )
    except IntegrityError:  # the customer's cart was made at the same moment
        return Cart.objects.get(customer=customer, status=CartStatus.OPEN)
    publish(CartCreated(cart_id=cart.pk, customer_id=customer.pk if customer else None))
    return cart


def _variant(variant_id) -> Variant:
    whole(variant_id, "variant", minimum=1, maximum=MAX_ID)
    variant = Variant.objects.select_related("product").filter(pk=variant_id).first()
    if variant is None:
        raise InvalidInput.for_field("variant", _("No such product variant."))
    if variant.product.status != Status.ACTIVE:
        raise InvalidInput.for_field("variant", _("This product is not for sale."))
    return variant


def _price(variant: Variant, currency: str) -> int:
    amount = Price.objects.filter(variant=variant, currency=currency).values_list("amount", flat=True).first()
    if amount is None:
        raise InvalidInput.for_field(
            "variant", _("This product has no price in %(currency)s.") % {"currency": currency}
        )
    return amount


def _check_quantity(cart: Cart, variant: Variant, quantity: int) -> None:
    """Refuse more than a line may hold, or more than is in stock (409 `out_of_stock`); what the
    cart's checkout holds counts as its own."""
    limit = order_settings().max_line_quantity
    if quantity > limit:
        raise InvalidInput.for_field("quantity", _("At most %(limit)s of one item.") % {"limit": limit})
    if variant.track_inventory:
        holder = cart.owner if cart.reserved_until is not None else None
        available = available_quantities([variant.pk], holder=holder).get(variant.pk)
        if available is not None and available < quantity:
            raise OutOfStock(
                [{"variant_id": variant.pk, "sku": variant.sku, "asked": quantity, "available": available}]
            )


def _changed(cart: Cart) -> None:
    """The lines changed: stock held for a payment goes back; the checkout reserves anew."""
    if cart.reserved_until is not None:
        inventory.release(owner=cart.owner)
        cart.reserved_until = None
    cart.save(update_fields=["reserved_until", "updated_at"])


@transaction.atomic
def add_line(*, cart: Cart, variant_id: int, quantity: int = 1) -> CartLine:
    """Add `quantity` of a variant (to its line if there is one). 400 naming `variant` for an
    unknown variant, one not for sale or without a price in the cart's currency; naming
    `quantity` below 1 or above the most one line may hold; 409 `out_of_stock` beyond the stock."""
    whole(quantity, "quantity", minimum=1, maximum=MAX_ID)
    cart = lock_cart(cart)
    variant = _variant(variant_id)
    price = _price(variant, cart.currency)
    line = CartLine.objects.filter(cart=cart, variant=variant).first()
    total = quantity + (line.quantity if line else 0)
    _check_quantity(cart, variant, total)
    if line is None:
        line = CartLine.objects.create(cart=cart, variant=variant, quantity=total, price_when_added=price)
    else:
        line.quantity = total
        line.save(update_fields=["quantity", "updated_at"])
    _changed(cart)
    publish(CartLineChanged(cart_id=cart.pk, variant_id=variant.pk, quantity=total))
    return line


def _line(cart: Cart, line_id) -> CartLine:
    whole(line_id, "line", minimum=1, maximum=MAX_ID)
    line = (
        CartLine.objects.select_related("variant", "variant__product").filter(cart=cart, pk=line_id).first()
    )
    if line is None:
        raise NotFound(_("No such line in this cart."), field="line")
    return line


@transaction.atomic
def set_quantity(*, cart: Cart, line_id: int, quantity: int) -> CartLine | None:
    """Change a line's quantity; 0 removes it (None is answered). More units than before are
    checked like an addition; fewer are always allowed."""
    whole(quantity, "quantity", minimum=0, maximum=MAX_ID)
    cart = lock_cart(cart)
    line = _line(cart, line_id)
    if quantity == 0:
        line.delete()
        _changed(cart)
        publish(CartLineChanged(cart_id=cart.pk, variant_id=line.variant_id, quantity=0))
        return None
    if quantity > line.quantity:
        _check_quantity(cart, line.variant, quantity)
    if quantity != line.quantity:
        line.quantity = quantity
        line.save(update_fields=["quantity", "updated_at"])
        _changed(cart)
        publish(CartLineChanged(cart_id=cart.pk, variant_id=line.variant_id, quantity=quantity))
    return line


@transaction.atomic
def remove_line(*, cart: Cart, line_id: int) -> None:
    set_quantity(cart=cart, line_id=line_id, quantity=0)


@transaction.atomic
def set_currency(*, cart: Cart, currency: str) -> Cart:
    """Switch the cart to another of the shop's currencies; the shipping method, priced in the
    old one, is cleared."""
    cart = lock_cart(cart)
    code = _currency(currency)
    if code != cart.currency:
        cart.currency = code
        cart.shipping_method = None
        prices = dict(
            Price.objects.filter(variant_id__in=cart.lines.values("variant_id"), currency=code).values_list(
                "variant_id", "amount"
            )
        )
        for line in cart.lines.all():
            line.price_when_added = prices.get(line.variant_id)
            line.save(update_fields=["price_when_added"])
        cart.save(update_fields=["currency", "shipping_method", "updated_at"])
        _changed(cart)
    return cart


@transaction.atomic
def merge(*, guest_cart: Cart, customer) -> Cart:
    """On sign-in: the guest's cart joins the customer's. Without a cart of their own, the guest's
    becomes theirs; else each guest line is added to theirs (quantities added, capped at what a
    line may hold and what is in stock) and the guest cart is closed as `merged`."""
    if not customer.is_authenticated:
        raise InvalidInput.for_field("customer", "A signed-in customer is required.")
    mine = Cart.objects.select_for_update().filter(customer=customer, status=CartStatus.OPEN).first()
    guest = lock_cart(guest_cart)
    if guest.customer_id == customer.pk:
        return guest
    if guest.customer_id is not None:  # another customer's cart: not the guest's to merge
        raise NotFound(_("No such cart."))
    if mine is None:
        guest.customer = customer
        guest.save(update_fields=["customer", "updated_at"])
        return guest
    limit = order_settings().max_line_quantity
    theirs = {line.variant_id: line for line in mine.lines.all()}
    guest_lines = list(guest.lines.select_related("variant"))
    stock = available_quantities([line.variant_id for line in guest_lines])
    for line in guest_lines:
        ceiling = limit
        if line.variant.track_inventory and stock.get(line.variant_id) is not None:
            ceiling = min(ceiling, max(stock[line.variant_id], 0))
        existing = theirs.get(line.variant_id)
        if existing is None:
            quantity = min(line.quantity, ceiling)
            if quantity:
                CartLine.objects.create(
                    cart=mine,
                    variant_id=line.variant_id,
                    quantity=quantity,
                    price_when_added=line.price_when_added,
                )
        else:
            quantity = max(existing.quantity, min(existing.quantity + line.quantity, ceiling))
            if quantity != existing.quantity:
                existing.quantity = quantity
                existing.save(update_fields=["quantity", "updated_at"])
    if guest.reserved_until is not None:
        inventory.release(owner=guest.owner)
        guest.reserved_until = None
    guest.status = CartStatus.MERGED
    guest.save(update_fields=["status", "reserved_until", "updated_at"])
    _changed(mine)
    publish(CartMerged(cart_id=guest.pk, into_cart_id=mine.pk, customer_id=customer.pk))
    return mine
