"""GraphQL: the same cart and order as REST, bounded query counts, staff mutations, and nobody
reaching another's cart or order."""

import pytest
from django.test import Client

from apps.accounts.models import Role
from apps.orders import services
from tests.accounts.factories import UserFactory
from tests.conftest import ALPHA_HOST, signed_in
from tests.orders.conftest import GERMAN_ADDRESS

URL = "/api/graphql/"
CARD = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2040, "cvc": "123"}
CART = """
fragment C on Cart { token quantity lines { sku quantity unitPrice problems formatted { total } }
  totals { subtotal discount shipping tax total formatted { total } taxes { name rate tax } }
  shippingMethod { id price } shippingMethods { id price } voucher voucherProblem { reason } }
"""


def gql(client, query, variables=None):
    answer = client.post(URL, {"query": query, "variables": variables or {}}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    return answer.json()


@pytest.fixture
def guest(alpha):
    return Client(HTTP_HOST=ALPHA_HOST)


def test_a_guest_shops_and_checks_out_over_graphql(guest, shirt, parcel):
    created = gql(guest, CART + "mutation { cartCreate { cart { ...C } } }")
    token = created["data"]["cartCreate"]["cart"]["token"]
    added = gql(
        guest,
        CART
        + "mutation($t: ID!, $v: ID!) "
        + "{ cartLineAdd(token: $t, variantId: $v, quantity: 2) { cart { ...C } } }",
        {"t": token, "v": shirt.pk},
    )
    assert added["data"]["cartLineAdd"]["cart"]["totals"]["subtotal"] == 2500
    updated = gql(
        guest,
        CART + "mutation($t: ID!, $i: CheckoutInput!) { cartUpdate(token: $t, input: $i) { cart { ...C } } }",
        {
            "t": token,
            "i": {
                "email": "anna@example.com",
                "shippingAddress": {
                    "firstName": "Anna",
                    "lastName": "Schmidt",
                    "line1": "Unter den Linden 1",
                    "city": "Berlin",
                    "postalCode": "10115",
                    "country": "DE",
                },
                "shippingMethodId": parcel.pk,
                "paymentProvider": "demo",
            },
        },
    )
    cart = updated["data"]["cartUpdate"]["cart"]
    assert (cart["totals"]["total"], cart["totals"]["formatted"]["total"]) == (2990, "$29.90")
    assert cart["shippingMethods"] == [{"id": str(parcel.pk), "price": 490}]
    done = gql(
        guest,
        "mutation($t: ID!, $p: GenericScalar) { checkoutComplete(token: $t, payment: $p) "
        "{ order { number status totals { total } guestKey history { kind } } } }",
        {"t": token, "p": CARD},
    )
    order = done["data"]["checkoutComplete"]["order"]
    assert (order["status"], order["totals"]["total"], order["history"]) == ("paid", 2990, None)
    seen = gql(guest, "query($k: String!) { guestOrder(key: $k) { number } }", {"k": order["guestKey"]})
    assert seen["data"]["guestOrder"]["number"] == order["number"]


def test_a_bad_address_names_the_field(guest, shirt):
    token = str(services.create_cart().token)
    answer = gql(
        guest,
        "mutation($t: ID!, $i: CheckoutInput!) { cartUpdate(token: $t, input: $i) { cart { token } } }",
        {
            "t": token,
            "i": {
                "shippingAddress": {
                    **{"firstName": "A", "lastName": "B", "line1": "X"},
                    "country": "DE",
                    "postalCode": "1",
                }
            },
        },
    )
    error = answer["errors"][0]
    assert error["extensions"]["code"] == "INVALID"
    assert "shipping_address.postal_code" in str(error["extensions"])


def test_another_customers_cart_and_order_answer_null(tenant_a, alpha, ready_cart):
    anna, boris = UserFactory(role=Role.CUSTOMER), UserFactory(role=Role.CUSTOMER)
    mine = services.create_cart(customer=anna)
    order = services.checkout(cart=ready_cart, details=CARD)
    as_boris = signed_in(tenant_a, boris)
    answer = gql(
        as_boris,
        "query($t: ID!, $n: Int!) { cart(token: $t) { token } order(number: $n) { number } }",
        {"t": str(mine.token), "n": order.number},
    )
    assert answer["data"] == {"cart": None, "order": None}


def test_a_customers_orders_are_a_bounded_number_of_queries(
    tenant_a, alpha, shirt, parcel, django_assert_max_num_queries
):
    anna = UserFactory(role=Role.CUSTOMER)
    for _n in range(4):
        cart = services.create_cart(customer=anna)
        services.add_line(cart=cart, variant_id=shirt.pk)
        services.update_checkout(
            cart=cart,
            email=anna.email,
            shipping_address=GERMAN_ADDRESS,
            shipping_method=parcel.pk,
            payment_provider="demo",
        )
        services.checkout(cart=cart, details=CARD)
    client = signed_in(tenant_a, anna)
    query = (
        "{ orders(first: 10) { totalCount edges { node { number lines { sku } shipments { id } "
        "totals { total } } } } }"
    )
    gql(client, query)
    with django_assert_max_num_queries(14):
        answer = gql(client, query)
    assert answer["data"]["orders"]["totalCount"] == 4


def test_staff_ship_an_order_over_graphql(tenant_a, ready_cart, keeper):
    order = services.checkout(cart=ready_cart, details=CARD)
    answer = gql(
        signed_in(tenant_a, keeper),
        'mutation($n: Int!) { orderFulfil(number: $n, carrier: "DHL", trackingNumber: "JJD1") '
        "{ order { status allowed history { kind } } } }",
        {"n": order.number},
    )
    shipped = answer["data"]["orderFulfil"]["order"]
    assert shipped["status"] == "fulfilled"
    assert shipped["allowed"] == ["complete", "refund"]


@pytest.mark.parametrize("lines", [2, 12])
def test_a_cart_costs_the_same_queries_for_2_and_12_lines(
    alpha, guest, keeper, warehouse, lines, django_assert_num_queries
):
    from tests.catalog.factories import make_product
    from tests.inventory.factories import stock

    cart = services.create_cart()
    for _n in range(lines):
        variant = make_product(actor=keeper, status="active").variants.get()
        stock(variant, warehouse, 5, actor=keeper)
        services.add_line(cart=cart, variant_id=variant.pk)
    query = CART + "query($t: ID!) { cart(token: $t) { ...C } }"
    gql(guest, query, {"t": str(cart.token)})  # the host's route and modules, read by a first request
    with django_assert_num_queries(QUERIES_OF_A_CART):
        answer = gql(guest, query, {"t": str(cart.token)})
    assert len(answer["data"]["cart"]["lines"]) == lines


QUERIES_OF_A_CART = 16  # the first request left the connection on the site: no second SET search_path


def test_rest_graphql_and_the_placed_order_show_the_same_totals(tenant_a, alpha, guest, ready_cart):
    from tests.orders.factories import TaxRateFactory, VoucherFactory

    TaxRateFactory(country="DE")
    VoucherFactory(code="SAME", kind="fixed", percent=None, amount=333, currency="USD")
    services.apply_voucher(cart=ready_cart, code="SAME")
    token = str(ready_cart.token)
    rest = guest.get(f"/api/v1/orders/carts/{token}/").json()["totals"]
    graph = gql(guest, CART + "query($t: ID!) { cart(token: $t) { ...C } }", {"t": token})["data"]["cart"][
        "totals"
    ]
    assert (rest["subtotal"], rest["discount"], rest["shipping"], rest["tax"], rest["total"]) == (
        graph["subtotal"],
        graph["discount"],
        graph["shipping"],
        graph["tax"],
        graph["total"],
    )
    order = services.checkout(cart=ready_cart, details=CARD)
    assert (order.subtotal, order.discount, order.shipping, order.tax, order.total) == (
        rest["subtotal"],
        rest["discount"],
        rest["shipping"],
        rest["tax"],
        rest["total"],
    )
    assert rest["discount"] == 333
    assert sum(line.total for line in order.lines.all()) + order.shipping == order.total
