"""REST shapes of carts, checkout and orders.

Amounts are whole minor units of the answer's `currency`, each with its text in the request's
language under `formatted` (rustok.money.format_minor): `"total": 2990` and
`"formatted": {"total": "$29.90", ...}`. A cart's numbers come from apps.orders.carts.priced and
an order's from its own copies, so every interface shows the same.
"""

from __future__ import annotations

from rest_framework import serializers

from apps.orders.carts import PricedCart
from apps.orders.models import CustomerAddress, Order
from rustok.api.serializers import StrictInput
from rustok.money import format_minor

AMOUNTS = ("subtotal", "discount", "shipping", "shipping_tax", "tax", "total")


def _formatted(values: dict, names, currency: str) -> dict[str, str]:
    return {name: format_minor(values[name], currency) for name in names if values.get(name) is not None}


# --- shapes (for the answers and the OpenAPI document) -------------------------------------------


class AddressSerializer(serializers.Serializer):
    """A postal address; what a country requires is checked per country (docs/orders.md)."""

    first_name = serializers.CharField()
    last_name = serializers.CharField()
    company = serializers.CharField(required=False, allow_blank=True)
    line1 = serializers.CharField()
    line2 = serializers.CharField(required=False, allow_blank=True)
    city = serializers.CharField(required=False, allow_blank=True)
    city_area = serializers.CharField(required=False, allow_blank=True)
    postal_code = serializers.CharField(required=False, allow_blank=True)
    country_area = serializers.CharField(required=False, allow_blank=True, help_text="State or region.")
    country = serializers.CharField(help_text="ISO 3166 alpha-2 code.")
    phone = serializers.CharField(required=False, allow_blank=True)


class SavedAddressSerializer(serializers.Serializer):
    """An address of one's address book."""

    id = serializers.IntegerField()
    address = AddressSerializer()
    is_default = serializers.BooleanField(help_text="The default shipping address.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


def saved_address(entry: CustomerAddress) -> dict:
    return {
        "id": entry.pk,
        "address": entry.address,
        "is_default": entry.is_default,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
    }


class TaxSerializer(serializers.Serializer):
    name = serializers.CharField()
    rate = serializers.DecimalField(max_digits=6, decimal_places=3, coerce_to_string=True)
    base = serializers.IntegerField(help_text="The amounts taxed at this rate.")
    tax = serializers.IntegerField()


class TotalsSerializer(serializers.Serializer):
    currency = serializers.CharField()
    prices_include_tax = serializers.BooleanField()
    subtotal = serializers.IntegerField()
    discount = serializers.IntegerField()
    shipping = serializers.IntegerField()
    shipping_tax = serializers.IntegerField()
    tax = serializers.IntegerField(help_text="All tax, shipping's included.")
    total = serializers.IntegerField()
    taxes = TaxSerializer(many=True)
    formatted = serializers.DictField(child=serializers.CharField())


class OptionSerializer(serializers.Serializer):
    attribute = serializers.CharField()
    value = serializers.CharField()


class CartLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    variant = serializers.IntegerField()
    product = serializers.IntegerField()
    product_name = serializers.CharField()
    variant_name = serializers.CharField()
    sku = serializers.CharField()
    options = OptionSerializer(many=True)
    quantity = serializers.IntegerField()
    unit_price = serializers.IntegerField(
        allow_null=True, help_text="Now; null: no price in the cart's currency."
    )
    price_when_added = serializers.IntegerField(allow_null=True)
    available = serializers.IntegerField(allow_null=True, help_text="Units in stock; null: not counted.")
    problems = serializers.ListField(
        child=serializers.CharField(),
        help_text="unavailable, no_price, out_of_stock, insufficient_stock, price_changed.",
    )
    subtotal = serializers.IntegerField(allow_null=True)
    discount = serializers.IntegerField(allow_null=True)
    tax = serializers.IntegerField(allow_null=True)
    total = serializers.IntegerField(allow_null=True)
    formatted = serializers.DictField(child=serializers.CharField())


class ShippingChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    price = serializers.IntegerField(help_text="For this cart (0 above its free threshold).")
    formatted = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    reason = serializers.CharField()
    detail = serializers.CharField()


class CartSerializer(serializers.Serializer):
    token = serializers.UUIDField(help_text="Keep it: it is the cart (header X-Cart-Token or the URL).")
    status = serializers.CharField()
    currency = serializers.CharField()
    email = serializers.CharField()
    shipping_address = AddressSerializer(allow_null=True)
    billing_address = AddressSerializer(allow_null=True, help_text="null: the shipping address.")
    shipping_method = ShippingChoiceSerializer(allow_null=True)
    shipping_problem = serializers.CharField(allow_null=True, help_text="Why the method does not count now.")
    voucher = serializers.CharField(allow_null=True, help_text="The voucher's code.")
    voucher_problem = ProblemSerializer(allow_null=True)
    payment_provider = serializers.CharField()
    note = serializers.CharField()
    reserved_until = serializers.DateTimeField(allow_null=True, help_text="Stock held for the payment until.")
    quantity = serializers.IntegerField(help_text="Units in the cart.")
    changed = serializers.BooleanField(help_text="A price or availability changed since a line was added.")
    lines = CartLineSerializer(many=True)
    totals = TotalsSerializer()


class OrderLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    variant = serializers.IntegerField(allow_null=True)
    product = serializers.IntegerField(allow_null=True)
    product_name = serializers.CharField()
    variant_name = serializers.CharField()
    sku = serializers.CharField()
    options = OptionSerializer(many=True)
    quantity = serializers.IntegerField()
    unit_price = serializers.IntegerField()
    subtotal = serializers.IntegerField()
    discount = serializers.IntegerField()
    tax_name = serializers.CharField()
    tax_rate = serializers.DecimalField(max_digits=6, decimal_places=3, coerce_to_string=True)
    tax = serializers.IntegerField()
    total = serializers.IntegerField()
    quantity_fulfilled = serializers.IntegerField()
    quantity_returned = serializers.IntegerField()
    formatted = serializers.DictField(child=serializers.CharField())


class ShipmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    carrier = serializers.CharField()
    tracking_number = serializers.CharField()
    created_at = serializers.DateTimeField()
    lines = serializers.ListField(child=serializers.DictField(), help_text="[{line, quantity}]")


class HistorySerializer(serializers.Serializer):
    kind = serializers.CharField()
    actor = serializers.CharField(
        allow_null=True, help_text="Who (staff only; null: the shopper or the system)."
    )
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    message = serializers.CharField()
    data = serializers.DictField()
    created_at = serializers.DateTimeField()


class OrderSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    status = serializers.CharField()
    placed_at = serializers.DateTimeField()
    email = serializers.CharField()
    language = serializers.CharField()
    currency = serializers.CharField()
    shipping_address = AddressSerializer()
    billing_address = AddressSerializer()
    shipping_method = serializers.CharField()
    voucher = serializers.CharField()
    payment_provider = serializers.CharField()
    paid = serializers.IntegerField()
    refunded = serializers.IntegerField()
    totals = TotalsSerializer()
    lines = OrderLineSerializer(many=True)
    shipments = ShipmentSerializer(many=True)
    allowed = serializers.ListField(
        child=serializers.CharField(), allow_null=True, help_text="Transitions allowed now (staff only)."
    )
    history = HistorySerializer(many=True, allow_null=True, help_text="Staff only.")
    guest_key = serializers.CharField(
        allow_null=True,
        help_text="The key of the guest link (GET orders/guest/?key=), to the checkout's answer.",
    )


class OrderSummarySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    status = serializers.CharField()
    placed_at = serializers.DateTimeField()
    email = serializers.CharField()
    currency = serializers.CharField()
    total = serializers.IntegerField()
    formatted = serializers.CharField()
    items = serializers.IntegerField(help_text="Units ordered.")


# --- answers -------------------------------------------------------------------------------------


def cart_answer(shown: PricedCart) -> dict:
    cart, totals = shown.cart, shown.totals
    method = shown.shipping_method
    lines = []
    for line in shown.lines:
        figures = line.totals
        values = {
            "unit_price": line.unit_price,
            "subtotal": figures.subtotal if figures else None,
            "discount": figures.discount if figures else None,
            "tax": figures.tax if figures else None,
            "total": figures.total if figures else None,
        }
        lines.append(
            {
                "id": line.id,
                "variant": line.variant_id,
                "product": line.line.variant.product_id,
                "product_name": line.product_name,
                "variant_name": line.variant_name,
                "sku": line.sku,
                "options": line.options,
                "quantity": line.quantity,
                "price_when_added": line.price_when_added,
                "available": line.available,
                "problems": line.problems,
                **values,
                "formatted": _formatted(values, values, cart.currency),
            }
        )
    problem = shown.voucher_problem
    return {
        "token": cart.token,
        "status": cart.status,
        "currency": cart.currency,
        "email": cart.email,
        "shipping_address": cart.shipping_address,
        "billing_address": cart.billing_address,
        "shipping_method": None
        if method is None
        else {
            "id": method.pk,
            "name": method.name,
            "description": method.description,
            "price": totals.shipping,
            "formatted": format_minor(totals.shipping, cart.currency),
        },
        "shipping_problem": shown.shipping_problem,
        "voucher": cart.voucher.code if cart.voucher_id and cart.voucher else None,
        "voucher_problem": None
        if problem is None
        else {"reason": problem.reason, "detail": problem.errors["voucher"][0]},
        "payment_provider": cart.payment_provider,
        "note": cart.note,
        "reserved_until": cart.reserved_until,
        "quantity": shown.quantity,
        "changed": shown.changed,
        "lines": lines,
        "totals": totals_answer(totals.__dict__, totals.taxes, cart.currency, totals.prices_include_tax),
    }


def totals_answer(values: dict, taxes, currency: str, prices_include_tax: bool) -> dict:
    return {
        "currency": currency,
        "prices_include_tax": prices_include_tax,
        **{name: values[name] for name in AMOUNTS},
        "taxes": [
            {
                "name": t["name"] if isinstance(t, dict) else t.name,
                "rate": t["rate"] if isinstance(t, dict) else t.rate,
                "base": t["base"] if isinstance(t, dict) else t.base,
                "tax": t["tax"] if isinstance(t, dict) else t.tax,
            }
            for t in taxes
        ],
        "formatted": _formatted(values, AMOUNTS, currency),
    }


def order_answer(order: Order, *, staff: bool, guest_key: str | None = None) -> dict:
    from rustok.workflow import allowed_transitions

    lines = list(order.lines.all())
    shipments = list(order.shipments.all())
    return {
        "number": order.number,
        "status": order.status,
        "placed_at": order.placed_at,
        "email": order.email,
        "language": order.language,
        "currency": order.currency,
        "shipping_address": order.shipping_address,
        "billing_address": order.billing_address,
        "shipping_method": order.shipping_method_name,
        "voucher": order.voucher_code,
        "payment_provider": order.payment_provider,
        "paid": order.paid_amount,
        "refunded": order.refunded_amount,
        "totals": totals_answer(
            {name: getattr(order, name) for name in AMOUNTS},
            order.taxes,
            order.currency,
            order.prices_include_tax,
        ),
        "lines": [
            {
                "id": line.pk,
                "variant": line.variant_id,
                "product": line.product_id,
                "product_name": line.product_name,
                "variant_name": line.variant_name,
                "sku": line.sku,
                "options": line.attributes,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "subtotal": line.subtotal,
                "discount": line.discount,
                "tax_name": line.tax_name,
                "tax_rate": line.tax_rate,
                "tax": line.tax,
                "total": line.total,
                "quantity_fulfilled": line.quantity_fulfilled,
                "quantity_returned": line.quantity_returned,
                "formatted": _formatted(
                    {n: getattr(line, n) for n in ("unit_price", "subtotal", "discount", "tax", "total")},
                    ("unit_price", "subtotal", "discount", "tax", "total"),
                    order.currency,
                ),
            }
            for line in lines
        ],
        "shipments": [
            {
                "id": shipment.pk,
                "carrier": shipment.carrier,
                "tracking_number": shipment.tracking_number,
                "created_at": shipment.created_at,
                "lines": [{"line": item.line_id, "quantity": item.quantity} for item in shipment.lines.all()],
            }
            for shipment in shipments
        ],
        "allowed": allowed_transitions(order) if staff else None,
        "history": [
            {
                "kind": entry.kind,
                "actor": entry.actor.email if entry.actor else None,
                "from_status": entry.from_status,
                "to_status": entry.to_status,
                "message": entry.message,
                "data": entry.data,
                "created_at": entry.created_at,
            }
            for entry in order.history.all()
        ]
        if staff
        else None,
        "guest_key": guest_key,
    }


def order_summary(order: Order) -> dict:
    return {
        "number": order.number,
        "status": order.status,
        "placed_at": order.placed_at,
        "email": order.email,
        "currency": order.currency,
        "total": order.total,
        "formatted": format_minor(order.total, order.currency),
        "items": getattr(order, "items", None) or 0,
    }


# --- input ---------------------------------------------------------------------------------------


class SavedAddressInputSerializer(StrictInput, serializers.Serializer):
    address = serializers.JSONField(help_text="The address; checked per country, every wrong field named.")
    default = serializers.BooleanField(
        required=False, default=False, help_text="Make it the default shipping address."
    )


class CartCreateSerializer(StrictInput, serializers.Serializer):
    currency = serializers.CharField(required=False, help_text="One of the shop's; default its default.")


class CartLineAddSerializer(StrictInput, serializers.Serializer):
    variant = serializers.JSONField(help_text="The variant's id.")
    quantity = serializers.JSONField(required=False, default=1, help_text="A whole number from 1.")


class CartLineQuantitySerializer(StrictInput, serializers.Serializer):
    quantity = serializers.JSONField(help_text="A whole number; 0 removes the line.")


class CartCheckoutUpdateSerializer(StrictInput, serializers.Serializer):
    """What is sent is set; each field is checked by the service, which names what is wrong."""

    email = serializers.JSONField(required=False)
    shipping_address = serializers.JSONField(required=False)
    billing_address = serializers.JSONField(required=False)
    shipping_method = serializers.JSONField(
        required=False, help_text="A shipping method's id; null clears it."
    )
    payment_provider = serializers.JSONField(required=False, help_text="manual, demo, ...")
    note = serializers.JSONField(required=False)
    currency = serializers.JSONField(required=False)


class CartVoucherSerializer(StrictInput, serializers.Serializer):
    code = serializers.JSONField()


class CartCheckoutSerializer(StrictInput, serializers.Serializer):
    payment = serializers.JSONField(
        required=False,
        help_text="What the payment provider needs (the demo provider: a test card); never stored.",
    )


class OrderLookupSerializer(StrictInput, serializers.Serializer):
    number = serializers.JSONField()
    email = serializers.JSONField()


class OrderFulfilSerializer(StrictInput, serializers.Serializer):
    lines = serializers.JSONField(
        required=False, help_text='[{"line": id, "quantity": n}]; default everything left.'
    )
    carrier = serializers.JSONField(required=False, default="")
    tracking_number = serializers.JSONField(required=False, default="")


class OrderCancelSerializer(StrictInput, serializers.Serializer):
    reason = serializers.JSONField(required=False, default="")


class OrderRefundSerializer(StrictInput, serializers.Serializer):
    amount = serializers.JSONField()
    lines = serializers.JSONField(required=False, help_text='Returned: [{"line": id, "quantity": n}].')
    restock = serializers.JSONField(required=False, default=False)
    note = serializers.JSONField(required=False, default="")


class OrderNoteSerializer(StrictInput, serializers.Serializer):
    message = serializers.JSONField()
