"""REST: a guest and a customer shop, check out and read their orders; staff act on them; no one
reaches another's cart or order; answers are never cached."""

import pytest
from django.test import Client

from apps.accounts.models import Role
from apps.orders.models import Order, OrderStatus
from tests.accounts.factories import UserFactory
from tests.conftest import ALPHA_HOST, deliver, problem_of, signed_in
from tests.orders.conftest import GERMAN_ADDRESS
from tests.orders.factories import VoucherFactory

BASE = "/api/v1/orders/"


def fields(problem) -> set[str]:
    return {error["field"] for error in problem["errors"]}


JSON = "application/json"
CARD = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2040, "cvc": "123"}


@pytest.fixture
def guest(alpha):
    return Client(HTTP_HOST=ALPHA_HOST)


def post(client, url, body=None, **headers):
    return client.post(url, body or {}, content_type=JSON, **headers)


def patch(client, url, body):
    return client.patch(url, body, content_type=JSON)


def shop(client, variant, method, quantity=2) -> str:
    token = post(client, f"{BASE}carts/").json()["token"]
    assert (
        post(client, f"{BASE}carts/{token}/lines/", {"variant": variant.pk, "quantity": quantity}).status_code
        == 201
    )
    answer = patch(
        client,
        f"{BASE}carts/{token}/",
        {
            "email": "anna@example.com",
            "shipping_address": GERMAN_ADDRESS,
            "shipping_method": method.pk,
            "payment_provider": "demo",
        },
    )
    assert answer.status_code == 200, answer.content
    return token


def test_a_guest_shops_and_checks_out_and_reads_the_order_by_its_link(guest, shirt, parcel):
    token = shop(guest, shirt, parcel)
    cart = guest.get(f"{BASE}carts/{token}/")
    assert cart["Cache-Control"] == "private, no-store" or "no-store" in cart["Cache-Control"]
    body = cart.json()
    assert (body["totals"]["subtotal"], body["totals"]["shipping"], body["totals"]["total"]) == (
        2500,
        490,
        2990,
    )
    assert body["totals"]["formatted"]["total"] == "$29.90"
    assert body["lines"][0]["sku"] == shirt.sku
    methods = guest.get(f"{BASE}carts/{token}/shipping-methods/").json()
    assert [(m["id"], m["price"]) for m in methods] == [(parcel.pk, 490)]

    placed = post(guest, f"{BASE}carts/{token}/checkout/", {"payment": CARD})
    assert placed.status_code == 201, placed.content
    order = placed.json()
    assert (order["status"], order["totals"]["total"], order["history"]) == ("paid", 2990, None)
    seen = guest.get(f"{BASE}orders/guest/", {"key": order["guest_key"]})
    assert seen.status_code == 200
    assert seen.json()["number"] == order["number"]
    assert guest.get(f"{BASE}orders/guest/", {"key": "forged"}).status_code == 404


def test_bad_input_is_a_problem_naming_the_field_and_nothing_is_written(guest, shirt):
    token = post(guest, f"{BASE}carts/").json()["token"]
    problem = problem_of(post(guest, f"{BASE}carts/{token}/lines/", {"variant": shirt.pk, "quantity": 0}))
    assert fields(problem) == {"quantity"}
    problem = problem_of(
        patch(guest, f"{BASE}carts/{token}/", {"shipping_address": {**GERMAN_ADDRESS, "postal_code": "1"}})
    )
    assert fields(problem) == {"shipping_address.postal_code"}
    problem = problem_of(post(guest, f"{BASE}carts/{token}/voucher/", {"code": "NOPE"}))
    assert (problem["code"], problem["reason"]) == ("voucher_not_applicable", "unknown")
    assert guest.get(f"{BASE}carts/{token}/").json()["lines"] == []


def test_checkout_of_an_incomplete_cart_names_what_is_missing(guest, shirt):
    token = post(guest, f"{BASE}carts/").json()["token"]
    post(guest, f"{BASE}carts/{token}/lines/", {"variant": shirt.pk})
    problem = problem_of(post(guest, f"{BASE}carts/{token}/checkout/", {"payment": CARD}))
    assert fields(problem) == {"email", "shipping_address", "shipping_method", "payment_provider"}


def test_a_declined_card_is_402_and_the_cart_stays_payable(guest, shirt, parcel):
    token = shop(guest, shirt, parcel)
    problem = problem_of(
        post(guest, f"{BASE}carts/{token}/checkout/", {"payment": {**CARD, "number": "4000000000000002"}}),
        402,
    )
    assert problem["code"] == "payment_declined"
    assert post(guest, f"{BASE}carts/{token}/checkout/", {"payment": CARD}).status_code == 201


def test_a_provider_down_is_503_with_retry_after(guest, shirt, parcel):
    token = shop(guest, shirt, parcel)
    answer = post(
        guest, f"{BASE}carts/{token}/checkout/", {"payment": {**CARD, "number": "4000000000000500"}}
    )
    assert problem_of(answer, 503)["code"] == "payment_provider_unavailable"
    assert answer["Retry-After"]
    assert not Order.objects.exists()


def test_a_customers_cart_and_orders_are_theirs_alone(tenant_a, alpha, shirt, parcel):
    anna, boris = UserFactory(role=Role.CUSTOMER), UserFactory(role=Role.CUSTOMER)
    as_anna, as_boris = signed_in(tenant_a, anna), signed_in(tenant_a, boris)
    mine = as_anna.get(f"{BASE}carts/mine/").json()["token"]
    assert post(as_anna, f"{BASE}carts/{mine}/lines/", {"variant": shirt.pk}).status_code == 201
    assert as_boris.get(f"{BASE}carts/{mine}/").status_code == 404
    assert Client(HTTP_HOST=ALPHA_HOST).get(f"{BASE}carts/{mine}/").status_code == 404
    patch(
        as_anna,
        f"{BASE}carts/{mine}/",
        {
            "email": anna.email,
            "shipping_address": GERMAN_ADDRESS,
            "shipping_method": parcel.pk,
            "payment_provider": "demo",
        },
    )
    number = post(as_anna, f"{BASE}carts/{mine}/checkout/", {"payment": CARD}).json()["number"]
    assert [o["number"] for o in as_anna.get(f"{BASE}orders/").json()["results"]] == [number]
    assert as_boris.get(f"{BASE}orders/").json()["results"] == []
    assert as_boris.get(f"{BASE}orders/{number}/").status_code == 404
    assert as_anna.get(f"{BASE}orders/{number}/").json()["history"] is None


def test_a_guest_cart_merges_into_the_customers_on_request(tenant_a, guest, shirt):
    anna = UserFactory(role=Role.CUSTOMER)
    token = post(guest, f"{BASE}carts/").json()["token"]
    post(guest, f"{BASE}carts/{token}/lines/", {"variant": shirt.pk, "quantity": 2})
    merged = post(signed_in(tenant_a, anna), f"{BASE}carts/{token}/merge/")
    assert merged.status_code == 200
    assert merged.json()["quantity"] == 2


def test_staff_see_every_order_with_its_history_and_ship_it(tenant_a, guest, shirt, parcel, keeper):
    token = shop(guest, shirt, parcel)
    number = post(guest, f"{BASE}carts/{token}/checkout/", {"payment": CARD}).json()["number"]
    staff = signed_in(tenant_a, keeper)
    order = staff.get(f"{BASE}orders/{number}/").json()
    assert order["allowed"] == ["fulfil", "cancel", "refund"]
    assert [entry["kind"] for entry in order["history"]] == ["placed", "status"]
    shipped = post(staff, f"{BASE}orders/{number}/fulfil/", {"carrier": "DHL", "tracking_number": "JJD1"})
    assert shipped.status_code == 200, shipped.content
    assert shipped.json()["status"] == OrderStatus.FULFILLED
    problem = problem_of(post(staff, f"{BASE}orders/{number}/refund/", {"amount": 99999}), 409)
    assert problem["code"] == "refund_exceeds_paid"
    assert fields(problem) == {"amount"}


def test_customers_cannot_act_on_orders(tenant_a, guest, shirt, parcel):
    token = shop(guest, shirt, parcel)
    number = post(guest, f"{BASE}carts/{token}/checkout/", {"payment": CARD}).json()["number"]
    customer = signed_in(tenant_a, UserFactory(role=Role.CUSTOMER))
    assert post(customer, f"{BASE}orders/{number}/cancel/").status_code == 403
    assert Order.objects.get(number=number).status == OrderStatus.PAID


def test_the_lookup_answers_alike_whether_or_not_the_order_exists(guest, shirt, parcel):
    from django.core import mail

    token = shop(guest, shirt, parcel)
    number = post(guest, f"{BASE}carts/{token}/checkout/", {"payment": CARD}).json()["number"]
    deliver("alpha")
    mail.outbox.clear()
    for email in ("ANNA@example.com", "eve@example.com"):
        assert post(guest, f"{BASE}orders/lookup/", {"number": number, "email": email}).status_code == 202
    deliver("alpha")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@example.com"]
    assert "key=" in mail.outbox[0].body


def test_a_voucher_applies_through_rest(guest, shirt, parcel):
    VoucherFactory(code="TEN")
    token = shop(guest, shirt, parcel)
    body = post(guest, f"{BASE}carts/{token}/voucher/", {"code": "ten"}).json()
    assert (body["voucher"], body["totals"]["discount"]) == ("TEN", 250)


def test_signing_in_merges_the_guest_cart_the_request_carries(tenant_a, guest, shirt):
    anna = UserFactory(role=Role.CUSTOMER)
    anna.set_password("correct horse 42")
    anna.save()
    token = post(guest, f"{BASE}carts/").json()["token"]
    post(guest, f"{BASE}carts/{token}/lines/", {"variant": shirt.pk, "quantity": 3})
    login = guest.post(
        "/api/auth/login/",
        {"email": anna.email, "password": "correct horse 42"},
        content_type=JSON,
        HTTP_X_CART_TOKEN=token,
    )
    assert login.status_code == 200, login.content
    mine = signed_in(tenant_a, anna).get(f"{BASE}carts/mine/").json()
    assert mine["quantity"] == 3


def test_the_current_cart_is_the_one_the_header_or_cookie_carries(guest, shirt):
    token = post(guest, f"{BASE}carts/").json()["token"]
    assert (
        post(guest, f"{BASE}carts/current/lines/", {"variant": shirt.pk}, HTTP_X_CART_TOKEN=token).status_code
        == 201
    )
    guest.cookies["rustok_cart"] = token
    assert guest.get(f"{BASE}carts/current/").json()["quantity"] == 1
    assert problem_of(Client(HTTP_HOST=ALPHA_HOST).get(f"{BASE}carts/current/"), 404)["code"] == "not_found"


def test_the_current_cart_of_a_signed_in_customer_is_theirs(tenant_a, alpha, shirt):
    anna = UserFactory(role=Role.CUSTOMER)
    client = signed_in(tenant_a, anna)
    client.get(f"{BASE}carts/mine/")
    assert post(client, f"{BASE}carts/current/lines/", {"variant": shirt.pk}).status_code == 201
    assert client.get(f"{BASE}carts/mine/").json()["quantity"] == 1
