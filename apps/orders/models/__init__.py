"""Tables of the orders module (tenant schema), one file per concern.

Import them from here (`from apps.orders.models import Cart`). Only apps.orders.services writes
them; the order in which the checkout locks rows is in docs/orders.md ("Lock order").
"""

from apps.orders.models.addresses import CustomerAddress
from apps.orders.models.carts import Cart, CartLine, CartStatus
from apps.orders.models.orders import (
    PAID_STATES,
    DailySales,
    HistoryKind,
    Order,
    OrderHistory,
    OrderLine,
    OrderStatus,
    Shipment,
    ShipmentLine,
)
from apps.orders.models.settings import OrderCounter, OrderSettings
from apps.orders.models.shipping import RateKind, ShippingMethod, ShippingZone, WeightRate
from apps.orders.models.taxes import TaxRate
from apps.orders.models.vouchers import Voucher, VoucherKind, VoucherScope, VoucherUse

__all__ = [
    "PAID_STATES",
    "Cart",
    "CartLine",
    "CartStatus",
    "CustomerAddress",
    "DailySales",
    "HistoryKind",
    "Order",
    "OrderCounter",
    "OrderHistory",
    "OrderLine",
    "OrderSettings",
    "OrderStatus",
    "RateKind",
    "Shipment",
    "ShipmentLine",
    "ShippingMethod",
    "ShippingZone",
    "TaxRate",
    "Voucher",
    "VoucherKind",
    "VoucherScope",
    "VoucherUse",
    "WeightRate",
]
