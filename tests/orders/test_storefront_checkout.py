"""The checkout on the storefront: one page of sections, each error next to its input with what was
typed kept; a declined card or a provider down leaves the cart payable; a paid checkout lands on
the order's page; the same form sent twice (one after the other, or at once) places one order."""

import re
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from apps.orders import links, services
from apps.orders.models import Cart, CartStatus, Order, OrderStatus
from apps.payments.models import Payment
from apps.payments.providers.demo import ledger_charges
from tests.conftest import ALPHA_HOST, BETA_HOST
from tests.orders.conftest import GERMAN_ADDRESS, LIVE_SCHEMA
from tests.orders.factories import ShippingMethodFactory, ShippingZoneFactory, VoucherFactory

HTML = {"HTTP_ACCEPT": "text/html"}
SUCCEEDS = "4242 4242 4242 4242"


@pytest.fixture
def guest(alpha):
    return Client(HTTP_HOST=ALPHA_HOST, **HTML)


@pytest.fixture
def in_cart(guest, shirt, parcel):
    """The guest's cart with 2 shirts (by the storefront's own form)."""
    assert guest.post("/cart/add/", {"variant": shirt.pk, "quantity": 2}).status_code == 302
    return Cart.objects.get(token=guest.cookies["rustok_cart"].value)


def form(method, **changes) -> dict:
    """The checkout form as a shopper fills it in: a German address, the parcel, the demo card."""
    data = {f"shipping_address-{name}": value for name, value in GERMAN_ADDRESS.items()}
    data.update(
        {
            "email": "anna@example.com",
            "billing_same": "on",
            "shipping_method": str(method.pk),
            "payment_provider": "demo",
            "card_number": SUCCEEDS,
            "card_expiry": "12/30",
            "card_cvc": "123",
            "card_name": "Anna Schmidt",
            "action": "place",
        }
    )
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def input_tag(html: str, element_id: str) -> str:
    found = re.search(rf'<(?:input|select|textarea)[^>]*id="{re.escape(element_id)}"[^>]*>', html)
    assert found, element_id
    return found.group(0)


def test_without_a_cart_the_checkout_goes_to_the_cart(guest):
    answer = guest.get("/checkout/")
    assert (answer.status_code, answer["Location"]) == (302, "/cart/")


def test_the_checkout_page_has_every_section(guest, in_cart, parcel):
    answer = guest.get("/checkout/")
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"] and "private" in answer["Cache-Control"]
    html = answer.content.decode()
    words = text(html)
    for heading in ("Contact", "Shipping address", "Billing address", "Shipping method", "Payment", "Review"):
        assert heading in words
    assert 'href="/account/login/?next=%2Fcheckout%2F"' in html
    assert '<label for="email">' in html
    # The address form of the shop's only country, Germany: a postal code with an example, a city.
    assert 'id="shipping_address-postal_code"' in html and "For example 26133" in words
    assert "State" not in words
    assert f"{parcel.name} — $4.90" in words
    assert "Card" in words and "Bank transfer" in words
    assert "Test cards" in words
    for number, meaning in (
        ("4242 4242 4242 4242", "success"),
        ("4000 0000 0000 0002", "declined"),
        ("4000 0000 0000 3220", "pending"),
        ("4000 0000 0000 0119", "timeout"),
        ("4000 0000 0000 0500", "provider down"),
    ):
        assert f"{number} — {meaning}" in words
    assert "2 × Linen shirt" in words and "Subtotal $25.00" in words
    # The first method is chosen to start with, and the review prices it.
    assert re.search(rf'id="shipping_method-{parcel.pk}"[^>]* checked', html)
    assert "Shipping $4.90" in words and "Total $29.90" in words
    assert "Place order" in words


def test_another_country_shows_its_fields_without_javascript(guest, in_cart):
    usa = ShippingZoneFactory(countries=["US"])
    ShippingMethodFactory(zone=usa, name_en="Ground", price=900)
    answer = guest.post("/checkout/", {"shipping_address-country": "US", "email": "", "action": "update"})
    assert answer.status_code == 200
    html = answer.content.decode()
    words = text(html)
    assert "ZIP code" in words and "State" in words
    assert '<option value="NY">New York</option>' in html
    assert "Ground — $9.00" in words
    assert "field-error" not in html  # nothing said before the shopper asks to place the order


def test_a_wrong_postal_code_is_shown_next_to_its_input_with_the_rest_kept(guest, in_cart, parcel):
    answer = guest.post("/checkout/", form(parcel, **{"shipping_address-postal_code": "1234"}))
    assert answer.status_code == 400
    html = answer.content.decode()
    field = input_tag(html, "shipping_address-postal_code")
    assert 'aria-invalid="true"' in field
    assert "shipping_address-postal_code-error" in field
    assert re.search(
        r'id="shipping_address-postal_code-error">Not a postal code of this country \(such as \d{5}\)\.<',
        html,
    )
    assert 'href="#shipping_address-postal_code"' in html  # the summary links to it
    assert "Shipping address: Postal code: Not a postal code" in text(html)
    assert 'value="Anna"' in input_tag(html, "shipping_address-first_name")
    assert 'value="anna@example.com"' in input_tag(html, "email")
    assert 'value=""' in input_tag(html, "payment-card_number")  # the card number is never echoed
    assert not Order.objects.exists()


def test_missing_details_are_named_each_next_to_its_input(guest, in_cart, parcel):
    answer = guest.post("/checkout/", form(parcel, email="not-an-address", shipping_method="", card_cvc=""))
    assert answer.status_code == 400
    html = answer.content.decode()
    assert 'id="email-error">Enter a valid e-mail address.<' in html
    assert 'id="shipping_method-error">Choose a shipping method.<' in html
    assert 'id="payment-card_cvc-error">' in html
    assert not Order.objects.exists()


def test_a_declined_card_charges_nothing_and_the_cart_stays_payable(guest, in_cart, parcel):
    declined = guest.post("/checkout/", form(parcel, card_number="4000 0000 0000 0002"))
    assert declined.status_code == 400
    html = declined.content.decode()
    assert 'id="payment-error"' in html and "Your card was declined" in html
    assert "Shipping $4.90" in text(html) and "Total $29.90" in text(html)  # the review as saved
    assert not Order.objects.exists()
    assert list(Payment.objects.values_list("status", flat=True)) == ["failed"]
    assert Cart.objects.get(pk=in_cart.pk).status == CartStatus.OPEN
    assert "Linen shirt" in guest.get("/cart/").content.decode()

    paid = guest.post("/checkout/", form(parcel))
    assert paid.status_code == 302
    assert Order.objects.get().status == OrderStatus.PAID


def test_a_provider_down_says_try_again_and_the_cart_stays(guest, in_cart, parcel):
    down = guest.post("/checkout/", form(parcel, card_number="4000 0000 0000 0500"))
    assert down.status_code == 400
    assert "Please try again in a moment" in down.content.decode()
    assert not Order.objects.exists()
    assert Cart.objects.get(pk=in_cart.pk).status == CartStatus.OPEN
    assert guest.post("/checkout/", form(parcel)).status_code == 302
    assert Order.objects.count() == 1


def test_a_paid_checkout_lands_on_the_orders_page(guest, in_cart, parcel):
    answer = guest.post("/checkout/", form(parcel))
    assert answer.status_code == 302
    order = Order.objects.get()
    location = urlsplit(answer["Location"])
    assert location.path == "/orders/view/"
    assert links.order_of_key(parse_qs(location.query)["key"][0]) == order
    # The cart is done with: its cookies are cleared, the header counts nothing.
    assert guest.cookies["rustok_cart"].value == "" and guest.cookies["rustok_cart_count"].value == ""
    assert Cart.objects.get(pk=in_cart.pk).status == CartStatus.ORDERED

    seen = guest.get(answer["Location"])
    assert seen.status_code == 200
    assert "no-store" in seen["Cache-Control"]
    words = text(seen.content.decode())
    assert "Thank you for your order!" in words
    assert f"#{order.number}" in words
    assert "Paid" in words and "Total $29.90" in words and "Shipping $4.90" in words
    assert "2 × " not in words and "Linen shirt" in words
    assert "Anna Schmidt" in words and "Unter den Linden 1" in words and "Germany" in words
    assert parcel.name in words
    assert "Your cart is empty." in guest.get("/cart/").content.decode()


def test_a_bank_transfer_places_the_order_waiting_for_its_money(guest, in_cart, parcel):
    answer = guest.post("/checkout/", form(parcel, payment_provider="manual", card_number=None))
    assert answer.status_code == 302
    order = Order.objects.get()
    assert order.status == OrderStatus.PLACED
    words = text(guest.get(answer["Location"]).content.decode())
    assert "Waiting for your bank transfer" in words


def test_a_card_the_bank_still_checks_places_the_order_waiting_for_its_money(guest, in_cart, parcel):
    answer = guest.post("/checkout/", form(parcel, card_number="4000 0000 0000 3220"))
    assert answer.status_code == 302
    assert Order.objects.get().status == OrderStatus.PLACED
    words = text(guest.get(answer["Location"]).content.decode())
    assert "Thank you for your order!" in words
    assert "Pending: we will confirm the payment as soon as it arrives" in words


def test_a_voucher_is_in_the_orders_total(guest, in_cart, parcel):
    VoucherFactory(code="WELCOME10", percent=10)
    guest.post("/cart/voucher/", {"code": "WELCOME10"})
    answer = guest.post("/checkout/", form(parcel))
    assert answer.status_code == 302
    order = Order.objects.get()
    assert (order.discount, order.total) == (250, 2740)
    assert "Total $27.40" in text(guest.get(answer["Location"]).content.decode())


def test_the_same_form_sent_twice_places_one_order(guest, in_cart, parcel):
    charges = len(ledger_charges())
    data = form(parcel)
    first = guest.post("/checkout/", data)
    assert first.status_code == 302
    # A second click's request left before the first answer came: it still carries the cookie.
    guest.cookies["rustok_cart"] = str(in_cart.token)
    second = guest.post("/checkout/", data)
    assert (second.status_code, second["Location"]) == (302, first["Location"])
    # A resubmission after the first answer (the cookie gone) finds the order by the form.
    del guest.cookies["rustok_cart"]
    third = guest.post("/checkout/", data | {"form_key": _form_key(in_cart)})
    assert (third.status_code, third["Location"]) == (302, first["Location"])
    assert Order.objects.count() == 1
    assert Payment.objects.filter(status="captured").count() == 1
    assert len(ledger_charges()) == charges + 1


def _form_key(cart):
    from apps.orders.views.checkout import form_key

    return form_key(cart)


def test_the_form_carries_its_key(guest, in_cart):
    html = guest.get("/checkout/").content.decode()
    assert f'name="form_key" value="{_form_key(in_cart)}"' in html


def test_a_bad_or_another_sites_key_is_not_found(guest, ready_cart):
    assert guest.get("/orders/view/?key=forged").status_code == 404
    assert guest.get("/orders/view/").status_code == 404
    order = services.checkout(cart=ready_cart, details={"number": SUCCEEDS.replace(" ", "")})
    key = links.guest_key(order)
    assert guest.get(f"/orders/view/?key={key}").status_code == 200
    beta = Client(HTTP_HOST=BETA_HOST, **HTML)
    assert beta.get(f"/orders/view/?key={key}").status_code == 404


def test_the_page_is_in_russian_for_russian_readers(guest, in_cart, parcel):
    html = guest.get("/checkout/?lang=ru").content.decode()
    assert "Оформление заказа" in html and "Тестовые карты" in html
    answer = guest.post("/checkout/?lang=ru", form(parcel, **{"shipping_address-postal_code": "1"}))
    assert "Не почтовый индекс этой страны" in answer.content.decode()


# --- at once, with real commits -------------------------------------------------------------------

LIVE_HOST = "live-events.test"


def test_two_posts_of_the_same_form_at_once_place_one_order(live_shop):
    variant, method = live_shop
    with schema_context(LIVE_SCHEMA):
        cart = services.create_cart()
        services.add_line(cart=cart, variant_id=variant.pk, quantity=1)
        charges = len(ledger_charges())
    data = form(method)
    barrier = threading.Barrier(2)
    answers: list = [None, None]

    def click(i: int) -> None:
        browser = Client(HTTP_HOST=LIVE_HOST, **HTML)
        browser.cookies["rustok_cart"] = str(cart.token)
        try:
            barrier.wait(timeout=30)
            answers[i] = browser.post("/checkout/", data)
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert [answer.status_code for answer in answers] == [302, 302]
    # Both shoppers' clicks lead to the one order's page (each link signed when it was made: two
    # links of the same order made a second apart differ, and open the same order).
    keys = [parse_qs(urlsplit(answer["Location"]).query)["key"][0] for answer in answers]
    with schema_context(LIVE_SCHEMA):
        assert links.order_of_key(keys[0]) == links.order_of_key(keys[1]) == Order.objects.get()
        assert Order.objects.count() == 1
        assert Payment.objects.filter(status="captured").count() == 1
        assert len(ledger_charges()) == charges + 1


def test_a_signed_in_customer_checks_out_their_own_cart(tenant_a, alpha, shirt, parcel):
    from tests.accounts.factories import UserFactory
    from tests.conftest import admin_session

    customer = UserFactory(email="carla@example.com")
    carla = admin_session(customer)
    carla.post("/cart/add/", {"variant": shirt.pk}, **HTML)
    html = carla.get("/checkout/", **HTML).content.decode()
    assert 'value="carla@example.com"' in input_tag(html, "email")  # their address to start with
    assert "/account/login/" not in html
    answer = carla.post("/checkout/", form(parcel, email="carla@example.com"), **HTML)
    assert answer.status_code == 302
    order = Order.objects.get()
    assert order.customer == customer
    assert carla.get(answer["Location"], **HTML).status_code == 200
    # The header of any page counts their new, empty cart.
    assert '<span class="count-badge" hidden></span>' in carla.get("/", **HTML).content.decode()


def test_the_checkout_page_costs_the_same_queries_for_1_and_4_lines(
    guest, in_cart, keeper, warehouse, django_assert_max_num_queries
):
    from tests.catalog.factories import make_product
    from tests.inventory.factories import stock
    from tests.queries import flat

    def more():
        for number in range(3):
            variant = make_product(actor=keeper, name=f"Socks {number}", status="active").variants.get()
            stock(variant, warehouse, 5, actor=keeper)
            guest.post("/cart/add/", {"variant": variant.pk})

    # The cart priced once (each shipping method's totals computed from the same lines), the
    # methods, the products' documents, the zones' countries, the frame's settings: as many for 4
    # lines as for 1.
    flat(
        django_assert_max_num_queries,
        23,
        ask=lambda: guest.get("/checkout/"),
        grow=more,
        size=lambda answer: answer.content.decode().count('<li><span class="review-name">'),
    )


# --- a customer's address book at the checkout ---------------------------------------------------

OFFICE = {**GERMAN_ADDRESS, "line1": "Friedrichstr. 5", "postal_code": "10117"}


@pytest.fixture
def carla(alpha):
    from apps.accounts.models import Role
    from tests.accounts.factories import UserFactory

    return UserFactory(email="carla@example.com", role=Role.CUSTOMER)


@pytest.fixture
def carla_shopping(carla, shirt, parcel):
    """Carla's browser, signed in, with a shirt in her cart."""
    from tests.conftest import admin_session

    browser = admin_session(carla)
    browser.defaults.update(HTML)
    assert browser.post("/cart/add/", {"variant": shirt.pk}).status_code == 302
    return browser


def test_a_customers_checkout_starts_with_their_default_address(carla, carla_shopping):
    home = services.create_address(customer=carla, address=GERMAN_ADDRESS)
    services.create_address(customer=carla, address=OFFICE)
    html = carla_shopping.get("/checkout/").content.decode()
    assert 'value="Unter den Linden 1"' in input_tag(html, "shipping_address-line1")
    assert re.search(rf'id="shipping_saved-{home.pk}"[^>]* checked', html)
    words = text(html)
    assert "Ship to one of your addresses" in words and "Friedrichstr. 5" in words
    assert "A new address" in words
    assert "Save this address in my address book" in words


def test_a_customer_ships_to_another_saved_address_without_typing_it(carla, carla_shopping, parcel):
    services.create_address(customer=carla, address=GERMAN_ADDRESS)
    office = services.create_address(customer=carla, address=OFFICE)
    blank = {f"shipping_address-{name}": "" for name in GERMAN_ADDRESS}
    answer = carla_shopping.post(
        "/checkout/", form(parcel, email="carla@example.com", shipping_saved=str(office.pk), **blank)
    )
    assert answer.status_code == 302
    assert Order.objects.get().shipping_address["line1"] == "Friedrichstr. 5"


def test_a_new_address_is_the_one_typed_and_can_be_saved_to_the_book(carla, carla_shopping, parcel):
    from apps.orders import selectors

    services.create_address(customer=carla, address=GERMAN_ADDRESS)
    typed = {"shipping_address-line1": "Alexanderplatz 3", "shipping_address-postal_code": "10178"}
    answer = carla_shopping.post(
        "/checkout/",
        form(parcel, email="carla@example.com", shipping_saved="new", save_address="on", **typed),
    )
    assert answer.status_code == 302
    assert Order.objects.get().shipping_address["line1"] == "Alexanderplatz 3"
    assert [entry.address["line1"] for entry in selectors.addresses_of(carla)] == [
        "Unter den Linden 1",
        "Alexanderplatz 3",
    ]
    assert "The address is saved in your address book." in text(
        carla_shopping.get(answer["Location"]).content.decode()
    )


def test_an_address_already_in_the_book_is_not_saved_twice(carla, carla_shopping, parcel):
    from apps.orders.models import CustomerAddress

    services.create_address(customer=carla, address=GERMAN_ADDRESS)
    answer = carla_shopping.post(
        "/checkout/", form(parcel, email="carla@example.com", shipping_saved="new", save_address="on")
    )
    assert answer.status_code == 302
    assert CustomerAddress.objects.filter(customer=carla).count() == 1


def test_another_customers_saved_address_cannot_be_shipped_to(carla, carla_shopping, parcel):
    from tests.accounts.factories import UserFactory

    theirs = services.create_address(customer=UserFactory(email="dora@example.com"), address=OFFICE)
    answer = carla_shopping.post(
        "/checkout/", form(parcel, email="carla@example.com", shipping_saved=str(theirs.pk))
    )
    assert answer.status_code == 302
    assert Order.objects.get().shipping_address["line1"] == "Unter den Linden 1"  # what was typed


def test_a_guest_is_offered_no_address_book(guest, in_cart):
    words = text(guest.get("/checkout/").content.decode())
    assert "Ship to one of your addresses" not in words and "Save this address" not in words


def test_enter_in_a_field_updates_the_form_and_never_places_the_order(guest, in_cart, parcel):
    # Enter presses a form's first submit button: it must be an Update, before "Place order".
    html = guest.get("/checkout/").content.decode()
    buttons = re.findall(r'<button type="submit" name="action" value="(\w+)"', html)
    assert buttons[0] == "update" and buttons[-1] == "place"
    answer = guest.post("/checkout/", form(parcel, action="update"))
    assert answer.status_code == 200 and not Order.objects.exists()


def test_the_review_prices_the_shipping_method_chosen(guest, in_cart, parcel):
    express = ShippingMethodFactory(zone=parcel.zone, name_en="Express", price=1500)
    answer = guest.post("/checkout/", form(express, action="update"))
    words = text(answer.content.decode())
    assert "Shipping $15.00" in words and "Total $40.00" in words
    assert re.search(rf'id="shipping_method-{express.pk}"[^>]* checked', answer.content.decode())


def test_update_shows_another_countrys_fields_with_what_was_typed_kept(guest, in_cart, parcel):
    ShippingZoneFactory(countries=["US"])
    typed = form(parcel, action="update", **{"shipping_address-country": "US"})
    html = guest.post("/checkout/", typed).content.decode()
    assert 'value="Anna"' in input_tag(html, "shipping_address-first_name")
    assert 'value="Unter den Linden 1"' in input_tag(html, "shipping_address-line1")
    assert '<label for="shipping_address-postal_code">ZIP code' in html


def test_a_customers_checkout_costs_the_same_for_few_and_many_saved_addresses(
    carla, carla_shopping, django_assert_max_num_queries
):
    from tests.queries import flat

    services.create_address(customer=carla, address=GERMAN_ADDRESS)

    def more():
        for number in range(4):
            services.create_address(customer=carla, address={**OFFICE, "line1": f"Hof {number}"})

    # As a guest's page (test above), with the session, its user and one query for the address book.
    flat(
        django_assert_max_num_queries,
        25,
        ask=lambda: carla_shopping.get("/checkout/"),
        grow=more,
        size=lambda answer: answer.content.decode().count('name="shipping_saved"'),
    )
