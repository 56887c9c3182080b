"""GraphQL of carts, checkout and orders: the same answers as REST (apps.orders.serializers builds
both), so a cart's totals and an order's figures read alike in every interface.

A cart is reached by its token (`cart(token:)`), a customer's own also by `myCart`; another
customer's cart answers null. Orders: a customer's own (`orders`, `order(number:)`), every order
for managers with its history and the transitions allowed; a guest's by the key of its link
(`guestOrder(key:)`). Staff act on an order with one mutation per service. Lists read their
lines, shipments and history in a fixed number of queries, whatever their length.
"""

from __future__ import annotations

import graphene
from graphene.types.generic import GenericScalar

from apps.catalog.schema.queries import page
from apps.orders import links, selectors, services
from apps.orders import serializers as s
from apps.orders.carts import priced, shipping_choices
from apps.orders.models import Cart as CartRow
from apps.orders.models import Order as OrderRow
from apps.orders.signals import token_of
from rustok.api.filters import MAX_ID
from rustok.errors import InvalidInput, NotFound
from rustok.permissions import PUBLIC, SIGNED_IN, can, declare

MANAGE = "orders.manage_orders"


class Address(graphene.ObjectType):
    first_name = graphene.String()
    last_name = graphene.String()
    company = graphene.String()
    line1 = graphene.String()
    line2 = graphene.String()
    city = graphene.String()
    city_area = graphene.String()
    postal_code = graphene.String()
    country_area = graphene.String(description="State or region.")
    country = graphene.String(description="ISO 3166 alpha-2.")
    phone = graphene.String()


class AddressInput(graphene.InputObjectType):
    """Checked per country: what is wrong is named as `shippingAddress.postalCode`, ..."""

    first_name = graphene.String()
    last_name = graphene.String()
    company = graphene.String()
    line1 = graphene.String()
    line2 = graphene.String()
    city = graphene.String()
    city_area = graphene.String()
    postal_code = graphene.String()
    country_area = graphene.String()
    country = graphene.String()
    phone = graphene.String()


class Amounts(graphene.ObjectType):
    """Amounts written in the request's language."""

    unit_price = graphene.String()
    subtotal = graphene.String()
    discount = graphene.String()
    shipping = graphene.String()
    shipping_tax = graphene.String()
    tax = graphene.String()
    total = graphene.String()


class TaxLine(graphene.ObjectType):
    name = graphene.String(required=True)
    rate = graphene.String(required=True, description="Percent, as a decimal.")
    base = graphene.Int(required=True)
    tax = graphene.Int(required=True)

    @staticmethod
    def resolve_rate(tax, info):
        return str(tax["rate"])


class Totals(graphene.ObjectType):
    """Whole minor units of `currency` (docs/orders.md, "Totals")."""

    currency = graphene.String(required=True)
    prices_include_tax = graphene.Boolean(required=True)
    subtotal = graphene.Int(required=True)
    discount = graphene.Int(required=True)
    shipping = graphene.Int(required=True)
    shipping_tax = graphene.Int(required=True)
    tax = graphene.Int(required=True, description="All tax, shipping's included.")
    total = graphene.Int(required=True)
    taxes = graphene.List(graphene.NonNull(TaxLine), required=True)
    formatted = graphene.Field(Amounts, required=True)


class Option(graphene.ObjectType):
    attribute = graphene.String(required=True)
    value = graphene.String(required=True)


class CartLine(graphene.ObjectType):
    id = graphene.ID(required=True)
    variant_id = graphene.ID(required=True)
    product_id = graphene.ID(required=True)
    product_name = graphene.String(required=True)
    variant_name = graphene.String(required=True)
    sku = graphene.String(required=True)
    options = graphene.List(graphene.NonNull(Option), required=True)
    quantity = graphene.Int(required=True)
    unit_price = graphene.Int(description="Now; null: no price in the cart's currency.")
    price_when_added = graphene.Int()
    available = graphene.Int(description="Units in stock; null: not counted.")
    problems = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="unavailable, no_price, out_of_stock, insufficient_stock, price_changed.",
    )
    subtotal = graphene.Int()
    discount = graphene.Int()
    tax = graphene.Int()
    total = graphene.Int()
    formatted = graphene.Field(Amounts, required=True)

    @staticmethod
    def resolve_variant_id(line, info):
        return line["variant"]

    @staticmethod
    def resolve_product_id(line, info):
        return line["product"]


class ShippingChoice(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    description = graphene.String(required=True)
    price = graphene.Int(required=True, description="For this cart (0 above its free threshold).")
    formatted = graphene.String(required=True)


class VoucherProblem(graphene.ObjectType):
    reason = graphene.String(required=True)
    detail = graphene.String(required=True)


class Cart(graphene.ObjectType):
    """A cart and its checkout, priced now."""

    token = graphene.ID(required=True, description="Keep it: it is the cart.")
    status = graphene.String(required=True)
    currency = graphene.String(required=True)
    email = graphene.String(required=True)
    shipping_address = graphene.Field(Address)
    billing_address = graphene.Field(Address, description="Null: the shipping address.")
    shipping_method = graphene.Field(ShippingChoice)
    shipping_problem = graphene.String(description="Why the chosen method does not count now.")
    voucher = graphene.String(description="The voucher's code.")
    voucher_problem = graphene.Field(VoucherProblem)
    payment_provider = graphene.String(required=True)
    note = graphene.String(required=True)
    reserved_until = graphene.DateTime()
    quantity = graphene.Int(required=True)
    changed = graphene.Boolean(required=True, description="A price or availability changed since added.")
    lines = graphene.List(graphene.NonNull(CartLine), required=True)
    totals = graphene.Field(Totals, required=True)
    shipping_methods = graphene.List(
        graphene.NonNull(ShippingChoice), required=True, description="The methods this cart can use."
    )

    @staticmethod
    def resolve_shipping_methods(cart, info):
        return shipping_choices(cart["_row"])


class OrderLine(graphene.ObjectType):
    id = graphene.ID(required=True)
    variant_id = graphene.ID()
    product_id = graphene.ID()
    product_name = graphene.String(required=True)
    variant_name = graphene.String(required=True)
    sku = graphene.String(required=True)
    options = graphene.List(graphene.NonNull(Option), required=True)
    quantity = graphene.Int(required=True)
    unit_price = graphene.Int(required=True)
    subtotal = graphene.Int(required=True)
    discount = graphene.Int(required=True)
    tax_name = graphene.String(required=True)
    tax_rate = graphene.String(required=True)
    tax = graphene.Int(required=True)
    total = graphene.Int(required=True)
    quantity_fulfilled = graphene.Int(required=True)
    quantity_returned = graphene.Int(required=True)
    formatted = graphene.Field(Amounts, required=True)

    @staticmethod
    def resolve_variant_id(line, info):
        return line["variant"]

    @staticmethod
    def resolve_product_id(line, info):
        return line["product"]

    @staticmethod
    def resolve_tax_rate(line, info):
        return str(line["tax_rate"])


class ShipmentLine(graphene.ObjectType):
    line = graphene.ID(required=True)
    quantity = graphene.Int(required=True)


class Shipment(graphene.ObjectType):
    id = graphene.ID(required=True)
    carrier = graphene.String(required=True)
    tracking_number = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    lines = graphene.List(graphene.NonNull(ShipmentLine), required=True)


class OrderHistoryEntry(graphene.ObjectType):
    kind = graphene.String(required=True)
    actor = graphene.String(description="Who (null: the shopper or the system).")
    from_status = graphene.String(required=True)
    to_status = graphene.String(required=True)
    message = graphene.String(required=True)
    data = GenericScalar(required=True)
    created_at = graphene.DateTime(required=True)


class Order(graphene.ObjectType):
    """An order as placed, and what happened to it since."""

    number = graphene.Int(required=True)
    status = graphene.String(required=True)
    placed_at = graphene.DateTime(required=True)
    email = graphene.String(required=True)
    language = graphene.String(required=True)
    currency = graphene.String(required=True)
    shipping_address = graphene.Field(Address, required=True)
    billing_address = graphene.Field(Address, required=True)
    shipping_method = graphene.String(required=True)
    voucher = graphene.String(required=True)
    payment_provider = graphene.String(required=True)
    paid = graphene.Int(required=True)
    refunded = graphene.Int(required=True)
    totals = graphene.Field(Totals, required=True)
    lines = graphene.List(graphene.NonNull(OrderLine), required=True)
    shipments = graphene.List(graphene.NonNull(Shipment), required=True)
    allowed = graphene.List(graphene.NonNull(graphene.String), description="Transitions allowed now (staff).")
    history = graphene.List(graphene.NonNull(OrderHistoryEntry), description="Staff only.")
    guest_key = graphene.String(description="The key of the guest link (to the checkout's answer).")


class OrderConnection(graphene.relay.Connection):
    class Meta:
        node = Order

    total_count = graphene.Int(required=True)


def _cart(cart: CartRow) -> dict:
    fresh = CartRow.objects.select_related("voucher").get(pk=cart.pk)
    answer = s.cart_answer(priced(fresh))
    answer["_row"] = fresh
    return answer


def _cart_of(info, token, *, reading: bool = False) -> CartRow:
    return selectors.cart_for(info.context.user, token, reading=reading, carried=token_of(info.context))


def _order(info, order: OrderRow, *, guest_key: str | None = None) -> dict:
    return s.order_answer(
        selectors.order_detail(order.pk),
        staff=can(info.context.user, selectors.VIEW_ALL),
        guest_key=guest_key,
    )


class Query(graphene.ObjectType):
    cart = graphene.Field(Cart, token=graphene.ID(required=True), description="A cart, by its token.")
    my_cart = graphene.Field(Cart, description="The signed-in customer's cart.")
    orders = graphene.ConnectionField(
        OrderConnection,
        status=graphene.String(),
        description="A customer's own orders; every order for managers.",
    )
    order = graphene.Field(Order, number=graphene.Int(required=True))
    guest_order = graphene.Field(
        Order, key=graphene.String(required=True), description="By the guest link's key."
    )

    @staticmethod
    @declare(PUBLIC)
    def resolve_cart(root, info, token):
        try:
            return _cart(_cart_of(info, token, reading=True))
        except NotFound:
            return None

    @staticmethod
    @declare(SIGNED_IN)
    def resolve_my_cart(root, info):
        return _cart(services.create_cart(customer=info.context.user, language=info.context.LANGUAGE_CODE))

    @staticmethod
    @declare(SIGNED_IN)
    def resolve_orders(root, info, first=None, after=None, status=None, **_kwargs):
        staff = can(info.context.user, selectors.VIEW_ALL)
        found = selectors.orders_for(info.context.user, status=status).prefetch_related(
            *selectors.ORDER_RELATIONS
        )
        return page(
            found, OrderConnection, first=first, after=after, wrap=lambda o: s.order_answer(o, staff=staff)
        )

    @staticmethod
    @declare(SIGNED_IN)
    def resolve_order(root, info, number):
        order = OrderRow.objects.filter(number=number).first() if 0 < number <= MAX_ID else None
        if order is None or not selectors.may_read(info.context.user, order):
            return None
        return _order(info, order)

    @staticmethod
    @declare(PUBLIC)
    def resolve_guest_order(root, info, key):
        order = links.order_of_key(key)
        return None if order is None else s.order_answer(selectors.order_detail(order.pk), staff=False)


# --- writing -------------------------------------------------------------------------------------


class CheckoutInput(graphene.InputObjectType):
    """What is given is set (what is left out or null stays); each refusal names its field."""

    email = graphene.String()
    shipping_address = graphene.Field(AddressInput)
    billing_address = graphene.Field(AddressInput)
    billing_same_as_shipping = graphene.Boolean(description="True: bill to the shipping address.")
    shipping_method_id = graphene.ID()
    payment_provider = graphene.String()
    note = graphene.String()
    currency = graphene.String()


class CartPayload(graphene.ObjectType):
    cart = graphene.Field(Cart, required=True)


class OrderPayload(graphene.ObjectType):
    order = graphene.Field(Order, required=True)


def _id(value, field: str) -> int:
    text = str(value or "").strip()
    if not text.isdigit() or not 0 < int(text) <= MAX_ID:
        raise InvalidInput.for_field(field, "Not an id.")
    return int(text)


class CartCreate(graphene.Mutation):
    """Start a cart (a signed-in customer gets their own)."""

    access = PUBLIC

    class Arguments:
        currency = graphene.String()

    Output = CartPayload

    @staticmethod
    def mutate(root, info, currency=None):
        cart = services.create_cart(
            customer=info.context.user, currency=currency, language=info.context.LANGUAGE_CODE
        )
        return CartPayload(cart=_cart(cart))


def _mutation(name: str, doc: str, access: str, output, mutate, **arguments):
    """A graphene mutation class named `name` declaring `access`, built from its parts."""
    return type(
        name,
        (graphene.Mutation,),
        {
            "__doc__": doc,
            "access": access,
            "Arguments": type("Arguments", (), arguments),
            "Output": output,
            "mutate": staticmethod(mutate),
        },
    )


def _cart_mutation(name: str, doc: str, run, *, access: str = PUBLIC, **arguments):
    """A mutation of the cart `token`: `run(cart, info, **arguments)` calls the service (and may
    answer the cart to show, else the cart itself is shown)."""

    def mutate(root, info, token, **given):
        cart = _cart_of(info, token)
        return CartPayload(cart=_cart(run(cart, info, **given) or cart))

    return _mutation(name, doc, access, CartPayload, mutate, token=graphene.ID(required=True), **arguments)


CartLineAdd = _cart_mutation(
    "CartLineAdd",
    "Add a variant; INVALID naming `variant` or `quantity`; OUT_OF_STOCK beyond the stock.",
    lambda cart, info, variant_id, quantity=1: (
        services.add_line(cart=cart, variant_id=_id(variant_id, "variantId"), quantity=quantity) and None
    ),
    variant_id=graphene.ID(required=True),
    quantity=graphene.Int(),
)
CartLineUpdate = _cart_mutation(
    "CartLineUpdate",
    "Change a line's quantity; 0 removes it.",
    lambda cart, info, line_id, quantity: (
        services.set_quantity(cart=cart, line_id=_id(line_id, "lineId"), quantity=quantity) and None
    ),
    line_id=graphene.ID(required=True),
    quantity=graphene.Int(required=True),
)
CartVoucherApply = _cart_mutation(
    "CartVoucherApply",
    "Apply a voucher; VOUCHER_NOT_APPLICABLE with its `reason` when it does not apply.",
    lambda cart, info, code: services.apply_voucher(cart=cart, code=code),
    code=graphene.String(required=True),
)
CartVoucherRemove = _cart_mutation(
    "CartVoucherRemove", "Remove the voucher.", lambda cart, info: services.remove_voucher(cart=cart)
)
CartMerge = _cart_mutation(
    "CartMerge",
    "Merge a guest's cart into the signed-in customer's.",
    lambda cart, info: services.merge(guest_cart=cart, customer=info.context.user),
    access=SIGNED_IN,
)


class CartUpdate(graphene.Mutation):
    """Set the checkout's details."""

    access = PUBLIC

    class Arguments:
        token = graphene.ID(required=True)
        input = CheckoutInput(required=True)

    Output = CartPayload

    @staticmethod
    def mutate(root, info, token, input):
        cart = _cart_of(info, token)
        # Fields left out come as None: only what is given is set.
        given = {key: value for key, value in input.items() if value is not None}
        if given.pop("billing_same_as_shipping", False):
            given["billing_address"] = None
        currency = given.pop("currency", None)
        if currency is not None:
            cart = services.set_currency(cart=cart, currency=currency)
        if "shipping_method_id" in given:
            given["shipping_method"] = _id(given.pop("shipping_method_id"), "shippingMethodId")
        for name in ("shipping_address", "billing_address"):
            if given.get(name) is not None:
                given[name] = {key: value for key, value in dict(given[name]).items() if value is not None}
        if given:
            services.update_checkout(cart=cart, **given)
        return CartPayload(cart=_cart(cart))


class CheckoutComplete(graphene.Mutation):
    """Pay and place the order. PAYMENT_DECLINED, PAYMENT_PROVIDER_UNAVAILABLE (the checkout stays
    payable; nothing is charged twice), OUT_OF_STOCK, INVALID naming what is missing."""

    access = PUBLIC

    class Arguments:
        token = graphene.ID(required=True)
        payment = GenericScalar(description="What the provider needs (the demo provider: a test card).")

    Output = OrderPayload

    @staticmethod
    def mutate(root, info, token, payment=None):
        cart = _cart_of(info, token)
        order = services.checkout(cart=cart, details=payment, site_url=info.context.build_absolute_uri("/"))
        key = links.guest_key(order) if order.customer_id is None else None
        return OrderPayload(order=_order(info, order, guest_key=key))


class LineQuantityInput(graphene.InputObjectType):
    line = graphene.ID(required=True)
    quantity = graphene.Int(required=True)


def _staff_order(number) -> OrderRow:
    order = OrderRow.objects.filter(number=number).first() if 0 < number <= MAX_ID else None
    if order is None:
        raise NotFound("No such order.", field="number")
    return order


def _lines(lines):
    if lines is None:
        return None
    return [
        {"line": _id(item["line"], f"lines.{n}.line"), "quantity": item["quantity"]}
        for n, item in enumerate(lines)
    ]


def _order_mutation(name: str, doc: str, run, **arguments):
    """A staff mutation on the order `number`: `run(order, actor, **arguments)` calls the service."""

    def mutate(root, info, number, **given):
        order = _staff_order(number)
        run(order, info.context.user, **given)
        return OrderPayload(order=_order(info, order))

    return _mutation(name, doc, MANAGE, OrderPayload, mutate, number=graphene.Int(required=True), **arguments)


OrderMarkPaid = _order_mutation(
    "OrderMarkPaid",
    "Staff received the money of an order paid by hand.",
    lambda o, a: services.mark_paid(order=o, actor=a),
)
OrderFulfil = _order_mutation(
    "OrderFulfil",
    "Ship lines (default: everything not shipped yet) with a carrier and tracking number.",
    lambda o, a, lines=None, carrier="", tracking_number="": services.fulfil(
        order=o, actor=a, lines=_lines(lines), carrier=carrier, tracking_number=tracking_number
    ),
    lines=graphene.List(graphene.NonNull(LineQuantityInput)),
    carrier=graphene.String(),
    tracking_number=graphene.String(),
)
OrderComplete = _order_mutation(
    "OrderComplete", "A fulfilled order is done.", lambda o, a: services.complete(order=o, actor=a)
)
OrderCancel = _order_mutation(
    "OrderCancel",
    "Cancel a placed or paid order: refunded, restocked, the voucher use given back.",
    lambda o, a, reason="": services.cancel(order=o, actor=a, reason=reason),
    reason=graphene.String(),
)
OrderRefund = _order_mutation(
    "OrderRefund",
    "Refund `amount` (at most what is left: REFUND_EXCEEDS_PAID), for returned lines, restocked or not.",
    lambda o, a, amount, lines=None, restock=False, note="": services.refund(
        order=o, actor=a, amount=amount, lines=_lines(lines), restock=restock, note=note
    ),
    amount=graphene.Int(required=True),
    lines=graphene.List(graphene.NonNull(LineQuantityInput)),
    restock=graphene.Boolean(),
    note=graphene.String(),
)
OrderNoteAdd = _order_mutation(
    "OrderNoteAdd",
    "A note for the staff in the order's history.",
    lambda o, a, message: services.add_note(order=o, actor=a, message=message),
    message=graphene.String(required=True),
)


class Mutation(graphene.ObjectType):
    cart_create = CartCreate.Field()
    cart_line_add = CartLineAdd.Field()
    cart_line_update = CartLineUpdate.Field()
    cart_update = CartUpdate.Field()
    cart_voucher_apply = CartVoucherApply.Field()
    cart_voucher_remove = CartVoucherRemove.Field()
    cart_merge = CartMerge.Field()
    checkout_complete = CheckoutComplete.Field()
    order_mark_paid = OrderMarkPaid.Field()
    order_fulfil = OrderFulfil.Field()
    order_complete = OrderComplete.Field()
    order_cancel = OrderCancel.Field()
    order_refund = OrderRefund.Field()
    order_note_add = OrderNoteAdd.Field()
