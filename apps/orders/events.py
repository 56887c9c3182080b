"""Events of the orders module: carts, orders, and the shop's shipping, taxes and vouchers.

Cart events tell integrations what shoppers do (`orders.cart.*`); order events follow the order's
state machine (`orders.order.*`) and drive the mails, the dashboard's daily sales and the
catalogue's stock (through inventory's own events). Configuration events tell caches and
integrations that prices shoppers see may have changed.
"""

import dataclasses

from rustok.events import Event


class CartCreated(Event):
    type = "orders.cart.created"
    version = 1
    cart_id: int
    customer_id: int | None = None


class CartLineChanged(Event):
    """A line was added, changed or removed (`quantity` 0) in a cart."""

    type = "orders.cart.line_changed"
    version = 1
    cart_id: int
    variant_id: int
    quantity: int


class CartMerged(Event):
    """A guest's cart went into the customer's cart on sign-in."""

    type = "orders.cart.merged"
    version = 1
    cart_id: int
    into_cart_id: int
    customer_id: int


class CheckoutStarted(Event):
    """A checkout started its payment: its stock is reserved until `reserved_until`."""

    type = "orders.cart.checkout_started"
    version = 1
    cart_id: int
    total: int
    currency: str
    reserved_until: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class OrderEvent(Event):
    """Fields every order event has (a dataclass itself, so its subclasses inherit them)."""

    order_id: int
    number: int
    customer_id: int | None = None
    email: str = ""
    currency: str = ""
    total: int = 0


class GuestLinkRequested(Event):
    """Someone gave an order's number and e-mail: the link to it is mailed to that address."""

    type = "orders.order.link_requested"
    version = 1
    order_id: int


class OrderPlaced(OrderEvent):
    type = "orders.order.placed"
    version = 1


class OrderPaid(OrderEvent):
    type = "orders.order.paid"
    version = 1
    amount: int = 0


class OrderFulfilled(OrderEvent):
    """A shipment left: `shipment_id`; `everything` when the whole order has shipped."""

    type = "orders.order.fulfilled"
    version = 1
    shipment_id: int = 0
    everything: bool = False


class OrderCompleted(OrderEvent):
    type = "orders.order.completed"
    version = 1


class OrderCancelled(OrderEvent):
    type = "orders.order.cancelled"
    version = 1
    actor_id: int | None = None
    refunded: int = 0


class OrderRefunded(OrderEvent):
    """Money went back: `amount` now, `refunded` in all; `everything` when the order is refunded."""

    type = "orders.order.refunded"
    version = 1
    amount: int = 0
    refunded: int = 0
    everything: bool = False
    actor_id: int | None = None


class ShippingChanged(Event):
    """A shipping zone, method or weight rate was created, changed or deleted."""

    type = "orders.shipping.changed"
    version = 1
    zone_id: int
    method_id: int | None = None
    actor_id: int | None = None


class TaxRatesChanged(Event):
    type = "orders.tax_rate.changed"
    version = 1
    tax_rate_id: int
    actor_id: int | None = None


class VoucherChanged(Event):
    type = "orders.voucher.changed"
    version = 1
    voucher_id: int
    actor_id: int | None = None


class OrderSettingsChanged(Event):
    type = "orders.settings.changed"
    version = 1
    actor_id: int | None = None
    changed: list[str]
